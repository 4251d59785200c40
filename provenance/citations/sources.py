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
        for source in self.sources.values():
            for alias in dict.fromkeys((source.name, *source.aliases)):
                folded = len(alias) > SOURCE_CASE_SENSITIVE_MAX_LEN
                pattern = re.compile(rf"(?<![\w-]){_alias_pattern(alias, inflect=folded)}(?!\w)",
                                     re.IGNORECASE if folded else 0)
                key = _TOKEN_KEY.match(alias).group().lower()
                self._index.setdefault(key, []).append((len(alias), pattern, source.id))
        self._merged: dict[str, _Matcher | None] = {}
        self._by_token = _TokenMemo(self._matcher)

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
        order, so the first that matches wins as in a loop over them) and their source ids."""
        if prefix not in self._merged:
            entries = self._candidates(prefix)
            self._merged[prefix] = (re.compile("|".join(
                f"((?i:{p.pattern}))" if p.flags & re.IGNORECASE else f"({p.pattern})"
                for _, p, _ in entries)), [source_id for _, _, source_id in entries]) \
                if entries else None
        return self._merged[prefix]

    def find(self, text: str) -> list[NameHit]:
        """Every source name in `text`: longest at each position, non-overlapping, by start."""
        hits: list[NameHit] = []
        done = 0
        # Most tokens can start no alias: look them all up at once (by their first letters: a
        # memo of those stays small however large the vocabulary), visit only the others.
        parts = _TOKEN_SPLIT.split(text)
        matchers = list(map(self._by_token.__getitem__, parts[1::3]))
        ends = list(accumulate(map(len, parts)))
        for i in [i for i, matcher in enumerate(matchers) if matcher is not None]:
            pos = ends[3 * i]  # the end of the gap before token i
            if pos < done:
                continue
            matcher = matchers[i]
            m = matcher[0].match(text, pos)
            if m:
                source_id = matcher[1][m.lastindex - 1]
                source = self.sources[source_id]
                hits.append(NameHit(pos, m.end(), m.group(), None, source_id, source.type))
                done = m.end()
        return hits


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
            parts.append(re.escape(word[:m.start()]) + "(?:e|en|er|es|em)")
        else:
            parts.append(re.escape(word) + "(?:s|es|n|en)?")
    return r"\s+".join(parts)


@lru_cache(maxsize=1)
def default_sources() -> SourceIndex:
    """The packaged sources, loaded once per process."""
    return SourceIndex.load()
