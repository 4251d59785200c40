"""Provenance resolution: from each article up to its original sources, and THE credit rule.

Pure: takes records (articles, citations, copy edges) and returns records. Two questions:

* Where does an article come from? Its `original_sources` are the ends of the upstream paths of
  the text it holds. A copy edge carries what the copy took: its passages, or the whole text for
  an `exact` or `near_duplicate` copy (or an edge without passages). What a copy took is followed
  up a copy edge of its source only where it overlaps what the source took through that edge (by
  `ORIGIN_MIN_OVERLAP_CHARS`, or all of the shorter span; a whole text is followed up every
  edge, a span of a whole-text copy is carried through the edge's passages). A copied span with
  at least `ORIGIN_MIN_OWN_CHARS` copied from nowhere upstream (or with nothing upstream) is its
  source's own text: the source's publisher (or the wire it credits) is a `text_origin`. An
  article that copies nothing comes from the wire it credits, else its publisher. Its
  `cited_source`s are the outlets it names as sources and those named inside the spans it copied
  (through relays to the innermost outlet); one that copies and cites nothing is
  `own_reporting`. Each origin keeps the shortest path of evidence (the first on a tie).
* Did a copy credit what it copied? `credit()` is the one rule (scan, `check`, `show`, report):
  a copy by the source's own publisher is `same_outlet`; else it is `credited` when it names the
  source's publisher or an outlet the copied text came from (the source's wire credit, or the
  text origins of the passages it took), `uncredited` when it names none. Naming an outlet the
  copied text itself cites ("laut KCNA") does not credit the text's author.

The walks are iterative (explicit stacks) and memoised per (article, copied span), so a chain
far deeper than Python's recursion limit resolves and each span is resolved once. Cycles
(possible only through contradictory dates or ties) are cut and reported, never looped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from provenance.config import ORIGIN_MIN_OVERLAP_CHARS, ORIGIN_MIN_OWN_CHARS
from provenance.records import (
    WHOLE_TEXT_KINDS,
    Article,
    Citation,
    CopyEdge,
    LineageEdge,
    Origin,
    Step,
    Verdict,
    flat_passages,
)

# Order of reasons in an article's list of original sources.
REASON_ORDER = ("text_origin", "cited_source", "own_reporting")

Paths = dict[str, tuple[Step, ...]]  # outlet id -> the shortest path of evidence there
Span = tuple[int, int] | None  # [start, end) characters of an article's text; None: all of it
ARTICLE = "article"  # the span of a walk's key that stands for an article itself
NOTHING = "nothing"  # what a copy took of a span that it did not copy at all
Key = tuple[str, Span | str]  # (article id, span or ARTICLE): what a walk resolves
# Copy kinds that take the source's whole text (every copy edge upstream of it is followed).
WHOLE_COPY_KINDS = frozenset({"exact", "near_duplicate"})


@dataclass
class Lineage:
    """The resolved provenance of every article and the verdict of every copy edge."""

    original_sources: dict[str, list[Origin]] = field(default_factory=dict)  # article id ->
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # copy-edge id -> verdict
    problems: list[str] = field(default_factory=list)

    def origins(self) -> list[Origin]:
        """Every article's origins in one list (`article_id` and `rank` set), for the store."""
        return [origin for found in self.original_sources.values() for origin in found]


def credit(copy_publisher: str | None, source_publisher: str | None, creditable: Iterable[str],
           named: Mapping[str, str], source_id: str) -> Verdict:
    """The one credit rule: whether a copy of `source_id` credits what it copies.

    A copy by the source's publisher, or by an outlet the source's text came from (a wire
    reusing a client's reprint of its own story), is `same_outlet`; else a copy that names a
    creditable outlet is `credited`; else it is `uncredited`.

    Args:
        copy_publisher: publisher of the copy (the draft's, in `check`).
        source_publisher: publisher of the copied article.
        creditable: outlets whose naming credits the copy (the source's publisher and the
            outlets its text came from); None entries are ignored.
        named: outlet id -> the sentence of a counting citation of that outlet in the copy.
        source_id: the copied article (for the reason).
    """
    wanted = tuple(sorted({o for o in creditable if o}))
    names = tuple(o for o in wanted if o in named)
    if copy_publisher and copy_publisher == source_publisher:
        return Verdict("same_outlet", f"same outlet ({copy_publisher})", names, wanted)
    if copy_publisher and copy_publisher in wanted:
        # a reprint of the copy's own outlet's text (a wire reusing its story via a client)
        return Verdict("same_outlet", f"text of its own outlet ({copy_publisher}) via "
                                      f"{source_id}", names, wanted)
    if names:
        return Verdict("credited", f"names {names[0]}: {named[names[0]]}", names, wanted)
    missing = ", ".join(wanted) or "the source's publisher"
    return Verdict("uncredited", f"copies {source_id} without naming {missing}", names, wanted)


