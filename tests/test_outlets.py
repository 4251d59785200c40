"""Tests for the outlet registry: loading, extending, resolving names and domains, mentions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.citations.names import AliasHit
from provenance.citations.registry import (
    OUTLET_KINDS,
    Registry,
    default_registry,
    packaged_files,
)
from provenance.errors import ProvenanceError, RegistryError
from provenance.records import Outlet

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The packaged registry."""
    return default_registry()


def mentions(registry: Registry, text: str) -> list[tuple[str, str]]:
    """Each mention as (the text it covers, the outlet id)."""
    return [(text[h.start:h.end], h.outlet_id) for h in registry.find_mentions(text)]


def write_registry(path: Path, outlets: list[dict], version: str = "test.1") -> Path:
    """A registry file at `path` holding `outlets`."""
    path.write_text(json.dumps({"version": version, "outlets": outlets}), encoding="utf-8")
    return path


def outlet_entry(**fields: object) -> dict:
    """A valid outlet entry with `fields` overridden."""
    entry: dict = {"id": "example_news", "name": "Example News", "kind": "online",
                   "country": "DE", "state_affiliation": None, "domains": ["example-news.de"],
                   "aliases": ["Example News"], "acronyms": [], "relay_of": []}
    entry.update(fields)
    return entry


# ---- find_mentions ------------------------------------------------------------------------

