"""Provenance resolution: from each article up to its original sources, and copy verdicts.

Pure: takes rows (articles, citations, copy edges, stories) and returns data. Two questions:

* Where does an article come from? Its `original_sources` are the ends of every upstream path:
  follow `derived_from` edges to the article whose text was copied, that article's publisher
  (or the wire it credits) wrote the text (`text_origin`); follow citations to the outlets named
  as sources, through relays to the innermost one (`cited_source`). An article that copies
  nothing and cites nobody is its publisher's own reporting (`own_reporting`).
* Did a copy credit what it copied? A copy edge is `credited` when the copy cites the publisher
  of its source, or an outlet the source's text came from (its wire credit, or the publishers
  further up the copy chain); `uncredited` otherwise. Naming an outlet that the copied text
  itself cites ("laut KCNA") does not credit the author of the text.

Cycles (possible only through contradictory dates or ties) are cut and reported, never looped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Citation kinds that credit an outlet for the whole text rather than for one claim.
WHOLE_TEXT_KINDS = ("wire_credit", "source_box")
# Order of reasons in an article's list of original sources.
REASON_ORDER = ("text_origin", "cited_source", "own_reporting")


@dataclass(frozen=True)
class Step:
    """One edge on a path of evidence: `source` -> `target` by `relation`."""

    relation: str  # derived_from | published_by | credits | cites | relays
    source: str  # node id: article:<id> or outlet:<id>
    target: str
    evidence: str | None = None  # the sentence, or "kind 0.83" for a copy edge

    def as_dict(self) -> dict:
        """Plain data for JSON and the database."""
        return {"relation": self.relation, "source": self.source, "target": self.target,
                "evidence": self.evidence}


@dataclass(frozen=True)
class OriginalSource:
    """An outlet at the end of an upstream path, why it is an origin, and the path there."""

    outlet_id: str
    reason: str  # text_origin | cited_source | own_reporting
    path: tuple[Step, ...]

    def as_dict(self) -> dict:
        """Plain data for JSON and the database."""
        return {"outlet_id": self.outlet_id, "reason": self.reason,
                "path": [s.as_dict() for s in self.path]}


@dataclass
class Lineage:
    """The resolved provenance of every article and the verdict of every copy edge."""

    original_sources: dict[str, list[OriginalSource]] = field(default_factory=dict)
    verdicts: dict[int, tuple[str, str]] = field(default_factory=dict)  # edge id -> (v, why)
    problems: list[str] = field(default_factory=list)


def _a(article_id: str) -> str:
    return f"article:{article_id}"


def _o(outlet_id: str) -> str:
    return f"outlet:{outlet_id}"


class _Resolver:
    def __init__(self, articles: dict[str, dict], citations: Iterable[dict],
                 edges: Iterable[dict]):
        self.articles = articles
        self.cites: dict[str, list[dict]] = defaultdict(list)
        for cit in citations:
            if cit["counts"] and cit.get("outlet_id"):
                self.cites[cit["article_id"]].append(cit)
        self.sources_of: dict[str, list[dict]] = defaultdict(list)
        for edge in edges:
            if edge["relation"] == "derived_from":
                self.sources_of[edge["copy_id"]].append(edge)
        self.memo: dict[str, list[OriginalSource]] = {}
        self.text_memo: dict[str, dict[str, tuple[Step, ...]]] = {}
        self.stack: set[str] = set()
        self.cited_memo: dict[str, dict[str, tuple[Step, ...]]] = {}
        self.cited_stack: set[str] = set()
        self.problems: list[str] = []

    def publisher(self, article_id: str) -> str | None:
        return (self.articles.get(article_id) or {}).get("publisher_id")

    def whole_text_credits(self, article_id: str) -> list[dict]:
        return [c for c in self.cites.get(article_id, ()) if c["kind"] in WHOLE_TEXT_KINDS]

    def text_origins(self, article_id: str) -> dict[str, tuple[Step, ...]]:
        """Outlets the article's text came from, each with the path there."""
        if article_id in self.text_memo:
            return self.text_memo[article_id]
        if article_id in self.stack:
            self.problems.append(f"cycle of copy edges through article {article_id} "
                                 "(contradictory dates); the cycle was cut there")
            return {}
        self.stack.add(article_id)
        found: dict[str, tuple[Step, ...]] = {}
        for edge in self.sources_of.get(article_id, ()):
            step = Step("derived_from", _a(article_id), _a(edge["source_id"]),
                        f"{edge['kind']} {edge['jaccard']:.2f}")
            for outlet, path in self.text_origins(edge["source_id"]).items():
                _keep_shortest(found, outlet, (step, *path))
        if not found:
            for cit in self.whole_text_credits(article_id):
                if cit["outlet_id"] != self.publisher(article_id):
                    _keep_shortest(found, cit["outlet_id"], (
                        Step("credits", _a(article_id), _o(cit["outlet_id"]), cit["sentence"]),))
        if not found and self.publisher(article_id):
            pub = self.publisher(article_id)
            found[pub] = (Step("published_by", _a(article_id), _o(pub)),)
        self.stack.discard(article_id)
        self.text_memo[article_id] = found
        return found

    def cited_sources(self, article_id: str) -> dict[str, tuple[Step, ...]]:
        """Outlets named as sources by the article or by the articles it copies (innermost
        relay only), each with the shortest path there. Memoised: copies of copies share
        their sources' results, so a story of n reprints costs O(edges), not O(paths)."""
        if article_id in self.cited_memo:
            return self.cited_memo[article_id]
        if article_id in self.cited_stack:
            self.problems.append(f"cycle of copy edges through article {article_id} "
                                 "(contradictory dates); the cycle was cut there")
            return {}
        self.cited_stack.add(article_id)
        found: dict[str, tuple[Step, ...]] = {}
        cits = self.cites.get(article_id, ())
        relaying = {c["relayed_by"] for c in cits if c.get("relayed_by")}
        for cit in cits:
            outlet = cit["outlet_id"]
            if cit["kind"] in WHOLE_TEXT_KINDS or outlet in relaying:
                continue
            if cit.get("relayed_by"):
                path = (Step("cites", _a(article_id), _o(cit["relayed_by"]), cit["sentence"]),
                        Step("relays", _o(cit["relayed_by"]), _o(outlet), cit["sentence"]))
            else:
                path = (Step("cites", _a(article_id), _o(outlet), cit["sentence"]),)
            _keep_shortest(found, outlet, path)
        for edge in self.sources_of.get(article_id, ()):
            step = Step("derived_from", _a(article_id), _a(edge["source_id"]),
                        f"{edge['kind']} {edge['jaccard']:.2f}")
            for outlet, path in self.cited_sources(edge["source_id"]).items():
                _keep_shortest(found, outlet, (step, *path))
        self.cited_stack.discard(article_id)
        self.cited_memo[article_id] = found
        return found

    def originals(self, article_id: str) -> list[OriginalSource]:
        if article_id in self.memo:
            return self.memo[article_id]
        out: list[OriginalSource] = []
        copied = bool(self.sources_of.get(article_id))
        credited = [c for c in self.whole_text_credits(article_id)
                    if c["outlet_id"] != self.publisher(article_id)]
        if copied or credited:
            for outlet, path in self.text_origins(article_id).items():
                out.append(OriginalSource(outlet, "text_origin", path))
        text_outlets = {o.outlet_id for o in out}
        for outlet, path in self.cited_sources(article_id).items():
            if outlet not in text_outlets:
                out.append(OriginalSource(outlet, "cited_source", path))
        if not out and self.publisher(article_id):
            out.append(OriginalSource(self.publisher(article_id), "own_reporting", ()))
        out.sort(key=lambda o: (REASON_ORDER.index(o.reason), len(o.path), o.outlet_id))
        self.memo[article_id] = out
        return out

    def verdict(self, edge: dict) -> tuple[str, str]:
        """credited/uncredited for one copy edge, with the reason."""
        copy, source = edge["copy_id"], edge["source_id"]
        pub_copy, pub_source = self.publisher(copy), self.publisher(source)
        if pub_copy and pub_copy == pub_source:
            return "credited", f"same outlet ({pub_copy})"
        creditable = {pub_source} if pub_source else set()
        creditable |= set(self.text_origins(source))
        creditable |= {c["outlet_id"] for c in self.whole_text_credits(source)}
        named = {c["outlet_id"]: c for c in self.cites.get(copy, ())}
        for outlet in sorted(creditable & set(named)):
            return "credited", f"names {outlet}: {named[outlet]['sentence']}"
        wanted = ", ".join(sorted(o for o in creditable if o)) or "the source's publisher"
        return "uncredited", f"copies {source} without naming {wanted}"


