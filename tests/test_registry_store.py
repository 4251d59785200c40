"""The registry a database was built with is kept in it: outlets given once with --outlets are
used by every later scan, check and listing of that database without being given again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.cli import app
from provenance.scan.registry import registry_of
from provenance.store import Store

# A fictional outlet and a short article of ours that it published.
OUTLET = {"id": "talheimer_bote", "name": "Talheimer Bote", "kind": "newspaper",
          "country": "DE", "languages": ["de"], "domains": ["talheimer-bote.example"],
          "aliases": ["Talheimer Bote", "Talheimer Boten"]}
SOURCE = ("Die Gemeinde Talheim baut im kommenden Frühjahr eine neue Brücke über den Mühlbach. "
          "Der Gemeinderat hat dem Vorhaben am Dienstagabend einstimmig zugestimmt, wie der "
          "Bürgermeister nach der Sitzung mitteilte. Die alte Holzbrücke war im Sommer wegen "
          "morscher Balken gesperrt worden, seitdem müssen Radfahrer einen Umweg von drei "
          "Kilometern über die Landstraße nehmen. Die Kosten schätzt die Verwaltung auf rund "
          "480.000 Euro, das Land übernimmt davon etwa die Hälfte. Die Bauarbeiten sollen im "
          "März beginnen und bis zu den Sommerferien abgeschlossen sein.")
DRAFT = "Wie der Talheimer Bote berichtet:\n\n" + SOURCE


def write_registry(path: Path, outlets: list[dict], version: str = "2026.12.1") -> Path:
    """A registry file at `path`."""
    path.write_text(json.dumps({"version": version, "outlets": outlets}), encoding="utf-8")
    return path


@pytest.fixture
def scanned(runner, tmp_path: Path) -> tuple[Path, Path]:
    """A database scanned once with --outlets, and the registry file it was given."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "bruecke", "text": SOURCE,
                                "url": "https://www.talheimer-bote.example/bruecke",
                                "published": "2026-11-03"}) + "\n", encoding="utf-8")
    extra = write_registry(tmp_path / "mine.json", [OUTLET])
    db = tmp_path / "p.db"
    result = runner.invoke(app, ["scan", str(feed), "--db", str(db), "--outlets", str(extra),
                                 "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db, extra


def check_json(runner, db: Path, draft: Path, *extra: str) -> dict:
    """`provenance check --format json` on `draft`."""
    result = runner.invoke(app, ["check", str(draft), "--db", str(db), "--format", "json",
                                 *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_check_without_outlets_credits_an_outlet_given_to_an_earlier_scan(
        runner, scanned, tmp_path: Path) -> None:
    db, _ = scanned
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    data = check_json(runner, db, draft)
    match = data["matches"][0]
    assert match["article"]["publisher_id"] == "talheimer_bote"
    assert match["credited"] is True
    assert {"id": "talheimer_bote", "name": "Talheimer Bote"} in data["cited_outlets"]


def test_a_database_without_the_file_does_not_know_the_outlet(runner, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "bruecke", "text": SOURCE,
                                "url": "https://www.talheimer-bote.example/bruecke"}) + "\n",
                    encoding="utf-8")
    db = tmp_path / "bare.db"
    assert runner.invoke(app, ["scan", str(feed), "--db", str(db), "--quiet"]).exit_code == 0
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    data = check_json(runner, db, draft)
    assert data["matches"][0]["credited"] is False
    assert "talheimer_bote" not in [o["id"] for o in data["cited_outlets"]]


def test_later_scans_and_listings_keep_the_stored_registry(runner, scanned,
                                                           tmp_path: Path) -> None:
    db, extra = scanned
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "notiz", "text": "Laut Talheimer Boten ist die "
                                "Brücke gesperrt. Mehr dazu morgen."}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(more), "--db", str(db), "--quiet",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    with Store(db, create=False) as store:
        runs = store.runs()
        assert runs[0].registry_version == runs[1].registry_version
        assert "+" in runs[1].registry_version
        assert [name for name, _ in store.registry_files()] == [str(extra.resolve())]
    cited = runner.invoke(app, ["citations", "notiz", "--db", str(db), "--json"])
    assert "talheimer_bote" in cited.stdout
    listed = runner.invoke(app, ["outlets", "--db", str(db), "--search", "talheim", "--json"])
    assert [o["id"] for o in json.loads(listed.stdout)] == ["talheimer_bote"]
    plain = runner.invoke(app, ["outlets", "--search", "talheim", "--json"])
    assert json.loads(plain.stdout) == []


def test_a_changed_file_replaces_its_stored_copy(runner, scanned) -> None:
    db, extra = scanned
    write_registry(extra, [{**OUTLET, "country": "AT"}], version="2026.12.2")
    with Store(db) as store:
        assert registry_of(store, [extra]).get("talheimer_bote").country == "AT"
        store.save_registry_files((f.name, f.text) for f in registry_of(
            store, [extra]).extra_files)
        assert len(store.registry_files()) == 1
        assert registry_of(store).get("talheimer_bote").country == "AT"
        # the same text again is kept once
        assert store.save_registry_files(store.registry_files()) == 0


def test_outlets_json_exports_acronyms_among_the_names(runner) -> None:
    listed = runner.invoke(app, ["outlets", "--search", "Press Trust of India", "--json"])
    pti = next(o for o in json.loads(listed.stdout) if o["id"] == "pti")
    assert "PTI" in pti["names"] and "PTI" in pti["acronyms"]


def test_stored_outlets_keep_acronyms_among_their_aliases_for_the_graph(scanned) -> None:
    db, _ = scanned
    with Store(db, create=False) as store:
        outlets = {o.id: o for o in store.outlets()}
    assert "PTI" in outlets["pti"].aliases and "UPI" in outlets["upi"].aliases
    assert "Press Trust of India" in outlets["pti"].aliases
