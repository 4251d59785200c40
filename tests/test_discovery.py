"""Outlet discovery: cited outlets the registry lacks, from their descriptor, stored and shown.

Every sentence here is written for these tests.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from provenance.analyse import analyse
from provenance.citations import Registry, extract_citations
from provenance.citations.discovery import (
    discovered_id,
    discovered_outlets,
    find_discovered,
    is_discovered,
)
from provenance.cli import app
from provenance.config import FingerprintParams
from provenance.inputs import RawRecord
from provenance.records import COUNTING_KINDS


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def _cited(text: str, language: str, registry: Registry) -> dict[str, str]:
    """outlet id -> kind of every counting citation of `text`."""
    return {c.outlet_id: c.kind for c in extract_citations(text, language, registry)
            if c.outlet_id and c.kind in COUNTING_KINDS}


# (text, language, discovered name, kind, country) -- the outlet must be cited.
DISCOVERED = [
    ("The Brazilian newspaper O Diário de Vila Nova reported that the dam had cracked.", "en",
     "O Diário de Vila Nova", "newspaper", "BR"),
    ("Speaking to the Norwegian broadcaster Kanal Nord, the minister denied the claim.", "en",
     "Kanal Nord", "broadcaster", "NO"),
    ("According to the news site Harbour Ledger, the ferry was cancelled twice.", "en",
     "Harbour Ledger", "online", None),
    ("The Maseru Ledger Times reported that the bridge would reopen in May.", "en",
     "Maseru Ledger Times", "newspaper", None),
    ("Das Nachrichtenportal Talblick meldete am Abend einen Stromausfall.", "de",
     "Talblick", "online", None),
    ("Laut der schweizerischen Zeitung „Birkenthaler Bote“ ist die Brücke gesperrt.", "de",
     "Birkenthaler Bote", "newspaper", "CH"),
    ("Der Bürgermeister sagte gegenüber dem Hollerland-Anzeiger, die Straße bleibe offen.", "de",
     "Hollerland-Anzeiger", "newspaper", None),
    ("Wie der Fernsehsender Kanal Süd unter Berufung auf die Polizei berichtet, gab es Verletzte.",
     "de", "Kanal Süd", "broadcaster", None),
]


@pytest.mark.parametrize(("text", "language", "name", "kind", "country"), DISCOVERED,
                         ids=[c[2] for c in DISCOVERED])
def test_a_presented_outlet_is_discovered(registry, text, language, name, kind, country):
    citations = extract_citations(text, language, registry)
    (cited,) = [c for c in citations if c.outlet_id == discovered_id(name)]
    assert cited.source_name == name and cited.counts
    (outlet,) = discovered_outlets(citations)
    assert (outlet.id, outlet.name, outlet.kind, outlet.country, outlet.origin) == (
        discovered_id(name), name, kind, country, "discovered")


# Descriptor + name with no citation cue, or no name after the descriptor: nothing discovered.
NOT_CITED = [
    ("The Brazilian newspaper O Diário de Vila Nova was founded long ago.", "en"),
    ("She bought the newspaper on Monday and read it on the train.", "en"),
    ("The terror network Al Shabaab claimed the attack, police said.", "en"),
    ("Er las die Zeitung Montag früh in der Bahn.", "de"),
    ("Die Lokalzeitung hatte am Montag über den Unfall berichtet.", "de"),
    ("The Times Square crowd cheered, the mayor said.", "en"),
]


@pytest.mark.parametrize(("text", "language"), NOT_CITED, ids=[c[0][:30] for c in NOT_CITED])
def test_no_outlet_is_discovered_without_a_name_and_a_cue(registry, text, language):
    assert not [c for c in extract_citations(text, language, registry)
                if is_discovered(c.outlet_id)]


def test_a_known_outlet_is_never_discovered_again(registry):
    # SRF and t-online are registry outlets: the descriptor finds them, the registry names them
    text = "The Swiss broadcaster SRF reported that the pass was closed."
    assert _cited(text, "en", registry) == {"srf": "claim_attribution"}
    text = "Das Nachrichtenportal t-online berichtete zuerst über den Fall."
    assert _cited(text, "de", registry) == {"t_online": "claim_attribution"}


def test_an_inflected_known_name_is_the_registry_outlet(registry):
    text = "Die Kommission kam laut Süddeutscher Zeitung zu einem anderen Schluss."
    assert _cited(text, "de", registry) == {"sueddeutsche": "claim_attribution"}


def test_discovery_reads_the_name_and_the_country():
    (found,) = find_discovered("Nach Angaben des brasilianischen Senders TV Serra gab es Tote.")
    assert (found.name, found.outlet.kind, found.outlet.country) == ("TV Serra", "broadcaster",
                                                                      "BR")
    (found,) = find_discovered("the news site The Ridge Courier, which first reported it")
    assert found.name == "The Ridge Courier" and found.outlet.id == "discovered:ridge-courier"


def test_a_discovered_outlet_is_stored_and_shown_as_discovered(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({
        "id": "ferry-1", "url": "https://example.org/ferry",
        "text": "Ferry service halted\n\nThe Brazilian newspaper O Diário de Vila Nova reported "
                "that the ferry service between the two islands was halted after a storm. "
                "Repairs will take a week, the operator said."}) + "\n", encoding="utf-8")
    db = tmp_path / "p.db"
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(feed), "--db", str(db)]).exit_code == 0
    shown = runner.invoke(app, ["show", "ferry-1", "--db", str(db)],
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "O Diário de Vila Nova (discovered)" in shown.output
    out = tmp_path / "g.json"
    result = runner.invoke(app, ["graph", "--db", str(db), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    nodes = {n["id"]: n for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]}
    node = nodes["outlet:discovered:o-diario-de-vila-nova"]
    assert (node["origin"], node["kind"], node["country"]) == ("discovered", "newspaper", "BR")


def test_analyse_returns_the_discovered_outlets(registry):
    record = RawRecord(path="a.txt", resolved="/a.txt", record=None, format="text",
                       content_type="text", content="Flood\n\nThe Kenyan daily Lakeside Mirror "
                       "reported that the river rose by two metres overnight.", meta={})
    analysed = analyse(record, registry, FingerprintParams())
    assert [(o.id, o.kind, o.country) for o in analysed.discovered] == [
        ("discovered:lakeside-mirror", "newspaper", "KE")]


def test_a_publisher_outside_the_registry_naming_itself_is_no_citation(registry):
    text = "The mayor told the Maseru Ledger Times that the bridge would reopen."
    assert _cited(text, "en", registry) == {"discovered:maseru-ledger-times": "direct_quote"}
    own = extract_citations(text, "en", registry, publisher_names=("Maseru Ledger Times",))
    assert not [c for c in own if c.counts]
    own = extract_citations("Wie von ridgeview-news.de berichtet, brannte die Scheune.", "de",
                            registry, publisher_names=("ridgeview-news.de",))
    assert not [c for c in own if c.counts]


def test_a_common_word_outlet_in_a_byline_is_a_persons_name(registry):
    from provenance.records import Zone

    found = extract_citations("The harbour reopened.", "en", registry,
                              zones=[Zone("byline", "By Emma Barnett")])
    assert not [c for c in found if c.outlet_id == "emma"]


# ---- the one-pass word finder against the patterns it stands in for ----------------------------


def _texts() -> list[str]:
    """Real article texts of the fixtures and lines written for these tests."""
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    texts = [p.read_text(encoding="utf-8") for p in sorted((fixtures / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((fixtures / "texts").iterdir())]
    for line in (fixtures / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        texts.append(entry.get("text") or entry["html"])
    return texts + ["Die Nachrichtenagentur Yonhap, laut „Capital“, bei 'Kieler Nachrichten' und "
                    "der Lesotho Times, Allgemeinen Zeitung, des Weser-Boten; Boten, gegenüber "
                    "dabei Arbeit Zufolge Bei beim Gegenüber bildblog.de Tagesspiegel newspaper"]


def test_one_pass_word_starts_hold_every_match_of_the_patterns() -> None:
    from provenance.citations import discovery as D
    from provenance.citations.prefilter import matches_at

    for text in _texts():
        words = D._LITERALS.find(text)
        assert {m.start() for m in D._HEAD_KEY.finditer(text)} <= set(words["head"])
        assert [m.span() for m in D._heads(text, words["head"])] == [
            m.span() for m in D._HEAD.finditer(text)]
        assert [m.span() for m in matches_at(D._MEDIA_WORD_ANYWHERE, text, words["media"])] == [
            m.span() for m in D._MEDIA_WORD_ANYWHERE.finditer(text)]
        assert [m.span() for m in matches_at(D._CUE_THEN_TITLE, text, words["cue"])] == [
            m.span() for m in D._CUE_THEN_TITLE.finditer(text)]
    last = D._LITERALS.find(_texts()[-1])
    assert len(last["cue"]) >= 8 and len(last["media"]) >= 5


def test_alternation_literals_reads_plain_words_only() -> None:
    from provenance.citations.prefilter import alternation_literals

    assert alternation_literals("(?:Times|Boten?|Post)") == ["Times", "Bote", "Post"]
    with pytest.raises(ValueError):
        alternation_literals(r"news\s+site|paper")
