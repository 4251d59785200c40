"""Rendering of results for people (rich tables) and machines (JSON). Only this and cli print."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from provenance.scan.pipeline import ScanResult

# At most this many input errors are listed after a scan; the rest are in the database.
MAX_ERRORS_SHOWN = 20


def scan_summary_json(result: ScanResult, db_path: str) -> str:
    """The scan summary as a JSON document (see README, "Machine-readable output")."""
    payload = {
        "run_id": result.run_id,
        "status": result.status,
        "database": db_path,
        "elapsed_seconds": round(result.elapsed, 3),
        "counts": result.counts,
        "errors": [{k: e[k] for k in ("path", "record", "kind", "severity", "message")}
                   for e in result.errors],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)


def print_scan_summary(result: ScanResult, db_path: str, console: Console) -> None:
    """The end-of-scan table: read, new, unchanged, failed, by format and language; errors."""
    c = result.counts
    table = Table(title=f"Scan run {result.run_id} ({result.status}) -> {db_path}",
                  title_justify="left")
    table.add_column("articles")
    table.add_column("count", justify="right")
    for label, key in (("read", "read"), ("new", "new"), ("updated (new version)", "updated"),
                       ("unchanged", "unchanged"), ("failed inputs", "failed"),
                       ("warnings", "warnings")):
        table.add_row(label, str(c.get(key, 0)))
    if c.get("resumed"):
        table.add_row("from files read before (skipped)", str(c["resumed"]))
    console.print(table)
    if c.get("by_format"):
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
    copies, prov = c.get("copies") or {}, c.get("provenance") or {}
    if copies:
        table = Table(title="Copies and provenance (whole archive)", title_justify="left")
        table.add_column("")
        table.add_column("count", justify="right")
        kinds = copies.get("edges_by_kind") or {}
        table.add_row("candidate pairs verified (this run)", str(copies.get("candidate_pairs", 0)))
        table.add_row("copy edges found (this run)", str(copies.get("copy_edges", 0)) + (
            " (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")"
            if kinds else ""))
        table.add_row("stories", str(copies.get("stories", 0)))
        table.add_row("credited copies", str(prov.get("credited", 0)))
        table.add_row("uncredited copies", str(prov.get("uncredited", 0)))
        if prov.get("problems"):
            table.add_row("provenance problems (see provenance_problem)", str(prov["problems"]))
        console.print(table)
    if result.errors:
        errs = Table(title=f"Input problems ({len(result.errors)})", title_justify="left")
        for col in ("path", "record", "kind", "message"):
            errs.add_column(col, overflow="fold")
        for e in result.errors[:MAX_ERRORS_SHOWN]:
            kind = e["kind"] if e["severity"] == "error" else f"{e['kind']} (warning)"
            errs.add_row(e["path"], e["record"] or "", kind, e["message"])
        console.print(errs)
        if len(result.errors) > MAX_ERRORS_SHOWN:
            console.print(f"... and {len(result.errors) - MAX_ERRORS_SHOWN} more: "
                          f"sqlite3 {db_path} 'SELECT * FROM input_errors "
                          f"WHERE run_id={result.run_id}'")
    console.print(f"{result.elapsed:.1f}s elapsed.")


def outlets_table(outlets: list, console: Console) -> None:
    """The registry as a table: id, name, kind, country, domains."""
    table = Table(title=f"{len(outlets)} outlets", title_justify="left")
    for col in ("id", "name", "kind", "country", "state", "domains"):
        table.add_column(col, overflow="fold")
    for o in outlets:
        table.add_row(o.id, o.name, o.kind or "", o.country or "", o.state_affiliation or "",
                      ", ".join(o.domains[:3]))
    console.print(table)


def _highlight(sentence: str, start: int, end: int, cue: str | None) -> Text:
    """The sentence with the source name in bold and the cue underlined."""
    text = Text(sentence)
    if 0 <= start < end <= len(sentence):
        text.stylize("bold yellow", start, end)
    if cue:
        at = sentence.lower().find(cue.lower())
        if at >= 0:
            text.stylize("underline", at, at + len(cue))
    return text


def print_citations(article: dict, citations: list[dict], outlets: dict[str, dict],
                    console: Console) -> None:
    """An article's citations: cited outlets, credits and other sources, with their evidence."""
    title = article.get("title") or article["external_id"]
    console.print(f"[bold]{escape(title)}[/bold]  ({article['id']}, {article.get('language')}, "
                  f"published by {escape(str(article.get('publisher_id')))})")
    groups = (
        ("Cited outlets", [c for c in citations if c["counts"] and c["outlet_id"]]),
        ("Image credits (not citations)", [c for c in citations if c["kind"] == "image_credit"]),
        ("Non-outlet sources", [c for c in citations if not c["outlet_id"]]),
        ("Mentions and related links (not citations)",
         [c for c in citations if c["outlet_id"] and c["kind"] in ("mention", "related_links")]),
    )
    for heading, rows in groups:
        if not rows:
            continue
        table = Table(title=heading, title_justify="left", show_lines=True)
        for col in ("source", "kind", "cue", "where", "conf.", "evidence"):
            table.add_column(col, overflow="fold")
        for c in rows:
            name = outlets.get(c["outlet_id"], {}).get("name") if c["outlet_id"] else None
            source = f"{name} ({c['source_name']})" if name and name != c["source_name"] \
                else (name or f"{c['source_name']} [{c['source_type']}]")
            if c.get("relayed_by"):
                source += f"\nrelayed by {c['relayed_by']}" + (" (original)" if c["original"]
                                                               else "")
            where = f"{c['zone']} {c['start']}-{c['end']}\n{c['rule']}"
            table.add_row(escape(source), c["kind"], escape(c["cue"] or ""), where,
                          f"{c['confidence']:.2f}",
                          _highlight(c["sentence"], c["start"] - c["sentence_start"],
                                     c["end"] - c["sentence_start"], c["cue"]))
        console.print(table)
    if not citations:
        console.print("No sources named in this article.")