MENTION_CASES = [
    # the seeds' own phrasing
    ("Nach Informationen der NHK plant Nordkorea", [("NHK", "nhk")]),
    ("Frühere Informationen in der FT deuten auf", [("FT", "financial_times")]),
    ("Laut der offiziellen Nachrichtenagentur KCNA plant Kim", [("KCNA", "kcna")]),
    ("wie vienna.at berichtete.", [("vienna.at", "vienna_at")]),
    ("Beste Referenz\nvienna.at\nWeitere Quellen\ntagesschau.de",
     [("vienna.at", "vienna_at"), ("tagesschau.de", "tagesschau")]),
    ("Der südkoreanischen Nachrichtenagentur Yonhap zufolge", [("Yonhap", "yonhap")]),
    ("Bildquelle: © East News", [("East News", "east_news")]),
    ("Beziehungen gestärkt/GettyImages und Channel 24 Collage",
     [("GettyImages", "getty_images"), ("Channel 24", "channel_24_ua")]),
    ("TASS sagte, der „Führer der DVRK", [("TASS", "tass")]),
    ("Florence Looi von Al Jazeera, die aus Seoul berichtete",
     [("Al Jazeera", "al_jazeera")]),
    # German inflection and compounds: the span is the name, not the compound tail
    ("TASS-Meldung", [("TASS", "tass")]),
    ("nach dpa-Informationen", [("dpa", "dpa")]),
    ("ein Reuters-Bericht", [("Reuters", "reuters")]),
    ("NHK-Angaben zufolge", [("NHK", "nhk")]),
    ("Nach Angaben der Deutschen Presse-Agentur", [("Deutschen Presse-Agentur", "dpa")]),
    ("Nach Angaben des Senders NHKs", [("NHK", "nhk")]),
    ("Die Nachrichtenagentur Interfax meldete", [("Interfax", "interfax")]),
    ("(dpa/AFP)", [("dpa", "dpa"), ("AFP", "afp")]),
    ("Mit Material von AFP und Reuters", [("AFP", "afp"), ("Reuters", "reuters")]),
    ("die Agentur dpa-AFX meldete", [("dpa-AFX", "dpa_afx")]),
    ("according to the Associated Press", [("Associated Press", "ap")]),
    ("(AP) — Officials said", [("AP", "ap")]),
    ("Agence France-Presse reported", [("Agence France-Presse", "afp")]),
    ("ITAR-TASS", [("ITAR-TASS", "tass")]),
    # acronyms: exact case, whole words only
    ("AFTER the soft launch of Kapital", []),
    ("siehe ap. 3 und ff.", []),
    ("the ap reported", []),
    ("Bildschirmfotos, Kaptial, Apfel, Afpel", []),
    ("ORFAN and dpaX", []),
    # common-word names: guarded
    ("ein Bild des Präsidenten", []),
    ("Das Bild zeigt Kim in Wladiwostok.", []),
    ("laut Bild", [("Bild", "bild")]),
    ("Wie „Bild“ berichtet", [("Bild", "bild")]),
    ("Nach Bild-Informationen", [("Bild", "bild")]),
    ("Die Bild-Zeitung schreibt", [("Bild-Zeitung", "bild")]),
    ("in den Spiegel schauen", []),
    ("wie der Spiegel berichtet", [("Spiegel", "spiegel")]),
    ("berichtete der Spiegel am Montag", [("Spiegel", "spiegel")]),
    ("Die Welt ist in Aufruhr.", []),
    ("sagte er der Zeitung Die Welt.", [("Die Welt", "die_welt")]),
    ("ein Interview mit „Welt“", [("Welt", "die_welt")]),
    ("The Times they are a-changin'", []),
    ("she told The Times on Monday", [("The Times", "the_times")]),
    ("Times Square was empty.", []),
    ("according to the New York Times", [("New York Times", "nyt")]),
    ("Trump Sends The National Guard To Chicago", []),
    ("in the Guardian Council of Iran", []),
    ("'Time's a wasting,' he said", []),
    ("Dawn broke over Karachi.", []),
    ("politicos in Washington", []),
    ("he told Politico on Monday", [("Politico", "politico")]),
    ("a cable news network", []),
    ("CCTV footage showed the suspect", []),
    ("laut dem chinesischen Staatssender CCTV", [("CCTV", "cctv")]),
    ("the Sputnik V vaccine", []),
    ("Foto: Getty", [("Getty", "getty_images")]),
    ("the Getty Museum in Los Angeles", []),
    ("NEW YORK (Reuter) — Officials said", [("Reuter", "reuters")]),
    ("Bürgermeister Ernst Reuter sagte", []),
    ("nach internationalem Standard", []),
    ("laut den Standards der EU", []),
    ("Heute berichtete das Ministerium", []),
    ("Nach 20 Minuten meldete sich der Zeuge", []),
    ("France 2-1 Germany", []),
    ("le journal Le Monde", [("Le Monde", "le_monde")]),
    ("Le monde entier regarde", []),
    ("Der Standard berichtet, dass", [("Der Standard", "der_standard")]),
    # names inside other names, guarded names with case endings, lower-case OCR fragments
    ("the Chicago Sun-Times reported", [("Chicago Sun-Times", "chicago_sun_times")]),
    ("The Leader-Times reported on Monday", []),
    ("Michael Bloomberg reported a gain", []),
    ("former mayor Michael R. Bloomberg's super PAC", []),
    ("according to Bloomberg", [("Bloomberg", "bloomberg")]),
    ("a Bloomberg poll in June", [("Bloomberg", "bloomberg")]),
    ("told Bloomberg Politics in May", [("Bloomberg Politics", "bloomberg")]),
    ("a report from Bloomberg New Energy Finance", []),
    ("said the Vox Populi column", []),
    ("according to Vox", [("Vox", "vox")]),
    ("CBC Chairman G.K. Butterfield said", []),
    ("CBC members wrote to the party", []),
    ("CBC News reported", [("CBC News", "cbc")]),
    ("Economists berichteten von einem Abschwung", []),
    ("berichtete der Economist", [("Economist", "the_economist")]),
    ("Ein Reporter des Spiegels berichtete", [("Spiegel", "spiegel")]),
    ("gnées do certifl ats d études", []),
    ("a townhall meeting in Iowa", []),
    ("according to Townhall", [("Townhall", "townhall")]),
    ("a weekly standard of care", []),
    ("the raw story of the campaign", []),
    ("on the verge of collapse", []),
    ("nach Angaben der Deutschen Presse Agentur", [("Deutschen Presse Agentur", "dpa")]),
    ("Berlin (United Preß)", [("United Preß", "upi")]),
    # domains, with sub-domains and inside URLs
    ("Quelle: www.yna.co.kr", [("www.yna.co.kr", "yonhap")]),
    ("https://en.yna.co.kr/view/AEN2024", [("en.yna.co.kr", "yonhap")]),
    ("Mehr auf Spiegel.de lesen", [("Spiegel.de", "spiegel")]),
    ("vgl. https://www.tagesschau.de/ausland/asien/nordkorea-100.html",
     [("www.tagesschau.de", "tagesschau")]),
    ("notvienna.at and vienna.attic", []),
    ("siehe m.faz.net/aktuell", [("m.faz.net", "faz")]),
    # Cyrillic, Hangul and CJK names
    ("Как сообщает ТАСС,", [("ТАСС", "tass")]),
    ("по данным Интерфакса", [("Интерфакс", "interfax")]),
    ("РИА Новости сообщает", [("РИА Новости", "ria_novosti")]),
    ("조선중앙통신은 23일 보도했다", [("조선중앙통신", "kcna")]),
    ("연합뉴스에 따르면", [("연합뉴스", "yonhap")]),
    ("据新华社报道", [("新华社", "xinhua")]),
    ("共同通信によると", [("共同通信", "kyodo")]),
    ("NHKによると", [("NHK", "nhk")]),
]


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_find_mentions(registry: Registry, text: str, expected: list[tuple[str, str]]) -> None:
    assert mentions(registry, text) == expected, registry.find_mentions(text)


