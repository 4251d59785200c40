"""Provenance resolution: from each article up to its original sources, and THE credit rule.

Pure: takes records (articles, citations, copy edges) and returns records. Two questions:

* Where does an article come from? Its `original_sources` are the ends of every upstream path:
  follow `derived_from` edges to the article whose text was copied, that article's publisher
  (or the wire it credits) wrote the text (`text_origin`); follow citations to the outlets named
  as sources, through relays to the innermost one (`cited_source`). An article that copies
  nothing and cites nobody is its publisher's own reporting (`own_reporting`).
* Did a copy credit what it copied? `credit()` is the one rule, used for the scan's copy edges,
  by `check`, and shown by `show` and the report: a copy by the source's own publisher is
  `same_outlet`; otherwise it is `credited` when it names the publisher of its source or an
  outlet the source's text came from (its wire credit, or the publishers further up the copy
  chain), `uncredited` when it names none of them. Naming an outlet that the copied text itself
  cites ("laut KCNA") does not credit the author of the text.

Cycles (possible only through contradictory dates or ties) are cut and reported, never looped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from provenance.records import (
    WHOLE_TEXT_KINDS,
    Article,
    Citation,
    CopyEdge,
    Origin,
    Step,
    Verdict,
)

# Order of reasons in an article's list of original sources.
REASON_ORDER = ("text_origin", "cited_source", "own_reporting")

Paths = dict[str, tuple[Step, ...]]  # outlet id -> the shortest path of evidence there


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


def _a(article_id: str) -> str:
    return f"article:{article_id}"


def _o(outlet_id: str) -> str:
    return f"outlet:{outlet_id}"


def _copy_step(article_id: str, edge: CopyEdge) -> Step:
    return Step("derived_from", _a(article_id), _a(edge.source_id),
                f"{edge.kind} {edge.jaccard:.2f}")


def _keep_shortest(found: Paths, outlet: str, path: tuple[Step, ...]) -> None:
    """Keep `path` to `outlet` when it is the first or strictly shorter than the one kept."""
    if outlet not in found or len(path) < len(found[outlet]):
        found[outlet] = path


class _Frame:
    """One article on an iterative walk: the paths found so far and its next copy edge."""

    __slots__ = ("article_id", "edges", "found", "next")

    def __init__(self, article_id: str, edges: list[CopyEdge], found: Paths):
        self.article_id, self.edges, self.found, self.next = article_id, edges, found, 0


def _extend(found: Paths, step: Step, upstream: Paths) -> None:
    """Add the paths of a copied article to its copy's, each behind the copy step."""
    for outlet, path in upstream.items():
        _keep_shortest(found, outlet, (step, *path))


