"""Copy edges in columns, as provenance resolution reads them, and the spans they carry.

An archive of dense reuse holds many times more copy edges than articles (840k for 50k
articles); a `records.LineageEdge` per edge (a tuple, its id, Jaccard and passage array) costs
about 300 bytes, a row of this table about 35 plus 20 a piece. Article ids are kept once; each
edge is its id, the indices of its two articles, a label code (relation and kind), its Jaccard,
its backdated flag and its pieces. The store gives the edges a slice of columns at a time
(`records.EdgeColumns`, `EdgeTable.from_columns`); a list of edges is read as well.

A copy edge carries pieces of text: one per passage, or the whole text for an `exact` or
`near_duplicate` copy (or an edge without passages). The pieces are rows of five int columns
(edge, source span, copy span; -1 for the whole text), the directed edges' first, grouped by
their copy (in edge order), so that `follow` finds what a span of a copy followed upstream with
a few array operations over the copy's pieces, whatever their number. `overlaps` and `carried`
say which pieces a span of the copy follows upstream, and what of the source that span came
from.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable, Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np

from provenance.config import ORIGIN_MIN_OVERLAP_CHARS
from provenance.records import CopyEdge, EdgeColumns, LineageEdge, flat_passages

_NO_ID = -(2**63)  # an edge given without an id (not stored yet)
DIRECTED = "derived_from"  # the relation of an edge whose copy took from its source
# Copy kinds that take the source's whole text (every copy edge upstream of it is followed).
WHOLE_COPY_KINDS = frozenset({"exact", "near_duplicate"})
Span = tuple[int, int] | None  # [start, end) characters of an article's text; None: all of it
NOTHING = "nothing"  # what a copy took of a span that it did not copy at all
Follow = list[tuple[int, tuple[str, "Span | str"]]]  # (edge index, (source id, what it took))


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


def _columns_of(edges: Iterable[CopyEdge | LineageEdge]) -> EdgeColumns:
    """Copy edges (records) as one slice of columns, in the order given."""
    lean_edges = [lean(e) for e in edges]
    return EdgeColumns(
        [_NO_ID if e.id is None else e.id for e in lean_edges],
        [e.source_id for e in lean_edges], [e.copy_id for e in lean_edges],
        [e.relation for e in lean_edges], [e.kind for e in lean_edges],
        [e.jaccard for e in lean_edges], [bool(e.backdated) for e in lean_edges],
        [len(e.passages) // 4 for e in lean_edges],
        [x for e in lean_edges for x in e.passages])


class EdgeTable:
    """Copy edges in compact columns and their pieces (read once: the slices may stream)."""

    def __init__(self, edges: Iterable[CopyEdge | LineageEdge] = (),
                 slices: Iterable[EdgeColumns] | None = None, ordered: bool = False):
        self.names: list[str] = []  # article ids, by index
        self.index: dict[str, int] = {}
        self.labels: list[tuple[str, str]] = []  # (relation, kind), by code
        self._codes: dict[tuple[str, str], int] = {}
        self.ids, self.source, self.copy = array("q"), array("i"), array("i")
        self.label, self.jaccard, self.backdated = array("H"), array("d"), bytearray()
        # character offsets fit 32 bits (a text is at most `config.MAX_DOCUMENT_BYTES`)
        counts, flat = array("i"), array("i")  # passages per edge, and theirs flat
        for part in [_columns_of(edges)] if slices is None else slices:
            self._read(part, counts, flat)
        n = _np(counts, np.int32).astype(np.int64)
        starts = np.zeros(len(n), np.int64)  # where each edge's passages start in `flat`
        np.cumsum(n[:-1], out=starts[1:])
        if ordered:  # by (source id, copy id), as the store's `copy_edges()` lists them
            n, starts = self._by_pair(n, starts)
        self.whole = [kind in WHOLE_COPY_KINDS for _, kind in self.labels]  # by label code
        self._pieces(n, starts, _np(flat, np.int32).reshape(-1, 4))

    @classmethod
    def from_columns(cls, slices: Iterable[EdgeColumns]) -> EdgeTable:
        """The edges of slices of columns (as the store reads them, in any order), in
        (source id, copy id) order."""
        return cls(slices=slices, ordered=True)

    def _index(self, article_id: str) -> int:
        """The index of an article id (a new one for an id not seen yet)."""
        found = self.index.get(article_id)
        if found is None:
            found = self.index[article_id] = len(self.names)
            self.names.append(article_id)
        return found

    def _read(self, part: EdgeColumns, counts: array, flat: array) -> None:
        """Append one slice of columns to the table's (and its passages to `counts`, `flat`)."""
        labels = list(zip(part.relations, part.kinds, strict=True))
        codes = list(map(self._codes.get, labels))
        if None in codes:  # a label not seen yet: numbered in order of appearance
            for label in dict.fromkeys(labels):
                if label not in self._codes:
                    self._codes[label] = len(self.labels)
                    self.labels.append(label)
            codes = list(map(self._codes.__getitem__, labels))
        self.label.extend(codes)
        self.ids.extend(part.ids)
        for column, article_ids in ((self.source, part.source_ids), (self.copy, part.copy_ids)):
            found = list(map(self.index.get, article_ids))
            if None in found:  # an article not seen yet: numbered in order of appearance
                for article_id in dict.fromkeys(a for a, i in zip(article_ids, found,
                                                                   strict=True) if i is None):
                    self._index(article_id)
                found = list(map(self.index.__getitem__, article_ids))
            column.extend(found)
        self.jaccard.extend(part.jaccards)
        self.backdated.extend(map(bool, part.backdated))
        counts.frombytes(_bytes(np.asarray(part.passage_counts, np.int32)))
        flat.frombytes(_bytes(np.asarray(part.passages, np.int32)))

    def _by_pair(self, counts: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sort the edges by (source id, copy id) (an id pair is unique), a column at a time;
        their passage counts and starts sorted alike (the passages stay where they are)."""
        rank = np.empty(len(self.names), np.int64)
        rank[sorted(range(len(self.names)), key=self.names.__getitem__)] = np.arange(
            len(self.names))
        order = np.lexsort((rank[_np(self.copy, np.int32)], rank[_np(self.source, np.int32)]))
        for name, code in (("ids", "q"), ("source", "i"), ("copy", "i"), ("label", "H"),
                           ("jaccard", "d")):
            setattr(self, name, _arr(code, _np(getattr(self, name), np.dtype(code))[order]))
        self.backdated = bytearray(_bytes(_np(self.backdated, np.uint8)[order]))
        return counts[order], starts[order]

    def _pieces(self, counts: np.ndarray, starts: np.ndarray, passages: np.ndarray) -> None:
        """The pieces of every edge: the directed edges' grouped by their copy (in edge
        order), then the others' (in edge order); whole-text pieces keep their passages apart."""
        label, copy = _np(self.label, np.uint16), _np(self.copy, np.int32)
        directed = np.isin(label, [c for c, (relation, _) in enumerate(self.labels)
                                   if relation == DIRECTED])
        whole = np.asarray(self.whole, bool)[label] | (counts == 0)
        by_copy = np.flatnonzero(directed)
        by_copy = by_copy[np.argsort(copy[by_copy], kind="stable")]
        order = np.concatenate([by_copy, np.flatnonzero(~directed)])
        n_pieces = np.where(whole, 1, counts)
        rows = _gather(starts, np.where(whole, 0, counts), order)  # the passage rows
        edge = np.repeat(order, n_pieces[order])
        taken = ~whole[edge]  # the pieces that are passages
        self.piece_edge = _arr("i", edge)
        self.piece_spans = []
        for k in range(4):  # source start, source end, copy start, copy end
            column = np.full(len(edge), -1, np.int32)
            column[taken] = passages[rows, k]
            self.piece_spans.append(_arr("i", column))
        self._spans_np = [_np(s, np.int32) for s in self.piece_spans]
        first = np.zeros(len(counts), np.int64)
        first[order] = np.cumsum(n_pieces[order]) - n_pieces[order]
        self.first = _arr("i", first)  # an edge's pieces: from there while theirs
        offsets = np.zeros(len(self.names) + 1, np.int64)
        np.cumsum(np.bincount(copy[by_copy], weights=n_pieces[by_copy],
                              minlength=len(self.names)).astype(np.int64), out=offsets[1:])
        self._offsets = _arr("q", offsets)
        # the edges by id, made now (before the walks' memos grow; those without one first)
        self.by_id = _arr("i", np.argsort(_np(self.ids, np.int64), kind="stable"))
        kept = np.flatnonzero(whole & (counts > 0))  # whole-text pieces with passages
        self._whole_edges = kept.tolist()
        self._whole_starts = np.concatenate([[0], np.cumsum(counts[kept] * 4)]).tolist()
        self._whole_flat = _arr("i", passages[_gather(starts, counts, kept)])

    def __len__(self) -> int:
        return len(self.ids)

    def passages(self, i: int) -> Sequence[int]:
        """The flat passages of edge `i` (`a_start, a_end, b_start, b_end` each; `()`)."""
        if self.whole[self.label[i]]:
            at = bisect_left(self._whole_edges, i)
            if at < len(self._whole_edges) and self._whole_edges[at] == i:
                return self._whole_flat[self._whole_starts[at]:self._whole_starts[at + 1]]
            return ()
        start = self.first[i]
        if self.piece_spans[0][start] < 0:
            return ()
        s_start, s_end, c_start, c_end = self.piece_spans
        return array("i", [x for j in self._pieces_of(i)
                           for x in (s_start[j], s_end[j], c_start[j], c_end[j])])

    def edge_id(self, i: int) -> int | None:
        """The id of edge `i` (None when it was given without one)."""
        edge_id = self.ids[i]
        return None if edge_id == _NO_ID else edge_id

    def edge(self, i: int) -> LineageEdge:
        """Edge `i` as the `LineageEdge` it was given as (passages: an int array, or `()`)."""
        relation, kind = self.labels[self.label[i]]
        return LineageEdge(self.edge_id(i), self.names[self.source[i]],
                           self.names[self.copy[i]], relation, kind, self.jaccard[i],
                           self.passages(i), bool(self.backdated[i]))

    def source_spans(self, i: int) -> list[Span]:
        """The source spans of edge `i`'s pieces (as `pieces`: `None` for the whole text)."""
        s_start, s_end = self.piece_spans[0], self.piece_spans[1]
        return [None if s_start[j] < 0 else (s_start[j], s_end[j]) for j in self._pieces_of(i)]

    def _pieces_of(self, i: int) -> range:
        """The piece rows of edge `i` (consecutive, from `first[i]`)."""
        start = end = self.first[i]
        edges, last = self.piece_edge, len(self.piece_edge)
        while end < last and edges[end] == i:
            end += 1
        return range(start, end)

    def copy_spans(self, article_id: str) -> list[Span]:
        """The copy spans of the pieces copied into the article (`None`: the whole text)."""
        at = self.index.get(article_id)
        if at is None:
            return []
        c_start, c_end = self.piece_spans[2], self.piece_spans[3]
        return [None if c_start[j] < 0 else (c_start[j], c_end[j])
                for j in range(self._offsets[at], self._offsets[at + 1])]

    def directed_into(self, articles: Container[str]) -> np.ndarray:
        """Which edges (a mask) are directed and copy into one of `articles`."""
        codes = [c for c, (relation, _) in enumerate(self.labels) if relation == DIRECTED]
        known = np.fromiter((name in articles for name in self.names), bool, len(self.names))
        return np.isin(_np(self.label, np.uint16), codes) & known[_np(self.copy, np.int32)]

    def covered(self, article_id: str) -> Sequence[int] | None:
        """What of the article its pieces copied, as sorted, disjoint spans (flat: start, end;
        an int array); None when a piece took its whole text."""
        copied = self.copy_spans(article_id)
        if any(span is None for span in copied):
            return None
        return array("i", chain.from_iterable(_merged(copied)))  # type: ignore[arg-type]

    def has_copies(self, article_id: str) -> bool:
        """Whether a directed edge copies into the article."""
        at = self.index.get(article_id)
        return at is not None and self._offsets[at] < self._offsets[at + 1]

    def follow(self, article_id: str, span: Span) -> Follow:
        """What a span of the article (`None`: all of it) follows upstream: for each piece
        copied into it that `overlaps` the span, in edge and passage order, its edge and what
        it took of the source (`carried`: its source span; for a whole-text piece, the span
        through the edge's passages, skipped when that is `NOTHING`)."""
        at = self.index.get(article_id)
        if at is None:
            return []
        lo, hi = self._offsets[at], self._offsets[at + 1]
        if lo == hi:
            return []
        rows: Iterable[int] = range(lo, hi)
        if span is not None:
            rows = _overlapping(self._spans_np[2][lo:hi], self._spans_np[3][lo:hi], span) + lo
            rows = rows.tolist()
        names, source, edges = self.names, self.source, self.piece_edge
        s_start, s_end = self.piece_spans[0], self.piece_spans[1]
        out: Follow = []
        for j in rows:
            edge = edges[j]
            if s_start[j] >= 0:
                out.append((edge, (names[source[edge]], (s_start[j], s_end[j]))))
                continue
            taken = span if span is None else through(span, None, self.passages(edge))
            if taken != NOTHING:
                out.append((edge, (names[source[edge]], taken)))
        return out


