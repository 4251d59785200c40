"""Rendering for people (rich tables and trees) and machines (JSON): scan summaries, `outlets`,
`citations`, `show` and `check`. Only this module and the CLI print.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from provenance.config import (
    CHECK_QUOTE_CHARS,
    MAX_ERRORS_SHOWN,
    MAX_SKIPPED_NAMED,
    SHOW_PASSAGES,
    SHOW_SNIPPET_CHARS,
)
from provenance.outputs.graph import origin_data
from provenance.records import SKIPPED, Article, Citation, CopyEdge, InputProblem, Outlet

if TYPE_CHECKING:
    from provenance.check import CheckResult
    from provenance.outputs.assemble import ArticleProvenance, Link
    from provenance.scan import ScanResult

# Colour of each copy verdict; a same-outlet reuse is neither credited nor uncredited.
VERDICT_COLOURS = {"credited": "green", "uncredited": "red", "same_outlet": "cyan"}


# -- scan ----------------------------------------------------------------------------------

def scan_summary_json(result: ScanResult, db_path: str) -> str:
    """The scan summary as a JSON document (see README, "Machine-readable output")."""
    payload = {
        "run_id": result.run_id,
        "status": result.status,
        "error": result.error,
        "database": db_path,
        "elapsed_seconds": round(result.elapsed, 3),
        "counts": result.counts,
        "errors": [{"path": e.path, "record": e.record, "kind": e.kind,
                    "severity": e.severity, "message": e.message} for e in result.errors],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)


def print_scan_summary(result: ScanResult, db_path: str, console: Console) -> None:
    """The end-of-scan tables: read, new, unchanged, failed, by format and language, copies
    and verdicts, and the input problems."""
    c = result.counts
    table = Table(title=f"Scan run {result.run_id} ({result.status}) -> {db_path}",
                  title_justify="left")
    table.add_column("articles")
    table.add_column("count", justify="right")
    for label, key in (("read", "read"), ("new", "new"), ("updated (new version)", "updated"),
                       ("unchanged", "unchanged"), ("failed inputs", "failed"),
                       ("warnings", "warnings")):
        table.add_row(label, str(c.get(key, 0)))
    if c.get("skipped"):
        table.add_row("files skipped (not articles)", str(c["skipped"]))
    if c.get("resumed"):
        table.add_row("from files read before (skipped)", str(c["resumed"]))
    console.print(table)
    if c.get("by_format"):
        _print_breakdown(c, console)
    if c.get("copies"):
        _print_copies(c["copies"], c.get("provenance") or {}, console)
    problems = [e for e in result.errors if e.kind != SKIPPED]
    if problems:
        _print_problems(problems, result.run_id, db_path, console)
    skipped = [e.path for e in result.errors if e.kind == SKIPPED]
    if skipped:
        names = ", ".join(skipped[:MAX_SKIPPED_NAMED]) + (", ..." if len(skipped)
                                                          > MAX_SKIPPED_NAMED else "")
        console.print(f"Skipped {len(skipped)} file(s) that are not articles: {names} "
                      f"(kind '{SKIPPED}' in input_errors).")
    console.print(f"{result.elapsed:.1f}s elapsed.")


def _print_breakdown(c: dict, console: Console) -> None:
    fmt = Table(title="By format", title_justify="left")
    fmt.add_column("format")
    fmt.add_column("read", justify="right")
    fmt.add_column("new", justify="right")
    for name in sorted(c["by_format"]):
        row = c["by_format"][name]
        fmt.add_row(name, str(row["read"]), str(row["new"]))
    lang = Table(title="By language", title_justify="left")
    lang.add_column("language")
    lang.add_column("read", justify="right")
    for name in sorted(c["by_language"]):
        lang.add_row(name, str(c["by_language"][name]))
    console.print(fmt)
    console.print(lang)


def _print_copies(copies: dict, prov: dict, console: Console) -> None:
    table = Table(title="Copies and provenance (whole archive)", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    kinds = copies.get("edges_by_kind") or {}
    table.add_row("candidate pairs verified (this run)", str(copies.get("candidate_pairs", 0)))
    table.add_row("copy edges found (this run)", str(copies.get("copy_edges", 0)) + (
        " (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")" if kinds else ""))
    table.add_row("stories", str(copies.get("stories", 0)))
    table.add_row("credited copies", str(prov.get("credited", 0)))
    table.add_row("uncredited copies", str(prov.get("uncredited", 0)))
    table.add_row("copies by the source's own outlet", str(prov.get("same_outlet", 0)))
    if prov.get("problems"):
        table.add_row("provenance problems (see provenance_problem)", str(prov["problems"]))
    console.print(table)


def _print_problems(problems: list[InputProblem], run_id: int, db_path: str,
                    console: Console) -> None:
    errs = Table(title=f"Input problems ({len(problems)})", title_justify="left")
    for col in ("path", "record", "kind", "message"):
        errs.add_column(col, overflow="fold")
    for e in problems[:MAX_ERRORS_SHOWN]:
        kind = e.kind if e.severity == "error" else f"{e.kind} (warning)"
        errs.add_row(e.path, e.record or "", kind, e.message)
    console.print(errs)
    if len(problems) > MAX_ERRORS_SHOWN:
        console.print(f"... and {len(problems) - MAX_ERRORS_SHOWN} more: "
                      f"sqlite3 {db_path} 'SELECT * FROM input_errors "
                      f"WHERE run_id={run_id}'")


def outlets_table(outlets: list[Outlet], console: Console) -> None:
    """The registry as a table: id, name, kind, country, domains."""
    table = Table(title=f"{len(outlets)} outlets", title_justify="left")
    for col in ("id", "name", "kind", "country", "state", "domains"):
        table.add_column(col, overflow="fold")
    for o in outlets:
        table.add_row(o.id, o.name, o.kind or "", o.country or "", o.state_affiliation or "",
                      ", ".join(o.domains[:3]))
    console.print(table)


def outlet_json(outlet: Outlet) -> dict:
    """An outlet for `outlets --json`: the registry format, plus ``names``, every name it goes
    by (display name, aliases, acronyms, common-word names), for tools that read one list."""
    names = [outlet.name, *outlet.aliases, *outlet.acronyms, *outlet.ambiguous]
    return {**outlet.to_dict(), "names": list(dict.fromkeys(names))}


# -- citations -----------------------------------------------------------------------------

def _highlight(cit: Citation) -> Text:
    """The citation's sentence with the source name in bold and the cue underlined."""
    text = Text(cit.sentence)
    start, end = cit.start - cit.sentence_start, cit.end - cit.sentence_start
    if 0 <= start < end <= len(cit.sentence):
        text.stylize("bold yellow", start, end)
    if cit.cue:
        at = cit.sentence.lower().find(cit.cue.lower())
        if at >= 0:
            text.stylize("underline", at, at + len(cit.cue))
    return text


