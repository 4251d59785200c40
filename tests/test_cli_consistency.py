"""The CLI never contradicts itself or the views (issue 16, "Tried as a new user would").

Each test reproduces one complaint on real text (the fixtures' feed, drafts and pages, and text
written here) and pins the fix: counts that match the views, no `None` for unknown publishers,
undated copies apart from "derived from", lookups, validated filters, formats in any case,
DOT colours by verdict, `check -o` in text mode, titles without site marks, names not ids,
passages printed once, URL lists skipped, logging levels, and light imports.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from provenance import ScanConfig, Store, scan
from provenance.cli import app
from provenance.outputs.titles import display_title, site_marks

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
WIDE = {"COLUMNS": "200"}


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args], env=WIDE)


@pytest.fixture(scope="module")
def undated_db(tmp_path_factory) -> Path:
    """The fixtures' wire feed with every date removed: copies without a direction."""
    folder = tmp_path_factory.mktemp("undated")
    feed = folder / "undated.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record.pop("published", None)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = folder / "undated.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[feed], workers=1), store)
    return db


def _view_counts(db: Path) -> dict[str, int]:
    with Store(db, create=False) as store:
        return {
            "uncredited": store.count("uncredited_copies"),
            "credited": store.query("SELECT count(*) AS n FROM copies WHERE verdict = 'credited' "
                                    "AND relation = 'derived_from'")[0]["n"],
            "similar": store.query("SELECT count(*) AS n FROM copies "
                                   "WHERE relation = 'similar'")[0]["n"],
        }


# -- counts --------------------------------------------------------------------------------

@pytest.mark.parametrize("dated", [True, False])
def test_scan_summary_counts_are_the_views_counts(runner, tmp_path, dated):
    feed = FIXTURES / "feeds" / "wire.jsonl"
    if not dated:
        feed = tmp_path / "undated.jsonl"
        feed.write_text("".join(
            json.dumps({k: v for k, v in json.loads(line).items() if k != "published"},
                       ensure_ascii=False) + "\n"
            for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8")
            .splitlines()), encoding="utf-8")
    db = tmp_path / "p.db"
    summary = json.loads(run(runner, "scan", feed, "--db", db, "--json").stdout)
    views = _view_counts(db)
    archive = summary["archive"]
    assert archive["uncredited copies"] == views["uncredited"]
    assert archive["credited copies"] == views["credited"]
    assert archive["similar (undirected)"] == views["similar"]
    if not dated:  # undated copies are similar texts, never uncredited copies
        assert views["similar"] > 0 and archive["uncredited copies"] == 0
    recorded = summary["counts"]["provenance"]  # what the run record keeps says the same
    assert (recorded["uncredited"], recorded["credited"], recorded["similar"]) == (
        views["uncredited"], views["credited"], views["similar"])
    table = run(runner, "scan", feed, "--db", db).stdout  # a re-scan prints the same totals
    line = next(row for row in table.splitlines() if "  uncredited" in row)
    assert line.split("│")[-2].strip() == str(views["uncredited"])


# -- show ----------------------------------------------------------------------------------

def test_show_puts_undated_copies_apart_and_never_prints_none(runner, undated_db):
    with Store(undated_db, create=False) as store:
        edges = store.copy_edges()
    similar = next(e for e in edges if e.relation == "similar")
    mine = similar.copy_id
    derived = {e.source_id for e in edges if e.relation == "derived_from" and e.copy_id == mine}
    shown = run(runner, "show", mine, "--db", undated_db)
    assert shown.exit_code == 0, shown.output
    head, _, rest = shown.stdout.partition("shares text with")
    assert rest, "no section for the undirected copies"
    apart = rest.split("\n├── ")[0]  # the section, up to the next branch of the tree
    assert similar.source_id in apart and similar.source_id not in head.split("derived from")[-1]
    if not derived:
        assert "derived from" not in shown.stdout
    assert "None" not in shown.stdout


def test_show_of_an_unknown_publisher_says_so(runner, tmp_path):
    db = tmp_path / "p.db"
    assert run(runner, "scan", FIXTURES / "texts", "--db", db, "-q").exit_code == 0
    shown = run(runner, "show", "harbour-brief_2025-11-14.txt", "--db", db)  # a file name
    assert shown.exit_code == 0, shown.output
    assert "None" not in shown.stdout and "unknown outlet" in shown.stdout
    checked = run(runner, "check", FIXTURES / "texts" / "harbour-brief_2025-11-14.txt", "--db",
                  db)
    assert checked.exit_code == 0, checked.output
    assert "(unknown outlet" in checked.stdout and "None" not in checked.stdout


