"""Copy edges in columns, as provenance resolution reads them, and the spans they carry.

An archive of dense reuse holds many times more copy edges than articles (840k for 50k
articles); a `records.LineageEdge` per edge (a tuple, its id, Jaccard and passage array) costs
about 300 bytes, a row of this table about 40 plus its passages. Article ids are kept once;
each edge is its id, the indices of its two articles, a label code (relation and kind), its
Jaccard, its backdated flag and its slice of one flat passage array. `edge(i)` gives an edge
back as the `LineageEdge` it was made from; `copied_into` lists the directed edges copied into
an article, in the order they were given, and `pieces_of` what each of them took.

A copy edge carries pieces of text: one per passage, or the whole text for an `exact` or
`near_duplicate` copy (or an edge without passages). `overlaps` and `carried` say which pieces
a span of the copy follows upstream, and what of the source that span came from.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np

from provenance.config import ORIGIN_MIN_OVERLAP_CHARS
from provenance.records import CopyEdge, LineageEdge, flat_passages

_NO_ID = -(2**63)  # an edge given without an id (not stored yet)
DIRECTED = "derived_from"  # the relation of an edge whose copy took from its source
# Copy kinds that take the source's whole text (every copy edge upstream of it is followed).
WHOLE_COPY_KINDS = frozenset({"exact", "near_duplicate"})
Span = tuple[int, int] | None  # [start, end) characters of an article's text; None: all of it
NOTHING = "nothing"  # what a copy took of a span that it did not copy at all


def lean(edge: CopyEdge | LineageEdge) -> LineageEdge:
    """The fields of a copy edge that resolution reads, as a `LineageEdge`."""
    if isinstance(edge, LineageEdge):
        return edge
    flat = flat_passages((p.a_start, p.a_end, p.b_start, p.b_end) for p in edge.passages)
    return LineageEdge(edge.id, edge.source_id, edge.copy_id, edge.relation, edge.kind,
                       edge.jaccard, flat, edge.backdated)


class Piece(NamedTuple):
    """What a copy took from its source through one copy edge: one passage, or the whole text
    (`None` spans). Spans are `[start, end)` characters of the source's and the copy's text."""

    edge: LineageEdge
    source_span: Span
    copy_span: Span


def pieces(edge: LineageEdge) -> list[Piece]:
    """The pieces of a copy edge: the whole text for an exact or near-duplicate copy (or an
    edge without passages), else one per passage."""
    flat = edge.passages
    if edge.kind in WHOLE_COPY_KINDS or not flat:
        return [Piece(edge, None, None)]
    return [Piece(edge, (flat[i], flat[i + 1]), (flat[i + 2], flat[i + 3]))
            for i in range(0, len(flat), 4)]


def overlaps(span: Span, other: Span, min_chars: int = ORIGIN_MIN_OVERLAP_CHARS) -> bool:
    """Whether two spans of one text share `min_chars` characters (or all of the shorter);
    a whole text (`None`) overlaps everything."""
    if span is None or other is None:
        return True
    shared = min(span[1], other[1]) - max(span[0], other[0])
    return shared > 0 and shared >= min(min_chars, span[1] - span[0], other[1] - other[0])


def carried(span: Span, piece: Piece) -> Span | str:
    """What of the copy's `span` a piece took from its source, in the source's characters:
    the piece's own span for a passage; for a whole-text piece, `span` mapped through the
    edge's passages (unchanged when it has none); `NOTHING` when no passage holds any of it."""
    return through(span, piece.source_span, piece.edge.passages)


def through(span: Span, source_span: Span, flat: Sequence[int]) -> Span | str:
    """`carried` of a piece given as its source span and its edge's flat passages."""
    if source_span is not None or span is None:
        return source_span
    if not flat:
        return span
    lo = hi = None
    for i in range(0, len(flat), 4):
        pa_start, pa_end, pb_start, pb_end = flat[i:i + 4]
        start, end = max(span[0], pb_start), min(span[1], pb_end)
        if start < end:
            a_start = min(pa_start + start - pb_start, pa_end)
            a_end = min(pa_end, pa_start + end - pb_start)
            if a_end <= a_start:  # a revised passage shorter in the source: all of it
                a_start, a_end = pa_start, pa_end
            lo, hi = min(lo, a_start) if lo is not None else a_start, max(hi or 0, a_end)
    return NOTHING if lo is None or hi is None else (lo, hi)


