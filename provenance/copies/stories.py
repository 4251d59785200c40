"""Stories: articles that are copies of one another, grouped through strong copy edges only.

A story's origin is its earliest dated member (then by id) and its id derives from the origin's,
so it stays the same while copies are added. The grouping refuses chained merges: see
``cluster_stories``. Outlets (origin and upstream) are filled in by the scan's copy phase.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import NamedTuple

import numpy as np

from provenance.config import (
    NEAR_DUP_JACCARD,
    STORY_ID_BYTES,
    STORY_MIN_LINK_FRACTION,
    STORY_PARTIAL_MIN_COVERAGE,
)
from provenance.copies.direction import When, as_utc
from provenance.records import CopyEdge, Story


class StoryEdge(NamedTuple):
    """What clustering reads of a copy edge (a `records.CopyEdge` serves as well): an archive
    of dense reuse streams hundreds of thousands of them."""

    source_id: str
    copy_id: str
    relation: str
    kind: str
    jaccard: float
    coverage_source: float
    coverage_copy: float


# Kinds of copy that always join a story (others must cover enough of the copy).
STRONG_KINDS = ("exact",)
# Kinds of copy that share a passage, not a story.
PASSAGE_KINDS = ("partial",)


def is_strong(edge: CopyEdge | StoryEdge) -> bool:
    """Whether an edge may join a story: the copy is mostly the source's text.

    A text that carries most of a short source inside a longer article of its own (a quoted
    wire item, two paragraphs of a press release) copies a passage, but tells another story;
    so a directed edge needs ``STORY_PARTIAL_MIN_COVERAGE`` of its copy covered (or the
    near-duplicate Jaccard), and only an undirected one may count the coverage of either side.
    A ``partial`` edge never joins: its passages cover less than the near-duplicate share of
    either text, so each side tells a story of its own around them.
    """
    if edge.kind in STRONG_KINDS or edge.jaccard >= NEAR_DUP_JACCARD:
        return True
    if edge.kind in PASSAGE_KINDS:
        return False
    if edge.relation == "similar":
        return max(edge.coverage_source, edge.coverage_copy) >= STORY_PARTIAL_MIN_COVERAGE
    return edge.coverage_copy >= STORY_PARTIAL_MIN_COVERAGE


def story_id(origin: str) -> str:
    """A story's id, from its origin's id (stable while copies are added)."""
    digest = hashlib.blake2b(origin.encode("utf-8"), digest_size=STORY_ID_BYTES).hexdigest()
    return f"story-{digest}"


def cluster_stories(
    article_ids: Iterable[str],
    edges: Iterable[CopyEdge | StoryEdge],
    published: Mapping[str, When] | Callable[[list[str]], Mapping[str, When]] | None = None,
    include_singletons: bool = True,
) -> list[Story]:
    """Group articles into stories through strong verified edges, refusing chained merges.

    Edges are taken in order of shared neighbours (edges inside dense groups before bridges),
    then strength. Two groups merge only when their origins are linked by a strong edge, or
    when more than ``STORY_MIN_LINK_FRACTION`` of the pairs between them are; so a text that
    shares a passage with one member of a story, but not with its origin or most of it, does
    not pull its own group in (A~B and B~C with A, C unrelated stay two stories). Origins
    whose own edge is weak never merge: compared, they share a passage, not a story (a host
    that carries all of a short source, and so all of its later copies, stays apart).

    ``edges`` may be a stream (read once); ``published`` may be a function that gives the
    times of the articles it is called with (those of the strong edges, after the stream).
    """
    strength, weak = _strengths(edges)
    linked: dict[str, set[str]] = {i: set() for i in sorted(set(article_ids))}
    for u, v in strength:
        linked.setdefault(u, set()).add(v)
        linked.setdefault(v, set()).add(u)
    if callable(published):  # asked for the grouped articles once the edges are read
        published = published(sorted(linked))
    published = published or {}
    # Edges inside dense groups (many shared neighbours) first, bridges last, then by strength.
    order = sorted((-len(linked[u] & linked[v]), -w, u, v) for (u, v), w in strength.items())
    groups = _Groups(linked, published, weak)
    for _, _, u, v in order:
        groups.join(u, v)
    stories = [Story(story_id(groups.origin[root]), groups.origin[root], tuple(sorted(members)))
               for root, members in sorted(groups.members.items())
               if include_singletons or len(members) > 1]
    return sorted(stories, key=lambda s: s.members)


def _strengths(edges: Iterable[CopyEdge | StoryEdge]
               ) -> tuple[dict[tuple[str, str], float], _Pairs]:
    """The strong edges as ordered id pairs, each with its strength: how much of both texts
    they share (the larger of Jaccard and the smaller coverage; a short text wholly inside a
    long one shares little of the long one), the largest when two edges join the same pair;
    and the pairs joined by weak edges only. One pass: ``edges`` may be a stream."""
    strength: dict[tuple[str, str], float] = {}
    weak = _Pairs()
    for e in edges:
        u, v = e.source_id, e.copy_id
        key = (u, v) if u <= v else (v, u)
        if u != v and is_strong(e):
            weight = max(e.jaccard, min(e.coverage_source, e.coverage_copy))
            strength[key] = max(strength.get(key, 0.0), weight)
        else:
            weak.add(key)
    weak.close(strength.keys())
    return strength, weak


class _Pairs:
    """A set of id pairs in 8 bytes a pair (most edges of dense reuse are weak: 830k of 840k
    for 50k articles): each pair as the codes of its ids, sorted once all are added."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}  # id -> its code (the order first seen)
        self.added = array("Q")
        self.codes = np.zeros(0, dtype=np.uint64)

    def _code(self, pair: tuple[str, str], add: bool = False) -> int | None:
        """The code of a pair (None for an id never added, unless `add`)."""
        codes = []
        for name in pair:
            code = self.index.get(name)
            if code is None:
                if not add:
                    return None
                code = self.index[name] = len(self.index)
            codes.append(code)
        return codes[0] << 32 | codes[1]

    def add(self, pair: tuple[str, str]) -> None:
        """Add a pair (until `close`)."""
        self.added.append(self._code(pair, add=True))

    def close(self, without: Iterable[tuple[str, str]]) -> None:
        """Sort the pairs added, leaving out those of `without`; none can be added after."""
        added = np.unique(np.frombuffer(self.added, dtype=np.uint64)) if self.added \
            else self.codes
        gone = [code for code in map(self._code, without) if code is not None]
        self.codes = np.setdiff1d(added, np.array(gone, dtype=np.uint64), assume_unique=True)
        self.added = array("Q")

    def __contains__(self, pair: tuple[str, str]) -> bool:
        code = self._code(pair)
        if code is None:
            return False
        at = int(np.searchsorted(self.codes, np.uint64(code)))
        return at < len(self.codes) and int(self.codes[at]) == code


