"""One scan per database at a time; a killed, terminated or starved scan leaves a consistent
archive, and the next scan recovers.

The subprocess tests run the real CLI on a feed built from the bundled fixtures (articles made
distinct by a number, so the feed is long enough to be stopped half-way), stop it with SIGTERM or
SIGKILL once articles are in the database, and check what the next scan finds and does.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from provenance import ScanConfig, Store, scan
from provenance.errors import ScanBusyError, StoreError
from provenance.scan import interrupts
from provenance.scan.lock import ScanLock
from provenance.store import DATABASE_FAULTS, describe_fault

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEED_ARTICLES = 2500
WAIT_SECONDS = 120


def _long_feed(path: Path) -> Path:
    """A JSONL feed of FEED_ARTICLES distinct articles made of the fixture texts' paragraphs."""
    paragraphs = []
    for text_file in sorted((FIXTURES / "texts").glob("*")):
        paragraphs += [p for p in text_file.read_text(encoding="utf-8").split("\n\n") if p]
    with path.open("w", encoding="utf-8") as out:
        for i in range(FEED_ARTICLES):
            body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(4))
            out.write(json.dumps({"id": f"a{i}", "title": f"Meldung {i}",
                                  "text": f"Meldung Nummer {i}.\n\n{body}"}) + "\n")
    return path