def _source_label(cit: Citation, outlets: dict[str, Outlet]) -> str:
    outlet = outlets.get(cit.outlet_id) if cit.outlet_id else None
    name = outlet.label if outlet else None
    if name and name != cit.source_name:
        source = f"{name} ({cit.source_name})"
    else:
        source = name or f"{cit.source_name} [{cit.source_type}]"
    if cit.relayed_by:
        source += f"\nrelayed by {cit.relayed_by}" + (" (original)" if cit.original else "")
    return source


def print_citations(article: Article, citations: list[Citation], outlets: dict[str, Outlet],
                    console: Console) -> None:
    """An article's citations: cited outlets, credits and other sources, with their evidence."""
    title = article.title or article.external_id
    console.print(f"[bold]{escape(title)}[/bold]  ({article.id}, {article.language}, "
                  f"published by {escape(str(article.publisher_id))})")
    groups = (
        ("Cited outlets", [c for c in citations if c.counts and c.outlet_id]),
        ("Image credits (not citations)", [c for c in citations if c.kind == "image_credit"]),
        ("Non-outlet sources", [c for c in citations if not c.outlet_id]),
        ("Mentions and related links (not citations)",
         [c for c in citations if c.outlet_id and c.kind in ("mention", "related_links")]),
    )
    for heading, rows in groups:
        if not rows:
            continue
        table = Table(title=heading, title_justify="left", show_lines=True)
        for col in ("source", "kind", "cue", "where", "conf.", "evidence"):
            table.add_column(col, overflow="fold")
        for c in rows:
            table.add_row(escape(_source_label(c, outlets)), c.kind, escape(c.cue or ""),
                          f"{c.zone} {c.start}-{c.end}\n{c.rule}", f"{c.confidence:.2f}",
                          _highlight(c))
        console.print(table)
    if not citations:
        console.print("No sources named in this article.")


