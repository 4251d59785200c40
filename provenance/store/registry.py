"""The outlet registry a database was built with: the registry files a scan read besides the
packaged ones (``--outlets``), kept in the database so that later scans, `check` and the outputs
read the same registry without being given the files again.

Files are kept as text, in the order they were first read; a file read again with new content
(same path) replaces its earlier text, and the same text is kept once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import delete, select

from provenance.store.base import StoreBase, now
from provenance.store.schema import RegistryFileRow


class RegistryMixin(StoreBase):
    """The registry files of the database."""

    def registry_files(self) -> list[tuple[str, str]]:
        """(name, text) of every stored registry file, in the order they are to be read."""
        table = RegistryFileRow.__table__
        with self.engine.connect() as conn:
            found = conn.execute(select(table.c.name, table.c.text).order_by(table.c.id)).all()
        return [(r[0], r[1]) for r in found]

    def save_registry_files(self, files: Iterable[tuple[str, str]]) -> int:
        """Keep the registry files (name, text) a scan read; returns how many were new.

        A text already stored is kept where it is; a new text under a stored name replaces it.
        """
        table = RegistryFileRow.__table__
        wanted = list(files)
        added = 0
        with self.engine.begin() as conn:
            stored = {r[0]: r[1] for r in conn.execute(select(table.c.digest, table.c.name))}
            for name, text in wanted:
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                if digest in stored:
                    continue
                conn.execute(delete(table).where(table.c.name == name))
                conn.execute(table.insert().values(name=name, digest=digest,
                                                   version=_version_of(text), text=text,
                                                   added_at=now()))
                stored[digest] = name
                added += 1
        return added


def _version_of(text: str) -> str | None:
    """The "version" of a registry file's JSON text, if it has one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None