def test_an_original_that_others_copy_is_not_badged_independent(runner, fixture_db,
                                                                 fixture_store):
    sources = {e.source_id for e in fixture_store.copy_edges() if e.relation == "derived_from"}
    copies = {e.copy_id for e in fixture_store.copy_edges()}
    origin = sorted(sources - copies)[0]
    shown = run(runner, "show", origin, "--db", fixture_db).stdout
    assert "original: copies no article in the archive" in shown and "copied by" in shown
    assert "no copied text found" not in shown and "independent" not in shown
    from provenance.outputs import html
    from provenance.outputs.assemble import report_data

    page = html.render(report_data(fixture_store))
    entry = page.split(f"id='a-{origin}'", 1)[1].split("</summary>", 1)[0]
    assert "independent" not in entry and "original" in entry


def test_show_names_outlets_not_ids_and_prints_a_passage_once(runner, fixture_db):
    shown = run(runner, "show", "kreisbote-20251028-kim-drohnen", "--db", fixture_db).stdout
    assert "without naming Deutsche Presse-Agentur" in shown
    assert "naming dpa" not in shown
    assert "(shown above)" in shown
    assert shown.count("Auf den von den Staatsmedien") == shown.count("\npassage") or (
        shown.count("Auf den von den Staatsmedien") < shown.count("(shown above)") + 2)


def test_show_finds_an_article_by_title_and_lists_ambiguous_ones(runner, fixture_db):
    found = run(runner, "show", "kommentar: moskau bezahlt", "--db", fixture_db)
    assert found.exit_code == 0 and "Moskau bezahlt mit Drohnen-Know-how" in found.stdout
    ambiguous = run(runner, "show", "Nordkorea", "--db", fixture_db)
    assert ambiguous.exit_code == 1
    assert "in the titles of" in ambiguous.stderr and "give one of these ids" in ambiguous.stderr


# -- empty archives ------------------------------------------------------------------------

def test_a_scan_that_reads_nothing_leaves_no_database(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "urls.txt").write_text("https://www.reuters.com/world/a\n"
                                     "https://www.dpa.com/b\n", encoding="utf-8")
    db = tmp_path / "p.db"
    result = run(runner, "scan", folder, "--db", db)
    assert result.exit_code == 1 and "no database was written" in result.stderr
    assert "a list of URLs" in result.stdout
    assert not list(tmp_path.glob("p.db*"))


def test_check_against_an_empty_archive_is_an_error(runner, tmp_path):
    db = tmp_path / "empty.db"
    Store(db).close()
    result = run(runner, "check", REPO / "examples" / "draft.txt", "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the archive") and "holds no article" in result.stderr
    assert "original" not in result.stdout


def test_check_refuses_an_archive_whose_every_scan_failed(runner, tmp_path):
    db = tmp_path / "failed.db"
    with Store(db) as store:
        scan(ScanConfig(paths=[FIXTURES / "texts"], workers=1), store)
    with sqlite3.connect(db) as conn:  # as a scan that died in its copy phase leaves it
        conn.execute("UPDATE run SET status = 'failed'")
    result = run(runner, "check", REPO / "examples" / "draft.txt", "--db", db)
    assert result.exit_code == 2 and "no scan of" in result.stderr
    assert "run the scan again" in result.stderr and not result.stdout
    with sqlite3.connect(db) as conn:  # a later scan completed: a warning no more
        conn.execute("UPDATE run SET status = 'completed'")
    assert run(runner, "check", REPO / "examples" / "draft.txt", "--db", db).exit_code == 0


# -- filters and formats -------------------------------------------------------------------

@pytest.mark.parametrize("option, value, message", [
    ("--since", "yesterday", "--since expects a date such as 2024-05-01"),
    ("--story", "story-nope", "no story 'story-nope'"),
    ("--outlet", "no-such-outlet", "no outlet 'no-such-outlet'"),
])
def test_graph_filters_are_validated(runner, fixture_db, option, value, message):
    result = run(runner, "graph", "--db", fixture_db, option, value)
    assert result.exit_code == 2 and message in result.stderr and not result.stdout