def lean(edge: CopyEdge | LineageEdge) -> LineageEdge:
    """The fields of a copy edge that resolution reads, as a `LineageEdge`."""
    if isinstance(edge, LineageEdge):
        return edge
    flat = flat_passages((p.a_start, p.a_end, p.b_start, p.b_end) for p in edge.passages)
    return LineageEdge(edge.id, edge.source_id, edge.copy_id, edge.relation, edge.kind,
                       edge.jaccard, flat, edge.backdated)


def _a(article_id: str) -> str:
    return f"article:{article_id}"


def _o(outlet_id: str) -> str:
    return f"outlet:{outlet_id}"


def _copy_step(article_id: str, edge: LineageEdge) -> Step:
    return Step("derived_from", _a(article_id), _a(edge.source_id),
                f"{edge.kind} {edge.jaccard:.2f}")


def _keep_shortest(found: Paths, outlet: str, path: tuple[Step, ...]) -> None:
    """Keep `path` to `outlet` when it is the first or strictly shorter than the one kept."""
    if outlet not in found or len(path) < len(found[outlet]):
        found[outlet] = path


def _extend(found: Paths, step: Step, upstream: Paths) -> None:
    """Add the paths of a copied span to its copy's, each behind the copy step."""
    for outlet, path in upstream.items():
        _keep_shortest(found, outlet, (step, *path))


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
    if piece.source_span is not None or span is None:
        return piece.source_span
    flat = piece.edge.passages
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


def _uncovered(span: tuple[int, int], covered: list[tuple[int, int]]) -> int:
    """Characters of `span` outside the sorted, disjoint `covered` spans."""
    start, end = span
    return end - start - sum(max(0, min(end, e) - max(start, s)) for s, e in covered
                             if s < end and e > start)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters as `spans`."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class _Frame:
    """One (article, span) on an iterative walk: the paths found so far and its next piece."""

    __slots__ = ("key", "article_id", "follow", "found", "next")

    def __init__(self, key: Key, follow: list[tuple[LineageEdge, Key]], found: Paths):
        self.key, self.article_id, self.follow, self.found, self.next = (
            key, key[0], follow, found, 0)


