"""`provenance check`: drafts built from the fixtures against the scanned fixture archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
    assert (top.verdict, top.credited, top.credit) == ("same_outlet", False, "same outlet (dpa)")
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
