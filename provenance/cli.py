"""The command line: parse options, call one library function, render. No SQL, no rules here.

Every command runs inside `_reporting_errors`, the one place where a ProvenanceError becomes
`Error: <message>` on stderr and exit code 1.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from provenance.check import check as run_check
from provenance.check import read_draft, to_json
from provenance.commands import report as report_command
from provenance.commands.common import DbOption, err, out
from provenance.commands.common import emit as _emit
from provenance.commands.common import fail as _fail
from provenance.commands.common import reporting_errors as _reporting_errors
from provenance.config import DEFAULT_DB, FingerprintParams, ScanConfig, Thresholds
from provenance.outputs import graph, graph_formats
from provenance.outputs import html as htmlreport
from provenance.outputs import terminal as report
from provenance.outputs.assemble import (
    article_citations,
    article_provenance,
    graph_of,
)
from provenance.scan import ScanResult
from provenance.scan import scan as run_scan
from provenance.scan.registry import registry_of
from provenance.store import Store
from provenance.version import __version__

app = typer.Typer(
    help="Find copies among news articles, read whom they cite, and trace each to its origin.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
def _version(value: bool) -> None:
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True,
                                         help="Log more (-v info, -vv debug).")] = 0,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """provenance: source deduplication and provenance tracking for news."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)


@app.command("scan")
@_reporting_errors
def scan_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles (.html, "
                                                ".txt, .md, .jsonl, .warc; .gz too).")],
    db: DbOption = Path(DEFAULT_DB),
    manifest: Annotated[Path | None, typer.Option(
        help="CSV or JSONL mapping paths to url, outlet, published (for plain files).")] = None,
    outlets: Annotated[list[Path] | None, typer.Option(
        "--outlets", help="Extra outlet registry file(s) that extend or override the "
        "built-in one.")] = None,
    workers: Annotated[int, typer.Option(help="Extraction processes (0 = one per core).",
                                         min=0)] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary instead of "
                                          "tables.")] = False,
    shingle_size: Annotated[int, typer.Option(help="Words per shingle (fixed per database).",
                                              min=1)] = FingerprintParams.shingle_size,
    num_perm: Annotated[int, typer.Option(help="MinHash permutations (fixed per database).",
                                          min=8)] = FingerprintParams.num_perm,
    bands: Annotated[int, typer.Option(help="LSH bands (fixed per database).", min=1)]
    = FingerprintParams.bands,
    rows: Annotated[int, typer.Option(help="LSH rows per band (fixed per database).", min=1)]
    = FingerprintParams.rows,
    near_duplicate_coverage: Annotated[float, typer.Option(
        help="Share of one text inside aligned passages that makes a near-duplicate.",
        min=0.0, max=1.0)] = Thresholds.near_dup_coverage,
    partial_coverage: Annotated[float, typer.Option(
        help="Smallest covered share that makes a partial copy.", min=0.0, max=1.0)]
    = Thresholds.partial_min_coverage,
    min_passage_words: Annotated[int, typer.Option(
        help="Shortest aligned passage, in words.", min=1)] = Thresholds.min_passage_tokens,
) -> None:
    """Read articles into the database: text, metadata, citations, copies, provenance."""
    try:
        params = FingerprintParams(shingle_size=shingle_size, num_perm=num_perm, bands=bands,
                                   rows=rows)
    except ValueError as exc:
        raise _fail(f"{exc} (check --num-perm, --bands and --rows)", 2) from None
    thresholds = Thresholds(near_dup_coverage=near_duplicate_coverage,
                            partial_min_coverage=partial_coverage,
                            min_passage_tokens=min_passage_words)
    cfg = ScanConfig(paths=list(paths), manifest=manifest, outlets_files=list(outlets or []),
                     workers=workers, fingerprint=params, thresholds=thresholds)
    try:
        result = _scan_with_progress(cfg, db, not quiet and not as_json and err.is_terminal)
    except KeyboardInterrupt:
        raise _fail(f"interrupted; what was read is saved in {db}. Run the same command "
                    "again to resume.", 130) from None
    if as_json:
        typer.echo(report.scan_summary_json(result, str(db)))
    elif not quiet:
        report.print_scan_summary(result, str(db), out)
    if result.error:
        raise _fail(result.error)
    if result.nothing_read:
        raise _fail("no article could be read from the given paths (see the input problems "
                    "above, or check the paths and formats).")


def _scan_with_progress(cfg: ScanConfig, db: Path, show_progress: bool) -> ScanResult:
    """Scan into the database at `db`, with a progress bar on stderr when asked.

    SIGTERM (a service manager stopping the scan, `kill`) ends it like Ctrl-C: what was read is
    saved and the run is recorded as interrupted.
    """
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _scan_into(cfg, db, show_progress)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: object) -> None:
    """Turn a termination signal into the KeyboardInterrupt the scan already handles."""
    raise KeyboardInterrupt


