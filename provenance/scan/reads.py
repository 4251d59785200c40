"""What the copy phase reads for each chunk of pairs and remembers from chunk to chunk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from provenance.config_copies import COPY_PHASE_REMEMBERED

if TYPE_CHECKING:
    from provenance.store.database import Store


class ChunkReads:
    """The publishers and boilerplate read to screen each chunk (its boilerplate kept until
    the chunk is verified: the pairs verified are some of those screened, and need no more),
    remembered from chunk to chunk (`config_copies.COPY_PHASE_REMEMBERED` of each): an article
    of dense reuse is in the pairs of many chunks, and neither an article's publisher nor the
    learnt boilerplate changes while the copies are found."""

    def __init__(self, limit: int = COPY_PHASE_REMEMBERED) -> None:
        self.chunks: dict[str, dict[str, np.ndarray]] = {}
        self.limit = limit
        self.known_publishers: dict[str, str | None] = {}
        self.known_boilerplate: dict[str, np.ndarray | None] = {}

    def publishers(self, store: Store, ids: list[str]) -> dict[str, str | None]:
        """``store.publishers(ids)`` (in the order of ``ids``), reading those not known."""
        known = self.known_publishers
        missing = [i for i in ids if i not in known]
        if len(known) + len(missing) > self.limit:
            known.clear()
            missing = list(ids)
        if missing:
            known.update(store.publishers(missing))
        return {i: known[i] for i in ids if i in known}

    def boilerplate(self, store: Store, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """``store.boilerplate(keys)`` (in the order of the sorted keys), reading the keys
        not known."""
        known = self.known_boilerplate
        keys = sorted(set(keys))
        missing = [k for k in keys if k not in known]
        if len(known) + len(missing) > self.limit:
            known.clear()
            missing = keys
        if missing:
            found = store.boilerplate(missing)
            known.update((k, found.get(k)) for k in missing)
        return {k: value for k in keys if (value := known[k]) is not None}

    def keep(self, chunk: list[str], boilerplate: dict[str, np.ndarray]) -> None:
        """Keep the boilerplate read for ``chunk`` (named by its first article)."""
        self.chunks[chunk[0]] = boilerplate

    def take(self, chunk: list[str]) -> dict[str, np.ndarray] | None:
        """The boilerplate kept for ``chunk``, forgotten here (None: nothing)."""
        return self.chunks.pop(chunk[0], None) if chunk else None
