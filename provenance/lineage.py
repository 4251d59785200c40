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

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from provenance.config import ORIGIN_MIN_OWN_CHARS
from provenance.copies.edge_table import EdgeTable, Span, uncovered
from provenance.records import (
    WHOLE_TEXT_KINDS,
    Article,
    Citation,
    CopyEdge,
    LineageEdge,
    Origin,
    Step,
    Verdict,
)

# Order of reasons in an article's list of original sources.
REASON_ORDER = ("text_origin", "cited_source", "own_reporting")

Paths = dict[str, tuple[Step, ...]]  # outlet id -> the shortest path of evidence there
# A resolved key's paths as the memo keeps them: (outlet id, path) pairs, `()` when none (a
# tuple of pairs is a third of a small dict; an archive of dense reuse memoises millions), a
# copy step kept as its edge's index (`_Resolver.steps` makes the `Step` when it is output).
Frozen = tuple[tuple[str, tuple[Step | int, ...]], ...]
_OUTLET = itemgetter(0)  # the outlet of an (outlet id, path) pair
ARTICLE = "article"  # the span of a walk's key that stands for an article itself
Key = tuple[str, Span | str]  # (article id, span or ARTICLE): what a walk resolves


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
    wanted = tuple(sorted(set(filter(None, creditable))))
    names = tuple(o for o in wanted if o in named) if named else ()
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


def _a(article_id: str) -> str:
    return f"article:{article_id}"


def _o(outlet_id: str) -> str:
    return f"outlet:{outlet_id}"


def _copy_step(article_id: str, source_id: str, kind: str, jaccard: float) -> Step:
    """The step of a path through a copy edge: the article derived from its source."""
    return Step("derived_from", _a(article_id), _a(source_id), f"{kind} {jaccard:.2f}")


def _keep_shortest(found: Paths, outlet: str, path: tuple[Step, ...]) -> None:
    """Keep `path` to `outlet` when it is the first or strictly shorter than the one kept."""
    if outlet not in found or len(path) < len(found[outlet]):
        found[outlet] = path


def _pairs(paths: Paths | Frozen) -> Iterable[tuple[str, tuple[Step | int, ...]]]:
    """(outlet id, path) pairs of paths as found (a dict) or memoised (`Frozen`)."""
    return paths.items() if isinstance(paths, dict) else paths


def _extend(found: Paths, step: Step | int, upstream: Paths | Frozen) -> None:
    """Add the paths of a copied span to its copy's, each behind the copy step (as
    `_keep_shortest`, the path made only when it is kept)."""
    for outlet, path in _pairs(upstream):
        kept = found.get(outlet)
        if kept is None or len(path) + 1 < len(kept):
            found[outlet] = (step, *path)


class _Cite(NamedTuple):
    """What resolution reads of a counting citation (a tenth of a `Citation`'s memory)."""

    outlet_id: str
    kind: str
    zone: str
    start: int
    end: int
    sentence: str
    relayed_by: str | None


