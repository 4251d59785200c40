"""Rendering for people (rich tables and trees) and machines (JSON): scan summaries, `outlets`,
`citations`, `show` and `check`. Only this module and the CLI print.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from provenance.outputs.titles import article_title, date_label, outlet_label
from provenance.presentation import (
    MAX_ERRORS_SHOWN,
    MAX_SKIPPED_NAMED,
    SHOW_PASSAGES,
    SHOW_SNIPPET_CHARS,
)
from provenance.records import SKIPPED, Article, Citation, CopyEdge, InputProblem, Outlet

if TYPE_CHECKING:
    from provenance.outputs.assemble import ArticleProvenance, Link
    from provenance.scan import ScanResult

# Colour of each copy verdict; a same-outlet reuse is neither credited nor uncredited.
VERDICT_COLOURS = {"credited": "green", "uncredited": "red", "same_outlet": "cyan"}


# -- scan ----------------------------------------------------------------------------------

def scan_summary_json(result: ScanResult, db_path: str, totals: dict | None = None) -> str:
    """The scan summary as a JSON document (see README, "Machine-readable output"); `totals`
    are the archive's counts as the views give them (`archive`)."""
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
    if totals is not None:
        payload["archive"] = totals
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)


def print_scan_summary(result: ScanResult, db_path: str, console: Console,
                       totals: dict | None = None) -> None:
    """The end-of-scan tables: read, new, unchanged, failed, by format and language, copies
    and verdicts (`totals`: the archive's counts read from the views, as the report and
    `uncredited_copies` give them), and the input problems."""
    c = result.counts
    console.print(f"Scan run {result.run_id} ({result.status}) -> {escape(db_path)}")
    table = Table()
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
    if c.get("copies") or totals:
        _print_copies(c.get("copies") or {}, c.get("provenance") or {}, totals or {}, console)
    problems = [e for e in result.errors if e.kind != SKIPPED]
    if problems:
        _print_problems(problems, result.run_id, db_path, console)
    skipped = [f"{e.path} ({_skip_reason(e.message)})" for e in result.errors
               if e.kind == SKIPPED]
    if skipped:
        names = ", ".join(skipped[:MAX_SKIPPED_NAMED]) + (", ..." if len(skipped)
                                                          > MAX_SKIPPED_NAMED else "")
        console.print(f"Skipped {len(skipped)} file(s) that are not articles: {names} "
                      f"(kind '{SKIPPED}' in input_errors).")
    console.print(f"{result.elapsed:.1f}s elapsed.")


def _skip_reason(message: str) -> str:
    """Why a file was skipped, in a few words ("a list of URLs, not an article")."""
    return message.removeprefix("skipped: ").split(" (")[0]


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