def _scan_process(feed: Path, db: Path) -> subprocess.Popen:
    """`provenance scan` of `feed` into `db` in a child process (one worker, no progress)."""
    return subprocess.Popen(
        [sys.executable, "-m", "provenance", "scan", str(feed), "--db", str(db), "--quiet",
         "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_articles(db: Path, proc: subprocess.Popen) -> None:
    """Return once the scan in `proc` has committed articles to `db`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scan ended before it could be stopped"
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    if conn.execute("SELECT count(*) FROM article").fetchone()[0]:
                        return
            except sqlite3.OperationalError:
                pass  # tables not created yet, or the writer holds the lock
        time.sleep(0.05)
    pytest.fail("the scan wrote no article in time")


def _statuses(db: Path) -> list[str]:
    """The status of every run, oldest first."""
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT status FROM run ORDER BY id")]


def _articles(db: Path) -> tuple[int, int]:
    """Current articles, and distinct external ids among them."""
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*), count(DISTINCT external_id) FROM article "
                            "WHERE is_current").fetchone()


def _assert_the_next_scan_completes(feed: Path, db: Path) -> None:
    """The same scan again ends well, closes the stopped run and leaves every article once."""
    done = subprocess.run([sys.executable, "-m", "provenance", "scan", str(feed), "--db",
                           str(db), "--quiet", "--workers", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _statuses(db) == ["interrupted", "completed"]
    assert _articles(db) == (FEED_ARTICLES, FEED_ARTICLES)


def test_a_second_scan_of_the_same_database_is_refused(tmp_path):
    db = tmp_path / "archive.db"
    with Store(db) as store, ScanLock(str(db)):
        with pytest.raises(ScanBusyError, match="another scan is writing to .*archive.db"):
            scan(ScanConfig(paths=[FIXTURES / "texts"], workers=1), store)
        assert store.runs() == []
    with Store(db) as store:  # the lock is released with the first scan
        assert scan(ScanConfig(paths=[FIXTURES / "texts"], workers=1), store).status \
            == "completed"


def test_a_run_left_running_is_marked_interrupted_by_the_next_scan(tmp_path):
    db = tmp_path / "archive.db"
    with Store(db) as store:
        store.begin_run("0", {}, None)  # as a scan killed before it could close its run
        result = scan(ScanConfig(paths=[FIXTURES / "texts"], workers=1), store)
        assert [r.status for r in store.runs()] == ["interrupted", "completed"]
        assert result.status == "completed"


def test_sigterm_stops_a_scan_cleanly_and_the_next_scan_resumes(tmp_path):
    feed, db = _long_feed(tmp_path / "feed.jsonl"), tmp_path / "archive.db"
    proc = _scan_process(feed, db)
    _wait_for_articles(db, proc)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=WAIT_SECONDS)
    assert proc.returncode == 143
    assert stderr.startswith("Error: interrupted") and "Traceback" not in stderr
    assert _statuses(db) == ["interrupted"]
    _assert_the_next_scan_completes(feed, db)


def test_a_sigterm_during_the_interpreter_s_exit_leaves_a_completed_scan_exiting_0(tmp_path):
    # the signal lands in the interpreter's exit (an exit handler sends it, as a service
    # manager's stop can), after the run is recorded and the summary printed: before, the
    # process ended killed by it (-15) although its scan had completed
    db = tmp_path / "archive.db"
    late_signal = ("import atexit, os, signal, sys, time; atexit.register(lambda: (os.kill("
                   "os.getpid(), signal.SIGTERM), time.sleep(0.5))); sys.argv[0] = "
                   "'provenance'; import runpy; runpy.run_module('provenance', "
                   "run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", late_signal, "scan", str(FIXTURES / "texts"),
                           "--db", str(db), "--workers", "1"], capture_output=True, text=True,
                          timeout=WAIT_SECONDS)
    assert done.returncode == 0, done.stderr
    assert "Scan run 1 (completed)" in done.stdout and "Traceback" not in done.stderr
    assert _statuses(db) == ["completed"]


def test_an_interrupt_while_a_run_is_recorded_comes_once_it_is_recorded():
    done, handler = [], signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with interrupts.deferred():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("recorded")  # not cut short by the signal
    assert done == ["recorded"]
    assert signal.getsignal(signal.SIGINT) is handler  # put back
    elsewhere = threading.Thread(target=lambda: done.append(_deferred_in_a_thread()))
    elsewhere.start()
    elsewhere.join()
    assert done == ["recorded", "ran"]


def test_an_interrupt_inside_a_statement_leaves_no_lock_and_the_run_interrupted(tmp_path):
    # A signal can come as SQLAlchemy handles a statement that just ran: it drops that
    # connection, whose transaction held the write lock until the scan's own frames let go of
    # it (the batch's retry and the run's record then failed on "database is locked").
    feed, db = _long_feed(tmp_path / "feed.jsonl"), tmp_path / "archive.db"
    inserts = []

    def interrupt(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("INSERT") and "article" in statement:
            inserts.append(statement)
            if len(inserts) == 3:  # once a first batch is committed
                raise KeyboardInterrupt

    with Store(db) as store:
        event.listen(store.engine, "after_cursor_execute", interrupt)
        with pytest.raises(KeyboardInterrupt):
            scan(ScanConfig(paths=[feed], workers=1), store)
        event.remove(store.engine, "after_cursor_execute", interrupt)
    assert _statuses(db) == ["interrupted"]
    assert 0 < _articles(db)[0] < FEED_ARTICLES
    _assert_the_next_scan_completes(feed, db)


def _deferred_in_a_thread() -> str:
    """`interrupts.deferred` outside the main thread, which may not set signal handlers."""
    with interrupts.deferred():
        return "ran"


def test_kill_9_loses_nothing_committed_and_the_next_scan_completes(tmp_path):
    feed, db = _long_feed(tmp_path / "feed.jsonl"), tmp_path / "archive.db"
    proc = _scan_process(feed, db)
    _wait_for_articles(db, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=WAIT_SECONDS)
    assert _statuses(db) == ["running"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    _assert_the_next_scan_completes(feed, db)


def test_a_full_disk_fails_the_scan_with_a_clear_message_and_the_next_scan_recovers(tmp_path):
    db = tmp_path / "archive.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[FIXTURES / "texts"], workers=1), store)
        pages = store.query("PRAGMA page_count")[0]["page_count"]

        @event.listens_for(store.engine, "connect")
        def _small_disk(conn, _record):  # SQLite's own cap: writes beyond it fail as SQLITE_FULL
            conn.execute(f"PRAGMA max_page_count = {pages + 2}")

        store.engine.dispose()  # new connections get the cap
        with pytest.raises((StoreError, *DATABASE_FAULTS)) as failed:
            scan(ScanConfig(paths=[FIXTURES / "seeds", FIXTURES / "html"], workers=1), store)
        message = (str(failed.value) if isinstance(failed.value, StoreError)
                   else describe_fault(str(db), failed.value))
        assert "database or disk is full" in message and "free some space" in message
    with Store(db) as store:  # space again: the scan completes
        result = scan(ScanConfig(paths=[FIXTURES / "seeds", FIXTURES / "html"], workers=1), store)
        assert result.status == "completed"
        assert [r.status for r in store.runs()] == ["completed", "failed", "completed"]
        assert store.query("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
