"""Rescans: an unchanged archive is skipped, a touched one is hashed (not analysed again), and
bytes a later scan replaced are read again when they come back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from provenance import ScanConfig, Store, scan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEED = FIXTURES / "feeds" / "wire.jsonl"


def _scan(db, *paths):
    with Store(db) as store:
        return scan(ScanConfig(paths=list(paths), workers=1), store)


def _current_texts(db) -> dict[str, str]:
    with Store(db, create=False) as store:
        return {a.external_id: store.article(a.id).text for a in store.articles()}


def test_a_touched_archive_is_hashed_and_nothing_is_analysed_again(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES / "seeds", archive)
    shutil.copy(FEED, archive / "wire.jsonl")
    db = tmp_path / "p.db"
    first = _scan(db, archive)
    assert first.counts["read"] > 5
    for path in archive.iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    touched = _scan(db, archive)
    assert touched.counts["read"] == 0 and touched.counts["new"] == 0
    assert touched.counts["unchanged"] == first.counts["read"]
    assert touched.counts["timings"]["extract"] == 0.0
    with Store(db, create=False) as store:  # the new state is remembered: no hashing next time
        assert store.count("input_file") == 3 * sum(1 for _ in archive.iterdir())
    again = _scan(db, archive)
    assert again.counts["read"] == 0 and again.counts["unchanged"] == first.counts["read"]


def test_bytes_replaced_by_a_later_scan_are_read_again_when_they_come_back(tmp_path):
    feed = tmp_path / "feed.jsonl"
    original = FEED.read_text(encoding="utf-8")
    first_line = original.splitlines()[0]
    edited = original.replace(first_line, first_line.replace('"text": "', '"text": "Neu. ', 1), 1)
    assert edited != original
    db = tmp_path / "p.db"
    feed.write_text(original, encoding="utf-8")
    _scan(db, feed)
    before = _current_texts(db)
    feed.write_text(edited, encoding="utf-8")
    assert _scan(db, feed).counts["updated"] == 1
    assert _current_texts(db) != before
    feed.write_text(original, encoding="utf-8")  # restored: same bytes as the first scan read
    os.utime(feed, ns=(feed.stat().st_atime_ns, feed.stat().st_mtime_ns + 10**9))
    restored = _scan(db, feed)  # read again, not skipped as content the archive once held
    assert restored.counts["read"] == len(original.splitlines())
    assert restored.counts["resumed"] == 0
    assert restored.counts["updated"] == 1  # the earlier version is current again
    assert _current_texts(db) == before
    with Store(db, create=False) as store:
        assert store.count("article") == len(original.splitlines()) + 1  # no third version
        assert not store.pending_matches()  # the version restored was compared again
