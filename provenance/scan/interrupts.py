"""Interrupts that leave a scan's run recorded: what they cut short lets go of the database,
and none cuts the recording itself short.

Ctrl-C (SIGINT) and SIGTERM (which the command line turns into the same KeyboardInterrupt)
arrive at any moment, and either would leave the run ``running`` (until the next scan marks it
``interrupted``):
- one that arrives as SQLAlchemy handles a statement leaves that statement's connection holding
  the write lock (`release` lets go of it);
- one that arrives while a scan closes its workers and records its run cuts that short
  (`deferred` holds it back for that moment and delivers it again once the run is recorded).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import traceback
from collections.abc import Iterator

HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def deferred(signals: tuple[int, ...] = HELD) -> Iterator[None]:
    """Note `signals` instead of handling them while the body runs, then raise the first one
    noted again (its own handler then runs: a KeyboardInterrupt for Ctrl-C). Only the main
    thread receives signals and may set their handlers: elsewhere the body runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def note(signum: int, _frame: object) -> None:
        caught.append(signum)

    previous = {number: signal.signal(number, note) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back; the default then
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])


def release(interrupt: BaseException) -> None:
    """Clear the frames `interrupt` unwound. SQLAlchemy drops the connection of a statement
    that an interrupt cut short, but SQLite closes that connection (and ends its transaction,
    which holds the write lock) only once the statement is freed, with those frames' locals."""
    traceback.clear_frames(interrupt.__traceback__)