def test_mentions_are_sorted_non_overlapping_and_offsets_cover_the_name(
        registry: Registry) -> None:
    text = "Wie Spiegel.de und SPIEGEL ONLINE sowie die Agentur dpa-AFX (dpa) melden, FT."
    hits = registry.find_mentions(text)
    assert all(isinstance(h, AliasHit) for h in hits)
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))
    assert [text[h.start:h.end] for h in hits] == ["Spiegel.de", "SPIEGEL ONLINE", "dpa-AFX",
                                                   "dpa", "FT"]


def test_longest_alias_wins_over_its_parts(registry: Registry) -> None:
    assert mentions(registry, "Interfax-Ukraine meldet") == [("Interfax-Ukraine",
                                                            "interfax_ukraine")]


def test_line_breaks_and_no_break_spaces_inside_a_name_still_match(registry: Registry) -> None:
    assert mentions(registry, "die Financial\nTimes und Associated\xa0Press") == [
        ("Financial\nTimes", "financial_times"), ("Associated\xa0Press", "ap")]


def test_ambiguous_names_can_be_requested_without_context(registry: Registry) -> None:
    hits = registry.find_mentions("Das Bild zeigt", include_ambiguous=True)
    assert [(h.alias, h.outlet_id) for h in hits] == [("Bild", "bild")]
    assert registry.find_mentions("ein bild", include_ambiguous=True) == []


def test_empty_text_has_no_mentions(registry: Registry) -> None:
    assert registry.find_mentions("") == []


def test_every_seed_outlet_is_found_in_the_seeds(registry: Registry) -> None:
    found = set()
    for path in sorted(SEEDS.glob("*.txt")):
        found |= {h.outlet_id for h in registry.find_mentions(path.read_text(encoding="utf-8"))}
    assert found >= {"nhk", "financial_times", "kcna", "vienna_at", "tagesschau", "yonhap", "tass",
                     "al_jazeera", "east_news", "getty_images", "channel_24_ua"}


@pytest.mark.parametrize(("name", "outlet_id"), [
    ("NHK", "nhk"), ("FT", "financial_times"), ("Financial Times", "financial_times"),
    ("KCNA", "kcna"), ("vienna.at", "vienna_at"), ("tagesschau.de", "tagesschau"), ("ARD", "ard"),
    ("Yonhap", "yonhap"), ("TASS", "tass"), ("Al Jazeera", "al_jazeera"),
    ("East News", "east_news"), ("Getty Images", "getty_images"), ("GettyImages", "getty_images"),
    ("Channel 24", "channel_24_ua"),
])
def test_every_outlet_named_in_the_seeds_resolves(registry: Registry, name: str,
                                                   outlet_id: str) -> None:
    assert registry.by_name(name).id == outlet_id


@pytest.mark.parametrize(("name", "outlet_id"), [
    ("Korean Central News Agency", "kcna"), ("Zentrale Koreanische Nachrichtenagentur", "kcna"),
    ("조선중앙통신", "kcna"), ("ТАСС", "tass"), ("연합뉴스", "yonhap"),
    ("Nachrichtenagentur AP", "ap"), ("Associated Press", "ap"), ("新华社", "xinhua"),
    ("共同通信", "kyodo"), ("Агентство France-Presse", "afp"), ("KCNA Watch", "kcna_watch"),
])
def test_names_in_several_languages_and_scripts_resolve(registry: Registry, name: str,
                                                        outlet_id: str) -> None:
    assert registry.by_name(name).id == outlet_id


# ---- by_domain, by_name, search, get ------------------------------------------------------

DOMAIN_CASES = [
    ("vienna.at", "vienna_at"),
    ("www.vienna.at", "vienna_at"),
    ("https://www.tagesschau.de/ausland/asien/nordkorea-100.html", "tagesschau"),
    ("http://en.yna.co.kr:8080/view/AEN20240101", "yonhap"),
    ("https://m.yna.co.kr/amp/view", "yonhap"),
    ("amp.ft.com", "financial_times"),
    ("WWW.SPIEGEL.DE", "spiegel"),
    ("tass.ru.", "tass"),
    ("https://user@www.bbc.co.uk/news", "bbc"),
    ("kcnawatch.org/newstream/", "kcna_watch"),
    ("kcna.kp", "kcna"),
    ("notvienna.at", None),
    ("ft.com.evil.example", None),
    ("co.kr", None),
    ("", None),
    ("not a url", None),
]


@pytest.mark.parametrize(("value", "expected"), DOMAIN_CASES)
def test_by_domain(registry: Registry, value: str, expected: str | None) -> None:
    outlet = registry.by_domain(value)
    assert (outlet.id if outlet else None) == expected


