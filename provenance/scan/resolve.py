"""Provenance resolution over the whole store: original sources and copy verdicts, stored.

Streams every current article, copy edge and counting citation from the store (lean, as
resolution reads them: `store.lineage_articles`, `store.lineage_edges`,
`store.counting_citations`) into the pure `lineage.Resolution`, which keeps the edges in columns
(`copies.edge_table`), and writes the origins, verdicts and problems back as they are produced
(`store.replace_lineage`, a slice at a time). Returns the verdict counts that a run records;
`resolution_failed` says what a failed resolution means for the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from provenance import lineage
from provenance.records import VERDICTS

if TYPE_CHECKING:
    from provenance.store import Store


def resolve_provenance(store: Store, run_id: int) -> dict:
    """Resolve original sources and copy verdicts over the whole archive and store them."""
    run = lineage.Resolution(store.lineage_articles(), store.counting_citations(),
                             store.lineage_edges())
    # Origins (each with its article and rank) and verdicts are written a slice at a time as
    # they are resolved, so neither is held whole; problems are known once both are done.
    origins = (origin for _, found in run.original_sources() for origin in found)
    problems = store.replace_lineage(run_id, run.verdicts(), origins, run.problems)
    return verdict_counts(store, problems)


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