def _scan_into(cfg: ScanConfig, db: Path, show_progress: bool) -> ScanResult:
    """`_scan_with_progress` once the signal handler is in place."""
    with Store(db) as store:
        if not show_progress:
            return run_scan(cfg, store)
        with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("files"), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task("scan", total=None)

            def tick(_event: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return run_scan(cfg, store, progress=tick)


@app.command("graph")
@_reporting_errors
def graph_cmd(
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (node-link), graphml, "
                                     "gexf, dot or jsonld.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file, not stdout.")] = None,
    story: Annotated[str | None, typer.Option(help="Only this story (a story id).")] = None,
    outlet: Annotated[str | None, typer.Option(
        help="Only articles published by or citing this outlet (an outlet id).")] = None,
    since: Annotated[str | None, typer.Option(
        help="Only articles published on or after this ISO date.")] = None,
) -> None:
    """Export the citation graph of the database (json, graphml, gexf, dot, jsonld)."""
    if fmt not in graph_formats.FORMATS:
        raise _fail(f"unknown format {fmt!r} (use --format with one of "
                    f"{', '.join(graph_formats.FORMATS)})", 2)
    with Store(db, create=False) as store:
        g = graph_of(store)
        runs = store.runs()
    if story or outlet or since:
        g = graph.filter_graph(g, story=story, outlet=outlet, since=since)
    text = graph_formats.export(g, fmt, runs=runs)
    _emit(text, output, "--output",
          f" ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@app.command("show")
@_reporting_errors
def show_cmd(
    ref: Annotated[str, typer.Argument(help="Article id, external id, url or path.")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show where an article comes from: copies, citations, verdicts, original sources."""
    with Store(db, create=False) as store:
        data = article_provenance(store, ref)
    if as_json:
        typer.echo(report.provenance_json(data))
    else:
        report.print_provenance(data, out)


@app.command("check")
@_reporting_errors
def check_cmd(
    draft: Annotated[str, typer.Argument(help="The draft: a text, HTML or JSONL file, or - "
                                         "for stdin.")],
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or html.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the json or "
                                                "html result to this file.")] = None,
    fail_under: Annotated[float | None, typer.Option(
        help="Exit with code 3 when the originality is below this ratio (0-1).", min=0.0,
        max=1.0)] = None,
    add: Annotated[bool, typer.Option("--add", help="Also add the draft to the archive (a "
                                      "normal scan of the file).")] = False,
    outlets: Annotated[list[Path] | None, typer.Option(
        "--outlets", help="Extra outlet registry file(s).")] = None,
) -> None:
    """How original is a draft: what it copies from whom, and whether it credits it."""
    if fmt not in ("text", "json", "html"):
        raise _fail(f"unknown format {fmt!r} (use --format text, json or html)", 2)
    if add and draft == "-":
        raise _fail("--add needs a file (save the draft first; stdin cannot be re-read)", 2)
    record = read_draft(draft)
    with Store(db, create=False) as store:
        registry = registry_of(store, outlets or [])
        result = run_check(store, record, registry)
        if add:
            run_scan(ScanConfig(paths=[Path(draft)], outlets_files=list(outlets or []),
                                workers=1), store)
    if fmt == "json":
        _emit(to_json(result), output)
    elif fmt == "html":
        _emit(htmlreport.render_check(result), output)
    else:
        report.print_check(result, out)
    if fail_under is not None and result.originality < fail_under:
        typer.echo(f"originality {result.originality:.2f} is below --fail-under "
                   f"{fail_under:.2f}", err=True)
        raise typer.Exit(3)


@app.command("citations")
@_reporting_errors
def citations_cmd(
    ref: Annotated[str, typer.Argument(help="Article id, external id, url or path.")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show which outlets and sources an article cites, with the evidence highlighted."""
    with Store(db, create=False) as store:
        found = article_citations(store, ref)
    if as_json:
        typer.echo(report.citations_json(found.article, found.citations))
    else:
        report.print_citations(found.article, found.citations, found.outlets, out)


@app.command("outlets")
@_reporting_errors
def outlets_cmd(
    search: Annotated[str | None, typer.Option(help="Only outlets whose name, alias or "
                                               "domain contains this text.")] = None,
    outlets: Annotated[list[Path] | None, typer.Option(
        "--outlets", help="Extra outlet registry file(s) to load first.")] = None,
    db: Annotated[Path | None, typer.Option(
        "--db", help="Also the registry files this database keeps (from earlier --outlets).",
        dir_okay=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the outlet registry (the built-in one, a database's files, any --outlets files)."""
    if db is None:
        registry = registry_of(None, outlets or [])
    else:
        with Store(db, create=False) as store:
            registry = registry_of(store, outlets or [])
    found = registry.search(search) if search else list(registry.outlets)
    if as_json:
        typer.echo(json.dumps([report.outlet_json(o) for o in found], ensure_ascii=False,
                              indent=2))
        return
    report.outlets_table(found, out)
    out.print(f"registry version {registry.version}")


report_command.register(app)
