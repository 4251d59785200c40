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
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from re import _constants as _c  # the parse tree's opcodes
from re import _parser

from provenance.citations.names import automaton


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


class Literals:
    """Where the literal strings of some groups occur in a text: every occurrence (overlapping
    ones too) of every string, by group, found in one pass by an Aho-Corasick automaton.

    For a pattern that is an alternation of literals (`alternation_literals`), the occurrences
    of its literals hold the start of every match, as `matches_at` needs.
    """

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        """Index the strings of each group (case-sensitive)."""
        self.groups = tuple(groups)
        owners: dict[str, set[int]] = {}
        for index, group in enumerate(self.groups):
            for literal in groups[group]:
                owners.setdefault(literal, set()).add(index)
        self._automaton = automaton((literal, (len(literal) - 1, tuple(sorted(indices))))
                                    for literal, indices in owners.items())

    def find(self, text: str) -> dict[str, list[int]]:
        """The ascending starts of the occurrences in `text`, by group (each start once)."""
        found: list[set[int]] = [set() for _ in self.groups]
        if self._automaton is not None:
            for end, (length, indices) in self._automaton.iter(text):
                for index in indices:
                    found[index].add(end - length)
        return {group: sorted(starts) for group, starts in zip(self.groups, found, strict=True)}


def alternation_literals(pattern: str) -> list[str]:
    """The literals that begin the branches of `pattern`, an alternation of plain words, each
    perhaps with one optional last letter ("Boten?" begins with "Bote"), in a group or not."""
    if pattern.startswith("(?:") and pattern.endswith(")"):
        pattern = pattern[3:-1]
    literals = []
    for branch in pattern.split("|"):
        literal = branch[:-2] if branch.endswith("?") else branch
        if not literal or re.escape(literal) != literal:
            raise ValueError(f"not a plain word: {branch!r}")
        literals.append(literal)
    return literals


class RequiredWords:
    """The required strings (`required_strings`) of some patterns in one automaton:
    `possible` reads a text once and tells which of the patterns a search may find in it."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        """Read the required strings of `patterns` and index them all."""
        self._always: set[int] = set()  # patterns with no required strings
        owners: dict[str, set[int]] = {}
        for pattern in patterns:
            required = required_strings(pattern)
            if required is None:
                self._always.add(id(pattern))
            for string in required or ():
                owners.setdefault(string, set()).add(id(pattern))
        self._owners = [frozenset(ids) for ids in owners.values()]
        self._automaton = automaton((string, index) for index, string in enumerate(owners))

    def possible(self, text: str) -> set[int]:
        """The ids of the patterns (of those indexed) that may match in `text`: those with no
        required strings, and those one of whose strings occurs in it."""
        found = set(self._always)
        if self._automaton is not None:
            for index in {index for _, index in self._automaton.iter(text)}:
                found |= self._owners[index]
        return found


# ---- required strings -------------------------------------------------------------------------

_MAX_SET = 64  # the most strings a required set may hold (cross products grow fast)
_SMALL_CLASS = 4  # a character class of at most this many plain letters spells alternatives


def required_strings(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains at least one, or None when the shape
    of the pattern gives none: a text that holds none of them holds no match, so a costly
    `search` can be skipped after a few cheap ``in`` tests. Read from the pattern's parse tree
    (literals, small classes, groups, alternations and repeats of at least one); anything else
    (case-insensitive parts, lookarounds, back references) counts as unknown. Read once per
    pattern text (each language's cue words read the cues it shares with the others again)."""
    return _required_strings(pattern.pattern, pattern.flags)


@cache
def _required_strings(source: str, flags: int) -> tuple[str, ...] | None:
    """`required_strings` of a pattern's text and flags."""
    if flags & re.IGNORECASE:
        return None
    try:
        tree = _parser.parse(source, flags)
    except re.error:
        return None
    found = _required(list(tree))
    return tuple(sorted(found[1])) if found is not None else None


# A piece of a pattern read by `_required`: (exact, strings). Exact: the piece always matches
# one of the strings and nothing else; else every match of it contains one of them.
_Piece = tuple[bool, frozenset[str]]


def _required(items: list) -> _Piece | None:
    """A sequence of parse-tree items as one piece; None when nothing is required."""
    best: frozenset[str] | None = None
    run: frozenset[str] | None = frozenset({""})  # the exact strings of the current run
    all_exact = True

    def better(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and min(map(len, candidate)) > 0 and (
                best is None or min(map(len, candidate)) > min(map(len, best))):
            best = candidate

    for op, arg in items:
        if op is _c.AT:
            continue  # zero width: the strings around it stay contiguous
        piece = _item(op, arg)
        if piece is not None and piece[0] and run is not None and len(run) * len(piece[1]) \
                <= _MAX_SET:
            run = frozenset(a + b for a in run for b in piece[1])
            continue
        all_exact = False
        better(run)
        run = frozenset({""})
        if piece is not None:
            better(piece[1])
    if all_exact and run is not None:
        return True, run
    better(run)
    return (False, best) if best is not None else None


def _item(op, arg) -> _Piece | None:
    """One parse-tree item as a piece; None when it requires nothing known."""
    if op is _c.LITERAL:
        return True, frozenset({chr(arg)})
    if op is _c.IN:
        if len(arg) <= _SMALL_CLASS and all(o is _c.LITERAL for o, _ in arg):
            return True, frozenset(chr(a) for _, a in arg)
        return None
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = arg
        if add_flags & re.IGNORECASE or del_flags:
            return None
        return _required(list(sub))
    if op is _c.BRANCH:
        pieces = [_required(list(branch)) for branch in arg[1]]
        if any(p is None for p in pieces):
            return None
        union = frozenset().union(*(p[1] for p in pieces))
        return (all(p[0] for p in pieces) and len(union) <= _MAX_SET), union
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, sub = arg
        piece = _required(list(sub)) if low >= 1 else None
        if piece is None:
            return None
        return (low == high == 1 and piece[0]), piece[1]
    return None