NAME_CASES = [
    ("Yonhap", "yonhap"),
    ("yonhap news agency", "yonhap"),
    ("  Associated   Press ", "ap"),
    ("AP", "ap"),
    ("ap", None),
    ("FT", "financial_times"),
    ("ft", None),
    ("ТАСС", "tass"),
    ("조선중앙통신", "kcna"),
    ("tagesschau.de", "tagesschau"),
    ("www.tagesschau.de", "tagesschau"),
    ("Bild", "bild"),
    ("DER SPIEGEL", "spiegel"),
    ("Korean Central News Agency", "kcna"),
    ("KCNA Watch", "kcna_watch"),
    ("Nonexistent Gazette", None),
    ("Deutsche Presse Agentur", "dpa"),
    ("The New York Post", "ny_post"),
    ("United Preß", "upi"),
    ("Bloomberg", "bloomberg"),
    ("ATS", "keystone_sda"),
    ("ats", None),
    ("", None),
]


@pytest.mark.parametrize(("value", "expected"), NAME_CASES)
def test_by_name(registry: Registry, value: str, expected: str | None) -> None:
    outlet = registry.by_name(value)
    assert (outlet.id if outlet else None) == expected


def test_search_ranks_exact_then_prefix_then_substring(registry: Registry) -> None:
    found = [o.id for o in registry.search("kcna")]
    assert found[0] == "kcna"
    assert "kcna_watch" in found
    assert registry.search("") == []


def test_search_ignores_accents_and_case(registry: Registry) -> None:
    assert "afp" in [o.id for o in registry.search("agence france presse")]
    assert "dpa" in [o.id for o in registry.search("PRESSE-AGENTUR")]


def test_get_and_outlets_sorted_by_id(registry: Registry) -> None:
    assert registry.get("kcna").state_affiliation == "state"
    assert registry.get("no_such_outlet") is None
    ids = [o.id for o in registry.outlets]
    assert ids == sorted(ids)
    assert "kcna" in registry and len(registry) == len(ids)


# ---- the packaged data --------------------------------------------------------------------

def test_packaged_registry_is_large_and_well_formed(registry: Registry) -> None:
    assert len(registry) >= 220
    for outlet in registry:
        assert outlet.kind in OUTLET_KINDS
        assert outlet.origin == "registry"
        assert outlet.country.isupper() and len(outlet.country) == 2
        for domain in outlet.domains:
            assert registry.by_domain(domain) == outlet, domain
        assert registry.by_name(outlet.name, language=outlet.languages[0],
                                country=outlet.country) == outlet, outlet.name


def test_core_file_lists_outlets_sorted_by_id() -> None:
    core = [p for p in packaged_files() if p.name == "core.json"]
    ids = [o["id"] for o in json.loads(core[0].read_text(encoding="utf-8"))["outlets"]]
    assert ids == sorted(ids)


@pytest.mark.parametrize(("outlet_id", "affiliation"), [
    ("kcna", "state"), ("rodong_sinmun", "state"), ("tass", "state"), ("ria_novosti", "state"),
    ("xinhua", "state"), ("nhk", "public"), ("bbc", "public"), ("ard", "public"),
    ("reuters", None), ("ap", None),
])
def test_state_affiliation(registry: Registry, outlet_id: str, affiliation: str | None) -> None:
    assert registry.get(outlet_id).state_affiliation == affiliation


NEW_OUTLETS = [
    # (id, a name, a domain, country, kind)
    ("theblaze", "TheBlaze", "www.theblaze.com", "US", "online"),
    ("ijr", "Independent Journal Review", "ijr.com", "US", "online"),
    ("bizpac_review", "BizPac Review", "bizpacreview.com", "US", "online"),
    ("gateway_pundit", "Gateway Pundit", "thegatewaypundit.com", "US", "online"),
    ("mediaite", "Mediaite", "mediaite.com", "US", "online"),
    ("free_beacon", "Washington Free Beacon", "freebeacon.com", "US", "online"),
    ("weekly_standard", "The Weekly Standard", "weeklystandard.com", "US", "magazine"),
    ("townhall", "Townhall.com", "townhall.com", "US", "online"),
    ("raw_story", "Raw Story", "rawstory.com", "US", "online"),
    ("the_verge", "The Verge", "theverge.com", "US", "online"),
    ("gawker", "Gawker", "gawker.com", "US", "online"),
    ("cnn_money", "CNNMoney", "https://money.cnn.com/2016/01/05/news/", "US", "online"),
    ("basler_zeitung", "Basler Zeitung", "bazonline.ch", "CH", "newspaper"),
    ("ctv_news", "CTV News", "ctvnews.ca", "CA", "broadcaster"),
    ("yemen_observer", "Yemen Observer", "yobserver.com", "YE", "newspaper"),
    ("chicago_sun_times", "Chicago Sun-Times", "suntimes.com", "US", "newspaper"),
]


@pytest.mark.parametrize(("outlet_id", "name", "domain", "country", "kind"), NEW_OUTLETS)
def test_outlets_added_for_registry_gaps(registry: Registry, outlet_id: str, name: str,
                                         domain: str, country: str, kind: str) -> None:
    outlet = registry.get(outlet_id)
    assert (outlet.country, outlet.kind) == (country, kind)
    assert registry.by_name(name) == outlet
    assert registry.by_domain(domain) == outlet
    assert mentions(registry, f"according to {name}") == [(name, outlet_id)]