def test_graph_outlet_filter_takes_a_name(runner, fixture_db):
    by_name = json.loads(run(runner, "graph", "--db", fixture_db, "--outlet",
                             "Deutsche Presse-Agentur").stdout)
    by_id = json.loads(run(runner, "graph", "--db", fixture_db, "--outlet", "dpa").stdout)
    assert by_name == by_id and len(by_id["nodes"]) > 1


def test_formats_are_case_insensitive(runner, fixture_db):
    graph = run(runner, "graph", "--db", fixture_db, "--format", "JSON")
    assert graph.exit_code == 0 and json.loads(graph.stdout)["nodes"]
    checked = run(runner, "check", REPO / "examples" / "draft.txt", "--db", fixture_db,
                  "--format", "Json")
    assert checked.exit_code == 0 and "originality" in json.loads(checked.stdout)


def test_dot_colours_copies_by_verdict_with_a_legend(runner, fixture_db):
    from provenance.outputs.graph_formats import VERDICT_STYLE

    dot = run(runner, "graph", "--db", fixture_db, "--format", "dot").stdout
    copies = [line for line in dot.splitlines() if "derived_from" not in line
              and ("credited" in line or "same outlet" in line) and "legend" not in line]
    for verdict in ("credited", "uncredited", "same_outlet"):
        label = verdict.replace("_", " ")
        styled = [line for line in copies if f", {label}\"" in line]
        assert styled, verdict
        assert all(VERDICT_STYLE[verdict] in line for line in styled), verdict
    assert "cluster_legend" in dot
    import networkx as nx

    graphml = run(runner, "graph", "--db", fixture_db, "--format", "GraphML").stdout
    edges = [a for _, _, a in nx.parse_graphml(graphml).edges(data=True)
             if a.get("relation") == "derived_from"]
    assert edges and all(a["color"] in VERDICT_STYLE[a["verdict"]] for a in edges)
    assert all(a["label"].endswith(a["verdict"].replace("_", " ")) for a in edges)


# -- check ---------------------------------------------------------------------------------

