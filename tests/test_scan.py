"""The scan end to end: every format into the store, idempotent re-scans, versions, interruption."""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from provenance import ScanConfig, Store, config, lineage, scan
from provenance import analyse as analyse_module
from provenance.cli import app
from provenance.errors import InputError
from provenance.outputs.terminal import scan_summary_json

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
    assert [r.status for r in store.runs()] == ["completed", "completed"]
    assert {a.language for a in store.articles()} == {"de"}


def test_rescan_reads_files_again_when_the_skip_table_is_gone(seeds_dir, tmp_path, scan_into):
    db_path = tmp_path / "p.db"
    with Store(db_path) as store:
        scan_into(store, seeds_dir)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM input_file")
    with Store(db_path) as store:
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
    old, new = sorted(store.articles(current_only=False), key=lambda a: a.is_current)
    assert new.previous_id == old.id and new.is_current and not old.is_current
    assert [a.id for a in store.articles()] == [new.id]


def test_jsonl_feed_metadata_and_publisher(store, tmp_path, scan_into):
    write_feed(tmp_path / "feed.jsonl", 3)
    scan_into(store, tmp_path)
    arts = store.articles()
    assert [a.external_id for a in arts] == ["a0", "a1", "a2"]
    assert {a.publisher_id for a in arts} == {"dpa"}
    assert {a.publisher_evidence for a in arts} == {"outlet-field"}
    assert arts[0].published == "2025-03-01"


def test_unknown_outlet_becomes_an_input_outlet(store, tmp_path, scan_into):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "x", "text": ARTICLE, "url":
                               "https://www.rheinblatt.example/politik/1"}) + "\n",
                    encoding="utf-8")
    scan_into(store, path)
    [art] = store.articles()
    assert art.publisher_id == "web:rheinblatt.example"
    outlet = {o.id: o for o in store.outlets()}["web:rheinblatt.example"]
    assert outlet.origin == "input" and outlet.domains == ("rheinblatt.example",)


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
    kinds = sorted((Path(e.path).name, e.kind) for e in result.errors)
    assert kinds == [("empty.txt", "empty"), ("feed.jsonl", "malformed"),
                     ("image.html", "binary"), ("nav.html", "no_text")]
    assert {e.run_id for e in result.errors} == {result.run_id}
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
    assert art.published == "2025-01-09T23:00:00Z" and art.published_source == "manifest"
    assert art.publisher_id == "yonhap" and art.publisher_evidence == "url"


def test_an_outlet_reusing_its_own_text_gets_the_same_outlet_verdict(store, tmp_path,
                                                                      scan_into):
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": "first", "text": ARTICLE, "published": "2025-03-01", "outlet": "dpa"},
            {"id": "update", "text": ARTICLE + " Neu: Japan berief den Sicherheitsrat ein.",
             "published": "2025-03-02", "outlet": "dpa"}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = scan_into(store, feed)
    assert result.counts["provenance"] == {"credited": 0, "uncredited": 0, "same_outlet": 1,
                                           "similar": 0, "problems": 0}
    [edge] = store.copy_edges()
    assert (edge.verdict, edge.verdict_reason) == ("same_outlet", "same outlet (dpa)")
    again = scan_into(store, feed)
    assert again.counts["provenance"] == {**result.counts["provenance"], "reused": True}


def test_pool_and_single_process_give_the_same_articles(tmp_path):
    write_feed(tmp_path / "feed.jsonl", 40)
    results = []
    for n_workers in (1, 2):
        with Store(":memory:") as db:
            scan(ScanConfig(paths=[tmp_path], workers=n_workers), db)
            results.append([(a.id, a.publisher_id) for a in db.articles()])
    assert results[0] == results[1] and len(results[0]) == 40