def _keep_shortest(found: dict[str, tuple[Step, ...]], outlet: str,
                   path: tuple[Step, ...]) -> None:
    if outlet not in found or len(path) < len(found[outlet]):
        found[outlet] = path


def resolve(articles: Iterable[dict], citations: Iterable[dict], edges: Iterable[dict]
            ) -> Lineage:
    """Original sources of every article and a verdict for every copy edge.

    Args:
        articles: rows with `id`, `publisher_id`, `published`.
        citations: citation rows with `article_id`, `outlet_id`, `kind`, `counts`, `sentence`,
            `relayed_by`.
        edges: copy-edge rows with `id`, `source_id`, `copy_id`, `relation`, `kind`, `jaccard`,
            `backdated`.
    """
    by_id = {a["id"]: a for a in articles}
    edges = list(edges)
    resolver = _Resolver(by_id, citations, edges)
    lineage = Lineage()
    for article_id in sorted(by_id):
        lineage.original_sources[article_id] = resolver.originals(article_id)
    for edge in edges:
        lineage.verdicts[edge["id"]] = resolver.verdict(edge)
        if edge.get("backdated"):
            lineage.problems.append(
                f"article {edge['copy_id']} copies {edge['source_id']} and credits it, but is "
                "dated before it (check the publication dates)")
    lineage.problems.extend(sorted(set(resolver.problems)))
    return lineage
