"""`provenance serve`: Datasette with the project's metadata, the audit's canned queries and
links from rows to the report site, started on 127.0.0.1 and driven in headless Chromium."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from provenance.cli import app
from provenance.outputs.site import paths
from provenance.outputs.site.datasette_meta import canned_queries, metadata_for
from provenance.outputs.site.plugins.provenance_links import page_for

DOCS = Path(__file__).resolve().parents[1] / "docs"
ARTICLE = "dpa-20251028-nordkorea-drohnen"


def test_docs_metadata_is_keyed_by_the_database_name_and_matches_the_package():
    docs = json.loads((DOCS / "datasette-metadata.json").read_text(encoding="utf-8"))
    assert docs == metadata_for("fixtures")
    assert "*" not in docs["databases"]
    assert docs["databases"]["fixtures"]["tables"]["copy_edge"]["description"]


def test_canned_queries_are_the_audit_questions_and_run(fixture_store):
    audit = (DOCS / "audit.md").read_text(encoding="utf-8")
    queries = canned_queries()
    assert len(queries) >= 6
    for name, query in queries.items():
        assert f"`{name}`" in audit, f"docs/audit.md does not list {name}"
        params = {"article": ARTICLE} if ":article" in query["sql"] else {}
        rows = fixture_store.query(query["sql"], params)
        assert rows, f"{name} returns nothing on the fixtures"
    uncredited = fixture_store.query(queries["uncredited_newest"]["sql"])
    assert len(uncredited) == fixture_store.count("uncredited_copies")


def test_cells_link_to_the_page_their_id_has():
    assert page_for("story_id", "story_origins", "story-1") == paths.story_page("story-1")
    assert page_for("copy_id", None, "abcdef0123") == paths.article_page("abcdef0123")
    assert page_for("source_id", "copies", "abcdef0123") == paths.article_page("abcdef0123")
    assert page_for("source_id", "citation", "bnd") is None  # a non-outlet source
    assert page_for("id", "outlet", "dpa") == paths.outlet_page("dpa")
    assert page_for("title", "article", "x") is None


def test_print_metadata_names_the_served_database(runner, fixture_db):
    result = runner.invoke(app, ["serve", "--db", str(fixture_db), "--print-metadata"])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.output)["databases"]) == [fixture_db.stem]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"serve exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def served(fixture_db, tmp_path):
    """`provenance serve` on a free port of 127.0.0.1, stopped after the test."""
    pytest.importorskip("datasette")
    db = tmp_path / "fixtures.db"
    db.write_bytes(fixture_db.read_bytes())
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "provenance", "serve", "--db", str(db),
                               "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base + "/-/versions.json", server)
        yield base, tmp_path / "fixtures-report"
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Datasette took the place of `serve`: stopping serve stopped it, the port is free again
    with socket.socket() as s, pytest.raises(OSError):
        s.connect(("127.0.0.1", port))


def test_serve_in_chromium_shows_descriptions_queries_and_links_to_the_report(
        served, fixture_store):
    from test_site import browser_session

    base, site = served
    assert (site / "index.html").is_file()
    p, browser, page, seen = browser_session()
    try:
        page.goto(base + "/fixtures/copy_edge")
        assert "Verified copy relations" in page.content()
        page.goto(base + "/fixtures")
        assert "Uncredited copies, newest first" in page.content()
        page.goto(base + "/fixtures/uncredited_newest")
        rows = page.locator("table.rows-and-columns tbody tr")
        assert rows.count() == fixture_store.count("uncredited_copies")
        links = page.locator("a.report-link")
        assert links.count() >= 2 * rows.count()
        href = links.first.get_attribute("href")
        assert href.startswith("/report/a/")
        links.first.click()
        page.wait_for_load_state()
        assert page.url.startswith(base + "/report/a/") and "Copied from" in page.content()
        page.goto(base + f"/fixtures/article_origins?article={ARTICLE}")
        assert page.locator("table.rows-and-columns tbody tr").count() >= 1
        page.goto(base + "/report/index.html")
        assert page.get_attribute("body", "data-ready") == "yes"
    finally:
        browser.close()
        p.stop()
    assert [u for u in seen["requests"] if not u.startswith(base)] == []
    assert seen["errors"] == []
