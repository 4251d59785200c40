"""`provenance check` for people: the verdict, then each match with its passages side by side.

Each passage of the draft is printed once: a match that reuses only passages shown above (a copy
of the same text in another outlet) says so in one line. Shared quotes are listed apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from provenance.outputs.terminal import verdict_label
from provenance.outputs.titles import date_label, shown_outlet, shown_title
from provenance.presentation import CHECK_QUOTE_CHARS

if TYPE_CHECKING:
    from provenance.check import CheckResult, Match


def _match_state(match: Match) -> str:
    """The match's verdict, coloured (same_outlet is neither credited nor uncredited)."""
    if getattr(match, "verdict", None) == "same_outlet":
        return verdict_label("same_outlet")
    return verdict_label("credited" if match.credited else "uncredited")


def print_check(result: CheckResult, console: Console) -> None:
    """`provenance check` for a terminal: verdict first, then matches with passages side by
    side (each passage of the draft once: a match that reuses only passages shown above, a
    copy of the same text, says so in a line), credits, and shared quotes."""
    colour = "red" if result.uncredited else ("yellow" if result.matches else "green")
    console.print(f"[bold {colour}]{escape(result.verdict)}[/bold {colour}]")
    draft = result.draft
    console.print(f"[dim]draft {escape(str(draft['path']))}: {draft['words']} words, "
                  f"{draft['language']}; {result.candidates} candidates verified in an archive "
                  f"of {result.archive_articles} articles[/dim]")
    cited = ", ".join(c["name"] for c in result.cited_outlets) or "none"
    console.print(f"Outlets the draft cites: {escape(cited)}")
    shown: list[tuple[int, int]] = []
    for m in result.matches:
        art = m.article
        console.print(f"\n{m.covers_draft:.0%} of the draft from [bold]"
                      f"{escape(shown_title(art))}[/bold] ({escape(shown_outlet(art))}, "
                      f"{date_label(art.get('published'))}, {art['id']}): {m.kind}, "
                      f"similarity {m.similarity:.2f}, {_match_state(m)} - {escape(m.credit)}")
        ranges = [(p["draft_start"], p["draft_end"]) for p in m.passages]
        if ranges and all(any(a <= s and e <= b for a, b in shown) for s, e in ranges):
            console.print("[dim]  the same passages of the draft as above: "
                          + ", ".join(f"{s}-{e}" for s, e in ranges) + "[/dim]")
            continue
        shown += ranges
        if m.passages:  # a retold match has no passage: its facts are retold in new words
            console.print(_passage_table(m.passages))
    if result.shared_quotes:
        _print_quotes(result, console)


def _passage_table(passages: list[dict]) -> Table:
    """Passages side by side: the draft's and the archive article's, with their offsets."""
    table = Table(show_header=True, show_lines=True, expand=True)
    table.add_column("draft", ratio=1)
    table.add_column("archive article", ratio=1)
    for p in passages:
        table.add_row(
            Text(f"[{p['draft_start']}-{p['draft_end']}] ", style="dim") +
            Text(p["draft_text"], style="red"),
            Text(f"[{p['source_start']}-{p['source_end']}] ", style="dim") +
            Text(p["source_text"], style="red"))
    return table


def _print_quotes(result: CheckResult, console: Console) -> None:
    """Quoted speech the draft shares with the archive, each quote once."""
    console.print("\n[bold]Shared quotes[/bold] (quoted speech also in the archive; not "
                  "counted as copied):")
    seen: dict[tuple[int, int], list[str]] = {}
    quotes: dict[tuple[int, int], str] = {}
    for q in result.shared_quotes:
        key = (q["draft_start"], q["draft_end"])
        quotes.setdefault(key, q["draft_text"])
        seen.setdefault(key, []).append(shown_title(q["article"]))
    for key, text in quotes.items():
        where = "; ".join(dict.fromkeys(seen[key]))
        console.print(f"  \"{escape(text[:CHECK_QUOTE_CHARS])}\" [dim]also in "
                      f"{escape(where)}[/dim]")
