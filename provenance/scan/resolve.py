"""Provenance resolution over the whole store: original sources and copy verdicts, stored.

Streams every current article, copy edge and counting citation from the store (lean, as
resolution reads them: `store.lineage_articles`, `store.lineage_edge_columns` (slices of
columns), `store.counting_citations`) into the pure `lineage.Resolution`, which keeps the edges
in columns (`copies.edge_table`), and writes the origins, verdicts and problems back as they are
produced (`store.replace_lineage`, a slice at a time). Returns the verdict counts that a run
records; `resolution_failed` says what a failed resolution means for the user.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from typing import TYPE_CHECKING

from provenance import lineage
from provenance.copies.edge_table import DIRECTED, EdgeTable
from provenance.records import VERDICTS

if TYPE_CHECKING:
    from provenance.store import Store


def resolve_provenance(store: Store, run_id: int) -> dict:
    """Resolve original sources and copy verdicts over the whole archive and store them.

    The cyclic garbage collector pauses meanwhile: the walks make millions of small tuples
    that live to the end and form no cycles, and each of its full passes would visit them all.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _resolve(store, run_id)
    finally:
        if collecting:
            gc.enable()


def _resolve(store: Store, run_id: int) -> dict:
    """`resolve_provenance`, the garbage collector paused."""
    edges = EdgeTable.from_columns(store.lineage_edge_columns())
    _release_freed_memory()  # the table's building left the heap full of freed arrays
    run = lineage.Resolution(store.lineage_articles(), store.counting_citations(), edges)
    # Origins (each with its article and rank) and verdicts are written a slice at a time as
    # they are resolved, so neither is held whole; problems are known once both are done.
    origins = (origin for _, found in run.original_sources() for origin in found)
    problems = store.replace_lineage(run_id, run.verdicts(), origins, run.problems)
    # Every current edge was given its verdict: the views count what was written (as
    # `verdict_counts` would read them back, without joining each edge to its articles again).
    counted = {verdict: n for (relation, verdict), n in run.counts.items()
               if relation == DIRECTED}
    return {**{verdict: counted.get(verdict, 0) for verdict in VERDICTS},
            "similar": sum(n for (relation, _), n in run.counts.items() if relation == "similar"),
            "problems": problems}


def _release_freed_memory() -> None:
    """Give the free pages of the C heap back to the system (glibc's `malloc_trim`; nothing
    where it is missing): freed numpy arrays stay mapped otherwise, and the walks' memos,
    which Python allocates elsewhere, would add to them."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)  # the C library the interpreter runs on


def verdict_counts(store: Store, problems: int) -> dict:
    """What a run records of the stored resolution: directed copies by verdict and undirected
    `similar` edges, counted as the views count them (so a summary never contradicts them)."""
    counted = store.verdict_counts()
    return {**{verdict: counted.get(verdict, 0) for verdict in VERDICTS},
            "similar": store.similar_count(), "problems": problems}


def stored_verdicts(store: Store) -> dict:
    """The verdict counts of the stored resolution (when a scan had nothing to resolve)."""
    return {**verdict_counts(store, len(store.provenance_problems())), "reused": True}


def resolution_failed(exc: BaseException) -> str:
    """The message of a resolution that raised `exc`: what happened, what is kept, what to do."""
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return (f"provenance resolution failed ({what}). The articles and copies read are saved "
            "and the previous resolution is kept; run the scan again to retry (add -vv before "
            "`scan` to log the traceback, and report it if it fails again).")
