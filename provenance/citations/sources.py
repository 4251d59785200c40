"""Non-outlet sources in text: ministries, intelligence services, think tanks, bodies.

``provenance/data/sources.json`` lists them with a type and aliases ("Kreml", "HUR", "ISW");
`SourceIndex.find` finds them in a text. A source counts as a citation only with a cue ("laut
dem Kreml"); a bare name is no evidence. Short aliases match with their exact case ("UN" is not
"un"); the words of longer ones may carry a German case ending ("des Kremls").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from provenance.citations.names import automaton
from provenance.citations.prefilter import is_word_char
from provenance.citations.textforms import text_forms, word_starts
from provenance.config import (
    SOURCE_CASE_SENSITIVE_MAX_LEN,
    SOURCE_MIN_INFLECTED_WORD,
    SOURCE_TOKEN_MEMO,
)

SOURCES_PATH = Path(__file__).parents[1] / "data" / "sources.json"

_TOKEN = re.compile(r"\w+")
# Split on captured tokens: [gap, first letters, rest, gap, first letters, rest, ..., gap].
_TOKEN_SPLIT = re.compile(r"(\w{1,3})(\w*)")
_TOKEN_KEY = re.compile(r"\w{1,3}")
_ADJECTIVE_ENDING = re.compile(r"(?<=\w{3})(?:e|en|er|es|em)$")
# The endings an alias's words may take (`_alias_pattern`): adjectives ("russischen") and the
# optional case endings of the other words ("Kremls"; "" first: none).
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
_CASE_ENDINGS = ("", "s", "es", "n", "en")

# The aliases a token may start: one pattern (an alternative per alias) and their source ids.
_Matcher = tuple[re.Pattern[str], list[str]]


@dataclass(frozen=True)
class Source:
    """A non-outlet source (authority, intelligence service, think tank, organisation)."""

    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class NameHit:
    """A name found in a text: an outlet's (`outlet_id`) or a non-outlet source's (`source_id`)."""

    start: int
    end: int
    name: str
    outlet_id: str | None
    source_id: str | None
    source_type: str  # "outlet" or the source's type
    guarded: bool = False  # a common-word outlet name ("Welt", "Spiegel"): kept only with a cue
    discovered: bool = False  # an outlet the registry lacks (`discovery`): kept only with a cue


class SourceIndex:
    """The non-outlet sources of ``sources.json`` and a matcher for their names."""

    def __init__(self, sources: Iterable[Source], version: str = "") -> None:
        """Index `sources` by the first letters of each alias; longer aliases are tried first."""
        self.version = version
        self.sources = {s.id: s for s in sources}
        # One big alternation is slow in `re`; a small pattern per alias, looked up by the
        # first letters of a token, keeps matching linear in the text.
        self._index: dict[str, list[tuple[int, re.Pattern[str], str]]] = {}
        literals: set[tuple[str, bool]] = set()
        for source in self.sources.values():
            for alias in dict.fromkeys((source.name, *source.aliases)):
                folded = len(alias) > SOURCE_CASE_SENSITIVE_MAX_LEN
                pattern = re.compile(rf"(?<![\w-]){_alias_pattern(alias, inflect=folded)}(?!\w)",
                                     re.IGNORECASE if folded else 0)
                key = _TOKEN_KEY.match(alias).group().lower()
                self._index.setdefault(key, []).append((len(alias), pattern, source.id))
                literals.update((form, folded) for form in _first_words(alias, inflect=folded))
        self._merged: dict[str, _Matcher | None] = {}
        self._by_token = _TokenMemo(self._matcher)
        self._starts = _StartFinder(literals)

    @classmethod
    def load(cls, path: str | Path | None = None) -> SourceIndex:
        """The sources from `path` (default: the packaged ``data/sources.json``)."""
        data = json.loads(Path(path or SOURCES_PATH).read_text(encoding="utf-8"))
        return cls((Source(e["id"], e["name"], e["type"], e.get("country"), tuple(e["aliases"]))
                    for e in data["sources"]), data.get("version", ""))

    def get(self, source_id: str) -> Source | None:
        """The source with this id, or None."""
        return self.sources.get(source_id)

    def _candidates(self, prefix: str) -> list[tuple[int, re.Pattern[str], str]]:
        """Aliases that may start with a token beginning with `prefix`, longest first."""
        keys = sorted({prefix[:n] for n in range(1, len(prefix) + 1)}, key=len)
        return sorted((e for key in keys for e in self._index.get(key, ())), key=lambda e: -e[0])

    def _matcher(self, prefix: str) -> _Matcher | None:
        """The candidates for `prefix` as one pattern (an alternative and a group each, in
        order, so the first that matches wins as in a loop over them) and their source ids.
        Kept per prefix (at most ``SOURCE_TOKEN_MEMO``, then forgotten, like the tokens)."""
        if prefix not in self._merged:
            if len(self._merged) >= SOURCE_TOKEN_MEMO:
                self._merged.clear()
            entries = self._candidates(prefix)
            self._merged[prefix] = (re.compile("|".join(
                f"((?i:{p.pattern}))" if p.flags & re.IGNORECASE else f"({p.pattern})"
                for _, p, _ in entries)), [source_id for _, _, source_id in entries]) \
                if entries else None
        return self._merged[prefix]

    def find(self, text: str) -> list[NameHit]:
        """Every source name in `text`: longest at each position, non-overlapping, by start."""
        starts = self._starts.find(text)
        if starts is None:
            starts = self._token_starts(text)
        hits: list[NameHit] = []
        done = 0
        for pos in starts:
            if pos < done:
                continue
            matcher = self._by_token[_TOKEN_KEY.match(text, pos).group()]
            m = matcher[0].match(text, pos) if matcher is not None else None
            if m:
                source_id = matcher[1][m.lastindex - 1]
                source = self.sources[source_id]
                hits.append(NameHit(pos, m.end(), m.group(), None, source_id, source.type))
                done = m.end()
        return hits

    def _token_starts(self, text: str) -> list[int]:
        """The start of every token (run of word characters) that can start an alias."""
        # Look all tokens up at once by their first letters (a memo of those stays small
        # however large the vocabulary).
        parts = _TOKEN_SPLIT.split(text)
        matchers = list(map(self._by_token.__getitem__, parts[1::3]))
        ends = list(accumulate(map(len, parts)))
        return [ends[3 * i] for i, matcher in enumerate(matchers) if matcher is not None]


class _StartFinder:
    """Where an alias can start in a text: the start of a token that is the first word of an
    alias, as the alias's pattern may write it ("u.s.", "bundesamtes", "russischen"), in any
    case if the alias is matched so. Found in one pass by an Aho-Corasick automaton over the
    text's `word_starts` form and a space: that is lower-cased text with a space wherever no
    word character stands, so it holds a first word wherever the case-insensitive alias
    pattern can match, except next to the few characters that such a pattern reads otherwise
    than `str.lower` does ("ſ" for "s"): a text holding one goes token by token."""

    def __init__(self, words: set[tuple[str, bool]]) -> None:
        """Index the `words`: (a first word of an alias as written, whether in any case)."""
        keys: dict[str, set[str] | None] = {}
        for word, folded in words:
            key = word_starts(word) + " "
            exact = keys.get(key, set())
            keys[key] = None if folded or exact is None else exact | {word}
        self._automaton = automaton((key, (len(key) - 2, frozenset(exact) if exact else None))
                                    for key, exact in keys.items())
        self._odd = _odd_cases("".join(word for word, _ in words))

    def find(self, text: str) -> list[int] | None:
        """The ascending token starts where an alias may stand; None when the text holds one
        of the odd characters."""
        if self._odd is not None and self._odd.search(text):
            return None
        if self._automaton is None:
            return []
        found = set()
        for end, (length, exact) in self._automaton.iter(text_forms(text).ws + " "):
            start = end - 1 - length  # `end`: the space after the word, one on in the form
            if exact is None or text[start:start + length] in exact:
                found.add(start)
        return sorted(p for p in found if p == 0 or not is_word_char(text[p - 1]))


def _odd_cases(letters: str) -> re.Pattern[str] | None:
    """A pattern for the characters that a case-insensitive pattern matches to one of
    `letters` but `str.lower` does not lower to it (the long s for "s"; "İ" lower-cases to
    two characters), found by asking the regex engine itself over the whole plane."""
    plane = "".join(map(chr, range(0x10000)))
    odd = {"\u0130"}
    for letter in set(letters.lower()):
        odd.update(c for c in re.findall(re.escape(letter), plane, re.IGNORECASE)
                   if c.lower() != letter)
    return re.compile("[" + re.escape("".join(sorted(odd))) + "]") if odd else None


class _TokenMemo(dict):
    """The first (up to three) letters of a token -> the matcher of the aliases the token may
    start (or None), computed on first sight; a dict subclass so that looking up known ones
    stays in C. Cleared when full."""

    def __init__(self, matcher: Callable[[str], _Matcher | None]):
        super().__init__()
        self.matcher = matcher

    def __missing__(self, token: str) -> _Matcher | None:
        if len(self) >= SOURCE_TOKEN_MEMO:
            self.clear()
        value = self[token] = self.matcher(token[:3].lower())
        return value


def _alias_pattern(alias: str, inflect: bool) -> str:
    """A source alias as a regex; German case endings allowed on longer words ("Kremls")."""
    words = alias.split()
    parts = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if not inflect or len(word) < SOURCE_MIN_INFLECTED_WORD or not word[-1].isalpha():
            parts.append(re.escape(word))
        elif not last and (m := _ADJECTIVE_ENDING.search(word)):  # russische/russischen
            parts.append(re.escape(word[:m.start()]) + f"(?:{'|'.join(_ADJECTIVE_ENDINGS)})")
        else:
            parts.append(re.escape(word) + f"(?:{'|'.join(_CASE_ENDINGS[1:])})?")
    return r"\s+".join(parts)


def _first_words(alias: str, inflect: bool) -> list[str]:
    """The first word of `alias` as its pattern (`_alias_pattern`) may write it: with each
    case ending it may take, or the adjective endings that replace its own."""
    words = alias.split()
    word = words[0]
    if not inflect or len(word) < SOURCE_MIN_INFLECTED_WORD or not word[-1].isalpha():
        return [word]
    if len(words) > 1 and (m := _ADJECTIVE_ENDING.search(word)):
        return [word[:m.start()] + ending for ending in _ADJECTIVE_ENDINGS]
    return [word + ending for ending in _CASE_ENDINGS]


@lru_cache(maxsize=1)
def default_sources() -> SourceIndex:
    """The packaged sources, loaded once per process."""
    return SourceIndex.load()