class _Groups:
    """Groups of articles being merged: each group's members and origin, by its root."""

    def __init__(self, linked: dict[str, set[str]], published: Mapping[str, When],
                 weak: _Pairs):
        self.linked, self.published, self.weak = linked, published, weak
        self.group = {i: i for i in linked}
        self.members = {i: [i] for i in linked}
        self.origin = {i: i for i in linked}

    def _origin_key(self, article_id: str) -> tuple[int, datetime, str]:
        """Sort key for origins: dated before undated, earliest first, then by id."""
        when = as_utc(self.published.get(article_id))
        if when is None:
            return 1, datetime.min.replace(tzinfo=UTC), article_id
        return 0, when, article_id

    def join(self, u: str, v: str) -> None:
        """Merge the groups of ``u`` and ``v`` unless that would chain unrelated groups."""
        gu, gv = self.group[u], self.group[v]
        if gu == gv:
            return
        small, large = sorted((self.members[gu], self.members[gv]), key=len)
        large_set = set(large)
        links = sum(len(self.linked[x] & large_set) for x in small)
        ou, ov = self.origin[gu], self.origin[gv]
        if (min(ou, ov), max(ou, ov)) in self.weak:
            return
        origins_linked = ov in self.linked[ou]
        if not origins_linked and links <= STORY_MIN_LINK_FRACTION * len(small) * len(large):
            return
        keep, drop = (gu, gv) if len(self.members[gu]) >= len(self.members[gv]) else (gv, gu)
        for x in self.members[drop]:
            self.group[x] = keep
        self.members[keep].extend(self.members.pop(drop))
        self.origin[keep] = min(self.origin[keep], self.origin.pop(drop), key=self._origin_key)
