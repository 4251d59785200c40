"""The scan end to end: every format into the store, idempotent re-scans, versions, interruption."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provenance import ScanConfig, Store, config, scan
from provenance.errors import InputError
from provenance.scan import pipeline

ARTICLE = (
    "Seoul (dpa) - Nordkorea hat nach Angaben der südkoreanischen Nachrichtenagentur Yonhap "
    "erneut eine ballistische Rakete abgefeuert. Laut KCNA handelte es sich um einen Test. "
    "Die Regierung in Seoul verurteilte den Start als Provokation und kündigte Gespräche mit "
    "Washington und Tokio an."
)


def write_feed(path: Path, n: int, prefix: str = "a") -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"{prefix}{i}", "text": f"Meldung {i}. {ARTICLE}",
                                 "published": f"2025-03-{1 + i % 28:02d}",
                                 "outlet": "dpa", "language": "de"}) + "\n")
    return path


def test_scanning_the_seeds_twice_leaves_five_articles(store, seeds_dir, scan_into):
    first = scan_into(store, seeds_dir)
    second = scan_into(store, seeds_dir)
    assert (first.counts["new"], first.counts["read"]) == (5, 5)
    assert second.counts["new"] == 0 and second.counts["unchanged"] == 5
    assert store.count("article") == 5
    assert [r["status"] for r in store.runs()] == ["completed", "completed"]
    assert {a["language"] for a in store.articles()} == {"de"}


def test_rescan_reads_files_again_when_the_skip_table_is_gone(store, seeds_dir, scan_into):
    scan_into(store, seeds_dir)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM input_file")
    again = scan_into(store, seeds_dir)
    assert again.counts["read"] == 5 and again.counts["unchanged"] == 5
    assert store.count("article") == 5


def test_changed_file_becomes_a_new_version_linked_to_the_old(store, tmp_path, scan_into):
    path = tmp_path / "story.txt"
    path.write_text("Titel der Meldung\n\n" + ARTICLE, encoding="utf-8")
    scan_into(store, path)
    path.write_text("Titel der Meldung\n\n" + ARTICLE + " Neu: ein weiterer Satz.",
                    encoding="utf-8")
    result = scan_into(store, path)
    assert result.counts["updated"] == 1
    rows = store.query("SELECT id, previous_id, is_current FROM article ORDER BY is_current")
    old, new = rows
    assert new["previous_id"] == old["id"] and new["is_current"] and not old["is_current"]
    assert store.count("articles") == 1


def test_jsonl_feed_metadata_and_publisher(store, tmp_path, scan_into):
    write_feed(tmp_path / "feed.jsonl", 3)
    scan_into(store, tmp_path)
    arts = store.articles()
    assert [a["external_id"] for a in arts] == ["a0", "a1", "a2"]
    assert {a["publisher_id"] for a in arts} == {"dpa"}
    assert {a["publisher_evidence"] for a in arts} == {"outlet-field"}
    assert arts[0]["published"] == "2025-03-01"


def test_unknown_outlet_becomes_an_input_outlet(store, tmp_path, scan_into):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "x", "text": ARTICLE, "url":
                               "https://www.rheinblatt.example/politik/1"}) + "\n",
                    encoding="utf-8")
    scan_into(store, path)
    [art] = store.articles()
    assert art["publisher_id"] == "web:rheinblatt.example"
    outlet = {o["id"]: o for o in store.outlets()}["web:rheinblatt.example"]
    assert outlet["origin"] == "input" and outlet["domains"] == ["rheinblatt.example"]


def test_bad_inputs_are_recorded_and_the_scan_goes_on(store, tmp_path, scan_into):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "j", "text": ARTICLE}) + "\n{oops\n",
                                         encoding="utf-8")
    (tmp_path / "nav.html").write_text("<html><body><nav>Start</nav></body></html>",
                                       encoding="utf-8")
    result = scan_into(store, tmp_path)
    assert result.counts["read"] == 2 and result.counts["failed"] == 4
    kinds = sorted((Path(e["path"]).name, e["kind"]) for e in result.errors)
    assert kinds == [("empty.txt", "empty"), ("feed.jsonl", "malformed"),
                     ("image.html", "binary"), ("nav.html", "no_text")]
    assert store.count("input_errors") == 4
    assert not result.nothing_read


def test_nothing_readable_is_flagged(store, tmp_path, scan_into):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = scan_into(store, tmp_path)
    assert result.nothing_read and result.counts["failed"] == 1


def test_missing_path_raises_before_anything_is_written(store, tmp_path, scan_into):
    with pytest.raises(InputError):
        scan_into(store, tmp_path / "missing")
    assert store.count("run") == 0


def test_manifest_gives_plain_files_dates_and_outlets(store, seeds_dir, tmp_path, scan_into):
    manifest = tmp_path / "manifest.csv"
    seed = seeds_dir / "002_25141ca1b34c2621.txt"
    manifest.write_text(f"path,url,outlet,published\n{seed},https://www.yna.co.kr/x,,"
                        "2025-01-10T08:00:00+09:00\n", encoding="utf-8")
    scan_into(store, seed, manifest=manifest)
    [art] = store.articles()
    assert art["published"] == "2025-01-09T23:00:00Z" and art["published_source"] == "manifest"
    assert art["publisher_id"] == "yonhap" and art["publisher_evidence"] == "url"


def test_pool_and_single_process_give_the_same_articles(tmp_path):
    write_feed(tmp_path / "feed.jsonl", 40)
    results = []
    for workers in (1, 2):
        with Store(":memory:") as db:
            scan(ScanConfig(paths=[tmp_path], workers=workers), db)
            results.append([(a["id"], a["publisher_id"]) for a in db.articles()])
    assert results[0] == results[1] and len(results[0]) == 40


def test_interrupted_scan_is_consistent_and_resumes(tmp_path, monkeypatch):
    feed = write_feed(tmp_path / "feed.jsonl", 30)
    (tmp_path / "z.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(config, "WRITE_BATCH", 4)
    real_prepare = pipeline.prepare
    calls = {"n": 0}

    def flaky(record, entry, registry, params=None):
        calls["n"] += 1
        if calls["n"] == 11:
            raise KeyboardInterrupt
        return real_prepare(record, entry, registry, params)

    db_path = tmp_path / "p.db"
    with Store(db_path) as db:
        monkeypatch.setattr(pipeline, "prepare", flaky)
        with pytest.raises(KeyboardInterrupt):
            scan(ScanConfig(paths=[feed, tmp_path / "z.txt"], workers=1), db)
        assert db.runs()[-1]["status"] == "interrupted"
        saved = db.count("article")
        assert saved == 10  # everything prepared before the interrupt is committed
        assert db.count("input_file") == 0  # the feed was not finished
        monkeypatch.setattr(pipeline, "prepare", real_prepare)
        result = scan(ScanConfig(paths=[feed, tmp_path / "z.txt"], workers=1), db)
        assert result.counts["new"] == 21 and result.counts["unchanged"] == 10
        assert db.count("article") == 31
        assert db.query("SELECT count(DISTINCT source_key) AS n FROM article")[0]["n"] == 31


def test_sigint_to_a_real_scan_leaves_a_database_that_resumes(tmp_path):
    feed = write_feed(tmp_path / "big.jsonl", 6000)
    db_path = tmp_path / "p.db"
    cmd = [sys.executable, "-m", "provenance", "scan", str(feed), "--db", str(db_path),
           "--quiet", "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db_path.exists():
            try:
                with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
                    if conn.execute("SELECT count(*) FROM article").fetchone()[0] > 0:
                        break
            except sqlite3.OperationalError:
                pass  # the scan is still creating its tables
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    with Store(db_path) as db:
        partial = db.count("article")
        status = db.runs()[0]["status"]
    if status == "interrupted":
        assert proc.returncode == 130 and b"resume" in stderr
        assert 0 < partial < 6000
    subprocess.run(cmd, check=True, capture_output=True)
    with Store(db_path) as db:
        assert db.count("article") == 6000
        assert db.runs()[-1]["status"] == "completed"
