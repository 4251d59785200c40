"""What every command shares: the consoles, the --db option, errors as one line, output files,
logging levels, and the checks of option values (formats, dates).

Command modules (`provenance.cli`, `provenance.commands.*`) import from here and nothing from
each other; each registers its commands on the one Typer app with `register(app)`. This module
and the command modules import only light things at the top (typer, the standard library,
`provenance.config`; rich loads with the first line a command prints): heavy libraries load
inside the command that needs them, so `provenance --help` starts at once.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from provenance.config import DEFAULT_DB
from provenance.errors import ProvenanceError
from provenance.presentation import MAX_ARGUMENT_SHOWN


class LazyConsole:
    """A rich Console made on first use: rich loads when a command prints, not for `--help`."""

    def __init__(self, **options: Any):
        self._options = options
        self._console: Any = None
        self._columns: str | None = None

    @property
    def console(self) -> Any:
        """The rich Console itself (for code that needs the object, not its attributes).

        Remade when COLUMNS changed: rich fixes the width COLUMNS gives when a console is made,
        so a console made once would keep the width of whichever command printed first.
        """
        columns = os.environ.get("COLUMNS")
        if self._console is None or columns != self._columns:
            from rich.console import Console

            self._console, self._columns = Console(**self._options), columns
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


out = LazyConsole(highlight=False, soft_wrap=False)
err = LazyConsole(stderr=True, highlight=False)

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite database file.",
                                        dir_okay=False)]

# Libraries that log at INFO and DEBUG on every page: shown only from -vvv.
THIRD_PARTY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer",
                       "urllib3", "datasketch", "py4j")
# Loggers that stay at WARNING even then: SQLAlchemy's INFO is every SQL statement (warcio's
# loggers are silenced for good by `inputs.warc`).
ALWAYS_QUIET_LOGGERS = ("sqlalchemy",)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `Error: message` on stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def _database_fault(exc: BaseException) -> bool:
    """Whether `exc` is a fault of the database file or disk (sqlite3 or SQLAlchemy's)."""
    if isinstance(exc, sqlite3.Error):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")  # loaded when a store was opened
    return sa_exc is not None and isinstance(exc, sa_exc.DBAPIError)


def reporting_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run `command`, turning a ProvenanceError or a database fault into `Error: ...`, exit 1."""
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ProvenanceError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:  # a path the file system refuses: too long, a loop, gone
            raise fail(_os_error(exc)) from None
        except Exception as exc:  # the disk or the file failed under a running command
            if not _database_fault(exc):
                raise
            from provenance.store import describe_fault

            raise fail(describe_fault(str(kwargs.get("db", DEFAULT_DB)), exc)) from None
    return run


def _os_error(exc: OSError) -> str:
    """An OSError as a message: what failed, on which path (cut to MAX_ARGUMENT_SHOWN)."""
    name = str(exc.filename or "")
    if len(name) > MAX_ARGUMENT_SHOWN:
        name = f"{name[:MAX_ARGUMENT_SHOWN]}... ({len(name)} characters)"
    return f"{exc.strerror or exc}: {name or 'a file'} (check the path, or choose another)"


class _StderrHandler(logging.StreamHandler):
    """Logs to whatever `sys.stderr` is at the time: under a progress display, rich's proxy,
    which prints the line above the bars instead of through them."""

    @property
    def stream(self):  # the current stderr, not the one of the day the handler was made
        """The current `sys.stderr`."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        """Ignore the stream StreamHandler's constructor sets."""


def setup_logging(verbose: int) -> None:
    """Log to stderr: warnings only by default; -v our INFO lines (phases, timings, counts);
    -vv our DEBUG lines; -vvv the libraries' too (trafilatura, htmldate, ...)."""
    ours = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("provenance").setLevel(ours)
    theirs = logging.DEBUG if verbose >= 3 else logging.WARNING
    logging.getLogger().setLevel(theirs)
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(theirs)
    for name in ALWAYS_QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


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


def choice(value: str, allowed: Iterable[str], option: str) -> str:
    """`value` in lower case when it is one of `allowed` (case does not matter), else exit 2."""
    allowed = tuple(allowed)
    found = value.strip().lower()
    if found not in allowed:
        raise fail(f"unknown {option} {value!r} (use {option} with one of "
                   f"{', '.join(allowed)})", 2)
    return found


def iso_date(value: str, option: str) -> str:
    """An ISO date or date-time given to `option`, normalised (`2024-05-01`, or with time);
    anything else exits with code 2."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise fail(f"{option} expects a date such as 2024-05-01 (or 2024-05-01T08:00), "
                   f"not {value!r}", 2) from None