def test_check_output_file_in_text_mode(runner, fixture_db, tmp_path):
    target = tmp_path / "check.txt"
    result = run(runner, "check", REPO / "examples" / "draft.txt", "--db", fixture_db,
                 "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith("originality") and "\x1b[" not in written


def test_check_prints_each_passage_once_with_names(runner, fixture_db):
    text = run(runner, "check", REPO / "examples" / "draft.txt", "--db", fixture_db).stdout
    assert "the same passages of the draft as above" in text
    assert text.count("Rüstungsbetrieb") == 2  # once in the draft column, once in the source
    assert "names none of Deutsche Presse-Agentur" in text and "None" not in text


def test_html_check_keeps_paragraph_breaks(runner, fixture_db):
    page = run(runner, "check", REPO / "examples" / "draft.txt", "--db", fixture_db,
               "--format", "html").stdout
    passage = page.split("<div class='text'><mark class='copied'>", 1)[1].split("</mark>")[0]
    assert "\n\n" in passage  # the draft's paragraphs, kept by the pre-wrap .text block


# -- titles --------------------------------------------------------------------------------

def test_site_marks_are_dropped_from_titles_for_display():
    from provenance.scan.registry import registry_of

    outlets = {o.id: o for o in registry_of(None, []).outlets}
    spiegel = site_marks(outlets["spiegel"])
    assert display_title("Kim lässt Drohnen bauen | SPIEGEL", spiegel) == "Kim lässt Drohnen bauen"
    assert display_title("Kim orders drones - Reuters", site_marks(outlets["reuters"])) == (
        "Kim orders drones")
    dw = site_marks(outlets["dw"])
    assert display_title("Russland-Wahl: Nadeschdin setzt auf ein Ende – DW – 30.01.2024",
                         dw) == "Russland-Wahl: Nadeschdin setzt auf ein Ende"
    url_only = site_marks(None, "https://www.globalnews.ca/news/1/x")
    assert display_title("Russia hits Kyiv, damages schools - National | Globalnews.ca",
                         url_only) == "Russia hits Kyiv, damages schools"
    # a second half of a headline is not a site mark
    kept = "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen"
    assert display_title(kept, site_marks(outlets["tagesschau"])) == kept
    assert display_title(None, spiegel, "ext-1") == "ext-1"


def test_show_and_graph_display_titles_without_site_marks(runner, tmp_path):
    record = json.loads((FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8")
                        .splitlines()[0])
    raw = record["title"] + " | Alpenpost"
    record["title"] = raw
    feed = tmp_path / "one.jsonl"
    feed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "p.db"
    assert run(runner, "scan", feed, "--db", db, "-q").exit_code == 0
    with Store(db, create=False) as store:
        assert store.articles()[0].title == raw  # the stored title is the raw one
    shown = run(runner, "show", record["id"], "--db", db).stdout
    assert "| Alpenpost" not in shown and record["title"].split(" | ")[0][:30] in shown
    dot = run(runner, "graph", "--db", db, "--format", "dot").stdout
    assert "| Alpenpost" not in dot


# -- logging, help, imports ----------------------------------------------------------------

def _provenance(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "provenance", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_verbosity_levels_show_ours_and_keep_trafilatura_quiet(tmp_path):
    page = FIXTURES / "html" / "rheinblatt_kommentar-drohnenpakt.html"
    info = _provenance("-v", "scan", str(page), "--db", str(tmp_path / "a.db"), "-q",
                       cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    assert "INFO provenance.cli: stage" in info.stderr and "INFO provenance.progress" in info.stderr
    debug = _provenance("-vv", "scan", str(page), "--db", str(tmp_path / "b.db"), "-q",
                        cwd=tmp_path)
    assert "DEBUG provenance.cli" in debug.stderr
    assert "trafilatura" not in debug.stderr and "htmldate" not in debug.stderr
    loud = _provenance("-vvv", "scan", str(page), "--db", str(tmp_path / "c.db"), "-q",
                       cwd=tmp_path)
    assert "DEBUG trafilatura" in loud.stderr
    flagged = _provenance("--debug", "scan", str(page), "--db", str(tmp_path / "d.db"), "-q",
                          cwd=tmp_path)
    assert "DEBUG trafilatura" in flagged.stderr and "DEBUG provenance.cli" in flagged.stderr


def test_help_shows_flags_as_flags(runner):
    main_help = run(runner, "--help").stdout
    verbose = next(line for line in main_help.splitlines() if "--verbose" in line)
    assert "<int>" not in verbose and "-vv" in main_help
    scan_help = run(runner, "scan", "--help").stdout
    quiet = next(line for line in scan_help.splitlines() if "--quiet" in line)
    assert "<bool>" not in quiet


def test_importing_the_cli_loads_no_heavy_library():
    heavy = ("trafilatura", "sqlalchemy", "sqlmodel", "datasketch", "networkx", "numpy", "lxml",
             "provenance.citations.cues")
    code = ("import sys, provenance.cli; "
            f"print([m for m in {heavy!r} if m in sys.modules])")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=True).stdout.strip()
    assert loaded == "[]", f"importing provenance.cli loads {loaded}"


def test_progress_counts_records_of_one_feed_and_reports_long_steps(store, caplog):
    from provenance.outputs.progress import ScanProgress

    feed = FIXTURES / "feeds" / "wire.jsonl"
    lines = len(feed.read_text(encoding="utf-8").splitlines())
    events: list[tuple[str, int, int]] = []
    caplog.set_level("INFO", logger="provenance.progress")
    with ScanProgress() as shown:
        def progress(event: str, done: int, total: int) -> None:
            events.append((event, done, total))
            shown(event, done, total)

        scan(ScanConfig(paths=[feed], workers=1), store, progress=progress)
    records = [done for event, done, _ in events if event == "record"]
    assert records == list(range(1, lines + 1))  # the count moves inside the one file
    first_file = next(i for i, (event, _, _) in enumerate(events) if event == "file")
    assert all(event == "record" for event, _, _ in events[:first_file])
    order = [event for event, _, _ in events]
    # the stories are stored once provenance is traced (a worker clusters them meanwhile)
    for before, after in (("file", "boilerplate"), ("boilerplate", "candidates"),
                          ("candidates", "match"), ("match", "provenance"),
                          ("provenance", "stories")):
        assert order.index(before) < order.index(after), (before, after)
    logged = caplog.text
    assert f"reading: {lines} records from 1 of 1 files" in logged
    assert "comparing for copies" in logged and "tracing provenance: done" in logged


def test_check_warns_when_the_last_scan_did_not_complete(runner, fixture_db, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(fixture_db, db)
    with Store(db, create=False) as store:
        run_id = store.begin_run("test", {}, "test")
        store.finish_run(run_id, "interrupted", {"read": 0})
    result = run(runner, "check", REPO / "examples" / "draft.txt", "--db", db)
    assert result.exit_code == 0
    assert "Warning: the last scan of" in result.stderr and "interrupted" in result.stderr
