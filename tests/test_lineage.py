"""Provenance resolution: the credit rule, original sources, copy verdicts, views and `show`."""

from __future__ import annotations

import contextlib
import inspect
import json
import sys
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import lineage
from provenance.cli import app
from provenance.outputs.assemble import article_provenance
from provenance.records import (
    WHOLE_TEXT_KINDS,
    Article,
    Citation,
    CopyEdge,
    Passage,
    Step,
    Verdict,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# -- the credit rule on the fixtures' own text ---------------------------------------------

def wire_text(article_id: str) -> str:
    """The text (or page) of one record of fixtures/feeds/wire.jsonl."""
    for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == article_id:
            return record.get("text") or record["html"]
    raise KeyError(article_id)


def line_with(text: str, needle: str) -> str:
    """The line of `text` holding `needle` (a credit line or a sentence with a dateline)."""
    found = [line.strip() for line in text.splitlines() if needle in line]
    assert found, f"{needle!r} is not in the fixture text"
    return found[0]


def test_a_reuse_by_the_same_outlet_is_same_outlet_not_credited():
    # The Harbour Brief newsletter reprints the Harbour Times's copy of the Reuters story.
    brief = (FIXTURES / "texts" / "harbour-brief_2025-11-14.txt").read_text(encoding="utf-8")
    named = {"reuters": line_with(brief, "(Reuters) - North Korea fired")}
    verdict = lineage.credit("harbour_times", "harbour_times", ["harbour_times", "reuters"],
                             named, "harbourtimes-20251103-missile")
    assert verdict == Verdict("same_outlet", "same outlet (harbour_times)", ("reuters",),
                              ("harbour_times", "reuters"))


def test_a_wire_reusing_a_clients_reprint_of_its_own_story_is_same_outlet():
    # dpa's own later text reuses Alpenpost's reprint of the dpa story: dpa copies itself.
    verdict = lineage.credit("dpa", "alpenpost", ["alpenpost", "dpa"], {},
                             "alpenpost-20251028-nordkorea-drohnen")
    assert verdict.verdict == "same_outlet"
    assert verdict.reason == ("text of its own outlet (dpa) via "
                              "alpenpost-20251028-nordkorea-drohnen")


def test_a_copy_of_a_copy_is_credited_by_naming_the_wire():
    # Rheinblatt copies the dpa text (reprinted by Alpenpost) and names dpa, not Alpenpost.
    credit_line = line_with(wire_text("rheinblatt-20251028-kim-drohnen"), "Mit Material von")
    assert "Mit Material von dpa" in credit_line
    verdict = lineage.credit("rheinblatt", "alpenpost", ["alpenpost", "dpa"],
                             {"dpa": "Mit Material von dpa"},
                             "alpenpost-20251028-nordkorea-drohnen")
    assert verdict.verdict == "credited"
    assert verdict.reason == "names dpa: Mit Material von dpa"
    assert (verdict.named, verdict.creditable) == (("dpa",), ("alpenpost", "dpa"))


def test_a_copy_naming_no_creditable_outlet_is_uncredited():
    # Kreisbote rewrites the dpa text and names no outlet; the harbour brief's own sentence
    # about TASS would not credit the wire either.
    text = wire_text("kreisbote-20251028-kim-drohnen")
    assert "dpa" not in text
    verdict = lineage.credit("kreisbote_nord", "dpa", ["dpa", None], {},
                             "dpa-20251028-nordkorea-drohnen")
    assert verdict == Verdict("uncredited",
                              "copies dpa-20251028-nordkorea-drohnen without naming dpa", (),
                              ("dpa",))
    brief = (FIXTURES / "texts" / "harbour-brief_2025-11-14.txt").read_text(encoding="utf-8")
    tass = lineage.credit("harbour_times", "reuters", ["reuters"],
                          {"tass": line_with(brief, "according to TASS")}, "reuters-1")
    assert tass.verdict == "uncredited" and tass.named == ()


def test_without_a_publisher_the_reason_says_what_is_missing():
    verdict = lineage.credit(None, None, [], {}, "x")
    assert verdict.verdict == "uncredited"
    assert verdict.reason == "copies x without naming the source's publisher"


# -- resolve() on records ------------------------------------------------------------------

def article(article_id: str, publisher: str | None) -> Article:
    return Article(id=article_id, source_key=article_id, external_id=article_id, path="",
                   record=None, format="jsonl", text="", text_hash="", n_chars=0,
                   publisher_id=publisher)


def cites(article_id: str, outlet: str, sentence: str, kind: str = "claim_attribution",
          relayed_by: str | None = None) -> Citation:
    return Citation(outlet_id=outlet, source_name=outlet, source_type="outlet", kind=kind,
                    cue=None, start=0, end=len(outlet), sentence=sentence, sentence_start=0,
                    zone="body", rule="test", confidence=0.9, relayed_by=relayed_by,
                    article_id=article_id)


def copy_edge(edge_id: int, source: str, copy: str, backdated: bool = False) -> CopyEdge:
    return CopyEdge(source_id=source, copy_id=copy, relation="derived_from",
                    kind="near_duplicate", jaccard=0.9, jaccard_estimate=0.9,
                    containment_copy_in_source=0.9, containment_source_in_copy=0.9,
                    coverage_copy=0.9, coverage_source=0.9, passages=(),
                    direction_basis="published", backdated=backdated, id=edge_id)


def test_cycles_are_cut_and_reported():
    articles = [article("a", "x"), article("b", "y")]
    edges = [copy_edge(1, "a", "b"), copy_edge(2, "b", "a", backdated=True)]
    result = lineage.resolve(articles, [], edges)
    assert any("cycle" in p for p in result.problems)
    assert any("dated before" in p for p in result.problems)
    assert set(result.verdicts) == {1, 2}


def test_citing_what_the_copied_text_cites_does_not_credit_its_author():
    articles = [article("wire", "dpa"), article("copy", "blog")]
    cits = [cites(a, "kcna", "Laut KCNA ...") for a in ("wire", "copy")]
    result = lineage.resolve(articles, cits, [copy_edge(1, "wire", "copy")])
    assert result.verdicts[1].verdict == "uncredited"
    assert result.verdicts[1].creditable == ("dpa",)


def test_resolve_gives_same_outlet_a_verdict_of_its_own():
    articles = [article("wire", "dpa"), article("reprint", "paper"), article("again", "paper")]
    cits = [cites("reprint", "dpa", "Mit Material von dpa", kind="wire_credit")]
    edges = [copy_edge(1, "wire", "reprint"), copy_edge(2, "reprint", "again")]
    result = lineage.resolve(articles, cits, edges)
    assert result.verdicts[1].verdict == "credited"
    assert result.verdicts[2] == Verdict("same_outlet", "same outlet (paper)", (),
                                         ("dpa", "paper"))


def test_origins_carry_their_article_and_rank():
    articles = [article("wire", "dpa"), article("copy", "blog")]
    cits = [cites("wire", "kcna", "Laut KCNA ...")]
    result = lineage.resolve(articles, cits, [copy_edge(1, "wire", "copy")])
    found = result.original_sources["copy"]
    assert [(o.outlet_id, o.reason, o.rank) for o in found] == [
        ("dpa", "text_origin", 0), ("kcna", "cited_source", 1)]
    assert {o.article_id for o in found} == {"copy"}
    assert [s.relation for s in found[1].path] == ["derived_from", "cites"]
    assert len(result.origins()) == 3  # copy: dpa, kcna; wire: kcna (cited)


def test_a_large_clique_of_copies_resolves_in_linear_time():
    """Every reprint derives from every earlier one; resolution must not walk every path."""
    n = 300
    articles = [article(f"a{i:03d}", f"o{i}") for i in range(n)]
    edges = [copy_edge(k, f"a{i:03d}", f"a{j:03d}")
             for k, (i, j) in enumerate((i, j) for j in range(n) for i in range(j))]
    cits = [cites("a000", "kcna", "Laut KCNA")]
    result = lineage.resolve(articles, cits, edges)
    last = {s.outlet_id: s.reason for s in result.original_sources["a299"]}
    assert last == {"o0": "text_origin", "kcna": "cited_source"}


# -- depth: no recursion on data-sized chains ---------------------------------------------

def fixture_paragraphs() -> list[str]:
    """The distinct paragraphs of the seed articles and the wire feed, in file order."""
    lines = []
    for path in sorted((FIXTURES / "seeds").glob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        lines += (json.loads(line).get("text") or "").splitlines()
    kept = [p.strip() for p in lines if len(p.strip()) >= 80 and not p.startswith("!")]
    return list(dict.fromkeys(kept))


@contextlib.contextmanager
def shallow_stack(frames: int = 100):
    """Allow only `frames` Python frames above the caller: recursion on the data fails."""
    depth = len(inspect.stack(0))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def dense_chain(n: int) -> tuple[list[Article], list[Citation], list[CopyEdge]]:
    """dpa's drone story copied n times over: copy i is a window of three fixture paragraphs
    sharing two with copy i-1 and one with copy i-2 (an edge to each, the nearer first); every
    third copy credits dpa. Ids sort the deepest copy first, as a walk would meet it."""
    dpa = wire_text("dpa-20251028-nordkorea-drohnen")
    paragraphs = fixture_paragraphs()
    outlets = ("alpenpost", "rheinblatt", "kreisbote_nord", "hafenkurier")
    ids = [f"copy-{n - i:05d}" for i in range(n + 1)]
    articles = [replace(article(ids[0], "dpa"), text=dpa, n_chars=len(dpa))]
    for i in range(1, n + 1):
        text = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(3))
        articles.append(replace(article(ids[i], outlets[i % len(outlets)]), text=text,
                                n_chars=len(text)))
    cits = [cites(ids[0], "kcna", line_with(dpa, "zitierte die staatliche")),
            cites(ids[0], "yonhap", line_with(dpa, "Yonhap zufolge"))]
    credit_line = line_with(wire_text("rheinblatt-20251028-kim-drohnen"), "Mit Material von")
    cits += [cites(ids[i], "dpa", credit_line, kind="wire_credit") for i in range(3, n + 1, 3)]
    edges = [copy_edge(len(ids) * back + i, ids[i - back], ids[i])
             for i in range(1, n + 1) for back in (1, 2) if i - back >= 0]
    return articles, cits, edges


def chain_path(ids: list[str], i: int) -> list[str]:
    """The articles of copy i's shortest path to the wire: two back when that is shorter,
    else (a tie) one back, the first edge."""
    path = [ids[i]]
    while i > 0:
        i -= 2 if i % 2 == 0 else 1
        path.append(ids[i])
    return path


def test_a_chain_of_thousands_of_copies_resolves_without_recursion():
    n = 3000
    articles, cits, edges = dense_chain(n)
    ids = [a.id for a in articles]
    with shallow_stack():
        result = lineage.resolve(articles, cits, edges)
    assert not result.problems
    last = result.original_sources[ids[n]]
    assert [(o.outlet_id, o.reason) for o in last] == [
        ("dpa", "text_origin"), ("kcna", "cited_source"), ("yonhap", "cited_source")]
    text, kcna = last[0].path, last[1].path
    assert [s.relation for s in text] == ["derived_from"] * (len(text) - 1) + ["published_by"]
    assert [s.source for s in text] == [f"article:{a}" for a in chain_path(ids, n)]
    assert [s.source for s in kcna] == [s.source for s in text]
    assert kcna[-1] == Step("cites", f"article:{ids[0]}", "outlet:kcna", cits[0].sentence)
    assert len(text) == n // 2 + 1
    assert result.original_sources[ids[0]][0].reason == "cited_source"
    verdicts = {e.id: result.verdicts[e.id].verdict for e in edges}
    crediting = set(ids[3::3])
    assert {i for i, v in verdicts.items() if v == "credited"} == {
        e.id for e in edges if e.copy_id in crediting}
    assert set(verdicts.values()) == {"credited", "uncredited"}


class RecursiveResolver(lineage._Resolver):
    """The walks as the recursive definition the resolver implements (small graphs only)."""

    def _walk(self, walk: str, key: lineage.Key) -> lineage.Paths:
        memo = self.memo[walk]
        if key in memo:
            return memo[key]
        if not self._enter(walk, key):
            return {}
        frame = self._frame(walk, key)
        for edge, upstream_key in frame.follow:
            upstream = self._walk(walk, upstream_key)
            taken = self.edges.edge(edge)
            lineage._extend(frame.found, lineage._copy_step(frame.article_id, taken.source_id,
                                                            taken.kind, taken.jaccard), upstream)
        if walk == "text":
            self._own_text(frame)
        self.walking[walk].discard(key)
        memo[key] = frame.found
        return frame.found


OUTLETS = ("dpa", "reuters", "kcna", "yonhap")
KINDS = ("claim_attribution", "direct_quote", "wire_credit", "source_box", "image_credit")


@st.composite
def small_graphs(draw):
    """A few articles with publishers, citations (relays, wire credits) and copy edges that
    may form cycles and self-loops; in half the graphs some copies are partial (passages)."""
    names = draw(st.lists(st.text("abcxyz", min_size=1, max_size=3), min_size=1,
                          max_size=7, unique=True))
    articles = [article(a, draw(st.sampled_from((*OUTLETS, None)))) for a in names]
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)),
                          max_size=14))
    edges = [copy_edge(k + 1, src, cp, backdated=draw(st.booleans()))
             for k, (src, cp) in enumerate(pairs)]
    if draw(st.booleans()):  # copies with passages of paragraphs 0-2 (100 characters each)
        spans = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1,
                         max_size=2, unique=True)
        kinds = st.sampled_from(("partial", "near_duplicate"))
        edges = [replace(e, kind=draw(kinds), passages=tuple(
            Passage(100 * a, 100 * a + 100, 100 * b, 100 * b + 100, 15)
            for a, b in draw(spans))) if draw(st.booleans()) else e for e in edges]
        articles = [replace(a, n_chars=300) for a in articles]
    cits = [cites(a, outlet, f"{a} names {outlet}", kind=kind, relayed_by=relay)
            for a, outlet, kind, relay in draw(st.lists(st.tuples(
                st.sampled_from(names), st.sampled_from(OUTLETS), st.sampled_from(KINDS),
                st.sampled_from((None, None, "yonhap", "reuters"))), max_size=8))]
    cits = [replace(c, start=draw(st.integers(0, 299)), end=draw(st.integers(0, 299)) + 1)
            for c in cits]
    return articles, cits, edges


