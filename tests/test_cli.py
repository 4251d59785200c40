"""The command line: every command documented and working, errors as `Error: ...`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from provenance.cli import app
from provenance.version import __version__

README = Path(__file__).resolve().parents[1] / "README.md"
FIXTURES = README.parent / "fixtures"


def run(runner, *args):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def test_version(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"provenance {__version__}"


def test_every_command_has_help_and_is_in_the_readme(runner):
    readme = README.read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = run(runner, name, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output
        assert f"provenance {name}" in readme, f"README does not show `provenance {name}`"


def test_readme_commands_exist(runner):
    readme = README.read_text(encoding="utf-8")
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    for used in re.findall(r"^\s*provenance (\w+)", readme, flags=re.M):
        assert used in names, f"README uses `provenance {used}`, which does not exist"


def test_scan_prints_summary_and_graph_has_five_articles(runner, seeds_dir, tmp_path):
    db = tmp_path / "p.db"
    result = run(runner, "scan", seeds_dir, "--db", db)
    assert result.exit_code == 0, result.output
    assert "read" in result.output and "new" in result.output
    again = run(runner, "scan", seeds_dir, "--db", db, "--json")
    summary = json.loads(again.stdout)
    assert summary["counts"]["unchanged"] == 5 and summary["counts"]["new"] == 0
    graph = run(runner, "graph", "--db", db, "--format", "json")
    data = json.loads(graph.stdout)
    articles = [n for n in data["nodes"] if n["type"] == "article"]
    assert len(articles) == 5 and "edges" in data
    for node in articles:
        assert {"id", "external_id", "path", "url", "title", "outlet", "published", "language",
                "story"} <= set(node)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "dot", "jsonld"])
def test_graph_formats_write_files(runner, seeds_dir, tmp_path, fmt):
    db = tmp_path / "p.db"
    run(runner, "scan", seeds_dir, "--db", db, "--quiet")
    out = tmp_path / f"g.{fmt}"
    result = run(runner, "graph", "--db", db, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "graphml":
        assert nx.read_graphml(out).number_of_nodes() >= 5
    elif fmt == "gexf":
        assert nx.read_gexf(out).number_of_nodes() >= 5
    elif fmt == "dot":
        assert text.startswith("digraph provenance {")
    else:
        assert "@graph" in json.loads(text)


def test_graph_without_database_says_what_to_do(runner, tmp_path):
    result = run(runner, "graph", "--db", tmp_path / "none.db")
    assert result.exit_code == 1
    assert "Error: no database at" in result.stderr and "provenance scan" in result.stderr


def test_unknown_graph_format_is_a_usage_error(runner, tmp_path):
    result = run(runner, "graph", "--db", tmp_path / "none.db", "--format", "xml")
    assert result.exit_code == 2 and "unknown --format 'xml'" in result.stderr


@pytest.mark.parametrize("command", ["show", "citations"])
def test_unknown_article_is_an_error(runner, fixture_db, command):
    result = run(runner, command, "no-such-article", "--db", fixture_db)
    assert result.exit_code == 1 and result.stderr.startswith("Error: no article matches")


def test_scan_summary_counts_every_verdict_and_lists_input_problems(runner, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text((FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8")
                    + "{not json\n", encoding="utf-8")
    db = tmp_path / "p.db"
    result = runner.invoke(app, ["scan", str(feed), "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "by the source's own outlet" in result.output
    assert "Input problems (1)" in result.output
    summary = json.loads(run(runner, "scan", feed, "--db", tmp_path / "q.db", "--json").stdout)
    assert {"credited", "uncredited", "same_outlet"} <= set(summary["counts"]["provenance"])
    assert len(summary["errors"]) == 1
    assert set(summary["errors"][0]) == {"path", "record", "kind", "severity", "message"}


def test_scan_of_nothing_readable_exits_1(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run(runner, "scan", tmp_path, "--db", tmp_path / "p.db", "--quiet")
    assert result.exit_code == 1 and "Error: no article could be read" in result.stderr


def test_scan_of_missing_path_is_an_error(runner, tmp_path):
    result = run(runner, "scan", tmp_path / "nope", "--db", tmp_path / "p.db")
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_scan_refuses_a_foreign_sqlite_file(runner, tmp_path, seeds_dir):
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.commit()
    result = run(runner, "scan", seeds_dir, "--db", other)
    assert result.exit_code == 1 and "not a provenance database" in result.stderr


def test_outlets_search(runner):
    result = run(runner, "outlets", "--search", "yonhap")
    assert result.exit_code == 0 and "Yonhap" in result.stdout


def test_copy_parameters_are_recorded_and_a_mismatch_is_refused(runner, seeds_dir, tmp_path):
    db = tmp_path / "p.db"
    first = run(runner, "scan", seeds_dir, "--db", db, "--quiet", "--near-duplicate-coverage",
                "0.7", "--min-passage-words", "25")
    assert first.exit_code == 0, first.output
    from provenance import Store

    with Store(db, create=False) as store:
        params = store.runs()[-1].parameters
    assert params["thresholds"]["near_dup_coverage"] == 0.7
    assert params["thresholds"]["min_passage_tokens"] == 25
    assert params["fingerprint"]["recipe"].endswith("lsh64x2-a8")
    again = run(runner, "scan", seeds_dir, "--db", db, "--quiet", "--shingle-size", "4")
    assert again.exit_code == 1
    assert "Error: cannot compare fingerprints made with different parameters" in again.stderr
    assert "new --db" in again.stderr


def test_impossible_banding_is_a_usage_error(runner, seeds_dir, tmp_path):
    result = run(runner, "scan", seeds_dir, "--db", tmp_path / "p.db", "--bands", "100",
                 "--rows", "2")
    assert result.exit_code == 2 and "exceeds num_perm" in result.stderr


def test_a_malformed_outlet_file_is_a_clear_error(runner, seeds_dir, tmp_path):
    bad = tmp_path / "outlets.json"
    bad.write_text('{"version": "1", "outlets": [{"id": "BAD id"}]}', encoding="utf-8")
    for args in (["outlets", "--outlets", bad],
                 ["scan", seeds_dir, "--db", tmp_path / "p.db", "--outlets", bad]):
        result = run(runner, *args)
        assert result.exit_code == 1 and result.stderr.startswith(f"Error: {bad}")


def test_citations_command_highlights_the_evidence(runner, seeds_dir, tmp_path):
    db = tmp_path / "p.db"
    run(runner, "scan", seeds_dir, "--db", db, "--quiet")
    result = runner.invoke(app, ["citations", str(seeds_dir / "002_25141ca1b34c2621.txt"),
                                 "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Yonhap" in result.output and "zufolge" in result.output
    assert "Image credits (not citations)" in result.output and "East News" in result.output
    data = json.loads(run(runner, "citations", str(seeds_dir / "002_25141ca1b34c2621.txt"),
                          "--db", db, "--json").stdout)
    assert {c["outlet_id"] for c in data["citations"] if c["counts"]} == {"kcna", "yonhap"}


# Libraries `--help` must not load: the data stack, and rich's help rendering (markdown, pygments).
HEAVY_FOR_HELP = ("rich", "markdown_it", "pygments", "trafilatura", "lxml", "sqlalchemy",
                  "sqlmodel", "datasketch", "numpy", "networkx", "provenance.citations",
                  "provenance.store", "provenance.scan")


@pytest.mark.parametrize("args", [("--help",), ("scan", "--help"), ("check", "--help")])
def test_help_loads_no_heavy_library(args):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "provenance", *args],
                          capture_output=True, text=True, cwd=README.parent, check=True)
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    heavy = sorted(m for m in imported
                   if any(m == h or m.startswith(h + ".") for h in HEAVY_FOR_HELP))
    assert "Usage: provenance" in done.stdout
    assert heavy == [], f"`provenance {' '.join(args)}` imports {heavy}"


def test_main_help_lists_each_command_with_its_whole_first_sentence(runner):
    shown = " ".join(run(runner, "--help").stdout.split())
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        first = command.callback.__doc__.split("\n\n")[0]
        sentence = " ".join(first.split()).split(". ")[0]
        assert f"{name} {sentence}" in shown, shown
