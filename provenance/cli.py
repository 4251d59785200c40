"""The command line: parse options, call one library function, render. No SQL, no rules here.

Every command runs inside `reporting_errors`, the one place where a ProvenanceError becomes
`Error: <message>` on stderr and exit code 1. Only light modules are imported at the top; each
command imports what it needs (the store, the scan, the graph) in its body, so that
`provenance --help` does not load SQLAlchemy, numpy, networkx or trafilatura.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from provenance.commands import report as report_command
from provenance.commands import spark as spark_command
from provenance.commands.common import DbOption, choice, err, iso_date, out, setup_logging
from provenance.commands.common import emit as _emit
from provenance.commands.common import fail as _fail
from provenance.commands.common import reporting_errors as _reporting_errors
from provenance.config import DEFAULT_DB, FingerprintParams, ScanConfig, Thresholds
from provenance.errors import NotFoundError
from provenance.version import __version__

if TYPE_CHECKING:
    from provenance.scan import ScanResult
    from provenance.store import Store

log = logging.getLogger("provenance.cli")

GRAPH_FORMATS = ("json", "graphml", "gexf", "dot", "jsonld")
CHECK_FORMATS = ("text", "json", "html")



class _Commands(typer.core.TyperGroup):
    """The command group: plain help (no rich, so `--help` loads no rich, markdown or pygments),
    listing each command with its first sentence in full where click would cut it."""

    def format_commands(self, ctx: typer.Context, formatter) -> None:
        """The `Commands` section: name and whole first sentence of every visible command."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    cls=_Commands,
    help="Find copies among news articles, read whom they cite, and trace each to its origin.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[int, typer.Option(
        "--verbose", "-v", count=True, metavar="", show_default=False,
        help="Log more; repeat it: -v phases, timings and counts, -vv our debug lines, -vvv "
        "the libraries' too (trafilatura, htmldate, ...).")] = 0,
    debug: Annotated[bool, typer.Option("--debug", metavar="", help="Log everything, the "
                                        "libraries' debug lines too (as -vvv).")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          metavar="", help="Show the version and exit.")]
    = False,
) -> None:
    """provenance: source deduplication and provenance tracking for news."""
    setup_logging(3 if debug else verbose)


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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="",
                                        help="No progress display and no summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print a JSON summary "
                                          "instead of tables.")] = False,
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
    log.debug("scan parameters: %s", cfg.parameters())
    _fail_when_nothing_done(_scan_and_summarise(cfg, db, quiet, as_json), db)


def _scan_and_summarise(cfg: ScanConfig, db: Path, quiet: bool, as_json: bool) -> ScanResult:
    """The scan and its summary (tables, or JSON with `as_json`; none when `quiet`).

    SIGTERM (a service manager stopping the scan, `kill`) ends it like Ctrl-C, up to the last
    line of the summary: what was read is saved and the run is recorded as interrupted.
    """
    from provenance.outputs import terminal as report

    show_progress = not quiet and not as_json and err.is_terminal
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        result, totals = _scan_with_progress(cfg, db, show_progress)
        _log_timings(result)
        if as_json:
            typer.echo(report.scan_summary_json(result, str(db), totals))
        elif not quiet:
            report.print_scan_summary(result, str(db), out.console, totals)
        return result
    except KeyboardInterrupt as exc:
        kept = (f"what was read is saved in {db}. Run the same command again to resume"
                if db.exists() else f"nothing was read, and no database was written at {db}")
        raise _fail(f"interrupted; {kept}.", 143 if isinstance(exc, Terminated) else 130
                    ) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fail_when_nothing_done(result: ScanResult, db: Path) -> None:
    """Exit 1 when the scan failed or read nothing (saying whether a database was left)."""
    if result.error:
        raise _fail(result.error)
    if result.nothing_read:
        kept = "" if db.exists() else f"; no database was written at {db}"
        raise _fail("no article could be read from the given paths (see the input problems "
                    f"above, or check the paths and formats){kept}.")


def _scan_with_progress(cfg: ScanConfig, db: Path, show_progress: bool
                        ) -> tuple[ScanResult, dict]:
    """Scan into the database at `db` (progress on stderr when asked); the result and the
    archive's copy and verdict totals as the views count them.

    A database this scan created and left without a single article is removed: a scan that
    read nothing leaves no empty archive behind.
    """
    existed = db.exists()
    empty = False
    try:
        from provenance.outputs.assemble import archive_totals
        from provenance.store import Store

        with Store(db) as store:
            try:
                result = _scan_into(cfg, store, show_progress)
                return result, archive_totals(store)
            finally:
                empty = not existed and store.current_articles() == 0
    finally:
        if empty:
            _remove_database(db)


