"""Searching for failures under faults: concurrent processes, read-only files, kills, limits.

Each test holds one row of the fault table in docs/faults.md. The subprocess tests run the real
command line on a feed built from the bundled fixtures (`test_scan_lock._long_feed`) and compare
what the database holds with what an undisturbed scan of the same input stores.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_scan_lock import FIXTURES, WAIT_SECONDS, _long_feed, _scan_process, _statuses

from provenance import ScanConfig, Store, scan
from provenance.cli import app

CREATORS = 4  # processes creating one new database at once
KILL_SEEDS = (3, 14, 15)  # random kill points of the kill -9 test (bounded: three runs)


def _open_store(path: str, go, results) -> None:
    """In a child process: wait for the start signal, open (create) the database, report."""
    go.wait()
    try:
        with Store(path) as store:
            store.runs()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - the parent reports what went wrong
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_one_new_database_at_once_all_succeed(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for trial in range(5):
        path = str(tmp_path / f"new{trial}.db")
        go, results = ctx.Event(), ctx.Queue()
        children = [ctx.Process(target=_open_store, args=(path, go, results))
                    for _ in range(CREATORS)]
        for child in children:
            child.start()
        go.set()
        for child in children:
            child.join(WAIT_SECONDS)
        assert [results.get(timeout=WAIT_SECONDS) for _ in children] == ["ok"] * CREATORS
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()


def _scan_running(db: Path, proc: subprocess.Popen, runs: int) -> None:
    """Return once the scan in `proc` (the database's run number `runs`) has written articles."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scan ended before the readers could run"
        try:
            with sqlite3.connect(db) as conn:
                run = conn.execute("SELECT count(*) FROM run").fetchone()[0]
                new = conn.execute("SELECT count(*) FROM article WHERE external_id LIKE 'a%' "
                                   "AND external_id GLOB 'a[0-9]*'").fetchone()[0]
            if run == runs and new:
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    pytest.fail("the scan wrote no article in time")


def test_show_check_and_report_work_while_a_scan_writes(tmp_path, runner):
    db = tmp_path / "archive.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[FIXTURES / "seeds"], workers=1), store)
        [ref] = [r["id"] for r in store.query("SELECT id FROM article LIMIT 1")]
    draft = sorted((FIXTURES / "seeds").glob("*.txt"))[0]
    proc = _scan_process(_long_feed(tmp_path / "feed.jsonl"), db)
    try:
        _scan_running(db, proc, runs=2)
        overlapped = 0
        for _ in range(2):
            for args in (["show", str(ref)], ["check", str(draft)],
                         ["report", "--html", str(tmp_path / "report.html")]):
                result = runner.invoke(app, [*args, "--db", str(db)])
                assert result.exit_code == 0, (args, result.output)
                overlapped += proc.poll() is None
        assert overlapped >= 3, "the scan ended before the readers overlapped it"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=WAIT_SECONDS)
    assert _statuses(db) == ["completed", "interrupted"]


# -- kill -9 at random points, concurrent scans of different inputs -------------------------

FAULT_ARTICLES = 150  # articles of the corpus the kill and concurrency tests scan (two feeds)


def _corpus(folder: Path) -> Path:
    """Two JSONL feeds of overlapping articles (many copies, several stories) in `folder`."""
    folder.mkdir()
    lines = _long_feed(folder.parent / "whole.jsonl").read_text(encoding="utf-8").splitlines()
    lines = lines[:FAULT_ARTICLES]
    half = len(lines) // 2
    (folder / "a.jsonl").write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[half:]) + "\n", encoding="utf-8")
    return folder


