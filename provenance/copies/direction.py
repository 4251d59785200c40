"""Direction of a verified match: which text is the source, and the copy edge that says so.

The later text derives from the earlier (``direct``); publication times within
``config.DIRECTION_TIE`` of each other, a date without a time on the same day as the other
time (a date-only page may have appeared at any hour of that day), or a missing date, leave the
pair undirected ("similar"). A credit line that names the other text's publisher decides
instead when the dates agree or are missing; when they contradict it, the credit wins and the
copy is flagged as backdated (``orient``).
"""

from __future__ import annotations

import functools
from collections.abc import Set
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Literal

from provenance.config import DIRECTION_TIE, EDGE_DECIMALS
from provenance.copies.verification import CopyMatch
from provenance.records import Article, CopyEdge

When = datetime | date | None
Moment = tuple[datetime | None, bool]  # a time in UTC, and whether it is a date without a time


def published_time(value: str | None) -> When:
    """An ISO date (``YYYY-MM-DD``) or UTC datetime (``...Z``) as a date or datetime."""
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def as_utc(when: When) -> datetime | None:
    """A timezone-aware datetime (naive values and bare dates are taken as UTC)."""
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def earlier(first: When, second: When) -> bool:
    """Whether ``first`` is surely before ``second``: by more than ``DIRECTION_TIE``, and on
    an earlier day when either is a date without a time."""
    return _before(_moment_of(first), _moment_of(second))


def _date_only(when: When) -> bool:
    """A date without a time of day."""
    return isinstance(when, date) and not isinstance(when, datetime)


def direct(match: CopyMatch, published_a: When, published_b: When) -> CopyMatch:
    """Orient a match: the later text derives from the earlier; ties or undated are "similar"."""
    direction = _timed(_moment_of(published_a), _moment_of(published_b))
    return replace(match, direction=direction, backdated=False)


def orient_known(match: CopyMatch, copy: Literal["a", "b"], published_a: When,
                 published_b: When) -> CopyMatch:
    """Orient a match whose copy is known (a credit line says so); flag a copy dated earlier."""
    direction, backdated = _known(copy, _moment_of(published_a), _moment_of(published_b))
    return replace(match, direction=direction, backdated=backdated)


def orient(match: CopyMatch, a: Article, b: Article, cites_a: Set[str],
           cites_b: Set[str]) -> CopyMatch:
    """Direct a match of ``a`` and ``b`` (which cite the outlets ``cites_a``, ``cites_b``): by
    a credit that names the other's publisher, else by publication time."""
    direction, backdated = _orientation(a, b, cites_a, cites_b)
    return replace(match, direction=direction, backdated=backdated)


def directed_edge(a: Article, b: Article, match: CopyMatch, cites_a: Set[str],
                  cites_b: Set[str]) -> CopyEdge:
    """``copy_edge(a, b, orient(match, a, b, cites_a, cites_b))`` without the directed match
    in between (dense reuse makes hundreds of thousands of edges)."""
    return _edge(a, b, match, *_orientation(a, b, cites_a, cites_b))


def _orientation(a: Article, b: Article, cites_a: Set[str], cites_b: Set[str]
                 ) -> tuple[str, bool]:
    """The direction and backdated flag ``orient`` gives a match of ``a`` and ``b``."""
    when_a, when_b = _moment(a.published), _moment(b.published)
    a_credits_b = b.publisher_id in cites_a and b.publisher_id != a.publisher_id
    b_credits_a = a.publisher_id in cites_b and a.publisher_id != b.publisher_id
    timed = _timed(when_a, when_b)
    if a_credits_b != b_credits_a:
        # Publication time decides when it agrees or is missing; a credit line that contradicts
        # the dates keeps the credited direction and flags the copy as backdated.
        known, backdated = _known("a" if a_credits_b else "b", when_a, when_b)
        if timed in ("similar", known) or backdated:
            return known, backdated
    return timed, False


def _timed(when_a: Moment, when_b: Moment) -> str:
    """The direction publication times give: the later text derives from the earlier."""
    if _before(when_a, when_b):
        return "a_to_b"
    return "b_to_a" if _before(when_b, when_a) else "similar"


def _known(copy: Literal["a", "b"], when_a: Moment, when_b: Moment) -> tuple[str, bool]:
    """The direction of a match whose copy is known, and whether the copy is dated earlier."""
    if copy == "a":
        return "b_to_a", _before(when_a, when_b)
    return "a_to_b", _before(when_b, when_a)


@functools.lru_cache(maxsize=1 << 13)
def _moment(value: str | None) -> Moment:
    """A stored publication time as a `Moment` (memoised: an article's time is read for each
    of its pairs)."""
    return _moment_of(published_time(value))


def _moment_of(when: When) -> Moment:
    """A publication time as ``earlier`` compares it."""
    return as_utc(when), _date_only(when)


def _before(first: Moment, second: Moment) -> bool:
    """``earlier`` of two `Moment`s."""
    (t1, date_1), (t2, date_2) = first, second
    if t1 is None or t2 is None or t2 - t1 <= DIRECTION_TIE:
        return False
    return not (date_1 or date_2) or t1.date() < t2.date()


def copy_edge(a: Article, b: Article, match: CopyMatch) -> CopyEdge:
    """The copy edge of a directed match of ``a`` and ``b``: the source first (for an
    undirected pair, ``a``), passages with the source as side A, measures rounded."""
    return _edge(a, b, match, match.direction, match.backdated)


def _edge(a: Article, b: Article, match: CopyMatch, direction: str, backdated: bool
          ) -> CopyEdge:
    """``copy_edge`` of ``match`` with the given direction and backdated flag."""
    a_is_source = direction != "b_to_a"
    source, copy = (a, b) if a_is_source else (b, a)
    found = sorted(p if a_is_source else p.flipped() for p in match.passages)
    if direction != "similar":
        basis = "published"
    elif a.published and b.published:
        basis = "tie"
    else:
        basis = "undated"
    in_source, in_copy = ((match.containment_b_in_a, match.containment_a_in_b) if a_is_source
                          else (match.containment_a_in_b, match.containment_b_in_a))
    cov_source, cov_copy = ((match.coverage_a, match.coverage_b) if a_is_source
                            else (match.coverage_b, match.coverage_a))
    return CopyEdge(
        source_id=source.id, copy_id=copy.id,
        relation="similar" if direction == "similar" else "derived_from",
        kind=match.kind, jaccard=_rounded(match.jaccard),
        jaccard_estimate=_rounded(match.jaccard_estimate),
        containment_copy_in_source=_rounded(in_source),
        containment_source_in_copy=_rounded(in_copy),
        coverage_copy=_rounded(cov_copy), coverage_source=_rounded(cov_source),
        passages=tuple(found), direction_basis=basis, backdated=backdated)


def _rounded(value: float) -> float:
    """A measure as stored: a few decimals keep the graph JSON stable across platforms."""
    return round(value, EDGE_DECIMALS)