def _overlapping(starts: np.ndarray, ends: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    """Which of the copy spans `[starts, ends)` (-1: the whole text) overlap `span`, as
    `overlaps` decides, by position."""
    shared = np.minimum(ends, span[1]) - np.maximum(starts, span[0])
    need = np.minimum(ends - starts, min(ORIGIN_MIN_OVERLAP_CHARS, span[1] - span[0]))
    return np.flatnonzero((starts < 0) | ((shared > 0) & (shared >= need)))


def uncovered(span: tuple[int, int], covered: Sequence[int]) -> int:
    """Characters of `span` outside the sorted, disjoint `covered` spans (flat: start, end)."""
    start, end = span
    left = end - start
    at = bisect_right(covered, start)
    at -= at % 2  # the first covered span that may overlap (those before end by `start`)
    while at < len(covered) and covered[at] < end:
        left -= max(0, min(end, covered[at + 1]) - max(start, covered[at]))
        at += 2
    return left


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters as `spans`."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _gather(starts: np.ndarray, counts: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions `starts[i]`, ..., `starts[i] + counts[i] - 1` of each `i` in `order`, in turn."""
    lengths = counts[order]
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.int64)
    begins = np.zeros(len(order), np.int64)
    np.cumsum(lengths[:-1], out=begins[1:])
    return np.repeat(starts[order] - begins, lengths) + np.arange(total)


def _np(column: array | bytearray, dtype: np.dtype | type) -> np.ndarray:
    """A view of a compact column as a numpy array (no copy; empty columns too)."""
    return np.frombuffer(column, dtype) if len(column) else np.zeros(0, dtype)


def _arr(typecode: str, values: np.ndarray) -> array:
    """A numpy column as a compact `array` (whose items read back as Python numbers)."""
    out = array(typecode)
    out.frombytes(_bytes(np.ascontiguousarray(values, dtype=np.dtype(typecode))))
    return out


def _bytes(values: np.ndarray) -> memoryview | bytes:
    """The bytes of a contiguous numpy array, without a copy."""
    return memoryview(values).cast("B") if values.size else b""