def _print_copies(copies: dict, prov: dict, totals: dict, console: Console) -> None:
    """This run's copy detection, then the archive's copies and verdicts (from the views)."""
    table = Table(title="Copies and provenance (whole archive, as the views count them)",
                  title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    kinds = copies.get("edges_by_kind") or {}
    table.add_row("candidate pairs verified (this run)", str(copies.get("candidate_pairs", 0)))
    again = {"their pairs changed": copies.get("requeued_by_buckets", 0),
             "their boilerplate changed": copies.get("requeued_by_boilerplate", 0)}
    if any(again.values()):  # why a scan of a few new articles verified many pairs
        table.add_row("archived articles compared again (this run)", f"{sum(again.values())} ("
                      + ", ".join(f"{why}: {n}" for why, n in again.items() if n) + ")")
    table.add_row("copy edges found (this run)", str(copies.get("copy_edges", 0)) + (
        " (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")" if kinds else ""))
    # archive totals, each read from its view (store.site.SUMMARY_COUNTS)
    for label, key in (("stories", "stories"), ("copies of an earlier article", "copies"),
                       ("  credited", "credited copies"),
                       ("  uncredited", "uncredited copies"),
                       ("  by the source's own outlet", "copies by the source's own outlet"),
                       ("similar texts, no direction (undated)", "similar (undirected)")):
        table.add_row(label, str(totals.get(key, 0)))
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
    publisher = outlets.get(article.publisher_id or "")
    title = article_title(article, publisher)
    by = publisher.label if publisher else outlet_label({}, article.publisher_id)
    console.print(f"[bold]{escape(title)}[/bold]  ({article.id}, {article.language}, "
                  f"published by {escape(by)})")
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
    return escape(outlet_label(names, outlet_id))


def verdict_label(verdict: str | None) -> str:
    """A verdict coloured for the terminal ("unresolved" when there is none)."""
    label = verdict or "unresolved"
    colour = VERDICT_COLOURS.get(label, "yellow")
    return f"[{colour}]{label}[/{colour}]"


def _title(article: Article, data: ArticleProvenance) -> str:
    outlets = data.outlets or {}
    return escape(article_title(article, outlets.get(article.publisher_id or "")))


def _edge_label(link: Link, data: ArticleProvenance, verdict: bool = True) -> str:
    edge, other = link.edge, link.other
    state = f"{verdict_label(edge.verdict)} " if verdict else ""
    return (f"{state}{edge.kind} (similarity {edge.jaccard:.2f}, "
            f"{edge.coverage_copy:.0%} of the copy) - {_title(other, data)} "
            f"[dim]({_outlet(data.outlet_names, other.publisher_id)}, "
            f"{date_label(other.published)}, {other.id})[/dim]")


_COPIED_ID = re.compile(r"^copies \S+ ")
_REASON_IDS = re.compile(r"(?<=naming )(.+)$|(?<=^names )([^:]+)(?=:)|(?<=outlet \()([^)]+)(?=\))")


def reason_label(reason: str | None, names: dict[str, str]) -> str:
    """A verdict's reason (`lineage.credit`) with outlet names where it gives outlet ids (the
    copied article is named on the line above it: "copies it")."""
    def named(m: re.Match[str]) -> str:
        return ", ".join(names.get(part.strip(), part.strip())
                         for part in m.group(0).split(","))
    return _REASON_IDS.sub(named, _COPIED_ID.sub("copies it ", reason or ""))


def _story_line(data: ArticleProvenance) -> str:
    story, origin, names = data.story, data.story_origin, data.outlet_names
    title = _title(origin, data) if origin else story.origin_article_id
    return (f"story {story.id}: {story.size} articles, origin {title} "
            f"({_outlet(names, story.origin_outlet_id)}), upstream "
            f"{_outlet(names, story.upstream_outlet_id)}")


def _add_links(root: Tree, heading: str, links: list[Link], data: ArticleProvenance,
               shown: set[tuple[int, int]], verdicts: bool = True) -> None:
    """A branch of copy links with their reasons and passages; a passage of this article that
    an earlier link showed is named by its offsets only."""
    branch = root.add(heading)
    text, mine = data.article.text, data.article.id
    for link in links:
        # an undirected pair has a verdict only from the side the resolution took as the copy
        judged = verdicts or link.edge.copy_id == mine
        node = branch.add(_edge_label(link, data, judged))
        if judged:
            node.add(f"[dim]{escape(reason_label(link.edge.verdict_reason, data.outlet_names))}"
                     "[/dim]")
        here_is_copy = link.edge.copy_id == mine
        for p in link.edge.passages[:SHOW_PASSAGES]:
            here, there = ((p.b_start, p.b_end), (p.a_start, p.a_end)) if here_is_copy else (
                (p.a_start, p.a_end), (p.b_start, p.b_end))
            where = f"passage {here[0]}-{here[1]} here, {there[0]}-{there[1]} there"
            if here in shown:
                node.add(f"{where} [dim](shown above)[/dim]")
                continue
            shown.add(here)
            snippet = text[here[0]:here[1]]
            more = "…" if len(snippet) > SHOW_SNIPPET_CHARS else ""
            node.add(f"{where}: \"{escape(snippet[:SHOW_SNIPPET_CHARS])}{more}\"")


def print_provenance(data: ArticleProvenance, console: Console) -> None:
    """`provenance show`: an article's provenance as a tree, with evidence and verdicts."""
    art, names = data.article, data.outlet_names
    root = Tree(f"[bold]{_title(art, data)}[/bold]  "
                f"[dim]{art.id} · {_outlet(names, art.publisher_id)}"
                f" · {date_label(art.published)} · {art.language or 'language unknown'}[/dim]")
    if data.story:
        root.add(_story_line(data))
    shown: set[tuple[int, int]] = set()
    if data.derived_from:
        _add_links(root, "[bold]derived from[/bold]", data.derived_from, data, shown)
    if data.similar:
        _add_links(root, "[bold]shares text with[/bold] [dim](no direction: undated, or "
                   "published at the same time)[/dim]", data.similar, data, shown,
                   verdicts=False)
    if not (data.derived_from or data.similar):
        root.add(_original_line(data))
    _add_cited(root, data)
    if data.copied_by:
        branch = root.add("[bold]copied by[/bold]")
        for link in data.copied_by:
            branch.add(_edge_label(link, data))
    branch = root.add("[bold]original sources[/bold]")
    for src in data.original_sources:
        path = " → ".join(escape(_step_label(step.target, names)) for step in src.path
                          ) or "its own reporting"
        branch.add(f"{_outlet(names, src.outlet_id)} [dim]{src.reason}[/dim]: {path}")
    console.print(root)


def _original_line(data: ArticleProvenance) -> str:
    """What an article that copies nothing is: an original others copy, or unrelated."""
    if data.copied_by:
        return (f"[green]original[/green]: copies no article in the archive; "
                f"{len(data.copied_by)} article(s) copy it")
    return "[green]no copied text found[/green]: shares no text with any article in the archive"


def _add_cited(root: Tree, data: ArticleProvenance) -> None:
    cited = [c for c in data.citations if c.counts and c.outlet_id]
    if not cited:
        return
    branch = root.add("[bold]cites[/bold]")
    for c in cited:
        relay = f", relayed by {_outlet(data.outlet_names, c.relayed_by)}" if c.relayed_by else ""
        branch.add(f"{_outlet(data.outlet_names, c.outlet_id)} [dim]{c.kind}{relay}, "
                   f"{c.confidence:.2f}, {c.rule}[/dim]").add(_highlight(c))


def _step_label(target: str, names: dict[str, str]) -> str:
    """A step of an origin path (`outlet:<id>` or `article:<id>`) with the outlet's name."""
    kind, _, ident = target.partition(":")
    return names.get(ident, target) if kind == "outlet" else target


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
    from provenance.outputs.graph import origin_data

    art = data.article
    payload = {
        "article": {k: getattr(art, k) for k in (
            "id", "external_id", "title", "url", "path", "publisher_id", "published",
            "language", "story", "first_run_id")},
        "publisher": data.publisher,
        "citations": [citation_data(c) for c in data.citations],
        "derived_from": [_link_data(link) for link in data.derived_from],
        "copied_by": [_link_data(link) for link in data.copied_by],
        "similar": [_link_data(link) for link in data.similar],
        "original_sources": [dict(origin_data(o), rank=o.rank) for o in data.original_sources],
        "story": _story_data(data),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)