class _Resolver:
    """Memoised walks up the copied spans; one instance per `resolve` call.

    A walk starts at an article (key `(article_id, ARTICLE)`) or at what a copy took from it
    (`(article_id, span)`, `None` for the whole text) and follows the pieces copied into it that
    overlap the span, depth-first with an explicit stack, in exactly the order of the recursive
    definition: a key's own paths, then each followed piece's in edge and passage order, then
    its own text; the first shortest path to an outlet wins.
    """

    def __init__(self, articles: Mapping[str, Article], citations: Iterable[Citation],
                 edges: Iterable[LineageEdge]):
        self.publishers = {a.id: a.publisher_id for a in articles.values()}
        self.lengths = {a.id: a.n_chars for a in articles.values()}
        self.cites: dict[str, list[Citation]] = defaultdict(list)
        for cit in citations:
            if cit.counts and cit.outlet_id and cit.article_id:
                self.cites[cit.article_id].append(cit)
        self.copied_into: dict[str, list[LineageEdge]] = defaultdict(list)
        for edge in edges:
            if edge.relation == "derived_from":
                self.copied_into[edge.copy_id].append(edge)
        self.covered: dict[str, list[tuple[int, int]] | None] = {}
        self.memo: dict[str, dict[Key, Paths]] = {"text": {}, "cited": {}}
        # Keys on the current walk, per walk kind: meeting one again is a cycle.
        self.walking: dict[str, set[Key]] = {"text": set(), "cited": set()}
        self.problems: list[str] = []

    def publisher(self, article_id: str) -> str | None:
        return self.publishers.get(article_id)

    def copied_pieces(self, article_id: str) -> Iterator[Piece]:
        """The pieces copied into the article, in edge and passage order."""
        for edge in self.copied_into.get(article_id, ()):
            yield from pieces(edge)

    def whole_text_credits(self, article_id: str) -> list[Citation]:
        return [c for c in self.cites.get(article_id, ()) if c.kind in WHOLE_TEXT_KINDS]

    def _enter(self, walk: str, key: Key) -> bool:
        """Mark `key` as on the walk; False (and a problem) when it already is."""
        if key in self.walking[walk]:
            self.problems.append(f"cycle of copy edges through article {key[0]} "
                                 "(contradictory dates); the cycle was cut there")
            return False
        self.walking[walk].add(key)
        return True

    def _frame(self, walk: str, key: Key) -> _Frame:
        """A new frame for `key`: the copy edges it follows (each with what it took from
        the source, the next key) and the paths it gives of itself."""
        article_id, span = key
        follow = []
        for piece in self.copied_pieces(article_id):
            if span == ARTICLE:
                follow.append((piece.edge, (piece.edge.source_id, piece.source_span)))
            elif overlaps(span, piece.copy_span):
                taken = carried(span, piece)
                if taken != NOTHING:
                    follow.append((piece.edge, (piece.edge.source_id, taken)))
        own = self._own_citations(article_id, span) if walk == "cited" else {}
        return _Frame(key, follow, own)

    def _walk(self, walk: str, root: Key) -> Paths:
        """The memoised paths of `root` for one walk kind ("text" or "cited"), found
        depth-first up the copied spans; a key met again on the walk is a cut cycle."""
        memo = self.memo[walk]
        if root in memo:
            return memo[root]
        if not self._enter(walk, root):
            return {}
        stack = [self._frame(walk, root)]
        while True:
            frame = stack[-1]
            if frame.next < len(frame.follow):
                edge, key = frame.follow[frame.next]
                frame.next += 1
                if key in memo:
                    upstream = memo[key]
                elif self._enter(walk, key):
                    stack.append(self._frame(walk, key))
                    continue
                else:
                    upstream = {}
                _extend(frame.found, _copy_step(frame.article_id, edge), upstream)
                continue
            if walk == "text":
                self._own_text(frame)
            self.walking[walk].discard(frame.key)
            memo[frame.key] = frame.found
            stack.pop()
            if not stack:
                return frame.found
            parent = stack[-1]
            _extend(parent.found, _copy_step(parent.article_id,
                                             parent.follow[parent.next - 1][0]), frame.found)

    def _own_text(self, frame: _Frame) -> None:
        """Add the key's own text: an article's when it copies nothing, a copied span's when
        nothing upstream gave it or enough of it was copied from nowhere. Own text comes from
        the wire the article credits for its whole text, else from its publisher."""
        article_id, span = frame.key
        found = frame.found
        if found and (span == ARTICLE or self._own_chars(article_id, span)
                      < ORIGIN_MIN_OWN_CHARS):
            return
        publisher = self.publisher(article_id)
        credited = False
        for cit in self.whole_text_credits(article_id):
            if cit.outlet_id != publisher:
                credited = True
                _keep_shortest(found, cit.outlet_id, (
                    Step("credits", _a(article_id), _o(cit.outlet_id), cit.sentence),))
        if not credited and publisher:
            _keep_shortest(found, publisher, (Step("published_by", _a(article_id),
                                                   _o(publisher)),))

    def _own_chars(self, article_id: str, span: Span) -> int:
        """Characters of `span` of the article copied from no article upstream (0 when the
        whole text was copied, or when its length is unknown)."""
        if article_id not in self.covered:
            copied = [p.copy_span for p in self.copied_pieces(article_id)]
            self.covered[article_id] = (None if any(s is None for s in copied)
                                        else _merged([s for s in copied if s is not None]))
        covered = self.covered[article_id]
        if covered is None:
            return 0
        return _uncovered((0, self.lengths.get(article_id) or 0) if span is None else span,
                          covered)

    def _own_citations(self, article_id: str, span: Span | str) -> Paths:
        """Outlets the article itself names as sources (innermost relay only); inside `span`
        (a citation in a body sentence that overlaps it) when a span was copied."""
        found: Paths = {}
        cits = self.cites.get(article_id, ())
        if span is not None and span != ARTICLE:
            cits = [c for c in cits if c.zone == "body" and c.start < span[1]
                    and c.end > span[0]]
        relaying = {c.relayed_by for c in cits if c.relayed_by}
        for cit in cits:
            outlet = cit.outlet_id
            if cit.kind in WHOLE_TEXT_KINDS or outlet in relaying:
                continue
            if cit.relayed_by:
                path = (Step("cites", _a(article_id), _o(cit.relayed_by), cit.sentence),
                        Step("relays", _o(cit.relayed_by), _o(outlet), cit.sentence))
            else:
                path = (Step("cites", _a(article_id), _o(outlet), cit.sentence),)
            _keep_shortest(found, outlet, path)
        return found

    def text_origins(self, article_id: str, span: Span | str = ARTICLE) -> Paths:
        """Outlets the article's text (or the `span` of it a copy took) came from, each with
        the shortest path there."""
        return self._walk("text", (article_id, span))

    def cited_sources(self, article_id: str) -> Paths:
        """Outlets named as sources by the article or inside what it copied (innermost relay
        only), each with the shortest path there. Memoised per copied span: a story of n
        reprints costs O(pieces x pieces copied into their sources), not O(paths)."""
        return self._walk("cited", (article_id, ARTICLE))

    def originals(self, article_id: str) -> list[Origin]:
        """The article's original sources, text origins first, ranked."""
        out: list[Origin] = []
        publisher = self.publisher(article_id)
        copied = bool(self.copied_into.get(article_id))
        credited = [c for c in self.whole_text_credits(article_id) if c.outlet_id != publisher]
        if copied or credited:
            for outlet, path in self.text_origins(article_id).items():
                out.append(Origin(outlet, "text_origin", path))
        text_outlets = {o.outlet_id for o in out}
        for outlet, path in self.cited_sources(article_id).items():
            if outlet not in text_outlets:
                out.append(Origin(outlet, "cited_source", path))
        if not out and publisher:
            out.append(Origin(publisher, "own_reporting", ()))
        out.sort(key=lambda o: (REASON_ORDER.index(o.reason), len(o.path), o.outlet_id))
        return [Origin(o.outlet_id, o.reason, o.path, article_id, rank)
                for rank, o in enumerate(out)]

    def verdict(self, edge: LineageEdge) -> Verdict:
        """The credit rule applied to one copy edge: the creditable outlets are the source's
        publisher, its whole-text credits and the text origins of what the copy took."""
        source = edge.source_id
        pub_source = self.publisher(source)
        creditable = {pub_source} if pub_source else set()
        for piece in pieces(edge):
            creditable |= set(self.text_origins(source, piece.source_span))
        creditable |= {c.outlet_id for c in self.whole_text_credits(source)}
        # The last counting citation of each outlet gives the sentence shown as evidence.
        named = {c.outlet_id: c.sentence for c in self.cites.get(edge.copy_id, ())}
        return credit(self.publisher(edge.copy_id), pub_source, creditable, named, source)


