"""The HTML report: self-contained, escaped, and checked in a real headless Chromium."""

from __future__ import annotations

import json
import shutil

import pytest

from provenance import ScanConfig, Store, scan
from provenance.cli import app
from provenance.outputs.assemble import report_data
from provenance.outputs.html import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PLANTED = ('Nordkorea hat nach Angaben der Nachrichtenagentur Yonhap erneut eine Rakete '
           'getestet. <script>window.__pwned = 1;</script> Laut KCNA war es ein Erfolg. '
           '<img src=x onerror="window.__pwned = 2"> Die Regierung in Seoul protestierte.')


@pytest.fixture
def planted_db(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "evil-1", "title": "<b>Titel</b> & <i>mehr</i>",
                                "text": PLANTED, "outlet": "dpa", "language": "de",
                                "published": "2025-01-01"}) + "\n", encoding="utf-8")
    path = tmp_path / "p.db"
    with Store(path) as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
    return path


def test_report_escapes_article_text_and_needs_no_network(planted_db):
    with Store(planted_db, create=False) as db:
        page = render(report_data(db))
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert "onerror=\"window" not in page
    assert "&lt;b&gt;Titel&lt;/b&gt;" in page
    for remote in ("http://", "https://", "//cdn"):
        assert f"src='{remote}" not in page and f'src="{remote}' not in page
    assert "<link " not in page


def test_report_command_writes_a_file(runner, fixture_db, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--html", str(out), "--db", str(fixture_db)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Stories" in page and "uncredited" in page and "<svg" in page
    # a reuse by the source's own outlet has its own verdict, neither credited nor uncredited
    assert page.count('<span class="badge same_outlet">same_outlet</span>') >= 2
    assert "same outlet (harbour_times)" in page and "same outlet (rheinblatt)" in page


def open_in_chromium(path, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        state = {
            "ready": page.get_attribute("body", "data-ready"),
            "pwned": page.evaluate("() => window.__pwned === undefined ? null : window.__pwned"),
            "nodes": page.locator("svg#graph g.node").count(),
            "copy_edges": page.locator("svg#graph path.copy-edge").count(),
            "text": page.evaluate("() => document.querySelector('#articles').textContent"),
            "requests": [u for u in requests if not u.startswith("file:")],
        }
        page.fill("#filter", "no-such-article-title")
        state["visible_after_filter"] = page.locator("details.article:visible").count()
        browser.close()
    state["errors"] = errors
    return state


def test_report_loads_in_chromium_with_the_graph_drawn(runner, fixture_db, fixture_store,
                                                       tmp_path):
    out = tmp_path / "report.html"
    runner.invoke(app, ["report", "--html", str(out), "--db", str(fixture_db)])
    state = open_in_chromium(out, tmp_path)
    assert state["errors"] == [] and state["ready"] == "yes"
    assert state["nodes"] >= fixture_store.count("articles")
    assert state["copy_edges"] == fixture_store.count("copies")
    assert state["requests"] == []
    assert state["visible_after_filter"] == 0


def test_planted_script_stays_inert_in_chromium(planted_db, tmp_path):
    out = tmp_path / "report.html"
    with Store(planted_db, create=False) as db:
        out.write_text(render(report_data(db)), encoding="utf-8")
    state = open_in_chromium(out, tmp_path)
    assert state["pwned"] is None and state["errors"] == []
    assert "<script>window.__pwned = 1;</script>" in state["text"]