def _remove_database(db: Path) -> None:
    """Delete a database file (and its journal files) that this command created empty."""
    for path in (db, *(db.with_name(db.name + end) for end in ("-wal", "-shm", "-journal",
                                                                ".lock"))):
        path.unlink(missing_ok=True)
    log.info("removed %s: the scan stored no article", db)


def run() -> None:
    """The `provenance` command (console script and ``python -m provenance``): `app`, then an
    exit that a late SIGTERM does not cut short. A command handles SIGTERM while it works (a
    scan records its run as interrupted and exits 143); once it has returned or failed, the
    interpreter's own exit (the worker pool's finalisers, module teardown) runs with SIGTERM
    ignored, so that a signal landing there does not make a completed and reported scan end
    as killed by a signal."""
    try:
        app(prog_name="provenance")
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


class Terminated(KeyboardInterrupt):
    """SIGTERM as the KeyboardInterrupt the scan handles (the command exits 143, not 130)."""


def _terminate(_signum: int, _frame: object) -> None:
    """Turn a termination signal into the KeyboardInterrupt the scan already handles."""
    raise Terminated


def _scan_into(cfg: ScanConfig, store: Store, show_progress: bool) -> ScanResult:
    """`_scan_with_progress` once the store is open: the scan, reporting its phases."""
    from provenance.outputs.progress import ScanProgress
    from provenance.scan import scan as run_scan

    with ScanProgress(err.console if show_progress else None) as progress:
        return run_scan(cfg, store, progress=progress)


