"""`provenance check`: drafts built from the fixtures against the scanned fixture archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance import config
from provenance.check import check, read_draft
from provenance.citations import Registry
from provenance.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEED = {json.loads(line)["id"]: json.loads(line)
        for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines()}
WIRE = FEED["dpa-20251028-nordkorea-drohnen"]["text"]
BRIDGE = FEED["rheinblatt-20251112-tumen-bruecke"]["text"]

# A reprint without the dateline, with a few words changed and a new headline.
REPRINT = "Kim will Drohnen in Serie\n\n" + (
    WIRE.replace("Seoul (dpa) - ", "").replace("am Dienstag", "an diesem Dienstag")
    .replace("Tausende Soldaten", "mehrere tausend Soldaten"))
CREDITED = REPRINT + "\n\nMit Material von dpa"
OWN = (
    "Die Grenzregion zwischen Russland und Nordkorea bekommt eine neue Verkehrsader, und in "
    "Wladiwostok rechnen Spediteure bereits mit ersten Aufträgen. Ein Logistikunternehmer aus "
    "Primorje erzählte unserer Zeitung am Telefon, er habe schon zwei Lastwagen für die Route "
    "reserviert, wisse aber noch nicht, welche Papiere an der Grenze verlangt würden. Die "
    "Zollbehörden beider Länder haben bislang keine Regeln veröffentlicht. Auch die Frage, ob "
    "Privatreisende die Brücke nutzen dürfen, ist offen; ein Sprecher der Gebietsverwaltung "
    "verwies auf eine Verordnung, die im Frühjahr erscheinen soll. Fachleute einer Hamburger "
    "Reederei halten den Seeweg über Wladiwostok für die meisten Güter weiterhin für billiger.")
paragraphs = BRIDGE.split("\n\n")
TWO_PARAGRAPHS = "\n\n".join([OWN, paragraphs[1], paragraphs[2],
                              "Wie es mit der Verbindung weitergeht, bleibt abzuwarten."])


# A light revision by hand: words changed in every paragraph, sentences merged and split.
REVISED = "Kim setzt auf Kamikaze-Drohnen\n\n" + (
    WIRE.replace("Seoul (dpa) - ", "")
    .replace("Machthaber Kim Jong Un hat", "Staatschef Kim Jong Un hat")
    .replace("die rasche Serienproduktion", "die schnelle Massenfertigung")
    .replace("in großer Zahl an die Truppe gehen", "in hoher Stückzahl an das Militär gehen")
    .replace("am Dienstag. Wo sich", "am Dienstag, wo sich")
    .replace("teilte KCNA nicht mit", "verriet die Agentur nicht")
    .replace("mit dreieckigen Tragflächen", "mit dreieckigen Flügeln")
    .replace("sehen darin eine", "erkennen darin eine")
    .replace("im vergangenen Jahr erstmals", "voriges Jahr erstmals")
    .replace("Der südkoreanischen Nachrichtenagentur Yonhap zufolge deutet",
             "Laut Yonhap deutet")
    .replace("Tausende Soldaten", "mehrere tausend Soldaten")
    .replace("eine zentrale Rolle in den Kämpfen spielen", "in den Gefechten entscheidend sind")
    .replace("werde zunehmend von", "werde immer stärker von")
    .replace("Er rief die Arbeiter", "Außerdem rief er die Beschäftigten")
    .replace("deutlich auszubauen", "kräftig zu erhöhen")
    .replace("beobachte die Entwicklung genau und", "verfolge die Entwicklung aufmerksam. Man")
    .replace("stelle eine wachsende Bedrohung", "sei eine zunehmende Gefahr")
    .replace(" dar.", ".")
    .replace("erheblich ausgeweitet", "stark vertieft"))


@pytest.fixture(scope="module")
def registry():
    return Registry.load(extra=[FIXTURES / "outlets.json"])


def run_check(store, registry, tmp_path, text, name="draft.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check(store, read_draft(str(path)), registry)


def test_near_verbatim_reprint_is_unoriginal_and_uncredited(fixture_store, fixture_ids,
                                                            registry, tmp_path):
    result = run_check(fixture_store, registry, tmp_path, REPRINT)
    assert result.originality < 0.1
    assert result.matches[0].article["id"] == fixture_ids["dpa-20251028-nordkorea-drohnen"]
    assert not result.matches[0].credited
    assert "dpa" in {u["id"] for u in result.uncredited}
    assert result.verdict.startswith("originality") and "UNCREDITED" in result.verdict


def test_a_light_revision_is_found_as_revised_reuse(fixture_store, fixture_ids, registry,
                                                   tmp_path):
    result = run_check(fixture_store, registry, tmp_path, REVISED)
    top = result.matches[0]
    assert top.article["id"] == fixture_ids["dpa-20251028-nordkorea-drohnen"]
    assert top.revised and any(p["revised"] and p["similarity"] < 1 for p in top.passages)
    assert result.originality < 0.2 and not top.credited


def test_the_same_reprint_with_a_credit_line_is_credited(fixture_store, registry, tmp_path):
    result = run_check(fixture_store, registry, tmp_path, CREDITED)
    assert result.originality < 0.1
    assert result.matches[0].credited and result.uncredited == []
    assert "dpa" in {c["id"] for c in result.cited_outlets}


def test_a_draft_of_the_same_outlet_reuses_its_own_text(fixture_store, fixture_ids, registry,
                                                         tmp_path):
    draft = json.dumps({"id": "draft", "outlet": "dpa", "text": REPRINT}) + "\n"
    result = run_check(fixture_store, registry, tmp_path, draft, name="draft.jsonl")
    top = result.matches[0]
    assert top.article["id"] == fixture_ids["dpa-20251028-nordkorea-drohnen"]
    assert (top.verdict, top.credited) == ("same_outlet", False)
    assert top.credit == "same outlet (Deutsche Presse-Agentur)"  # the name, not the id
    assert top.article["id"] not in {u["via_article"] for u in result.uncredited}
    data = result.as_dict()["matches"]
    assert data[0]["verdict"] == "same_outlet" and data[0]["credited"] is False
    # the reprints of the dpa text by other outlets are dpa's own text too
    assert {m["verdict"] for m in data} == {"same_outlet"} and not result.uncredited


def test_two_reused_paragraphs_give_the_unshared_share(fixture_store, fixture_ids, registry,
                                                       tmp_path):
    result = run_check(fixture_store, registry, tmp_path, TWO_PARAGRAPHS)
    words = lambda t: len(t.split())  # noqa: E731
    shared = (words(paragraphs[1]) + words(paragraphs[2])) / words(TWO_PARAGRAPHS)
    assert abs(result.originality - (1 - shared)) < 0.08
    top = result.matches[0]
    assert top.article["id"] == fixture_ids["rheinblatt-20251112-tumen-bruecke"]
    assert top.kind == "partial" and len(top.passages) >= 1
    shown = " ".join(p["draft_text"] for p in top.passages)
    assert paragraphs[1][:60] in shown and paragraphs[2][-60:-1] in shown
    for p in top.passages:
        assert TWO_PARAGRAPHS[p["draft_start"]:p["draft_end"]] == p["draft_text"]
    assert "rheinblatt" in {u["id"] for u in result.uncredited}


def test_original_text_on_the_same_event_is_original(fixture_store, registry, tmp_path):
    result = run_check(fixture_store, registry, tmp_path, OWN)
    assert result.originality > 0.9 and result.matches == []
    assert result.verdict.startswith("original")


def test_shared_quotes_do_not_lower_the_score(fixture_store, registry, tmp_path):
    quote = ("„Die Drohnen müssen so schnell wie möglich in großer Zahl an die Truppe gehen, "
             "denn der moderne Krieg wird zunehmend von unbemannten Systemen entschieden und "
             "die Streitkräfte müssen ihre gesamte Kampfweise darauf ausrichten“, sagte Kim.")
    source = REPRINT.replace(REPRINT.split("\n\n")[2], quote)
    from provenance import ScanConfig, Store, scan

    feed = tmp_path / "q.jsonl"
    feed.write_text(json.dumps({"id": "quote-source", "text": source, "outlet": "dpa",
                                "published": "2025-01-01"}) + "\n", encoding="utf-8")
    with Store(tmp_path / "q.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        result = run_check(db, registry, tmp_path, OWN + "\n\n" + quote)
    assert result.shared_quotes and result.matches == []
    assert result.originality > 0.95


def test_check_cli_json_fail_under_and_no_writes(runner, fixture_db, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(REPRINT, encoding="utf-8")
    before = fixture_db.stat().st_mtime_ns, fixture_db.stat().st_size
    result = runner.invoke(app, ["check", str(draft), "--db", str(fixture_db), "--format",
                                 "json", "--outlets", str(FIXTURES / "outlets.json")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["originality"] < 0.1 and data["matches"][0]["passages"]
    assert {"draft_start", "draft_end", "source_start", "source_end"} <= set(
        data["matches"][0]["passages"][0])
    failing = runner.invoke(app, ["check", str(draft), "--db", str(fixture_db),
                                  "--fail-under", "0.5"])
    assert failing.exit_code == 3 and "below --fail-under" in failing.stderr
    assert "UNCREDITED" in failing.stdout
    assert (fixture_db.stat().st_mtime_ns, fixture_db.stat().st_size) == before


def test_check_reads_stdin_and_writes_html(runner, fixture_db, tmp_path):
    out = tmp_path / "check.html"
    result = runner.invoke(app, ["check", "-", "--db", str(fixture_db), "--format", "html",
                                 "-o", str(out)], input=TWO_PARAGRAPHS)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<table>" in page and "Originality check" in page


def test_check_add_puts_the_draft_in_the_archive(runner, seeds_dir, tmp_path):
    db = tmp_path / "p.db"
    runner.invoke(app, ["scan", str(seeds_dir), "--db", str(db), "--quiet"])
    draft = tmp_path / "draft.txt"
    draft.write_text(OWN, encoding="utf-8")
    result = runner.invoke(app, ["check", str(draft), "--db", str(db), "--add"])
    assert result.exit_code == 0, result.output
    from provenance import Store

    with Store(db, create=False) as store:
        assert store.count("articles") == 6


def test_check_of_a_missing_file_says_what_to_do(runner, fixture_db, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.txt"), "--db", str(fixture_db)])
    assert result.exit_code == 1 and "does not exist" in result.stderr


# Our own retelling of the wire story: the facts in new German sentences, no copied run.
RETOLD = (
    "Nordkorea will seine Armee rasch mit Angriffsdrohnen ausstatten. Kim Jong Un besuchte "
    "laut KCNA einen Rüstungsbetrieb und verlangte dort eine Serienproduktion. Auf Bildern "
    "der Staatsmedien steht Kim neben Flugkörpern mit dreieckigen Flügeln; in Seoul hält man "
    "sie für weiterentwickelte Kamikaze-Drohnen. Yonhap vermutet, dass Pjöngjang aus dem "
    "Krieg Russlands gegen die Ukraine lernt, denn nordkoreanische Soldaten waren in der "
    "Region Kursk, wo Drohnen den Ausschlag geben. Der Generalstab in Seoul wertet die Bilder "
    "gemeinsam mit den USA aus. Seit dem Partnerschaftsvertrag vom Juni 2024 arbeiten Moskau "
    "und Pjöngjang bei Waffen eng zusammen, obwohl die Vereinten Nationen Nordkorea den "
    "Waffenhandel verbieten.")


def test_a_retelling_is_a_retold_match_that_lowers_originality(fixture_store, fixture_ids,
                                                                registry, tmp_path):
    result = run_check(fixture_store, registry, tmp_path, RETOLD)
    top = result.matches[0]
    assert top.article["id"] == fixture_ids["dpa-20251028-nordkorea-drohnen"]
    assert top.kind == "retold" and top.passages == [] and not top.credited
    assert top.retold >= config.RETOLD_MIN_SCORE
    assert result.originality == pytest.approx(1.0 - top.retold)
    assert result.as_dict()["matches"][0]["retold"] == round(top.retold, 4)
    assert "retells" in result.verdict
    credited = run_check(fixture_store, registry, tmp_path, RETOLD + "\n\nMit Material von dpa")
    assert credited.matches[0].kind == "retold" and credited.matches[0].credited


def test_an_archive_without_content_keys_is_read_without_retold_matches(fixture_db, registry,
                                                                        tmp_path):
    import shutil
    import sqlite3

    from provenance import Store
    old = tmp_path / "old.db"
    shutil.copy(fixture_db, old)
    with sqlite3.connect(old) as conn:  # an archive scanned before content keys existed
        conn.execute("DELETE FROM lsh_key WHERE substr(key, 1, 1) = ?",
                     (bytes((config.CONTENT_PREFIX,)),))
    with Store(old, create=False) as store:
        assert run_check(store, registry, tmp_path, RETOLD).matches == []
        assert run_check(store, registry, tmp_path, REPRINT).matches[0].kind != "retold"


def test_candidates_read_from_stored_layouts_are_the_fingerprints_of_their_texts(fixture_store):
    import numpy as np

    from provenance.check_archive import read_archive
    from provenance.config import FingerprintParams
    from provenance.copies import fingerprint
    from provenance.copies.retold import content_words

    params = FingerprintParams()
    ids = [a.id for a in fixture_store.articles()]
    archive = read_archive(fixture_store, ids, set(), params)
    assert all(archive.sketches[a].layout for a in ids)  # the scan stored every layout
    for article_id in ids:
        text = archive.texts[article_id]
        stored, made = archive.fingerprint(article_id, params), fingerprint(text, params)
        for part in ("shingles", "shingle_seq", "token_starts", "token_ends", "quoted", "prose",
                     "signature"):
            assert np.array_equal(getattr(stored, part), getattr(made, part)), part
        assert stored.digest == made.digest
        assert np.array_equal(archive.content_words(article_id, params), content_words(text))


def test_retold_candidates_rank_as_a_loop_over_the_buckets_would(fixture_store):
    """The holders' bit masks summed by SQLite give the ranking of reading every bucket."""
    import sqlite3

    import numpy as np

    from provenance.check_archive import retold_candidates
    from provenance.copies.retold import content_words, possible_overlap, word_keys

    articles = fixture_store.current_articles()
    with sqlite3.connect(fixture_store.path) as conn:
        buckets: dict[bytes, list[str]] = {}
        for key, article_id in conn.execute("SELECT key, article_id FROM lsh_key ORDER BY 1, 2"):
            buckets.setdefault(key, []).append(article_id)
    for draft in (RETOLD, REVISED, TWO_PARAGRAPHS, OWN):
        words = content_words(draft, prose_only=False)
        keys = [k for k in word_keys(words) if k in buckets]
        read = sorted(sorted((k for k in keys if len(buckets[k]) <= config.RETOLD_MAX_BUCKET),
                             key=lambda k: (len(buckets[k]), k))[:config.RETOLD_QUERY_KEYS])
        weight: dict[str, float] = {}
        for key in read:
            idf = float(np.log(max(articles, len(buckets[key])) / len(buckets[key])))
            for article_id in buckets[key]:
                weight[article_id] = weight.get(article_id, 0.0) + idf
        ranked = sorted(weight, key=lambda a: (-weight[a], a))[:config.RETOLD_CANDIDATES]
        counts = {k: len(buckets[k]) for k in keys}
        masks = {a: sum(1 << i for i, k in enumerate(read) if a in buckets[k]) for a in ranked}
        expected = [a for a in ranked if possible_overlap(words, counts, read, masks[a])
                    >= config.RETOLD_MIN_SCORE * len(words)]
        assert retold_candidates(fixture_store, words, articles) == expected
    assert expected  # the last draft (OWN) shares rare words with the archive's bridge story


def test_an_archive_without_token_layouts_gives_the_same_result(fixture_db, fixture_store,
                                                               registry, tmp_path):
    import shutil
    import sqlite3

    from provenance import Store
    from provenance.check import to_json
    old = tmp_path / "old.db"
    shutil.copy(fixture_db, old)
    with sqlite3.connect(old) as conn:  # articles stored before layouts: fingerprinted again
        conn.execute("DELETE FROM token_layout")
    with Store(old, create=False) as store:
        for draft in (REPRINT, REVISED, TWO_PARAGRAPHS, RETOLD):
            assert to_json(run_check(store, registry, tmp_path, draft)) == to_json(
                run_check(fixture_store, registry, tmp_path, draft))