def test_cnn_money_is_its_own_outlet_under_cnn(registry: Registry) -> None:
    assert registry.by_domain("cnn.com").id == "cnn"
    assert registry.by_domain("money.cnn.com").id == "cnn_money"
    assert registry.get("cnn_money").parent == "cnn"


# ---- networks: parent and family ----------------------------------------------------------

def test_family_is_the_outlet_its_networks_and_its_own_brands(registry: Registry) -> None:
    assert registry.family("tagesschau") >= {"tagesschau", "ard"}
    assert registry.family("ard") >= {"ard", "tagesschau", "ndr", "wdr"}
    assert "wdr" not in registry.family("tagesschau")  # siblings stay apart
    assert registry.family("cnn_money") == {"cnn_money", "cnn"}
    assert registry.family("reuters") == {"reuters"}
    assert registry.family("no_such_outlet") == frozenset() == registry.family(None)


def test_lookalike_in_an_extra_file_hides_the_name_inside_it(tmp_path: Path) -> None:
    extra = write_registry(tmp_path / "mine.json", [outlet_entry(
        lookalikes=["Example News Network"], parent="ard")])
    registry = Registry.load(extra=[extra])
    assert mentions(registry, "Example News Network said") == []
    assert mentions(registry, "Example News said") == [("Example News", "example_news")]
    assert registry.by_name("Example News Network") is None
    assert registry.family("example_news") == {"example_news", "ard"}


# ---- extending and overriding -------------------------------------------------------------

def test_extra_file_adds_an_outlet_and_changes_the_version(tmp_path: Path) -> None:
    extra = write_registry(tmp_path / "mine.json", [outlet_entry()])
    base = Registry.load()
    extended = Registry.load(extra=[extra])
    assert extended.get("example_news").domains == ("example-news.de",)
    assert extended.version.startswith(base.version + "+")
    assert extended.version != base.version
    assert mentions(extended, "laut Example News") == [("Example News", "example_news")]


def test_extra_file_version_hash_follows_content(tmp_path: Path) -> None:
    one = write_registry(tmp_path / "one.json", [outlet_entry()])
    two = write_registry(tmp_path / "two.json", [outlet_entry(name="Example")])
    assert Registry.load(extra=[one]).version == Registry.load(extra=[str(one)]).version
    assert Registry.load(extra=[one]).version != Registry.load(extra=[two]).version


def test_extra_file_overrides_an_outlet_by_id(tmp_path: Path) -> None:
    extra = write_registry(tmp_path / "nhk.json", [outlet_entry(
        id="nhk", name="NHK", kind="broadcaster", country="JP", state_affiliation="state",
        domains=["nhk.or.jp"], aliases=["Nippon Hoso Kyokai"], acronyms=["NHK"])])
    registry = Registry.load(extra=[extra])
    assert registry.get("nhk").state_affiliation == "state"
    assert registry.by_domain("nhk.jp") is None
    assert mentions(registry, "nhk und NHK") == [("NHK", "nhk")]


def test_a_later_extra_file_wins(tmp_path: Path) -> None:
    first = write_registry(tmp_path / "a.json", [outlet_entry(country="AT")])
    second = write_registry(tmp_path / "b.json", [outlet_entry(country="CH")])
    assert Registry.load(extra=[first, second]).get("example_news").country == "CH"


def test_load_from_an_explicit_path(tmp_path: Path) -> None:
    path = write_registry(tmp_path / "only.json", [outlet_entry()], version="9.9")
    registry = Registry.load(path)
    assert registry.version == "9.9"
    assert [o.id for o in registry] == ["example_news"]


def test_outlet_round_trips_through_to_dict(registry: Registry, tmp_path: Path) -> None:
    outlet = registry.get("yonhap")
    path = write_registry(tmp_path / "rt.json", [outlet.to_dict()])
    assert Registry.load(path).get("yonhap") == outlet
    assert isinstance(outlet, Outlet)
    ard, tagesschau, vox = (registry.get(i) for i in ("ard", "tagesschau", "vox"))
    path = write_registry(tmp_path / "rt2.json", [ard.to_dict(), tagesschau.to_dict(),
                                                  vox.to_dict()])
    loaded = Registry.load(path)
    assert (loaded.get("tagesschau"), loaded.get("vox")) == (tagesschau, vox)
    assert tagesschau.to_dict()["parent"] == "ard" and vox.to_dict()["lookalikes"]