def citations_json(article: dict, citations: list[dict]) -> str:
    """An article's citations as JSON."""
    keep = ("outlet_id", "source_id", "source_name", "source_type", "kind", "counts", "cue",
            "zone", "start", "end", "sentence", "sentence_start", "rule", "confidence",
            "relayed_by", "original", "run_id")
    return json.dumps({"article": {k: article.get(k) for k in ("id", "external_id", "title",
                                                               "publisher_id", "language")},
                       "citations": [{k: c.get(k) for k in keep} for c in citations]},
                      ensure_ascii=False, indent=2)


def _outlet(names: dict, outlet_id: str | None) -> str:
    return escape(names.get(outlet_id or "", outlet_id or "unknown outlet"))


def _edge_label(edge: dict, names: dict) -> str:
    other = edge["other"]
    verdict = edge.get("verdict") or "unresolved"
    colour = {"credited": "green", "uncredited": "red"}.get(verdict, "yellow")
    title = escape(other.get("title") or other.get("external_id") or other["id"])
    return (f"[{colour}]{verdict}[/{colour}] {edge['kind']} (similarity {edge['jaccard']:.2f}, "
            f"{edge['coverage_copy']:.0%} of the copy) - {title} "
            f"[dim]({_outlet(names, other.get('publisher_id'))}, {other.get('published')}, "
            f"{other['id']})[/dim]")


