"""The registry of a database: the packaged outlets, the registry files the database keeps
(given with ``--outlets`` to an earlier scan), and any new ones, read together.

A scan stores the files it read (`remember_registry`), so that later scans and `check` on the
same database credit the outlets those files define without being given them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from provenance.citations import Registry, default_registry
from provenance.citations.registry_files import RegistryFile

if TYPE_CHECKING:
    from provenance.store import Store


def registry_of(store: Store | None, extra: Iterable[str | Path] = ()) -> Registry:
    """The registry of `store` (packaged + stored files), extended by the files `extra`.

    Raises:
        RegistryError: a file is missing or malformed, stored files included (the message
            names the file as it was first read).
    """
    stored = [RegistryFile(name, text) for name, text in store.registry_files()] if store else []
    extra = [str(p) for p in extra]
    if not stored and not extra:
        # the packaged registry alone: loaded once per process, with the name matchers it has
        # built (`workers.warm`), which forked workers inherit ready
        return default_registry()
    return Registry.load(extra=extra, stored=stored)


def remember_registry(store: Store, registry: Registry) -> None:
    """Keep the registry's extra files in `store` (the packaged ones come with the tool)."""
    store.save_registry_files((f.name, f.text) for f in registry.extra_files)