def _state(db: Path) -> dict:
    """What a scan leaves, by external ids (row ids and run ids left out): current articles,
    citations, copy edges with verdicts, stories and original sources."""
    with sqlite3.connect(db) as conn:
        def rows(sql: str) -> list:
            return sorted(conn.execute(sql).fetchall(), key=repr)
        return {
            "articles": rows("SELECT external_id, text_hash, publisher_id FROM article "
                             "WHERE is_current"),
            "citations": rows("SELECT a.external_id, c.outlet_id, c.kind, c.start, c.end "
                              "FROM citation c JOIN article a ON a.id = c.article_id "
                              "WHERE a.is_current"),
            "edges": rows("SELECT s.external_id, c.external_id, e.relation, e.kind, e.verdict "
                          "FROM copy_edge e JOIN article s ON s.id = e.source_id "
                          "JOIN article c ON c.id = e.copy_id"),
            "stories": rows("SELECT group_concat(a.external_id, ' ') FROM "
                            "(SELECT m.story_id, a.external_id FROM story_member m JOIN article "
                            "a ON a.id = m.article_id ORDER BY a.external_id) a "
                            "GROUP BY a.story_id"),
            "sources": rows("SELECT a.external_id, s.outlet_id, s.reason, s.rank FROM "
                            "article_source s JOIN article a ON a.id = s.article_id"),
            "pending": rows("SELECT article_id FROM pending_match"),
        }


def _cli_scan(paths: list[Path], db: Path, wait: float = 0.0) -> subprocess.Popen:
    """A scan in a child process through the library (one worker), waiting `wait` s for the
    lock of another scan."""
    code = ("import sys; from pathlib import Path; from provenance import ScanConfig, Store, "
            "scan\nwith Store(sys.argv[1]) as store:\n    r = scan(ScanConfig(paths=[Path(p) "
            "for p in sys.argv[3:]], workers=1, lock_wait=float(sys.argv[2])), store)\n"
            "sys.exit(0 if r.status == 'completed' else 1)")
    return subprocess.Popen([sys.executable, "-c", code, str(db), str(wait),
                             *map(str, paths)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict, float]:
    """The corpus, what one undisturbed scan of it stores, and how long that scan took (s)."""
    corpus = _corpus(tmp_path_factory.mktemp("faults") / "corpus")
    db = corpus.parent / "reference.db"
    started = time.monotonic()
    proc = _cli_scan([corpus], db)
    _, err = proc.communicate(timeout=WAIT_SECONDS * 5)
    assert proc.returncode == 0, err
    state = _state(db)
    assert state["edges"] and len(state["stories"]) > 1 and not state["pending"]
    return corpus, state, time.monotonic() - started


@pytest.mark.parametrize("seed", KILL_SEEDS)
def test_a_scan_killed_at_a_random_point_resumes_to_the_same_archive(tmp_path, reference, seed):
    corpus, expected, took = reference
    db = tmp_path / "archive.db"
    proc = _cli_scan([corpus], db)
    time.sleep(random.Random(seed).uniform(0.05, 1.0) * took)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=WAIT_SECONDS)
    if db.exists():
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    resumed = _cli_scan([corpus], db)
    _, err = resumed.communicate(timeout=WAIT_SECONDS * 5)
    assert resumed.returncode == 0, err
    assert _statuses(db)[-1] == "completed"
    assert _state(db) == expected


def test_two_concurrent_scans_of_different_inputs_store_what_one_scan_of_both_does(
        tmp_path, reference):
    corpus, expected, took = reference
    db = tmp_path / "archive.db"
    first = _cli_scan([corpus / "a.jsonl"], db, wait=took * 5)
    second = _cli_scan([corpus / "b.jsonl"], db, wait=took * 5)
    for proc in (first, second):
        _, err = proc.communicate(timeout=WAIT_SECONDS * 5)
        assert proc.returncode == 0, err
    assert _statuses(db) == ["completed", "completed"]
    assert _state(db) == expected


# -- limits ----------------------------------------------------------------------------------

def _paragraph_page(paragraphs: int) -> str:
    """A page of `paragraphs` short numbered <p> (200k of them make a 7 MB page)."""
    body = "".join(f"<p>Der Hafen von Rason, Absatz {i}.</p>\n" for i in range(paragraphs))
    return f"<html><head><title>Hafen</title></head><body><article>{body}</article></body></html>"