MALFORMED_CASES = [
    ("{not json", "not valid JSON at line 1"),
    ('["a list"]', '"outlets"'),
    ('{"outlets": []}', '"version"'),
    ('{"version": "1", "outlets": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "JSON nested too deeply"),
    ('{"version": "1", "outlets": [1]}', "outlet #1: expected a JSON object"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(id="Bad Id")]}), "'id' must be"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(kind="paper")]}), "'kind' is 'paper'"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(country="Germany")]}),
     "ISO 3166 alpha-2"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(state_affiliation="yes")]}),
     "'state_affiliation'"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(aliases="Example")]}),
     "'aliases' must be a list"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(domains=["https://x.de/"])]}),
     "not a lower-case host name"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(aliases=[" padded"])]}),
     "no surrounding spaces"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(colour="red")]}), "unknown field"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(), outlet_entry()]}), "appears twice"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(relay_of=["nobody"])]}),
     "relays unknown outlet 'nobody'"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(parent="nobody")]}),
     "belongs to unknown outlet 'nobody'"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(parent="example_news")]}),
     "'parent' is 'example_news'"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(parent="other"),
                                             outlet_entry(id="other", aliases=["Other"],
                                                          domains=[], parent="example_news")]}),
     "its own ancestor"),
    (json.dumps({"version": "1", "outlets": [outlet_entry(lookalikes=[" Example"])]}),
     "no surrounding spaces"),
    (json.dumps({"version": "1", "outlets": [
        outlet_entry(), outlet_entry(id="other", aliases=["example news"])]}),
     "claimed by both"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED_CASES)