ARTICLE_KEYS = ("id", "external_id", "title", "publisher_id", "language")
CITATION_KEYS = ("outlet_id", "source_id", "source_name", "source_type", "kind", "counts",
                 "cue", "zone", "start", "end", "sentence", "sentence_start", "rule",
                 "confidence", "relayed_by", "original", "run_id")


def citation_data(cit: Citation) -> dict:
    """A citation as plain JSON-ready data."""
    return {k: getattr(cit, k) for k in CITATION_KEYS}


def citations_json(article: Article, citations: list[Citation]) -> str:
    """An article's citations as JSON."""
    return json.dumps({"article": {k: getattr(article, k) for k in ARTICLE_KEYS},
                       "citations": [citation_data(c) for c in citations]},
                      ensure_ascii=False, indent=2)


# -- show ----------------------------------------------------------------------------------

def _outlet(names: dict, outlet_id: str | None) -> str:
    return escape(names.get(outlet_id or "", outlet_id or "unknown outlet"))


def _verdict(verdict: str | None) -> str:
    label = verdict or "unresolved"
    colour = VERDICT_COLOURS.get(label, "yellow")
    return f"[{colour}]{label}[/{colour}]"


def _edge_label(link: Link, names: dict) -> str:
    edge, other = link.edge, link.other
    title = escape(other.title or other.external_id or other.id)
    return (f"{_verdict(edge.verdict)} {edge.kind} (similarity {edge.jaccard:.2f}, "
            f"{edge.coverage_copy:.0%} of the copy) - {title} "
            f"[dim]({_outlet(names, other.publisher_id)}, {other.published}, "
            f"{other.id})[/dim]")


def _story_line(data: ArticleProvenance) -> str:
    story, origin, names = data.story, data.story_origin, data.outlet_names
    title = (origin.title or origin.external_id) if origin else story.origin_article_id
    return (f"story {story.id}: {story.size} articles, origin {escape(title)} "
            f"({escape(names.get(story.origin_outlet_id or '') or '?')}), upstream "
            f"{escape(names.get(story.upstream_outlet_id or '') or '?')}")


def _add_copied_from(root: Tree, data: ArticleProvenance) -> None:
    branch = root.add("[bold]derived from[/bold]")
    text = data.article.text
    for link in data.derived_from:
        node = branch.add(_edge_label(link, data.outlet_names))
        node.add(f"[dim]{escape(link.edge.verdict_reason or '')}[/dim]")
        for p in link.edge.passages[:SHOW_PASSAGES]:
            snippet = text[p.b_start:p.b_end]
            more = "…" if len(snippet) > SHOW_SNIPPET_CHARS else ""
            node.add(f"passage {p.b_start}-{p.b_end} here, {p.a_start}-{p.a_end} there: "
                     f"\"{escape(snippet[:SHOW_SNIPPET_CHARS])}{more}\"")


def print_provenance(data: ArticleProvenance, console: Console) -> None:
    """`provenance show`: an article's provenance as a tree, with evidence and verdicts."""
    art, names = data.article, data.outlet_names
    root = Tree(f"[bold]{escape(art.title or art.external_id)}[/bold]  "
                f"[dim]{art.id} · {escape(data.publisher or str(art.publisher_id))}"
                f" · {art.published or 'undated'} · {art.language}[/dim]")
    if data.story:
        root.add(_story_line(data))
    if data.derived_from:
        _add_copied_from(root, data)
    elif not data.copied_by:
        root.add("[green]no copied text found[/green]: independent of every article in the "
                 "archive")
    cited = [c for c in data.citations if c.counts and c.outlet_id]
    if cited:
        branch = root.add("[bold]cites[/bold]")
        for c in cited:
            relay = f", relayed by {_outlet(names, c.relayed_by)}" if c.relayed_by else ""
            branch.add(f"{_outlet(names, c.outlet_id)} [dim]{c.kind}{relay}, "
                       f"{c.confidence:.2f}, {c.rule}[/dim]").add(_highlight(c))
    if data.copied_by:
        branch = root.add("[bold]copied by[/bold]")
        for link in data.copied_by:
            branch.add(_edge_label(link, names))
    branch = root.add("[bold]original sources[/bold]")
    for src in data.original_sources:
        path = " → ".join(escape(step.target) for step in src.path) or "its own reporting"
        branch.add(f"{_outlet(names, src.outlet_id)} [dim]{src.reason}[/dim]: {path}")
    console.print(root)