def test_a_page_of_200k_paragraphs_is_refused_as_oversized_and_the_scan_goes_on(
        tmp_path, store, scan_into):
    (tmp_path / "in").mkdir()
    page = _paragraph_page(200_000)
    assert len(page.encode()) > 7 * 2**20
    (tmp_path / "in" / "huge.html").write_text(page, encoding="utf-8")
    (tmp_path / "in" / "small.html").write_text(_paragraph_page(40), encoding="utf-8")
    result = scan_into(store, tmp_path / "in")
    assert result.status == "completed" and result.counts["read"] == 1
    [problem] = store.errors(result.run_id)
    assert (Path(problem.path).name, problem.kind) == ("huge.html", "oversized")
    assert "200005 HTML elements" in problem.message and "MAX_HTML_ELEMENTS" in problem.message


def test_a_page_nested_past_the_depth_limit_is_refused_not_read_empty():
    from provenance.extract import ExtractionError, extract_html

    sentence = "<p>Der Hafen von Rason wird ausgebaut, meldet die Agentur Yonhap am Dienstag.</p>"
    shallow = f"<html><body>{'<div>' * 150}{sentence}{'</div>' * 150}</body></html>"
    assert "Rason" in extract_html(shallow).text
    deep = f"<html><body>{'<div>' * 300}{sentence}{'</div>' * 300}</body></html>"
    with pytest.raises(ExtractionError, match="nested more than 200 deep") as refused:
        extract_html(deep)
    assert refused.value.kind == "oversized"


def test_an_article_text_past_the_length_limit_is_a_recorded_problem(tmp_path, store, scan_into):
    from provenance import config

    sentence = "Der Hafen von Rason wird ausgebaut, meldet die Agentur Yonhap. "
    long_text = sentence * (config.MAX_ARTICLE_CHARS // len(sentence) + 10)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "long", "text": long_text}) + "\n"
                    + json.dumps({"id": "short", "text": sentence * 3}) + "\n", encoding="utf-8")
    result = scan_into(store, feed)
    assert result.counts["read"] == 1
    assert [(p.record, p.kind) for p in store.errors(result.run_id)] == [("line 1", "oversized")]
    assert "MAX_ARTICLE_CHARS" in store.errors(result.run_id)[0].message


@pytest.mark.parametrize("args", [
    ["scan", "x" * 60_000], ["scan", "/tmp/" + "a" * 300], ["show", "x", "--db", "y" * 60_000],
    ["graph", "--db", "/tmp/" + "a" * 300 + "/archive.db"],
    ["scan", str(FIXTURES / "texts"), "--manifest", "m" * 60_000],
    ["scan", str(FIXTURES / "texts"), "--db", "/tmp/" + "a" * 300 + "/archive.db"],
    ["check", "d" * 60_000],
], ids=["scan-long", "scan-name-too-long", "db-long", "db-folder-too-long", "manifest-long",
        "scan-db-folder-too-long", "check-long"])
def test_a_huge_argument_is_one_short_error_line(tmp_path, runner, args):
    db = [] if "--db" in args else ["--db", str(tmp_path / "archive.db")]
    result = runner.invoke(app, [*args, *db])
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and len(line) < 400, line
    assert "characters)" in line or "no database" in line


# -- read-only databases ---------------------------------------------------------------------
# As root, permissions do not stop writes, so these tests make `os.access` report what a
# read-only mount or file reports; SQLite then really opens the file read-only (immutable in a
# read-only folder) and really refuses writes. Checked by hand as root with a read-only bind
# mount and `chattr +i` on the file and on its -wal/-shm files (docs/faults.md).

