"""What every command shares: the consoles, the --db option, errors as one line, output files.

Command modules (`provenance.cli`, `provenance.commands.*`) import from here and nothing from
each other; each registers its commands on the one Typer app with `register(app)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from provenance.config import DEFAULT_DB
from provenance.errors import ProvenanceError
from provenance.store import DATABASE_FAULTS, describe_fault

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite database file.",
                                        dir_okay=False)]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `Error: message` on stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def reporting_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run `command`, turning a ProvenanceError into `Error: ...` and exit code 1."""
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ProvenanceError as exc:
            raise fail(str(exc)) from None
        except DATABASE_FAULTS as exc:  # the disk or the file failed under a running command
            raise fail(describe_fault(str(kwargs.get("db", DEFAULT_DB)), exc)) from None
    return run

def emit(text: str, output: Path | None, option: str = "--output", what: str = "") -> None:
    """Print `text`, or write it to `output` and say so on stderr."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror} (choose another {option})"
                    ) from None
    err.print(f"Wrote {output}{what}.")