def edge_data(edge: CopyEdge) -> dict:
    """A copy edge as plain data; passages as stored: [source_start, source_end, copy_start,
    copy_end, tokens]."""
    data = asdict(edge)
    data["passages"] = [[p.a_start, p.a_end, p.b_start, p.b_end, p.tokens]
                        for p in edge.passages]
    return data


def _link_data(link: Link) -> dict:
    other = link.other
    return dict(edge_data(link.edge), other={
        "id": other.id, "external_id": other.external_id, "title": other.title,
        "publisher_id": other.publisher_id, "published": other.published, "url": other.url})


def _story_data(data: ArticleProvenance) -> dict | None:
    story, origin, names = data.story, data.story_origin, data.outlet_names
    if story is None:
        return None
    return {"story_id": story.id, "size": story.size,
            "origin_article_id": story.origin_article_id,
            "origin_article": origin.external_id if origin else None,
            "origin_title": origin.title if origin else None,
            "published": origin.published if origin else None,
            "origin_outlet_id": story.origin_outlet_id,
            "origin_outlet": names.get(story.origin_outlet_id or ""),
            "upstream_outlet_id": story.upstream_outlet_id,
            "upstream_outlet": names.get(story.upstream_outlet_id or ""),
            "members": list(story.members), "run_id": story.run_id}


def provenance_json(data: ArticleProvenance) -> str:
    """`provenance show --json`: the same data as the tree."""
    art = data.article
    payload = {
        "article": {k: getattr(art, k) for k in (
            "id", "external_id", "title", "url", "path", "publisher_id", "published",
            "language", "story", "first_run_id")},
        "publisher": data.publisher,
        "citations": [citation_data(c) for c in data.citations],
        "derived_from": [_link_data(link) for link in data.derived_from],
        "copied_by": [_link_data(link) for link in data.copied_by],
        "original_sources": [dict(origin_data(o), rank=o.rank) for o in data.original_sources],
        "story": _story_data(data),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


# -- check ---------------------------------------------------------------------------------

def _match_state(match) -> str:
    if getattr(match, "verdict", None) == "same_outlet":
        return _verdict("same_outlet")
    return _verdict("credited" if match.credited else "uncredited")


def print_check(result: CheckResult, console: Console) -> None:
    """`provenance check` for a terminal: verdict first, then matches with passages side by
    side, credits, and shared quotes."""
    colour = "red" if result.uncredited else ("yellow" if result.matches else "green")
    console.print(f"[bold {colour}]{escape(result.verdict)}[/bold {colour}]")
    draft = result.draft
    console.print(f"[dim]draft {escape(str(draft['path']))}: {draft['words']} words, "
                  f"{draft['language']}; {result.candidates} candidates verified in an archive "
                  f"of {result.archive_articles} articles[/dim]")
    cited = ", ".join(c["name"] for c in result.cited_outlets) or "none"
    console.print(f"Outlets the draft cites: {escape(cited)}")
    for m in result.matches:
        art = m.article
        console.print(f"\n{m.covers_draft:.0%} of the draft from [bold]"
                      f"{escape(art.get('title') or art['external_id'])}[/bold] "
                      f"({escape(str(art.get('outlet_name') or art.get('publisher_id')))}, "
                      f"{art.get('published') or 'undated'}, {art['id']}): {m.kind}, "
                      f"similarity {m.similarity:.2f}, {_match_state(m)} - {escape(m.credit)}")
        table = Table(show_header=True, show_lines=True, expand=True)
        table.add_column("draft", ratio=1)
        table.add_column("archive article", ratio=1)
        for p in m.passages:
            table.add_row(
                Text(f"[{p['draft_start']}-{p['draft_end']}] ", style="dim") +
                Text(p["draft_text"], style="red"),
                Text(f"[{p['source_start']}-{p['source_end']}] ", style="dim") +
                Text(p["source_text"], style="red"))
        if m.passages:  # a retold match has no passage: its facts are retold in new words
            console.print(table)
    if result.shared_quotes:
        console.print("\n[bold]Shared quotes[/bold] (quoted speech also in the archive; not "
                      "counted as copied):")
        for q in result.shared_quotes:
            console.print(f"  \"{escape(q['draft_text'][:CHECK_QUOTE_CHARS])}\" [dim]also in "
                          f"{escape(q['article'].get('title') or q['article']['id'])}[/dim]")