def test_interrupted_scan_is_consistent_and_resumes(tmp_path, monkeypatch):
    feed = write_feed(tmp_path / "feed.jsonl", 30)
    (tmp_path / "z.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(config, "WRITE_BATCH", 4)
    monkeypatch.setattr(config, "POOL_CHUNKSIZE", 5)  # records analysed together, in this process
    real_extracted = analyse_module._extracted
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 11:
            raise KeyboardInterrupt
        return real_extracted(*args, **kwargs)

    with Store(tmp_path / "p.db") as db:
        monkeypatch.setattr(analyse_module, "_extracted", flaky)
        with pytest.raises(KeyboardInterrupt):
            scan(ScanConfig(paths=[feed, tmp_path / "z.txt"], workers=1), db)
        assert db.runs()[-1].status == "interrupted"
        # every batch analysed before the interrupt is committed (two of five records)
        assert db.count("article") == 10
        assert db.count("input_file") == 0  # the feed was not finished
        monkeypatch.setattr(analyse_module, "_extracted", real_extracted)
        result = scan(ScanConfig(paths=[feed, tmp_path / "z.txt"], workers=1), db)
        assert result.counts["new"] == 21 and result.counts["unchanged"] == 10
        assert db.count("article") == 31
        assert len({a.source_key for a in db.articles(current_only=False)}) == 31


def test_a_failed_resolution_fails_its_run_only_and_the_next_scan_resolves(
        tmp_path, monkeypatch, runner):
    db_path = tmp_path / "p.db"
    first, second = write_feed(tmp_path / "a.jsonl", 3), write_feed(tmp_path / "b.jsonl", 3, "b")

    def scan_cli(*paths: Path):
        return runner.invoke(app, ["scan", *map(str, paths), "--db", str(db_path), "--quiet",
                                   "--workers", "1"])

    assert scan_cli(first).exit_code == 0
    with Store(db_path, create=False) as db:
        resolved = db.original_sources()
    assert resolved

    def overflow(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(lineage, "Resolution", overflow)
    failed = scan_cli(first, second)
    assert failed.exit_code == 1
    assert failed.stderr.splitlines() == [failed.stderr.strip()]  # one line, no traceback
    assert failed.stderr.startswith("Error: provenance resolution failed (RecursionError: "
                                    "maximum recursion depth exceeded). The articles and "
                                    "copies read are saved")
    with Store(db_path, create=False) as db:
        run = db.runs()[-1]
        assert run.status == "failed" and run.counts["error"] in failed.stderr
        assert run.counts["new"] == 3 and db.count("article") == 6
        assert db.original_sources() == resolved  # the previous resolution is kept

    monkeypatch.undo()
    again = scan_cli(first, second)
    assert again.exit_code == 0, again.output
    with Store(db_path, create=False) as db:
        assert [r.status for r in db.runs()] == ["completed", "failed", "completed"]
        last = db.runs()[-1].counts
        assert last["unchanged"] == 6 and "reused" not in last["provenance"]
        assert "error" not in last
        ids = {a.id for a in db.articles()}
        assert {o.article_id for o in db.original_sources()} == ids


def test_a_failed_resolution_is_in_the_json_summary(store, tmp_path, monkeypatch):
    feed = write_feed(tmp_path / "a.jsonl", 2)
    monkeypatch.setattr(lineage, "Resolution", mock.Mock(side_effect=MemoryError()))
    result = scan(ScanConfig(paths=[feed], workers=1), store)
    assert (result.status, result.counts["read"]) == ("failed", 2)
    assert result.error.startswith("provenance resolution failed (MemoryError). ")
    summary = json.loads(scan_summary_json(result, "p.db"))
    assert (summary["status"], summary["error"]) == ("failed", result.error)


# The child of the SIGINT test: the real command line, with the analysis of the record after
# the first committed batch held until the signal comes (records are analysed in batches of
# `config.POOL_CHUNKSIZE`, which divides `config.WRITE_BATCH`). It tells the parent, through
# the pipe whose descriptor it is given, how many articles were committed when it stopped.
GATED_SCAN = """
import os, runpy, signal, sys
from provenance import analyse, config

ready, real, calls = int(sys.argv[1]), analyse._extracted, [0]

def gated(*args, **kwargs):
    calls[0] += 1
    if calls[0] == config.WRITE_BATCH + 1:
        os.write(ready, f"{config.WRITE_BATCH}\\n".encode())
        os.close(ready)
        signal.pause()  # SIGINT raises KeyboardInterrupt here
    return real(*args, **kwargs)

analyse._extracted = gated
sys.argv = ["provenance", *sys.argv[2:]]
runpy.run_module("provenance", run_name="__main__")
"""


def test_sigint_to_a_real_scan_leaves_a_database_that_resumes(tmp_path):
    n = 3 * config.WRITE_BATCH
    feed = write_feed(tmp_path / "big.jsonl", n)
    db_path = tmp_path / "p.db"
    args = ["scan", str(feed), "--db", str(db_path), "--quiet", "--workers", "1"]
    read_end, write_end = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", GATED_SCAN, str(write_end), *args],
                             pass_fds=(write_end,), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    os.close(write_end)
    try:
        readable, _, _ = select.select([read_end], [], [], 120)
        message = os.read(read_end, 64) if readable else b""
    finally:
        os.close(read_end)
    assert message, "the scan never reached its first committed batch"
    committed = int(message)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 130 and b"resume" in stderr, stderr.decode()
    with Store(db_path, create=False) as db:
        assert [r.status for r in db.runs()] == ["interrupted"]
        assert db.count("article") == committed and db.count("input_file") == 0
    subprocess.run([sys.executable, "-m", "provenance", *args], check=True, capture_output=True)
    with Store(db_path, create=False) as db:
        assert db.count("article") == n
        last = db.runs()[-1]
        assert last.status == "completed"
        assert (last.counts["new"], last.counts["unchanged"]) == (n - committed, committed)