class _Frame:
    """One (article, span) on an iterative walk: the paths found so far and its next piece."""

    __slots__ = ("key", "article_id", "follow", "found", "next")

    def __init__(self, key: Key, follow: list[tuple[int, Key]], found: Paths):
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

    def __init__(self, articles: Iterable[Article], citations: Iterable[Citation],
                 edges: EdgeTable | Iterable[CopyEdge | LineageEdge]):
        self.publishers: dict[str, str | None] = {}
        self.lengths: dict[str, int] = {}
        for a in articles:  # may stream: only the publisher and length of each are kept
            self.publishers[a.id], self.lengths[a.id] = a.publisher_id, a.n_chars
        self.cites: dict[str, list[_Cite]] = defaultdict(list)
        for cit in citations:
            if cit.counts and cit.outlet_id and cit.article_id:
                self.cites[cit.article_id].append(_Cite(
                    cit.outlet_id, cit.kind, cit.zone, cit.start, cit.end, cit.sentence,
                    cit.relayed_by))
        self.credits = {a: found for a, cits in self.cites.items()  # whole-text credits
                        if (found := [c for c in cits if c.kind in WHOLE_TEXT_KINDS])}
        self.edges = edges if isinstance(edges, EdgeTable) else EdgeTable(edges)
        self.covered: dict[str, Sequence[int] | None] = {}  # flat: start, end
        self.memo: dict[str, dict[Key, Paths]] = {"text": {}, "cited": {}}
        # Keys on the current walk, per walk kind: meeting one again is a cycle.
        self.walking: dict[str, set[Key]] = {"text": set(), "cited": set()}
        self.problems: list[str] = []
        self.interned: dict[Step, Step] = {}  # each distinct step once (`_shared`)
        # What each key of the article resolved now follows: the text walk's, for its cited
        # walk (a key's follow depends on the key alone); emptied after each article.
        self.follows: dict[Key, list[tuple[int, Key]]] = {}
        self.sharing = False

    def publisher(self, article_id: str) -> str | None:
        return self.publishers.get(article_id)

    def whole_text_credits(self, article_id: str) -> Sequence[_Cite]:
        return self.credits.get(article_id, ())

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
        follow = self.follows.pop(key, None) if walk == "cited" else None
        if follow is None:  # ARTICLE follows every piece, as the whole text (None) does
            follow = self.edges.follow(article_id, None if span == ARTICLE else span)
            if self.sharing and walk == "text":
                self.follows[key] = follow
        own = self._own_citations(article_id, span) if walk == "cited" else {}
        return _Frame(key, follow, own)

    def _walk(self, walk: str, root: Key) -> Paths | Frozen:
        """The memoised paths of `root` for one walk kind ("text" or "cited"), found
        depth-first up the copied spans; a key met again on the walk is a cut cycle."""
        memo = self.memo[walk]
        if root in memo:
            return memo[root]
        if not self._enter(walk, root):
            return ()
        stack = [self._frame(walk, root)]
        while True:
            frame = stack[-1]
            if self._follow(walk, frame, memo, stack):
                continue  # a new key's frame was pushed
            if walk == "text":
                self._own_text(frame)
            self.walking[walk].discard(frame.key)
            memo[frame.key] = found = tuple(frame.found.items())
            stack.pop()
            if not stack:
                return found
            parent = stack[-1]
            self._extend(parent, parent.follow[parent.next - 1][0], found)

    def _follow(self, walk: str, frame: _Frame, memo: dict[Key, Frozen],
                stack: list[_Frame]) -> bool:
        """Follow the frame's pieces from its next one: add the paths of each memoised key
        (`_extend`, inline: the hot loop of a resolution) until a key not resolved yet, whose
        frame is pushed (True); a key met again on the walk (a cut cycle) gives nothing."""
        follow, at, found = frame.follow, frame.next, frame.found
        while at < len(follow):
            edge, key = follow[at]
            at += 1
            upstream = memo.get(key)
            if upstream is None:
                if self._enter(walk, key):
                    frame.next = at
                    stack.append(self._frame(walk, key))
                    return True
                continue
            for outlet, path in upstream:
                kept = found.get(outlet)
                if kept is None or len(path) + 1 < len(kept):
                    found[outlet] = (edge, *path)
        frame.next = at
        return False

    def _extend(self, frame: _Frame, edge: int, upstream: Paths | Frozen) -> None:
        """Add the paths of what the frame's copy edge (an `edges` index) took to the frame's,
        behind the edge's copy step (its index: `steps` makes it when a path is output)."""
        _extend(frame.found, edge, upstream)

    def steps(self, path: tuple[Step | int, ...]) -> tuple[Step, ...]:
        """A path as output: each copy step (an edge index) made a `Step`."""
        edges, names = self.edges, self.edges.names
        return tuple(_copy_step(names[edges.copy[s]], names[edges.source[s]],
                                edges.labels[edges.label[s]][1], edges.jaccard[s])
                     if isinstance(s, int) else s for s in path)

    def _shared(self, step: Step) -> Step:
        """The one instance of an equal step made before (or this one)."""
        return self.interned.setdefault(step, step)

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
                _keep_shortest(found, cit.outlet_id, (self._shared(
                    Step("credits", _a(article_id), _o(cit.outlet_id), cit.sentence)),))
        if not credited and publisher:
            _keep_shortest(found, publisher, (self._shared(Step(
                "published_by", _a(article_id), _o(publisher))),))

    def _own_chars(self, article_id: str, span: Span) -> int:
        """Characters of `span` of the article copied from no article upstream (0 when the
        whole text was copied, or when its length is unknown)."""
        if article_id not in self.covered:
            self.covered[article_id] = self.edges.covered(article_id)
        covered = self.covered[article_id]
        if covered is None:
            return 0
        return uncovered((0, self.lengths.get(article_id) or 0) if span is None else span,
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
            _keep_shortest(found, outlet, tuple(map(self._shared, path)))
        return found

    def text_origins(self, article_id: str, span: Span | str = ARTICLE) -> Paths:
        """Outlets the article's text (or the `span` of it a copy took) came from, each with
        the shortest path there."""
        return {o: self.steps(path) for o, path in _pairs(self._walk("text", (article_id, span)))}

    def cited_sources(self, article_id: str) -> Paths:
        """Outlets named as sources by the article or inside what it copied (innermost relay
        only), each with the shortest path there. Memoised per copied span: a story of n
        reprints costs O(pieces x pieces copied into their sources), not O(paths)."""
        return {o: self.steps(path) for o, path in _pairs(self._walk("cited", (article_id,
                                                                               ARTICLE)))}

    def originals(self, article_id: str) -> list[Origin]:
        """The article's original sources, text origins first, ranked."""
        out: list[Origin] = []
        publisher = self.publisher(article_id)
        copied = self.edges.has_copies(article_id)
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
        for memo in self.memo.values():  # an article's own key is never followed: dropped
            memo.pop((article_id, ARTICLE), None)
        self.follows.clear()
        out.sort(key=lambda o: (REASON_ORDER.index(o.reason), len(o.path), o.outlet_id))
        return [Origin(o.outlet_id, o.reason, o.path, article_id, rank)
                for rank, o in enumerate(out)]

    def verdict(self, i: int) -> Verdict:
        """The credit rule applied to copy edge `i` (of `edges`): the creditable outlets are
        the source's publisher, its whole-text credits and the text origins of what the copy
        took (its pieces' source spans)."""
        edges, memo = self.edges, self.memo["text"]
        source, copy = edges.names[edges.source[i]], edges.names[edges.copy[i]]
        pub_source = self.publishers.get(source)
        creditable = {pub_source} if pub_source else set()
        for span in edges.source_spans(i):
            paths = memo.get((source, span))
            if paths is None:
                paths = self._walk("text", (source, span))
            creditable.update(paths.keys() if isinstance(paths, dict) else map(_OUTLET, paths))
        creditable.update([c.outlet_id for c in self.credits.get(source, ())])
        # The last counting citation of each outlet gives the sentence shown as evidence.
        cites = self.cites.get(copy)
        named = {c.outlet_id: c.sentence for c in cites} if cites else {}
        return credit(self.publishers.get(copy), pub_source, creditable, named, source)


class Resolution:
    """A resolution made a piece at a time (a store writes it in slices); read in this order:
    `original_sources()`, `verdicts()`, `problems()` (the walks are memoised across them)."""

    def __init__(self, articles: Iterable[Article], citations: Iterable[Citation],
                 edges: EdgeTable | Iterable[CopyEdge | LineageEdge]):
        self.resolver = _Resolver(articles, citations, edges)  # each may stream
        self.article_ids = sorted(self.resolver.publishers)
        self.backdated: list[str] = []
        self.resolved = False  # every article's original sources made
        self.counts: Counter[tuple[str, str]] = Counter()  # (relation, verdict) -> edges

    def original_sources(self) -> Iterator[tuple[str, list[Origin]]]:
        """(article id, its original sources) for every article, by article id."""
        self.resolver.sharing = True
        for article_id in self.article_ids:
            yield article_id, self.resolver.originals(article_id)
        self.resolver.sharing = False
        self.resolver.memo["cited"].clear()  # the verdicts follow the text walks only
        self.resolved = True

    def verdicts(self) -> Iterator[tuple[int | None, Verdict]]:
        """(copy-edge id, its verdict) for every copy edge, by edge id (the order a store
        writes fastest). Each equals the verdict made in the order given: first, in that
        order, the walks the original sources did not make are made (a directed edge's were,
        when its copy was resolved: its text walk followed every piece copied into it), so
        that every verdict reads only memoised walks."""
        resolver, table = self.resolver, self.resolver.edges
        names, memo = table.names, resolver.memo["text"]
        walked = table.directed_into(resolver.publishers if self.resolved else ())
        for i in np.flatnonzero(~walked).tolist():
            source = names[table.source[i]]
            for span in table.source_spans(i):
                if (source, span) not in memo:
                    resolver._walk("text", (source, span))
        self.backdated = [f"article {names[table.copy[i]]} copies {names[table.source[i]]} and "
                          "credits it, but is dated before it (check the publication dates)"
                          for i in np.flatnonzero(np.frombuffer(table.backdated, np.uint8))]
        relations, counts = [relation for relation, _ in table.labels], self.counts
        for i in table.by_id:
            verdict = resolver.verdict(i)
            counts[relations[table.label[i]], verdict.verdict] += 1
            yield table.edge_id(i), verdict

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