def test_malformed_file_names_the_file_and_the_fix(tmp_path: Path, content: str,
                                                   message: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        Registry.load(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_malformed_extra_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "extra.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(RegistryError, match="extra.json"):
        Registry.load(extra=[path])


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not found"):
        Registry.load(tmp_path / "absent.json")


def test_extra_outlet_stealing_a_packaged_name_is_refused(tmp_path: Path) -> None:
    extra = write_registry(tmp_path / "steal.json", [outlet_entry(
        aliases=["Yonhap"], country="KR", languages=["ko"])])
    with pytest.raises(RegistryError, match="'yonhap' is claimed by both"):
        Registry.load(extra=[extra])


def test_registry_error_is_a_value_error() -> None:
    assert issubclass(RegistryError, ValueError) and issubclass(RegistryError, ProvenanceError)


# ---- schema 2: languages, shared names, defaults, packaged files -----------------------------

# Two invented outlets that share a name in one language, in two countries, with no default.
SHARED = [
    outlet_entry(id="kzt_fr_test", name="Kanal Zwölf France", kind="broadcaster", country="FR",
                 languages=["fr"], domains=["kzt-test.fr"], aliases=[], acronyms=["KZT"]),
    outlet_entry(id="kzt_be_test", name="Kanal Zwölf Belgique", kind="broadcaster",
                 country="BE", languages=["fr"], domains=["kzt-test.be"], aliases=[],
                 acronyms=["KZT"]),
]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """The packaged registry plus two outlets that share "KZT"."""
    return Registry.load(extra=[write_registry(tmp_path_factory.mktemp("shared") / "s.json",
                                               SHARED)])


@pytest.mark.parametrize(("text", "language", "country", "expected"), [
    ("Das sagte er bei RTL am Abend.", "de", None, "rtl_de"),
    ("Il l'a dit sur RTL ce matin.", "fr", None, "rtl_fr"),
    ("Il l'a dit sur RTL ce matin.", None, "FR", "rtl_fr"),
    ("Er sagte es bei RTL.", None, None, "rtl_de"),  # the declared default
    ("He told ABC on Sunday.", "en", "AU", "abc_au"),
    ("He told ABC on Sunday.", "en", "US", "abc_news"),
    ("He told ABC on Sunday.", "en", None, "abc_news"),  # the declared default
    ("He told ABC on Sunday.", None, None, "abc_news"),
])
def test_shared_names_are_chosen_by_language_country_then_default(
        registry: Registry, text: str, language: str | None, country: str | None,
        expected: str) -> None:
    hits = registry.find_mentions(text, language=language, country=country)
    assert [h.outlet_id for h in hits] == [expected]


def test_a_shared_name_without_default_is_left_unresolved(shared: Registry) -> None:
    # both outlets speak French; without a country and with no default there is no guess
    assert shared.find_mentions("Selon KZT, le ministre a menti.", language="fr") == []
    assert [h.outlet_id for h in shared.find_mentions(
        "Selon KZT, le ministre a menti.", language="fr", country="BE")] == ["kzt_be_test"]
    assert shared.by_name("KZT", country="FR").id == "kzt_fr_test"
    assert shared.by_name("KZT") is None


def test_longest_name_wins_over_a_shared_short_one(registry: Registry) -> None:
    assert mentions(registry, "according to ABC Australia, the fires") == [
        ("ABC Australia", "abc_au")]


def test_two_outlets_of_one_country_and_language_cannot_share_a_name(tmp_path: Path) -> None:
    extra = write_registry(tmp_path / "x.json", [outlet_entry(
        id="zdf_copy", name="ZDF Copy", country="DE", languages=["de"], domains=[],
        aliases=[], acronyms=["ZDF"])])
    with pytest.raises(RegistryError, match="'zdf' is claimed by both"):
        Registry.load(extra=[extra])
    # ... unless one of them is declared the default for that name
    fine = write_registry(tmp_path / "y.json", [outlet_entry(
        id="zdf_copy", name="ZDF Copy", country="DE", languages=["de"], domains=[],
        aliases=[], acronyms=["ZDF"], default_for=["ZDF"])])
    assert Registry.load(extra=[fine]).by_name("ZDF").id == "zdf_copy"


@pytest.mark.parametrize("text", [
    "the Lesotho Times reported on Monday", "Lesotho Times reported that",
    "the Maseru Times reported on Monday", "Maseru Times reported that",
    "As the International Business Times noted,", "um 10:05 Uhr Moskauer Zeit .",
    "(all times Eastern Standard Time)", "In der Fernsehreihe „ Wunderbare Welt “ zeigt",
])
def test_a_common_word_name_ending_another_name_is_not_the_outlet(registry: Registry,
                                                                  text: str) -> None:
    # the longer name may be an outlet of its own (Lesotho Times), but never The Times,
    # Time, Die Zeit or Die Welt
    found = {h.outlet_id for h in registry.find_mentions(text, include_ambiguous=True)}
    assert not found & {"the_times", "time_magazine", "die_zeit", "die_welt"}, found


@pytest.mark.parametrize(("text", "expected"), [
    ("Wie Bild berichtet", [("Bild", "bild")]),
    ("Laut Bild hat er", [("Bild", "bild")]),
    ("dem Magazin Stern zufolge", [("Stern", "stern")]),
    ("the Times reported", [("Times", "the_times")]),
])
def test_function_words_and_descriptors_before_a_common_word_name(
        registry: Registry, text: str, expected: list) -> None:
    assert mentions(registry, text) == expected


@pytest.mark.parametrize("text", ["mehr", "Lesen Sie mehr", "mehr zum Thema", "MEHR LESEN"])
def test_lower_case_mehr_is_never_mehr_news_agency(registry: Registry, text: str) -> None:
    assert registry.find_mentions(text, include_ambiguous=True) == []
    assert registry.by_name(text) is None


def test_mehr_news_agency_by_its_full_name_or_a_cue(registry: Registry) -> None:
    assert mentions(registry, "the Mehr News Agency reported") == [
        ("Mehr News Agency", "mehr_news")]
    assert mentions(registry, "according to Mehr, the") == [("Mehr", "mehr_news")]


def test_languages_fact_checkers_and_omitted_empty_fields(tmp_path: Path) -> None:
    entry = {"id": "check_team", "name": "Check Team", "kind": "fact_checker",
             "country": "DE", "languages": ["de", "en"], "domains": ["check-team.de"]}
    registry = Registry.load(extra=[write_registry(tmp_path / "f.json", [entry])])
    outlet = registry.get("check_team")
    assert (outlet.kind, outlet.languages, outlet.aliases, outlet.parent) == (
        "fact_checker", ("de", "en"), (), None)
    assert mentions(registry, "laut Check Team") == [("Check Team", "check_team")]
    assert Registry.load(write_registry(tmp_path / "rt.json", [outlet.to_dict()])).get(
        "check_team") == outlet


@pytest.mark.parametrize(("fields", "message"), [
    ({"languages": ["German"]}, "not an ISO 639-1 code"),
    ({"languages": "de"}, "'languages' must be a list"),
    ({"default_for": ["Other Name"]}, "is not one of this outlet's names"),
])
def test_schema_2_fields_are_checked(tmp_path: Path, fields: dict, message: str) -> None:
    path = write_registry(tmp_path / "bad.json", [outlet_entry(**fields)])
    with pytest.raises(RegistryError, match=message):
        Registry.load(path)


def test_a_folder_of_files_is_one_registry_and_ids_are_unique_across_it(tmp_path: Path) -> None:
    write_registry(tmp_path / "a.json", [outlet_entry()], version="2026.1")
    write_registry(tmp_path / "b.json", [outlet_entry(id="other", name="Other", aliases=[],
                                                      domains=["other.de"])], version="2026.2")
    registry = Registry.load(tmp_path)
    assert [o.id for o in registry] == ["example_news", "other"]
    assert registry.version == "2026.2"
    write_registry(tmp_path / "c.json", [outlet_entry(aliases=["Again"], domains=[])])
    with pytest.raises(RegistryError, match="'example_news' is also in"):
        Registry.load(tmp_path)


def test_packaged_registry_is_every_file_of_the_outlets_folder() -> None:
    files = packaged_files()
    assert [p.name for p in files] == sorted(p.name for p in files)
    assert "core.json" in [p.name for p in files]
    total = sum(len(json.loads(p.read_text(encoding="utf-8"))["outlets"]) for p in files)
    assert len(Registry.load()) == total


@pytest.mark.parametrize(("url", "country"), [
    ("https://www.tagesschau.de/inland/x.html", "DE"),
    ("https://www.bbc.co.uk/news", "GB"),
    ("https://www.lemonde.fr/politique/", "FR"),
    ("https://some-unknown-paper.co.nz/story", "NZ"),
    ("https://unknown.example.co.uk/", "GB"),
    ("https://www.unknown-site.tv/clip", None),
    ("https://news.unknown.com/", None),
    ("", None),
    (None, None),
])
def test_country_of_a_publisher_url(registry: Registry, url: str | None,
                                    country: str | None) -> None:
    assert registry.country_of(url) == country


@pytest.mark.parametrize(("text", "unwanted"), [
    ("he said matter-of-factly as the", "factly"),
    ("Mr. Band wrote that he needed", "band"),
    ("Herr Stern sagte am Montag", "stern"),
])
def test_names_glued_to_a_word_or_a_title_are_not_outlets(registry: Registry, text: str,
                                                          unwanted: str) -> None:
    assert registry.get(unwanted) is not None
    found = {h.outlet_id for h in registry.find_mentions(text, include_ambiguous=True)}
    assert unwanted not in found


def test_a_shared_name_in_an_unspaced_script_is_chosen_by_language(tmp_path: Path) -> None:
    extra = write_registry(tmp_path / "cjk.json", [outlet_entry(
        id="kyodo_double", name="Kyodo Double", country="CN", languages=["zh"], domains=[],
        aliases=["共同通信"])])
    registry = Registry.load(extra=[extra])
    assert [h.outlet_id for h in registry.find_mentions("共同通信によると", language="ja")] == [
        "kyodo"]
    assert [h.outlet_id for h in registry.find_mentions("据共同通信报道", language="zh")] == [
        "kyodo_double"]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("the District Court of Phoenix to review", "en", []),
    ("Das Bild zeigt den Präsidenten", "en", []),
    ("Das Bild zeigt den Präsidenten", "de", [("Bild", "bild")]),  # the caller decides
    ("he told Germany's Bild newspaper", "en", [("Bild", "bild")]),
    ("according to Der Spiegel, the", "en", [("Der Spiegel", "spiegel")]),
])
def test_a_foreign_common_word_name_needs_its_evidence(registry: Registry, text: str,
                                                       language: str, expected: list) -> None:
    hits = registry.find_mentions(text, include_ambiguous=True, language=language)
    assert [(text[h.start:h.end], h.outlet_id) for h in hits] == expected


