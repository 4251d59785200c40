"""Exact shortcuts for scanning a text with a costly pattern: try it only where it can match.

Some patterns of the citation grammar are tried at every position of a text by `finditer` and
fail almost everywhere ("a media descriptor", "a run of capitalised words", "a domain"). When
every match of such a pattern must start at a position that a cheap search finds (a keyword
inside it, the dot of a domain), `matches_at` tries the pattern at those positions only and
yields exactly the matches `finditer` would: a match at a position is the same whichever way the
position was reached, and `finditer` returns the leftmost match from where the previous one
ended. The callers prove, pattern by pattern, that their positions hold every possible start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]
               ) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)`, given ascending `starts` that include the start
    of every match `pattern` can have in `text` (more are harmless). `pattern` never matches the
    empty string."""
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m is not None:
            yield m
            pos = m.end()


def matches_near(pattern: re.Pattern[str], text: str, anchors: Iterable[int],
                 breaks: Callable[[str, int], bool]) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)` that hold one of the ascending `anchors`
    (``start <= anchor < end``), in order, possibly with some others of them.

    `breaks(text, i)` must be true only at positions that no match of `pattern` holds or starts
    at. The matches of `finditer` after such a position are those of a `finditer` started right
    after it (none spans it), so the scan restarts after the last break before each anchor and
    runs until it has passed the anchor.
    """
    pos = 0
    for anchor in anchors:
        if anchor < pos:
            continue
        at = anchor
        while at > pos and not breaks(text, at - 1):
            at -= 1
        pos = at
        while pos <= anchor:
            m = pattern.search(text, pos)
            if m is None:
                return
            yield m
            pos = m.end()


def is_word_char(char: str) -> bool:
    """Whether `char` is one that ``\\w`` matches (a letter, digit or underscore)."""
    return char.isalnum() or char == "_"


def token_start(text: str, pos: int, extra: str = "-") -> int:
    """The start of the run of word characters (and `extra`) that holds `pos`."""
    while pos > 0 and (is_word_char(text[pos - 1]) or text[pos - 1] in extra):
        pos -= 1
    return pos


def token_starts_before(text: str, pos: int, tokens: int, extra: str = "-") -> list[int]:
    """The starts of the token (a run of word characters and `extra`) that holds `pos` and of
    up to `tokens - 1` tokens before it, each separated from the next by white space only; in
    ascending order."""
    found = [token_start(text, pos, extra)]
    while len(found) < tokens:
        at = found[-1]
        if at == 0 or not text[at - 1].isspace():
            break
        while at > 0 and text[at - 1].isspace():
            at -= 1
        if at == 0 or not (is_word_char(text[at - 1]) or text[at - 1] in extra):
            break
        found.append(token_start(text, at - 1, extra))
    return found[::-1]


def ascending(groups: Iterable[Iterable[int]]) -> list[int]:
    """The positions of `groups`, each once, ascending."""
    return sorted({p for group in groups for p in group})
