"""Candidate pairs stay bounded per article, and the edges never depend on input order.

A bucket of more than `config.PAIR_BUCKET` articles pairs its members with its earliest
members only; when a bucket grows past that (or past `config.MAX_BUCKET`, or gets earlier
representatives) in a later scan, the articles it paired before are compared again, so that
scanning a syndication family in batches gives the edges of one scan of all of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance import ScanConfig, Store, config, scan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = (FIXTURES / "seeds" / "000_91de5c1d8bb5a62d.txt").read_text(encoding="utf-8")
OTHER = (FIXTURES / "seeds" / "001_9c298535ef3c6604.txt").read_text(encoding="utf-8")


def _family(size: int) -> list[dict]:
    """A wire story in `size` outlets, each copy with its own lede, dated hour by hour; every
    third outlet also carries a paragraph of another story (partial reuse)."""
    paragraph = OTHER.split("\n\n")[1] if "\n\n" in OTHER else OTHER[:600]
    return [{"id": f"copy-{i:02d}", "outlet": f"outlet-{i}.example",
             "published": f"2025-03-{1 + i // 24:02d}T{i % 24:02d}:00:00Z",
             "text": f"Stand {i}: aktualisierte Fassung Nummer {i}.\n\n{SEED}"
             + (f"\n\n{paragraph}" if i % 3 == 0 else "")} for i in range(size)]


def _edges(tmp_path: Path, batches: list[list[dict]], name: str) -> tuple[set, list[dict]]:
    """The copy edges (source, copy, kind by external id) after scanning the batches in turn,
    and each run's copy counts."""
    counts = []
    with Store(tmp_path / f"{name}.db") as db:
        for n, batch in enumerate(batches):
            feed = tmp_path / f"{name}-{n}.jsonl"
            feed.write_text("".join(json.dumps(r) + "\n" for r in batch), encoding="utf-8")
            counts.append(scan(ScanConfig(paths=[feed], workers=1), db).counts["copies"])
        names = {a.id: a.external_id for a in db.articles()}
        edges = {(names[e.source_id], names[e.copy_id], e.kind) for e in db.copy_edges()}
    return edges, counts


def test_a_family_scanned_in_batches_has_the_edges_of_one_scan(tmp_path) -> None:
    family = _family(30)
    assert len(family) > config.PAIR_BUCKET
    whole, counts = _edges(tmp_path, [family], "whole")
    assert counts[0]["represented_buckets"] > 0  # the family is joined through representatives
    assert counts[0]["candidate_pairs"] < len(family) * (len(family) - 1) // 2
    # first a small family (all pairs), then earlier copies (the representatives change),
    # then the rest; and the reverse order
    first, earlier, rest = family[10:20], family[:10], family[20:]
    batched, counts = _edges(tmp_path, [first, earlier, rest], "batched")
    assert counts[1]["requeued_by_buckets"] > 0  # the grown bucket withdrew earlier pairs
    backwards, _ = _edges(tmp_path, [rest, first, earlier], "backwards")
    assert whole and batched == whole and backwards == whole


def test_a_bucket_grown_hot_withdraws_its_pairs(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(config, "MAX_BUCKET", 20)
    family = _family(26)
    whole, _ = _edges(tmp_path, [family], "whole")
    batched, counts = _edges(tmp_path, [family[:12], family[12:]], "batched")
    assert counts[0]["copy_edges"] > 0 and counts[1]["hot_keys"] > 0
    assert batched == whole


@pytest.mark.parametrize("cap", [16, 24])
def test_the_bucket_limits_are_recorded_with_the_run(tmp_path, monkeypatch, cap) -> None:
    monkeypatch.setattr(config, "PAIR_BUCKET", cap)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in _family(4)), encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        tunables = db.runs()[-1].parameters["tunables"]
    assert tunables["PAIR_BUCKET"] == cap
    assert tunables["MAX_BUCKET"] == config.MAX_BUCKET
    assert tunables["BUCKET_REPRESENTATIVES"] == config.BUCKET_REPRESENTATIVES


def test_the_tunables_of_the_side_config_modules_are_recorded_too(tmp_path, monkeypatch) -> None:
    """Thresholds that live in `config_copies` and `config_citations` (config.py has no room
    left) decide edges and citations too: a run records them with the others."""
    from provenance import config_citations, config_copies

    monkeypatch.setattr(config_copies, "TEMPLATE_OPEN_SHARE", 0.25)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in _family(3)), encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        tunables = db.runs()[-1].parameters["tunables"]
    assert tunables["TEMPLATE_OPEN_SHARE"] == 0.25
    assert tunables["PROSE_LIST_CAPITALS"] == config_copies.PROSE_LIST_CAPITALS
    assert tunables["NAME_MEMO"] == config_citations.NAME_MEMO
    assert tunables["PAIR_BUCKET"] == config.PAIR_BUCKET