# ---- the text forms the name lookups search (fast path against the regexes) ---------------

FIXTURES = SEEDS.parent
# Characters each rule treats specially: spaces, apostrophes, hyphens, a growing capital, the
# capital sigma (lowered by its context), unspaced scripts, an astral character, a tab.
ODD_TEXTS = ["Laut\u00a0„Bild“ – dpa’s n\u2011tv\tund ZDF…\nDer SPIEGEL (AFP/Reuters) 2024",
             "İstanbul: Hürriyet ve Sabah", "ΟΔΟΣ ΣΚΑΪ καί ΕΡΤ", "新华社报道, 연합뉴스는 KCNA",
             "Reuters 🙂 AP", "a\u2010b\u02bcc\u2009d\u202fe\u2007f", "_under_score Ⅻ ſtate"]


def fixture_texts() -> list[str]:
    """Real article texts of the fixtures: the seeds, the plain texts and the wire feed."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "texts").iterdir())]
    lines = (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    return texts + [json.loads(line).get("text") or json.loads(line)["html"] for line in lines]


def test_text_forms_from_tables_equal_the_regex_forms_on_real_text() -> None:
    from provenance.citations import textforms as T

    tabled = 0
    for text in fixture_texts() + ODD_TEXTS:
        norm = T.normalise_name(text)
        low = T.lower_same_length(norm)
        forms = T.text_forms(text)
        assert forms[:3] == (norm, low, T.word_starts(low)), text[:60]
        tabled += T._tabled_forms(text) is not None
    assert tabled >= len(fixture_texts())  # the real texts take the tables


def test_text_forms_are_reused_for_the_same_text_only() -> None:
    from provenance.citations.textforms import text_forms

    text = fixture_texts()[0]
    assert text_forms(text) is text_forms(text)
    other = text.replace("Nordkorea", "Südkorea")
    assert text_forms(other).norm == other.replace("\n", " ")


def test_by_name_answers_again_from_its_memo(registry: Registry) -> None:
    first = registry.by_name("Reuters", language="de")
    assert first is not None and first.id == "reuters"
    assert registry.by_name("Reuters", language="de") is first
    assert registry.by_name("no such outlet") is None
    assert registry.by_name("no such outlet") is None