class _Resolver:
    """Memoised walks up the copy edges; one instance per `resolve` call.

    The walks are depth-first with an explicit stack (a copy chain can be far deeper than
    Python's recursion limit) and visit articles, edges and paths in exactly the order of the
    recursive definition: an article's own paths, then each copied article's in edge order,
    then its fallback; the first shortest path to an outlet wins.
    """

    def __init__(self, articles: Mapping[str, Article], citations: Iterable[Citation],
                 edges: Iterable[CopyEdge]):
        self.publishers = {a.id: a.publisher_id for a in articles.values()}
        self.cites: dict[str, list[Citation]] = defaultdict(list)
        for cit in citations:
            if cit.counts and cit.outlet_id and cit.article_id:
                self.cites[cit.article_id].append(cit)
        self.sources_of: dict[str, list[CopyEdge]] = defaultdict(list)
        for edge in edges:
            if edge.relation == "derived_from":
                self.sources_of[edge.copy_id].append(edge)
        self.memo: dict[str, dict[str, Paths]] = {"text": {}, "cited": {}}
        # Articles on the current walk, per walk kind: meeting one again is a cycle.
        self.walking: dict[str, set[str]] = {"text": set(), "cited": set()}
        self.problems: list[str] = []

    def publisher(self, article_id: str) -> str | None:
        return self.publishers.get(article_id)

    def whole_text_credits(self, article_id: str) -> list[Citation]:
        return [c for c in self.cites.get(article_id, ()) if c.kind in WHOLE_TEXT_KINDS]

    def _enter(self, walk: str, article_id: str) -> bool:
        """Mark `article_id` as on the walk; False (and a problem) when it already is."""
        if article_id in self.walking[walk]:
            self.problems.append(f"cycle of copy edges through article {article_id} "
                                 "(contradictory dates); the cycle was cut there")
            return False
        self.walking[walk].add(article_id)
        return True

    def _frame(self, walk: str, article_id: str) -> _Frame:
        """A new frame for `article_id`, holding the paths the article gives of itself."""
        own = self._own_citations(article_id) if walk == "cited" else {}
        return _Frame(article_id, self.sources_of.get(article_id, []), own)

    def _walk(self, walk: str, root: str) -> Paths:
        """The memoised paths of `root` for one walk kind ("text" or "cited"), found
        depth-first up the copy edges; an article met again on the walk is a cut cycle."""
        memo = self.memo[walk]
        if root in memo:
            return memo[root]
        if not self._enter(walk, root):
            return {}
        stack = [self._frame(walk, root)]
        while True:
            frame = stack[-1]
            if frame.next < len(frame.edges):
                edge = frame.edges[frame.next]
                frame.next += 1
                source = edge.source_id
                if source in memo:
                    upstream = memo[source]
                elif self._enter(walk, source):
                    stack.append(self._frame(walk, source))
                    continue
                else:
                    upstream = {}
                _extend(frame.found, _copy_step(frame.article_id, edge), upstream)
                continue
            if walk == "text":
                self._text_fallback(frame.article_id, frame.found)
            self.walking[walk].discard(frame.article_id)
            memo[frame.article_id] = frame.found
            stack.pop()
            if not stack:
                return frame.found
            parent = stack[-1]
            _extend(parent.found, _copy_step(parent.article_id, parent.edges[parent.next - 1]),
                    frame.found)

    def _text_fallback(self, article_id: str, found: Paths) -> None:
        """An article whose text copies nothing: it comes from the wire it credits, else
        from its publisher."""
        publisher = self.publisher(article_id)
        if not found:
            for cit in self.whole_text_credits(article_id):
                if cit.outlet_id != publisher:
                    _keep_shortest(found, cit.outlet_id, (
                        Step("credits", _a(article_id), _o(cit.outlet_id), cit.sentence),))
        if not found and publisher:
            found[publisher] = (Step("published_by", _a(article_id), _o(publisher)),)

    def _own_citations(self, article_id: str) -> Paths:
        """Outlets the article itself names as sources (innermost relay only)."""
        found: Paths = {}
        cits = self.cites.get(article_id, ())
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

    def text_origins(self, article_id: str) -> Paths:
        """Outlets the article's text came from, each with the path there."""
        return self._walk("text", article_id)

    def cited_sources(self, article_id: str) -> Paths:
        """Outlets named as sources by the article or by the articles it copies (innermost
        relay only), each with the shortest path there. Memoised: copies of copies share
        their sources' results, so a story of n reprints costs O(edges), not O(paths)."""
        return self._walk("cited", article_id)

    def originals(self, article_id: str) -> list[Origin]:
        """The article's original sources, text origins first, ranked."""
        out: list[Origin] = []
        publisher = self.publisher(article_id)
        copied = bool(self.sources_of.get(article_id))
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

    def verdict(self, edge: CopyEdge) -> Verdict:
        """The credit rule applied to one copy edge."""
        source = edge.source_id
        pub_source = self.publisher(source)
        creditable = {pub_source} if pub_source else set()
        creditable |= set(self.text_origins(source))
        creditable |= {c.outlet_id for c in self.whole_text_credits(source)}
        # The last counting citation of each outlet gives the sentence shown as evidence.
        named = {c.outlet_id: c.sentence for c in self.cites.get(edge.copy_id, ())}
        return credit(self.publisher(edge.copy_id), pub_source, creditable, named, source)


def resolve(articles: Iterable[Article], citations: Iterable[Citation],
            edges: Iterable[CopyEdge]) -> Lineage:
    """Original sources of every article and a verdict for every copy edge.

    Args:
        articles: articles with `id` and `publisher_id` (text not needed).
        citations: citations with `article_id` set (as read back from the store).
        edges: copy edges with `id` set.
    """
    by_id = {a.id: a for a in articles}
    edges = list(edges)
    resolver = _Resolver(by_id, citations, edges)
    lineage = Lineage()
    for article_id in sorted(by_id):
        lineage.original_sources[article_id] = resolver.originals(article_id)
    for edge in edges:
        lineage.verdicts[edge.id] = resolver.verdict(edge)
        if edge.backdated:
            lineage.problems.append(
                f"article {edge.copy_id} copies {edge.source_id} and credits it, but is "
                "dated before it (check the publication dates)")
    lineage.problems.extend(sorted(set(resolver.problems)))
    return lineage