def _read_only(monkeypatch, *unwritable: Path) -> None:
    """Make the store see `unwritable` (files or folders) as not writable."""
    from provenance.store import database

    denied = {str(p) for p in unwritable}
    real = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(path) in denied:
            return False
        return real(path, mode, *args, **kwargs)
    monkeypatch.setattr(database.os, "access", access)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_read_only_database_is_read_and_a_scan_into_it_is_one_clear_error(
        tmp_path, runner, monkeypatch, where):
    db = tmp_path / "archive.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[FIXTURES / "seeds"], workers=1), store)
        [ref] = [r["id"] for r in store.query("SELECT id FROM article LIMIT 1")]
    _read_only(monkeypatch, db if where == "file" else tmp_path)
    with Store(db, create=False) as store:
        assert store.readonly and store.count("article") == 5
    shown = runner.invoke(app, ["show", ref, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    failed = runner.invoke(app, ["scan", str(FIXTURES / "texts"), "--db", str(db)])
    assert failed.exit_code == 1
    assert failed.output.strip().splitlines() == [
        f"Error: the database {db} is read-only (its file or its folder cannot be written): "
        "make them writable, or copy the database to a writable folder and use --db there"]


def test_a_read_only_database_made_before_a_new_table_is_still_read(tmp_path, runner,
                                                                     monkeypatch):
    db = tmp_path / "archive.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[FIXTURES / "seeds"], workers=1), store)
        [ref] = [r["id"] for r in store.query("SELECT id FROM article LIMIT 1")]
    with sqlite3.connect(db) as conn:  # as an archive of a release before `token_layout`
        conn.execute("DROP TABLE token_layout")
    _read_only(monkeypatch, db)
    shown = runner.invoke(app, ["show", ref, "--db", str(db)])
    assert shown.exit_code == 0, shown.output


def test_a_new_database_in_a_read_only_folder_is_one_clear_error(tmp_path, runner,
                                                                  monkeypatch):
    _read_only(monkeypatch, tmp_path)
    result = runner.invoke(app, ["scan", str(FIXTURES / "texts"), "--db",
                                 str(tmp_path / "archive.db")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: folder {tmp_path} is read-only")
    assert not (tmp_path / "archive.db").exists()


def test_writes_refused_by_sqlite_as_read_only_say_what_to_do(tmp_path):
    from sqlalchemy import event

    from provenance.errors import StoreError
    from provenance.store import DATABASE_FAULTS, describe_fault

    db = tmp_path / "archive.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[FIXTURES / "seeds"], workers=1), store)

        @event.listens_for(store.engine, "connect")
        def _query_only(conn, _record):  # what SQLite answers for a read-only file or WAL
            conn.execute("PRAGMA query_only = 1")

        store.engine.dispose()
        with pytest.raises((StoreError, *DATABASE_FAULTS)) as failed:
            scan(ScanConfig(paths=[FIXTURES / "texts"], workers=1), store)
        message = (str(failed.value) if isinstance(failed.value, StoreError)
                   else describe_fault(str(db), failed.value))
        assert "readonly database" in message and "make them writable" in message


def test_a_run_interrupted_before_resolution_is_resolved_by_the_next_scan(
        tmp_path, reference, monkeypatch):
    scan_module = importlib.import_module("provenance.scan")  # the package, not its `scan`
    corpus, _, _ = reference
    feed = corpus / "a.jsonl"
    with Store(tmp_path / "whole.db") as store:
        scan(ScanConfig(paths=[feed], workers=1), store)
    expected = _state(tmp_path / "whole.db")
    db = tmp_path / "archive.db"
    real = scan_module.resolve_provenance

    def killed(*_args):  # the process dies after the copy phase, before resolution is stored
        raise KeyboardInterrupt
    monkeypatch.setattr(scan_module, "resolve_provenance", killed)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        scan(ScanConfig(paths=[feed], workers=1), store)
    assert _statuses(db) == ["interrupted"] and not _state(db)["sources"]
    monkeypatch.setattr(scan_module, "resolve_provenance", real)
    with Store(db) as store:  # nothing new to read or compare: resolved all the same
        result = scan(ScanConfig(paths=[feed], workers=1), store)
        assert result.counts["unchanged"] == 75 and "reused" not in result.counts["provenance"]
        assert _state(db) == expected
        again = scan(ScanConfig(paths=[feed], workers=1), store)  # now the resolution stands
        assert again.counts["provenance"]["reused"] is True
    assert _statuses(db) == ["interrupted", "completed", "completed"]