def _log_timings(result: ScanResult) -> None:
    """The run's counts and per-stage seconds as INFO lines (-v)."""
    c = result.counts
    log.info("run %s %s: %s read (%s new, %s updated, %s unchanged), %s failed inputs",
             result.run_id, result.status, c.get("read", 0), c.get("new", 0),
             c.get("updated", 0), c.get("unchanged", 0), c.get("failed", 0))
    for stage, seconds in (c.get("timings") or {}).items():
        if isinstance(seconds, float):
            log.info("stage %s: %.2f s", stage, seconds)


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
        help="Only articles published by or citing this outlet (its id or name).")] = None,
    since: Annotated[str | None, typer.Option(
        help="Only articles published on or after this date (2024-05-01).")] = None,
) -> None:
    """Export the citation graph of the database (json, graphml, gexf, dot, jsonld)."""
    fmt = choice(fmt, GRAPH_FORMATS, "--format")
    since = iso_date(since, "--since") if since else None
    from provenance.outputs import graph, graph_formats
    from provenance.outputs.assemble import graph_of, outlet_ref
    from provenance.store import Store

    with Store(db, create=False) as store:
        if story and store.story(story) is None:
            raise _fail(f"no story {story!r} in {db} (story ids are in the story_origins "
                        "view, and in `provenance show`)", 2)
        try:
            outlet_id = outlet_ref(store, outlet) if outlet else None
        except NotFoundError as exc:
            raise _fail(str(exc), 2) from None
        g = graph_of(store)
        runs = store.runs()
    if story or outlet_id or since:
        g = graph.filter_graph(g, story=story, outlet=outlet_id, since=since)
    text = graph_formats.export(g, fmt, runs=runs)
    _emit(text, output, "--output",
          f" ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@app.command("show")
@_reporting_errors
def show_cmd(
    ref: Annotated[str, typer.Argument(help="Article id, external id, url, path, file name or "
                                       "a unique piece of its title.")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """Show where an article comes from: copies, citations, verdicts, original sources."""
    from provenance.outputs import terminal as report
    from provenance.outputs.assemble import article_provenance
    from provenance.store import Store

    with Store(db, create=False) as store:
        data = article_provenance(store, ref)
    if as_json:
        typer.echo(report.provenance_json(data))
    else:
        report.print_provenance(data, out.console)


@app.command("check")
@_reporting_errors
def check_cmd(
    draft: Annotated[str, typer.Argument(help="The draft: a text, HTML or JSONL file, or - "
                                         "for stdin.")],
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or html.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the result to "
                                                "this file, not stdout.")] = None,
    fail_under: Annotated[float | None, typer.Option(
        help="Exit with code 3 when the originality is below this ratio (0-1).", min=0.0,
        max=1.0)] = None,
    add: Annotated[bool, typer.Option("--add", metavar="", help="Also add the draft to the "
                                      "archive (a normal scan of the file).")] = False,
    outlets: Annotated[list[Path] | None, typer.Option(
        "--outlets", help="Extra outlet registry file(s).")] = None,
) -> None:
    """How original is a draft: what it copies from whom, and whether it credits it."""
    fmt = choice(fmt, CHECK_FORMATS, "--format")
    if add and draft == "-":
        raise _fail("--add needs a file (save the draft first; stdin cannot be re-read)", 2)
    from provenance.check import check as run_check
    from provenance.check import read_draft, to_json
    from provenance.scan.registry import registry_of
    from provenance.store import Store

    record = read_draft(draft)
    with Store(db, create=False) as store:
        if store.current_articles() == 0:
            raise _fail(f"the archive {db} holds no article, so there is nothing to compare "
                        "the draft with (scan articles into it first: provenance scan FOLDER "
                        f"--db {db})", 2)
        _refuse_or_warn_unfinished(store, db)
        registry = registry_of(store, outlets or [])
        result = run_check(store, record, registry)
        if add:
            from provenance.scan import scan as run_scan

            run_scan(ScanConfig(paths=[Path(draft)], outlets_files=list(outlets or []),
                                workers=1), store)
    if fmt == "json":
        _emit(to_json(result), output)
    elif fmt == "html":
        from provenance.outputs import html as htmlreport

        _emit(htmlreport.render_check(result), output)
    else:
        from provenance.outputs.check_text import print_check

        _emit_text(lambda console: print_check(result, console), output)
    if fail_under is not None and result.originality < fail_under:
        typer.echo(f"originality {result.originality:.2f} is below --fail-under "
                   f"{fail_under:.2f}", err=True)
        raise typer.Exit(3)


def _refuse_or_warn_unfinished(store: Store, db: Path) -> None:
    """Refuse an archive whose every scan failed (its copies and provenance may be missing);
    say on stderr when only the last scan did not complete (its verdicts may be stale)."""
    runs = store.runs()
    if runs and runs[-1].status == "failed" and all(r.status != "completed" for r in runs):
        raise _fail(f"no scan of {db} has completed and the last one failed "
                    f"({runs[-1].counts.get('error') or 'see provenance show'}), so its copies "
                    "and provenance may be missing (run the scan again to finish it)", 2)
    if runs and runs[-1].status != "completed":
        reason = runs[-1].counts.get("error") or "run the scan again to finish it"
        err.print(f"Warning: the last scan of {db} is {runs[-1].status} ({reason}); the "
                  "archive's provenance may be out of date.", markup=False, soft_wrap=True)


def _emit_text(render, output: Path | None) -> None:
    """Render for the terminal, or as plain text (no colours, 100 columns) into `output`."""
    if output is None:
        render(out.console)
        return
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=100, highlight=False, soft_wrap=False,
                      color_system=None)
    render(console)
    _emit(console.file.getvalue(), output)


@app.command("citations")
@_reporting_errors
def citations_cmd(
    ref: Annotated[str, typer.Argument(help="Article id, external id, url, path, file name or "
                                       "a unique piece of its title.")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """Show which outlets and sources an article cites, with the evidence highlighted."""
    from provenance.outputs import terminal as report
    from provenance.outputs.assemble import article_citations
    from provenance.store import Store

    with Store(db, create=False) as store:
        found = article_citations(store, ref)
    if as_json:
        typer.echo(report.citations_json(found.article, found.citations))
    else:
        report.print_citations(found.article, found.citations, found.outlets, out.console)


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
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """List the outlet registry (the built-in one, a database's files, any --outlets files)."""
    from provenance.outputs import terminal as report
    from provenance.scan.registry import registry_of

    if db is None:
        registry = registry_of(None, outlets or [])
    else:
        from provenance.store import Store

        with Store(db, create=False) as store:
            registry = registry_of(store, outlets or [])
    found = registry.search(search) if search else list(registry.outlets)
    if as_json:
        typer.echo(json.dumps([report.outlet_json(o) for o in found], ensure_ascii=False,
                              indent=2))
        return
    report.outlets_table(found, out.console)
    out.print(f"registry version {registry.version}")


report_command.register(app)
spark_command.register(app)
