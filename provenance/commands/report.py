"""The `report` command: the HTML report of a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from provenance.commands.common import DbOption, emit, reporting_errors
from provenance.config import DEFAULT_DB
from provenance.outputs import html as htmlreport
from provenance.outputs.assemble import report_data
from provenance.store import Store


def register(app: typer.Typer) -> None:
    """Add `report` to `app`."""

    @app.command("report")
    @reporting_errors
    def report_cmd(
        html_file: Annotated[Path, typer.Option("--html", help="Write the HTML report to this "
                                                "file.", dir_okay=False)],
        db: DbOption = Path(DEFAULT_DB),
    ) -> None:
        """Write a self-contained HTML report: stories, verdicts, provenance, the graph."""
        with Store(db, create=False) as store:
            page = htmlreport.render(report_data(store))
        emit(page, html_file, "--html path", f" ({len(page) // 1024} KB)")
