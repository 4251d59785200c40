"""The report site (`report --html DIR`): its pages, counts that equal the views, escaping,
no external references, caps that bound every page, and the layout engines behind the graphs."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from provenance import ScanConfig, Store, scan
from provenance.cli import app
from provenance.outputs import graph_layout
from provenance.outputs.graph_layout import LayoutGraph, lay_out
from provenance.outputs.site import paths, write_site
from provenance.presentation import SITE_LIMITS

REPO = Path(__file__).resolve().parents[1]

INLINE_SCRIPT = re.compile(r"<script>.*?</script>", re.S)
ATTRIBUTE_URL = re.compile(r"""\b(?:href|src)\s*=\s*(['"])(.*?)\1""")
PLANTED = ('Nordkorea hat nach Angaben der Nachrichtenagentur Yonhap erneut eine Rakete '
           'getestet. <script>window.__pwned = 1;</script> Laut KCNA war es ein Erfolg. '
           '<img src=x onerror="window.__pwned = 2"> Die Regierung in Seoul protestierte.')


@pytest.fixture(scope="module")
def site(fixture_db, tmp_path_factory):
    """The fixtures' report site, written once."""
    folder = tmp_path_factory.mktemp("site") / "report"
    with Store(fixture_db, create=False) as store:
        stats = write_site(store, folder)
    return folder, stats


def read(folder, path: str) -> str:
    return (folder / path).read_text(encoding="utf-8")


def test_every_story_article_and_publisher_has_its_page(site, fixture_store):
    folder, stats = site
    for name in ("index.html", "search.html", "assets/site.css", "assets/site.js",
                 "stories/index.html", "outlets/index.html", "uncredited/index.html",
                 "problems/index.html"):
        assert (folder / name).is_file(), name
    for story in fixture_store.stories():
        assert (folder / paths.story_page(story.id)).is_file()
    articles = fixture_store.articles()
    for art in articles:
        assert (folder / paths.article_page(art.id)).is_file()
        if art.publisher_id:
            assert (folder / paths.outlet_page(art.publisher_id)).is_file()
    assert stats.articles == len(articles) and stats.stories == len(fixture_store.stories())


def test_overview_counts_equal_the_views(site, fixture_store):
    overview = read(site[0], "index.html")
    shown = {html.unescape(label): int(n.replace(",", "")) for label, n in re.findall(
        r"data-count='([^']+)'><b>([\d,]+)</b>", overview)}
    q = fixture_store.query
    assert shown["articles"] == fixture_store.count("articles") == 32
    assert shown["uncredited copies"] == fixture_store.count("uncredited_copies") == 8
    assert shown["stories"] == fixture_store.count("story_origins") == 2
    assert shown["input problems"] == fixture_store.count("input_errors")
    assert shown["credited copies"] == q(
        "SELECT count(*) AS n FROM copies WHERE verdict = 'credited' "
        "AND relation = 'derived_from'")[0]["n"]
    assert shown["copies by the source's own outlet"] == \
        fixture_store.verdict_counts().get("same_outlet", 0)
    # the uncredited list holds exactly the view's rows
    listed = read(site[0], "uncredited/index.html")
    for row in fixture_store.query("SELECT copy_id FROM uncredited_copies"):
        assert f'href="../{paths.article_page(row["copy_id"])}"' in listed


def test_each_story_page_links_its_members_and_draws_its_edges(site, fixture_store):
    folder = site[0]
    for story in fixture_store.stories():
        page = read(folder, paths.story_page(story.id))
        for member in story.members:
            assert f'href="../{paths.article_page(member)}"' in page
        edges = [x for x in fixture_store.copy_edges(story.members)
                 if x.copy_id in story.members and x.source_id in story.members]
        assert page.count("<line class='e e-") - page.count("e e-cites") == len(edges)
        assert page.count("class='node n-origin'") == 1
    # verdicts with their evidence: the credit line's sentence, offsets and rule
    dpa_story = read(folder, paths.story_page("story-a5c610e5732ce73c"))
    assert "uncredited" in dpa_story and "rule wire." in dpa_story and "offsets " in dpa_story


def test_no_page_references_anything_outside_the_site(site):
    folder = site[0]
    pages = list(folder.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        text = INLINE_SCRIPT.sub("", page.read_text(encoding="utf-8"))  # our own code
        for _, url in ATTRIBUTE_URL.findall(text):
            assert not re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:|//)", url), f"{page}: {url}"
            if not url.startswith("#"):
                target = (page.parent / url.split("#")[0]).resolve()
                assert target.is_file(), f"{page.relative_to(folder)} links to missing {url}"


@pytest.fixture
def planted_db(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": "evil-1", "title": "<b>Titel</b> & <i>mehr</i>", "text": PLANTED,
             "outlet": "dpa", "language": "de", "published": "2025-01-01",
             "url": "javascript:alert(1)"},
            {"id": "evil-2", "title": "</script><script>window.__pwned=3</script>",
             "text": PLANTED + " Ein zweiter Satz.", "outlet": "<i>Evil</i> Post",
             "language": "de", "published": "2025-01-02"}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    path = tmp_path / "p.db"
    with Store(path) as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
    return path


def test_archive_text_is_escaped_everywhere(planted_db, tmp_path):
    with Store(planted_db, create=False) as store:
        write_site(store, tmp_path / "site")
        ids = [a.id for a in store.articles()]
    folder = tmp_path / "site"
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in text and "onerror=\"window" not in text
        assert "<b>Titel</b>" not in text and "<i>Evil</i>" not in text
        assert "javascript:" not in " ".join(u for _, u in ATTRIBUTE_URL.findall(text))
    article = read(folder, paths.article_page(ids[0]))
    assert "&lt;script&gt;window.__pwned = 1;&lt;/script&gt;" in article
    shards = "".join(p.read_text(encoding="utf-8") for p in (folder / "search").glob("*.js"))
    assert "</script>" not in shards and "\\u003c/script>" in shards


def test_caps_bound_the_pages(fixture_db, tmp_path, monkeypatch):
    small = dict(SITE_LIMITS, list_rows=1, drawn_nodes=3, story_rows=2, passage_edges=1,
                 search_shard=10, drawn_edges=2)
    for key, value in small.items():
        monkeypatch.setitem(SITE_LIMITS, key, value)
    with Store(fixture_db, create=False) as store:
        stats = write_site(store, tmp_path / "site")
        big = store.stories()[0]
    folder = tmp_path / "site"
    story = read(folder, paths.story_page(big.id))
    drawn = story.count("class='node n-article'") + story.count("class='node n-origin'")
    assert drawn == 3 and "Drawn: the origin and the 2 most connected" in story
    copy_lines = story.count("<line class='e e-") - story.count("e e-cites")
    assert copy_lines == 2 and story.count("<line class='e e-") <= 4
    assert f"{len(big.members) - 2} more members are not listed" in story
    assert story.count("<div class='pair'>") == 1
    assert (folder / "outlets/page-2.html").is_file() and (folder / "stories/page-2.html").is_file()
    # 8 uncredited copies, one a page
    assert (folder / "uncredited/page-8.html").is_file()
    assert not (folder / "uncredited/page-9.html").exists()
    assert len(list((folder / "search").glob("index-*.js"))) >= 5
    assert 'data-shards=\'' in read(folder, "search.html")
    assert stats.largest_bytes < 200_000


def test_report_command_writes_a_site_for_a_folder_and_one_page_for_html(
        runner, fixture_db, tmp_path):
    result = runner.invoke(app, ["report", "--html", str(tmp_path / "site"), "--db",
                                 str(fixture_db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    result = runner.invoke(app, ["report", "--html", str(tmp_path / "one.html"), "--db",
                                 str(fixture_db)])
    assert result.exit_code == 0 and (tmp_path / "one.html").is_file()
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["report", "--html", str(tmp_path / "plain"), "--db",
                                 str(fixture_db)])
    assert result.exit_code == 2 and "Error: " in result.output and "Traceback" not in \
        result.output


def test_graphviz_lays_out_many_graphs_in_one_run_and_networkx_stands_in(monkeypatch):
    graphs = [LayoutGraph(["a", "b", "c"], [("a", "b"), ("b", "c")]),
              LayoutGraph(["x"], []), LayoutGraph([f"n{i}" for i in range(8)],
                                                   [(f"n{i}", f"n{i + 1}") for i in range(7)])]
    if graph_layout.shutil.which("dot"):
        done = lay_out(graphs)
        assert [x.engine for x in done] == ["dot", "dot", "dot"]
        assert done[0].positions["a"][0] < done[0].positions["b"][0] < done[0].positions["c"][0]
    monkeypatch.setattr(graph_layout.shutil, "which", lambda name: None)
    done = lay_out(graphs)
    assert [x.engine for x in done] == ["networkx"] * 3
    for graph, layout in zip(graphs, done, strict=True):
        assert set(layout.positions) == set(graph.nodes)
        assert all(0 <= x <= layout.width and 0 <= y <= layout.height
                   for x, y in layout.positions.values())


def test_file_names_stay_inside_the_site():
    assert paths.safe_name("dpa") == "dpa"
    for key in ("../../etc/passwd", "web:www.example.com", "name:Ä b", "", "x" * 300):
        name = paths.safe_name(key)
        assert re.fullmatch(r"[a-z0-9._-]+", name) and ".." not in name.replace("...", "")
        assert not name.startswith(".") and len(name) <= paths.MAX_NAME + 9
    assert paths.safe_name("A") != paths.safe_name("a")


def browser_session():
    """A headless Chromium page (skips when Playwright or Chromium is missing), with the
    console errors and the non-file requests it makes collected."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    p = playwright.sync_playwright().start()
    browser = p.chromium.launch(executable_path=chromium, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    return p, browser, page, seen


def test_site_in_chromium_pans_zooms_filters_and_searches(site, fixture_store):
    folder = site[0]
    manager, browser, page, seen = browser_session()
    try:
        page.goto((folder / "index.html").as_uri())
        assert page.get_attribute("body", "data-ready") == "yes"
        assert page.locator(".drawing svg g.node").count() >= 5
        story = fixture_store.stories()[0]
        page.goto((folder / paths.story_page(story.id)).as_uri())
        box = page.locator(".drawing").first
        assert page.locator(".drawing svg g.n-article, .drawing svg g.n-origin").count() == \
            len(story.members)
        assert box.get_attribute("data-scale") == "1.000"
        page.click("button[data-zoom='in']")
        assert float(box.get_attribute("data-scale")) == pytest.approx(1.5, abs=0.01)
        page.locator(".drawing svg").hover()
        page.mouse.wheel(0, -200)
        assert float(box.get_attribute("data-scale")) > 1.6
        page.click("button[data-zoom='reset']")
        assert box.get_attribute("data-scale") == "1.000"
        shown = ("(sel) => Array.from(document.querySelectorAll(sel))"
                 ".filter(e => getComputedStyle(e).display !== 'none').length")
        uncredited = page.evaluate(shown, "line.e-uncredited")
        credited = page.evaluate(shown, "line.e-credited")
        assert uncredited >= 1 and credited >= 1
        # each member's first copy is drawn; the other copy edges when asked for
        edges = [x for x in fixture_store.copy_edges(story.members)
                 if x.copy_id in story.members and x.source_id in story.members]
        assert page.evaluate(shown, "line.e:not(.e-cites)") == len(story.members) - 1
        page.check("input[data-hide='extra']")
        assert page.evaluate(shown, "line.e:not(.e-cites)") == len(edges)
        credited = page.evaluate(shown, "line.e-credited")
        page.uncheck("input[data-hide='uncredited']")
        assert page.evaluate(shown, "line.e-uncredited") == 0
        assert page.evaluate(shown, "line.e-credited") == credited
        page.fill("input[data-find]", "kreisbote")
        assert page.locator("g.node.hit").count() >= 1 and page.locator("g.node.dim").count() >= 1
        page.goto((folder / "search.html").as_uri() + "?q=drohnen")
        page.wait_for_function("document.body.getAttribute('data-results') !== null")
        hits = int(page.get_attribute("body", "data-results"))
        assert hits >= 3
        page.fill("#q", "kreisbote nord")
        first = page.locator("#results a").first
        first.click()
        assert "Kreisbote" in page.content()
        page.goto((folder / paths.outlet_page("dpa")).as_uri())
        assert "Who copies its text" in page.content()
    finally:
        browser.close()
        manager.stop()
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith("file:")] == []


def test_site_of_a_real_text_archive_in_chromium(data_dir, tmp_path):
    """Several thousand articles of real sentences (benchmarks/scale_corpus.py reads them from
    ../shared/data), scanned, written as a site and opened as a reader would."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from scale_corpus import real_pool, write_corpus

    feed, db = tmp_path / "feed.jsonl", tmp_path / "archive.db"
    write_corpus(feed, 3000, real_pool())
    with Store(db) as store:
        scan(ScanConfig(paths=[feed], workers=1), store)
        stats = write_site(store, tmp_path / "site")
        summary = {"articles": store.count("articles"),
                   "uncredited copies": store.count("uncredited_copies")}
        story = max(store.stories(), key=lambda s: (len(s.members), s.id))
        outlet = store.query("SELECT id FROM outlet_articles LIMIT 1")[0]["id"]
    folder = tmp_path / "site"
    assert stats.articles == summary["articles"] == 3000 and stats.largest_bytes < 2_000_000
    p, browser, page, seen = browser_session()
    try:
        page.goto((folder / "index.html").as_uri())
        cards = {page.locator(f"[data-count='{k}'] b").inner_text().replace(",", ""): k
                 for k in summary}
        assert {v: int(k) for k, v in cards.items()} == summary
        page.goto((folder / paths.story_page(story.id)).as_uri())
        assert page.locator(".drawing svg g.node").count() >= len(story.members)
        page.click("button[data-zoom='in']")
        assert float(page.get_attribute(".drawing", "data-scale")) > 1.4
        page.goto((folder / paths.outlet_page(outlet)).as_uri())
        assert "Whose text it copies" in page.content()
        page.goto((folder / "search.html").as_uri())
        page.fill("#q", outlet)
        page.wait_for_function("Number(document.body.getAttribute('data-results')) > 0")
    finally:
        browser.close()
        p.stop()
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith("file:")] == []


def test_writing_again_replaces_the_pages_of_the_earlier_site(fixture_db, tmp_path):
    folder = tmp_path / "site"
    with Store(fixture_db, create=False) as store:
        write_site(store, folder)
        stale = folder / paths.article_page("0000000000000000")
        stale.parent.mkdir(exist_ok=True)
        stale.write_text("gone", encoding="utf-8")
        mine = folder / "notes.txt"
        mine.write_text("kept", encoding="utf-8")
        write_site(store, folder)
    assert not stale.exists() and mine.read_text(encoding="utf-8") == "kept"
    assert (folder / "index.html").is_file()
