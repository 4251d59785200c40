"""One scan at a time per database: an exclusive lock held for the whole scan.

Two scans writing one archive would race on pending copy candidates and on provenance
resolution, so a scan takes an exclusive `flock` on a lock file beside the database
(``<db>.lock``) and keeps it until it ends. A second scan is refused with a message that names
the holder, at once or after waiting `ScanConfig.lock_wait` seconds for the lock; readers
(`show`, `report`, `graph`, `check`) never take the lock. The lock is the kernel's: a scan
killed with ``kill -9`` releases it, and the next scan marks that scan's
run, left ``running``, as ``interrupted`` (see `Store.close_stale_runs`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from provenance.config import SCAN_LOCK_POLL_SECONDS
from provenance.errors import ScanBusyError, StoreError


class ScanLock:
    """The exclusive scan lock of the database at `db_path` (no lock for ':memory:')."""

    def __init__(self, db_path: str, wait: float = 0.0) -> None:
        self.path = None if db_path == ":memory:" else Path(f"{db_path}.lock")
        self.wait = wait  # seconds to wait for another scan to end before refusing
        self._fd: int | None = None

    def __enter__(self) -> ScanLock:
        if self.path is None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the scan lock {self.path} ({exc.strerror}); "
                             "make the database's folder writable or use --db to write "
                             "elsewhere") from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(SCAN_LOCK_POLL_SECONDS)
                    continue
                holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another process"
                os.close(fd)
                raise ScanBusyError(
                    f"another scan is writing to {self.path.with_suffix('')} ({holder}); wait "
                    "for it to finish, or use --db to scan into another database") from None
        self._fd = fd
        # who holds the lock, for the message of a second scan (the lock works without it)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}"
                     .encode())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