class Resolution:
    """A resolution made a piece at a time (a store writes it in slices); read in this order:
    `original_sources()`, `verdicts()`, `problems()` (the walks are memoised across them)."""

    def __init__(self, articles: Iterable[Article], citations: Iterable[Citation],
                 edges: Iterable[CopyEdge | LineageEdge]):
        by_id = {a.id: a for a in articles}
        self.article_ids = sorted(by_id)
        self.edges = [lean(edge) for edge in edges]
        self.resolver = _Resolver(by_id, citations, self.edges)
        self.backdated: list[str] = []

    def original_sources(self) -> Iterator[tuple[str, list[Origin]]]:
        """(article id, its original sources) for every article, by article id."""
        for article_id in self.article_ids:
            yield article_id, self.resolver.originals(article_id)

    def verdicts(self) -> Iterator[tuple[int | None, Verdict]]:
        """(copy-edge id, its verdict) for every copy edge, in the order given."""
        for edge in self.edges:
            yield edge.id, self.resolver.verdict(edge)
            if edge.backdated:
                self.backdated.append(
                    f"article {edge.copy_id} copies {edge.source_id} and credits it, but is "
                    "dated before it (check the publication dates)")

    def problems(self) -> list[str]:
        """What the resolution met and could not settle."""
        return self.backdated + sorted(set(self.resolver.problems))


def resolve(articles: Iterable[Article], citations: Iterable[Citation],
            edges: Iterable[CopyEdge | LineageEdge]) -> Lineage:
    """Original sources of every article and a verdict for every copy edge, from articles
    (`id`, `publisher_id`, `n_chars`), stored citations and copy edges with `id` set."""
    run = Resolution(articles, citations, edges)
    lineage = Lineage(dict(run.original_sources()), dict(run.verdicts()))
    lineage.problems = run.problems()
    return lineage
