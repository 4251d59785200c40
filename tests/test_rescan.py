"""Rescans: an unchanged archive is skipped, a touched one is hashed (not analysed again), and
bytes a later scan replaced are read again when they come back."""

from __future__ import annotations

import gzip
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


def test_a_new_file_is_hashed_as_it_is_read_with_the_key_hashing_apart_gives(tmp_path):
    from provenance.inputs import Digest, content_key, discover, read
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES / "seeds", archive)
    shutil.copy(FEED, archive / "wire.jsonl")
    with gzip.open(archive / "wire.jsonl.gz", "wb") as fh:  # a gzipped feed and page too
        fh.write(FEED.read_bytes().replace(b'"id": "', b'"id": "gz-'))
    page = sorted((FIXTURES / "html").glob("*.html"))[0]
    shutil.copy(page, archive / "page.html")
    with gzip.open(archive / "page.html.gz", "wb") as fh:
        fh.write(page.read_bytes())
    files = list(discover([archive]))
    assert {f.format for f in files} >= {"jsonl", "html", "text"}
    for file in files:
        digest = Digest()
        records = list(read(file, digest=digest))
        assert records and digest.complete, file.path
        entry = {"outlet": "x"} if file.format == "text" else None
        assert digest.key(file, entry) == content_key(file, entry), file.path


def test_a_first_scan_never_hashes_a_file_apart_and_its_keys_let_a_touch_be_skipped(
        tmp_path, monkeypatch):
    import importlib
    scan_module = importlib.import_module("provenance.scan")
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES / "seeds", archive)
    shutil.copy(FEED, archive / "wire.jsonl")

    def hashed_apart(*args):
        raise AssertionError("a new file was hashed before it was read")

    with monkeypatch.context() as patched:
        patched.setattr(scan_module, "content_key", hashed_apart)
        first = _scan(tmp_path / "p.db", archive)
    assert first.counts["read"] > 5
    for path in archive.iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    touched = _scan(tmp_path / "p.db", archive)
    assert touched.counts["read"] == 0 and touched.counts["unchanged"] == first.counts["read"]