def shortest_lengths(articles, cits, edges) -> dict[str, dict[str, tuple[str, int]]]:
    """Per article, each origin's reason and path length, by brute force on an acyclic graph."""
    pub = {a.id: a.publisher_id for a in articles}
    counting = [c for c in cits if c.counts]
    sources = {a.id: [e.source_id for e in edges if e.copy_id == a.id] for a in articles}

    def best(found: dict[str, int], outlet: str, length: int) -> None:
        found[outlet] = min(length, found.get(outlet, length))

    def text(a: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for src in sources[a]:
            for outlet, length in text(src).items():
                best(found, outlet, length + 1)
        for c in counting if not found else ():
            if c.article_id == a and c.kind in WHOLE_TEXT_KINDS and c.outlet_id != pub[a]:
                best(found, c.outlet_id, 1)
        return found or ({pub[a]: 1} if pub[a] else {})

    def cited(a: str) -> dict[str, int]:
        own = [c for c in counting if c.article_id == a]
        relays = {c.relayed_by for c in own}
        found: dict[str, int] = {}
        for c in own:
            if c.kind not in WHOLE_TEXT_KINDS and c.outlet_id not in relays:
                best(found, c.outlet_id, 2 if c.relayed_by else 1)
        for src in sources[a]:
            for outlet, length in cited(src).items():
                best(found, outlet, length + 1)
        return found

    out = {}
    for a in pub:
        credited = any(c.article_id == a and c.kind in WHOLE_TEXT_KINDS
                       and c.outlet_id != pub[a] for c in counting)
        found = {o: ("text_origin", n) for o, n in text(a).items()} if sources[a] or credited \
            else {}
        found |= {o: ("cited_source", n) for o, n in cited(a).items() if o not in found}
        out[a] = found or ({pub[a]: ("own_reporting", 0)} if pub[a] else {})
    return out


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_iterative_walks_equal_the_recursive_definition(graph):
    articles, cits, edges = graph
    got = lineage.resolve(articles, cits, edges)
    with mock.patch.object(lineage, "_Resolver", RecursiveResolver):
        want = lineage.resolve(articles, cits, edges)
    assert got.original_sources == want.original_sources
    assert got.verdicts == want.verdicts
    assert got.problems == want.problems
    if not any("cycle" in p for p in got.problems) and all(not e.passages for e in edges):
        lengths = {a: {o.outlet_id: (o.reason, len(o.path)) for o in found}
                   for a, found in got.original_sources.items()}
        assert lengths == shortest_lengths(articles, cits, edges)


# -- the scanned fixtures ------------------------------------------------------------------

def test_every_fixture_copy_gets_its_expected_verdict(fixture_store, fixture_ids, expected):
    verdicts = {(e.copy_id, e.source_id): e.verdict for e in fixture_store.copy_edges()}
    for case in expected["copies"]:
        key = (fixture_ids[case["copy"]], fixture_ids[case["source"]])
        assert verdicts[key] == case["verdict"], case


def test_reuse_within_one_outlet_is_same_outlet(fixture_store):
    edges = fixture_store.copy_edges()
    ids = sorted({e.copy_id for e in edges} | {e.source_id for e in edges})
    publisher = {a.id: a.publisher_id for a in fixture_store.article_meta(ids)}
    same = {e.id for e in edges if publisher[e.copy_id] == publisher[e.source_id]}
    assert same and same == {e.id for e in edges if e.verdict == "same_outlet"}
    assert {publisher[e.copy_id] for e in edges if e.id in same} == {"harbour_times",
                                                                     "rheinblatt"}
    assert fixture_store.verdict_counts()["same_outlet"] == len(same)


def test_uncredited_copies_view_lists_exactly_the_uncredited_cases(fixture_store, fixture_ids,
                                                                   expected):
    wanted = {(fixture_ids[c["copy"]], fixture_ids[c["source"]]) for c in expected["copies"]
              if c["verdict"] == "uncredited"}
    rows = fixture_store.query("SELECT copy_id, source_id FROM uncredited_copies")
    got = {(r["copy_id"], r["source_id"]) for r in rows}
    assert wanted <= got
    # every other uncredited row is a copy of a copy inside the same expected story
    for copy_id, _ in got - wanted:
        assert copy_id in {c for c, _ in wanted}


def origins(store, article_id: str) -> dict[str, str]:
    return {o.outlet_id: o.reason for o in store.original_sources([article_id])}


def test_wire_copy_leads_to_the_wire_and_its_sources(fixture_store, fixture_ids):
    found = origins(fixture_store, fixture_ids["kreisbote-20251028-kim-drohnen"])
    assert found == {"dpa": "text_origin", "kcna": "cited_source", "yonhap": "cited_source"}


def test_credited_reprint_leads_to_the_credited_wire(fixture_store, fixture_ids):
    found = origins(fixture_store, fixture_ids["harbourtimes-20251103-missile"])
    assert found["reuters"] == "text_origin"


def test_relay_chain_ends_at_the_innermost_outlet(fixture_store, fixture_ids, expected):
    relayed = [k for k, a in expected["articles"].items()
               if any("relay" in c.get("kinds", []) for c in a.get("citations", []))]
    assert relayed, "the fixtures hold a relay case"
    for key in relayed:
        found = fixture_store.original_sources([fixture_ids[key]])
        kcna = [o for o in found if o.outlet_id == "kcna"]
        assert kcna and [s.relation for s in kcna[0].path][-2:] == ["cites", "relays"]


def test_independent_article_leads_only_to_what_it_cites(fixture_store, fixture_ids):
    bridge = fixture_ids["elbe-echo-20251112-tumen-bruecke"]
    assert not fixture_store.copy_edges([bridge])
    assert set(origins(fixture_store, bridge).values()) <= {"cited_source", "own_reporting"}
    # an article that copies nothing and cites no outlet is its publisher's own reporting
    seed = fixture_ids["seeds/003_edf16ab2d9cc4487.txt"]
    assert origins(fixture_store, seed) == {"dniprobote": "own_reporting"}


def test_story_origins_view_names_the_wire(fixture_store, fixture_ids):
    rows = fixture_store.query("SELECT * FROM story_origins")
    by_origin = {r["origin_article_id"]: r for r in rows}
    dpa = by_origin[fixture_ids["dpa-20251028-nordkorea-drohnen"]]
    reuters = by_origin[fixture_ids["reuters-20251103-missile"]]
    assert (dpa["origin_outlet_id"], dpa["upstream_outlet_id"]) == ("dpa", "dpa")
    assert (reuters["origin_outlet_id"], reuters["upstream_outlet_id"]) == ("reuters", "reuters")


@pytest.mark.parametrize("view", ["article_sources", "story_origins", "copies",
                                  "uncredited_copies", "outlet_citation_counts", "runs"])
def test_audit_views_answer(fixture_store, view):
    assert fixture_store.count(view) > 0


def test_show_prints_the_tree_with_verdicts(runner, fixture_db):
    result = runner.invoke(app, ["show", "kreisbote-20251028-kim-drohnen", "--db",
                                 str(fixture_db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "derived from" in result.output and "uncredited" in result.output
    assert "original sources" in result.output and "Deutsche Presse-Agentur" in result.output
    as_json = runner.invoke(app, ["show", "kreisbote-20251028-kim-drohnen", "--db",
                                  str(fixture_db), "--json"])
    data = json.loads(as_json.stdout)
    assert {e["verdict"] for e in data["derived_from"]} == {"uncredited"}


def test_show_gives_same_outlet_its_own_verdict(runner, fixture_db):
    ref = "https://www.harbourtimes.example/newsletters/harbour-brief/2025-11-14"
    data = json.loads(runner.invoke(app, ["show", ref, "--db", str(fixture_db), "--json"]
                                    ).stdout)
    verdicts = {e["other"]["publisher_id"]: e["verdict"] for e in data["derived_from"]}
    assert verdicts == {"reuters": "credited", "harbour_times": "same_outlet"}
    shown = runner.invoke(app, ["show", ref, "--db", str(fixture_db)], env={"COLUMNS": "200"})
    assert "same_outlet" in shown.output and "same outlet (Harbour Times)" in shown.output


def test_show_of_unknown_reference_says_what_to_give(runner, fixture_db):
    result = runner.invoke(app, ["show", "no-such-article", "--db", str(fixture_db)])
    assert result.exit_code == 1 and "Error: no article matches" in result.stderr


def test_article_provenance_has_the_story(fixture_store, fixture_ids):
    data = article_provenance(fixture_store, "alpenpost-20251028-nordkorea-drohnen")
    assert data.story.origin_article_id == fixture_ids["dpa-20251028-nordkorea-drohnen"]
    assert data.story_origin.id == data.story.origin_article_id
    assert data.article.text and data.derived_from and data.copied_by


def test_datasette_metadata_describes_every_table_and_view(store):
    meta = json.loads((FIXTURES.parent / "docs" / "datasette-metadata.json").read_text(
        encoding="utf-8"))
    described = set(meta["databases"]["fixtures"]["tables"])  # Datasette reads it by name
    names = {r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert names <= described, names - described


def test_audit_doc_queries_run(fixture_store):
    import re

    doc = (FIXTURES.parent / "docs" / "audit.md").read_text(encoding="utf-8")
    block = doc.split("```sql", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in re.split(r";\s*\n", block) if q.strip()]
    assert len(queries) >= 5
    for query in queries:
        sql = "\n".join(line for line in query.splitlines() if not line.startswith("--"))
        assert fixture_store.query(sql) is not None, query