def print_provenance(data: dict, console: Console) -> None:
    """`provenance show`: an article's provenance as a tree, with evidence and verdicts."""
    from rich.tree import Tree

    art, names = data["article"], data["outlet_names"]
    root = Tree(f"[bold]{escape(art.get('title') or art['external_id'])}[/bold]  "
                f"[dim]{art['id']} · {escape(data.get('publisher') or str(art['publisher_id']))}"
                f" · {art.get('published') or 'undated'} · {art.get('language')}[/dim]")
    if data["story"]:
        st = data["story"]
        root.add(f"story {st['story_id']}: {st['size']} articles, origin "
                 f"{escape(st['origin_title'] or st['origin_article'])} "
                 f"({escape(st['origin_outlet'] or '?')}), upstream "
                 f"{escape(st['upstream_outlet'] or '?')}")
    text = data["text"]
    if data["derived_from"]:
        branch = root.add("[bold]derived from[/bold]")
        for edge in data["derived_from"]:
            node = branch.add(_edge_label(edge, names))
            node.add(f"[dim]{escape(edge.get('verdict_reason') or '')}[/dim]")
            for p in edge["passages"][:3]:
                snippet = text[p[2]:p[3]]
                node.add(f"passage {p[2]}-{p[3]} here, {p[0]}-{p[1]} there: "
                         f"\"{escape(snippet[:160])}{'…' if len(snippet) > 160 else ''}\"")
    elif not data["copied_by"]:
        root.add("[green]no copied text found[/green]: independent of every article in the "
                 "archive")
    cited = [c for c in data["citations"] if c["counts"] and c["outlet_id"]]
    if cited:
        branch = root.add("[bold]cites[/bold]")
        for c in cited:
            relay = f", relayed by {_outlet(names, c['relayed_by'])}" if c["relayed_by"] else ""
            branch.add(f"{_outlet(names, c['outlet_id'])} [dim]{c['kind']}{relay}, "
                       f"{c['confidence']:.2f}, {c['rule']}[/dim]").add(
                _highlight(c["sentence"], c["start"] - c["sentence_start"],
                           c["end"] - c["sentence_start"], c["cue"]))
    if data["copied_by"]:
        branch = root.add("[bold]copied by[/bold]")
        for edge in data["copied_by"]:
            branch.add(_edge_label(edge, names))
    branch = root.add("[bold]original sources[/bold]")
    for src in data["original_sources"]:
        path = " → ".join(escape(step["target"]) for step in src["path"]) or "its own reporting"
        branch.add(f"{_outlet(names, src['outlet_id'])} [dim]{src['reason']}[/dim]: {path}")
    console.print(root)


def provenance_json(data: dict) -> str:
    """`provenance show --json`: the same data as the tree."""
    payload = {k: v for k, v in data.items() if k not in ("text", "outlet_names")}
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def print_check(result, console: Console) -> None:
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
        state = "[green]credited[/green]" if m.credited else "[red]uncredited[/red]"
        console.print(f"\n{m.covers_draft:.0%} of the draft from [bold]"
                      f"{escape(art.get('title') or art['external_id'])}[/bold] "
                      f"({escape(str(art.get('outlet_name') or art.get('publisher_id')))}, "
                      f"{art.get('published') or 'undated'}, {art['id']}): {m.kind}, "
                      f"similarity {m.similarity:.2f}, {state} - {escape(m.credit)}")
        table = Table(show_header=True, show_lines=True, expand=True)
        table.add_column("draft", ratio=1)
        table.add_column("archive article", ratio=1)
        for p in m.passages:
            table.add_row(
                Text(f"[{p['draft_start']}-{p['draft_end']}] ", style="dim") +
                Text(p["draft_text"], style="red"),
                Text(f"[{p['source_start']}-{p['source_end']}] ", style="dim") +
                Text(p["source_text"], style="red"))
        console.print(table)
    if result.shared_quotes:
        console.print("\n[bold]Shared quotes[/bold] (quoted speech also in the archive; not "
                      "counted as copied):")
        for q in result.shared_quotes:
            console.print(f"  \"{escape(q['draft_text'][:200])}\" [dim]also in "
                          f"{escape(q['article'].get('title') or q['article']['id'])}[/dim]")