class EdgeTable:
    """Copy edges in compact columns, in the order given (read once: `edges` may stream)."""

    def __init__(self, edges: Iterable[CopyEdge | LineageEdge]):
        self.names: list[str] = []  # article ids, by index
        self.index: dict[str, int] = {}
        self.labels: list[tuple[str, str]] = []  # (relation, kind), by code
        codes: dict[tuple[str, str], int] = {}
        self.ids, self.source, self.copy = array("q"), array("i"), array("i")
        self.label, self.jaccard, self.backdated = array("H"), array("d"), bytearray()
        # character offsets fit 32 bits (a text is at most `config.MAX_DOCUMENT_BYTES`)
        self.starts, self.flat = array("q", [0]), array("i")
        for edge in map(lean, edges):
            label = (edge.relation, edge.kind)
            if label not in codes:
                codes[label] = len(self.labels)
                self.labels.append(label)
            self.ids.append(_NO_ID if edge.id is None else edge.id)
            self.source.append(self._index(edge.source_id))
            self.copy.append(self._index(edge.copy_id))
            self.label.append(codes[label])
            self.jaccard.append(edge.jaccard)
            self.backdated.append(bool(edge.backdated))
            self.flat.extend(iter(edge.passages))
            self.starts.append(len(self.flat))
        self.whole = [kind in WHOLE_COPY_KINDS for _, kind in self.labels]  # by label code
        self._by_copy, self._offsets = self._directed_by_copy()

    def _index(self, article_id: str) -> int:
        """The index of an article id (a new one for an id not seen yet)."""
        found = self.index.get(article_id)
        if found is None:
            found = self.index[article_id] = len(self.names)
            self.names.append(article_id)
        return found

    def _directed_by_copy(self) -> tuple[np.ndarray, np.ndarray]:
        """The directed edges grouped by their copy (each group in the order given), and where
        each article's group starts (by article index; one more entry than articles)."""
        directed_codes = [c for c, (relation, _) in enumerate(self.labels) if relation == DIRECTED]
        labels = np.frombuffer(self.label, dtype=np.uint16) if self.label else np.zeros(0, int)
        directed = np.flatnonzero(np.isin(labels, directed_codes))
        copies = (np.frombuffer(self.copy, dtype=np.int32) if self.copy
                  else np.zeros(0, np.int32))[directed]
        by_copy = directed[np.argsort(copies, kind="stable")].astype(np.int32)
        offsets = np.zeros(len(self.names) + 1, dtype=np.int64)
        np.cumsum(np.bincount(copies, minlength=len(self.names)), out=offsets[1:])
        return by_copy, offsets

    def __len__(self) -> int:
        return len(self.ids)

    def edge(self, i: int) -> LineageEdge:
        """Edge `i` as the `LineageEdge` it was given as (passages: an int array, or `()`)."""
        start, end = self.starts[i], self.starts[i + 1]
        relation, kind = self.labels[self.label[i]]
        edge_id = self.ids[i]
        return LineageEdge(None if edge_id == _NO_ID else edge_id, self.names[self.source[i]],
                           self.names[self.copy[i]], relation, kind, self.jaccard[i],
                           self.flat[start:end] if end > start else (), bool(self.backdated[i]))

    def pieces_of(self, article_id: str) -> Iterator[tuple[int, str, Span, Span, Sequence[int]]]:
        """What the directed edges copied into the article took, in edge and passage order
        (as `pieces` of each): (edge index, source id, source span, copy span, the edge's
        flat passages), without making the edges."""
        for i in self.copied_into(article_id):
            source, start, end = self.names[self.source[i]], self.starts[i], self.starts[i + 1]
            flat = self.flat[start:end] if end > start else ()
            if not flat or self.whole[self.label[i]]:
                yield i, source, None, None, flat
                continue
            for j in range(0, len(flat), 4):
                yield i, source, (flat[j], flat[j + 1]), (flat[j + 2], flat[j + 3]), flat

    def copied_into(self, article_id: str) -> Sequence[int]:
        """The indices of the directed edges whose copy is the article, in the order given."""
        at = self.index.get(article_id)
        if at is None:
            return ()
        return self._by_copy[self._offsets[at]:self._offsets[at + 1]].tolist()
