"""The `report` command: the HTML report of a database, as a static site or as one file.

`--html DIR` writes the site (overview, story, article and outlet pages, search); a path
ending in `.html` or `.htm` writes the single self-contained page instead (small archives).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from provenance.commands.common import DbOption, emit, err, fail, reporting_errors
from provenance.config import DEFAULT_DB

SINGLE_FILE_SUFFIXES = (".html", ".htm")


def is_single_file(path: Path) -> bool:
    """Whether `--html PATH` asks for one page (a .html/.htm name) rather than a site folder."""
    return path.suffix.lower() in SINGLE_FILE_SUFFIXES


def register(app: typer.Typer) -> None:
    """Add `report` and `serve` to `app`."""
    register_serve(app)

    @app.command("report")
    @reporting_errors
    def report_cmd(
        html_path: Annotated[Path, typer.Option(
            "--html", help="Folder to write the report site into (overview, stories, articles,"
            " outlets, search); a name ending in .html writes one self-contained page instead.")],
        db: DbOption = Path(DEFAULT_DB),
    ) -> None:
        """Write the HTML report: a static site (a folder) or one page (a .html file)."""
        from provenance.store import Store

        if is_single_file(html_path):
            from provenance.outputs import html as htmlreport
            from provenance.outputs.assemble import report_data

            if html_path.is_dir():
                raise fail(f"{html_path} is a folder (give a file name ending in .html, or a "
                           "folder name without .html for the report site)", 2)
            with Store(db, create=False) as store:
                page = htmlreport.render(report_data(store))
            emit(page, html_path, "--html path", f" ({len(page) // 1024} KB)")
            return
        if html_path.exists() and not html_path.is_dir():
            raise fail(f"{html_path} is a file (give a folder for the report site, or a name "
                       "ending in .html for one page)", 2)
        from provenance.outputs.site import write_site

        with Store(db, create=False) as store:
            try:
                stats = write_site(store, html_path)
            except OSError as exc:
                raise fail(f"cannot write the report site into {html_path}: {exc.strerror} "
                           "(choose another --html folder)") from None
        err.print(f"Wrote the report site to {html_path}/index.html: {stats.pages:,} pages "
            f"({stats.bytes / 1e6:.1f} MB; {stats.stories:,} stories, {stats.articles:,} "
            f"articles, {stats.outlets:,} outlets) in {stats.seconds:.1f}s.")


def report_folder(db: Path) -> Path:
    """Where `serve` keeps the report site of `db` by default: beside it, `<name>-report/`."""
    return db.parent / f"{db.stem}-report"


def _site_is_stale(site: Path, db: Path) -> bool:
    index = site / "index.html"
    return not index.is_file() or index.stat().st_mtime < db.stat().st_mtime


def register_serve(app: typer.Typer) -> None:
    """Add `serve` to `app`."""

    @app.command("serve")
    @reporting_errors
    def serve_cmd(
        db: DbOption = Path(DEFAULT_DB),
        report: Annotated[Path | None, typer.Option(
            "--report", help="The report site rows link to (default: <db name>-report/ beside "
            "the database; written when missing or older than the database).",
            file_okay=False)] = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
        rebuild: Annotated[bool, typer.Option(
            "--rebuild", help="Write the report site again even if it is up to date.")] = False,
        print_metadata: Annotated[bool, typer.Option(
            "--print-metadata", help="Print Datasette's metadata for this database and exit "
            "(to run `datasette` yourself).")] = False,
    ) -> None:
        """Browse the database in Datasette: table descriptions, the audit's canned queries,
        and links from rows to the report's story, article and outlet pages."""
        import json

        from provenance.outputs.site.datasette_meta import database_name, metadata_for

        if print_metadata:
            typer.echo(json.dumps(metadata_for(database_name(db)), indent=2, ensure_ascii=False))
            return
        site = report or report_folder(db)
        _serve(db, site, host, port, rebuild)


def _serve(db: Path, site: Path, host: str, port: int, rebuild: bool) -> None:
    """Write the report site if needed, then run Datasette until it is stopped."""
    import importlib.util
    import json
    import os
    import sys

    from provenance.outputs.site.datasette_meta import database_name, metadata_for, plugins_folder

    if importlib.util.find_spec("datasette") is None:
        raise fail("`provenance serve` needs Datasette (pip install 'provenance[serve]', or "
                   "pip install datasette)")
    from provenance.outputs.site import write_site
    from provenance.store import Store

    with Store(db, create=False) as store:
        if rebuild or _site_is_stale(site, db):
            err.print(f"Writing the report site to {site} ...")
            write_site(store, site)
    meta = metadata_for(database_name(db), "/report/", site.resolve())
    meta_file = site / "datasette-metadata.json"
    meta_file.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    err.print(f"Serving {db} on http://{host}:{port}/ (report at /report/index.html); "
              "Ctrl-C stops.")
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata",
               str(meta_file), "--static", f"report:{site.resolve()}", "--plugins-dir",
               str(plugins_folder()), "--host", host, "--port", str(port)]
    sys.stdout.flush()
    sys.stderr.flush()
    # Datasette takes this process's place: a signal that stops `serve` stops Datasette.
    os.execv(sys.executable, command)
