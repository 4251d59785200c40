"""Provenance resolution over the whole store: original sources and copy verdicts, stored.

Reads every current article and copy edge (lean, as resolution reads them:
`store.lineage_articles`, `store.lineage_edges`) and citation, runs the pure `lineage.resolve`,
and writes the origins, verdicts and problems back (`store.replace_lineage`, origins a slice at
a time). Returns the verdict counts that a run records; `resolution_failed` says what a failed
resolution means for the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from provenance import lineage
from provenance.records import VERDICTS

if TYPE_CHECKING:
    from provenance.store import Store


def resolve_provenance(store: Store, run_id: int) -> dict:
    """Resolve original sources and copy verdicts over the whole archive and store them."""
    result = lineage.resolve(store.lineage_articles(), store.citations(),
                             store.lineage_edges())
    # Each Origin already carries its article and rank; the store writes them a slice at a time.
    origins = (origin for found in result.original_sources.values() for origin in found)
    store.replace_lineage(run_id, result.verdicts, origins, result.problems)
    return verdict_counts(store, len(result.problems))


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
