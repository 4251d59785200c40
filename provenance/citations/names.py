"""Outlet names in text: the alias index behind `Registry.find_mentions`, and how names match.

An outlet has three lists of names (see `registry` for the file format):

- ``aliases``: ordinary names, matched case-insensitively as whole words ("Reuters", "ТАСС",
  "Financial Times"), also before a German/English genitive ``-s``/``-es`` ("des Spiegels") or a
  Russian/Ukrainian case ending ("Интерфакса"). An alias that begins with a capitalised article
  ("The New York Times", "Le Monde") matches only with that exact case.
- ``acronyms``: exact-case names ("FT", "AP", "dpa", "BILD", "Süddeutsche", "Daily Mail"),
  matched only as whole words with exactly that case and never inflected: "AFTER", "Kapital",
  "ap." and "soft" contain no outlet.
- ``ambiguous``: names that are also common words ("Bild" = picture, "Stern" = star, "Welt",
  "Spiegel", "Times", "Die Zeit", "CCTV"). They match with their exact case and only with
  evidence that the outlet is meant (``_guard_passes``): in quotation marks („Bild“); as the
  head of a media compound ("Bild-Informationen", "Spiegel-Bericht"); as a wire credit
  ("(Reuter)", "(AP/Reuter)"); after a media descriptor ("das Magazin Stern", "l'agence
  Reuter") or a cue ("laut Stern", "berichtete der Spiegel", "told the Guardian", "Foto: Getty");
  before a reporting verb ("Stern berichtete"); or, for names that begin with a capitalised
  article ("Der Standard", "The Times"), anywhere but at the start of a sentence or inside a
  Title Case run. A guarded name is never the tail of a hyphenated name ("Chicago Sun-Times"
  holds no "Times"), and takes a case ending only after a German genitive article ("des
  Spiegels", but not "Economists").

``lookalikes`` are longer names, matched with their exact case, that contain one of the outlet's
names but mean something else ("Vox Populi", "Michael Bloomberg"): a lookalike in the text hides
the outlet name inside it. The display name is matched like an alias unless it is listed under
acronyms or ambiguous. Names that start with a CJK or Hangul character ("新华社", "연합뉴스") are
matched as substrings, because those scripts do not separate words with spaces and attach
particles ("연합뉴스는"). Domains are matched wherever a host name occurs ("www.yna.co.kr",
"https://vienna.at/..."). Hits never overlap: the longest wins ("Interfax-Ukraine" over
"Interfax"), and a hit covers the name only, not a compound tail ("TASS" in "TASS-Meldung").
A common-word name right after a capitalised word is the tail of another name ("Lesotho Times",
"Moskauer Zeit"), unless that word is a function word or a media descriptor ("Wie Bild
berichtet", "Magazin Stern"). Where outlets share a name, the registry chooses one (`choose`).

All names of spaced scripts are found in one pass by one Aho-Corasick automaton (pyahocorasick),
whatever their number; each find is then checked against the text as the rules above say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from provenance.citations.textforms import (
    UNSPACED,
    lower_same_length,
    normalise_name,
    text_forms,
    word_starts,
)
from provenance.config import (
    GUARD_CUE_WINDOW,
    GUARD_GENITIVE_WINDOW,
)
from provenance.records import Outlet

_UNSPACED_START_RE = re.compile(f"^[{UNSPACED}]")
_HAS_UNSPACED_RE = re.compile(f"[{UNSPACED}]")
_UNSPACED_FIRST = 0x1100  # no character of an unspaced script comes before this one
# A token: a run of letters and digits of the spaced scripts (Latin, Cyrillic, Greek, Arabic...).
_TOKEN_RE = re.compile(f"[^\\W_{UNSPACED}]+")
_HOST_RE = re.compile(r"(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-])",
                      re.IGNORECASE)
_CYRILLIC_ENDING_RE = re.compile(r"[а-яёіїєґ]{1,3}")

_HOST_DOT_RE = re.compile(r"\.[a-z0-9]", re.IGNORECASE)

# Guard context for ambiguous names (see the module docstring). Matched on lower-cased text.
_QUOTES = frozenset("\"'„“”«»‚‹›")
_MEDIA_TAILS = ("bericht", "meldung", "information", "angabe", "interview", "recherche",
                "reporter", "korrespondent", "chef", "redakt", "umfrage", "artikel", "zeitung",
                "online", "magazin", "kolumn", "journalist", "podcast", "report",
                "schlagzeile", "leser", "gespräch", "büro", "bureau", "depesche", "telegramm")
_CREDIT_OPEN, _CREDIT_CLOSE = frozenset("(/["), frozenset(")/],")
_CUE_BEFORE_RE = re.compile(
    r"(?:^|[^\w])(?:laut|lt\.|zufolge|gegenüber|berichte(?:t|te|ten|n)|melde(?:t|te|ten|n)|"
    r"schreibt|schrieb|schrieben|erfuhr|erfuhren|zitiert|zitierte|sagte|sagten|"
    r"according\s+to|told|reported\s+by|quoted\s+by|cited\s+by|citing|via|selon|d'après|"
    r"quelle:|quellen:|source:|sources:|credit:|foto:|fotos:|photo:|photos:|bild:|©|\(c\)|"
    r"\w*(?:zeitung|blatt|magazin|zeitschrift|illustrierte|sender|portal|agentur)|"
    r"newspaper|paper|tabloid|magazine|broadcaster|channel|network|agency|outlet|website|"
    r"(?:report|poll|survey|story|article|analysis|investigation)\s+(?:from|by|in)|"
    r"agence|journal|quotidien|hebdomadaire|chaîne|agenzia|secondo|stando\s+a|all['’]|dell['’]|"
    # French: "cité par", "a confié à", "dans les colonnes du", "au micro de"
    r"(?:cit|rapport|interrog|relay|publi)ée?s?\s+par|(?:déclaré|confié|indiqué|expliqué|"
    r"affirmé|précisé|raconté)\s+(?:à|au)|(?:colonnes|micro|antenne|plateau)\s+d[eu])"
    r"\s*(?:(?:der|die|das|dem|den|des|the)\s+)?$")
_CUE_AFTER_RE = re.compile(
    r"^\s*(?:zufolge|berichte(?:t|te|ten)|melde(?:t|te)|schreibt|schrieb|"
    r"reported|reports|wrote|writes|rapporte|rapportait|révèle|révélait|écrit|écrivait|"
    # an English media noun after the name: "a Bloomberg poll", "the Guardian reporter"
    r"poll|survey|report|reporter|reporters|reporting|investigation|analysis|article|story|"
    r"editorial|op-ed|interview|columnist|correspondent|anchor|editor|writer|contributor|"
    # its kind: "Germany's Bild newspaper", "the Phoenix channel"
    r"newspaper|magazine|tabloid|daily|weekly|broadcaster|channel|network|agency|website)\b")
# A capitalised word right before a common-word name makes it part of another name, unless it
# is one of these words (capitalised at the start of a sentence or in a title).
_LAST_WORD_RE = re.compile(r"[^\W\d_]+$")
_FUNCTION_WORDS = frozenset(
    "a an and as at but by for from in into of on or per so the to via when while with "
    "also after before since says said reports reported according told "
    "wie laut nach auch und aber doch dass als bei beim im in am vom von zu zum zur mit für "
    "gegenüber so da denn oder sowie wenn weil ob noch nur schon der die das dem den des ein "
    "eine einer einem eines sagte sagt berichtet berichtete meldet meldete schreibt schrieb "
    "selon avec pour dans sur le la les un une et "
    "copyright foto fotos photo photos bild bilder quelle image images picture pictures credit "
    "source sources".split())
_HONORIFIC_BEFORE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Herr|Frau)\.? $")
_CAPITAL_ARTICLES = frozenset({"The", "Die", "Der", "Das", "Le", "La", "Les", "Il", "El"})
_SENTENCE_CONTINUES = frozenset(",;(–—-/&")
# A guarded name may carry a case ending only after a German genitive article ("des Spiegels").
_GENITIVE_BEFORE_RE = re.compile(r"\b(?:des|eines)\s+[\"'„“«»‚‹›]?$")
class AliasHit(NamedTuple):
    """A name of an outlet found in a text: ``text[start:end]`` is the name as written."""

    start: int
    end: int
    outlet_id: str
    alias: str


# How a name is compared with the text; a lookalike is exact and hides the names inside it; a
# contracted one a French name without its article, after a contraction ("du Monde", "aux Échos").
_FOLD, _EXACT, _GUARDED, _LOOKALIKE, _CONTRACTED = 0, 1, 2, 3, 4
_CONTRACTIONS = {"Le": (" du ", " au "), "Les": (" des ", " aux ")}


@dataclass(frozen=True)
class _Name:
    key: str  # what the text must contain: normalised, lower-cased when mode is _FOLD
    outlet_id: str
    alias: str  # as written in the registry
    mode: int
    inflects: bool  # a case ending may follow the name


class NameIndex:
    """Every name of the outlets, in one Aho-Corasick automaton for finding them in text.

    The automaton holds each name of a spaced script as " " + its lower-cased form with every
    character that is no letter or digit made a space, and runs over the text made the same
    way (with one space in front): every name is found where a word starts, in one pass
    whatever the number of names; each find is then checked against the text itself (case,
    punctuation, the end of the word). Names of unspaced scripts (CJK, Hangul) are matched as
    substrings by one pattern.
    """

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        """Index the aliases, acronyms, ambiguous names and lookalikes of `outlets`."""
        names: list[_Name] = []
        lookalikes: set[tuple[str, str]] = set()
        for outlet in outlets:
            names += [_make_name(alias, outlet.id, _FOLD) for alias in plain_names(outlet)]
            names += [_make_name(alias, outlet.id, _EXACT) for alias in outlet.acronyms]
            names += [_make_name(alias, outlet.id, _GUARDED) for alias in outlet.ambiguous]
            names += [_make_name(alias, outlet.id, _LOOKALIKE) for alias in outlet.lookalikes]
            # "Le Monde" as "du Monde": the rest, exact, after the contraction; the alias kept
            names += [_Name(normalise_name(a.partition(" ")[2]), outlet.id, a, _CONTRACTED, False)
                      for a in plain_names(outlet) if a.partition(" ")[0] in _CONTRACTIONS
                      and " " in a]
            lookalikes |= {(outlet.id, alias) for alias in outlet.lookalikes}
        self._lookalikes = frozenset(lookalikes)
        self._languages = {o.id: frozenset(o.languages) for o in outlets if o.languages}
        self._automaton = ahocorasick.Automaton()
        self._unspaced: re.Pattern[str] | None = None
        self._unspaced_names: dict[str, list[_Name]] = {}
        self._build(names)

    def _build(self, names: Sequence[_Name]) -> None:
        unspaced: list[_Name] = []
        spaced: dict[str, list[_Name]] = {}
        for name in names:
            if _UNSPACED_START_RE.match(name.key):
                unspaced.append(name)
            else:
                spaced.setdefault(word_starts(name.key), []).append(name)
        for key, found in spaced.items():
            self._automaton.add_word(key, (len(key) - 1, tuple(found)))
        if spaced:
            self._automaton.make_automaton()
        if unspaced:
            # Unspaced scripts have no case, so the lower-cased text matches the names as written.
            for name in unspaced:
                self._unspaced_names.setdefault(lower_same_length(name.key), []).append(name)
            keys = sorted(self._unspaced_names, key=lambda k: (-len(k), k))
            self._unspaced = re.compile("|".join(re.escape(k) for k in keys))

    def find(self, text: str, domain_of: Callable[[str], tuple[str, str] | None],
             choose: Callable[[Sequence[str], str], str | None],
             include_ambiguous: bool = False, language: str | None = None) -> list[AliasHit]:
        """Every name and domain in `text` (see `Registry.find_mentions`); `domain_of` gives
        the owner and registered domain of a host name, or None; `choose` picks one of the
        outlets that share a name found (or None: the name stays unresolved). A common-word
        name of an outlet that does not publish in the text's `language` ("Phoenix" in an
        English text) needs its evidence even with `include_ambiguous`."""
        if not text:
            return []
        norm, low, ws, top = text_forms(text)
        candidates: list[AliasHit] = []
        for match in _hosts(norm):
            found = domain_of(strip_www(match.group().lower()))
            if found is not None:
                candidates.append(AliasHit(match.start(), match.end(), *found))
        if self._automaton.kind == ahocorasick.AHOCORASICK:
            for end, (length, names) in self._automaton.iter(ws):
                start = end - length  # the text is searched with one space in front
                for name in _names_at(names, norm, low, start, end):
                    if _glued(name, norm, low, start, end) or (
                            name.mode == _GUARDED
                            and not (include_ambiguous and self._speaks(name, language))
                            and not _guard_passes(name.alias, norm, low, start, end)):
                        continue
                    candidates.append(AliasHit(start, end, name.outlet_id, name.alias))
        if self._unspaced is not None and (top is None or top >= _UNSPACED_FIRST) \
                and _HAS_UNSPACED_RE.search(norm):
            for match in self._unspaced.finditer(low):
                candidates += [AliasHit(match.start(), match.end(), name.outlet_id, name.alias)
                               for name in self._unspaced_names[match.group()]]
        hits = _longest_non_overlapping(_chosen(candidates, choose))
        if self._lookalikes:
            hits = [h for h in hits if (h.outlet_id, h.alias) not in self._lookalikes]
        return hits

    def _speaks(self, name: _Name, language: str | None) -> bool:
        """Whether the outlet of `name` may publish in `language` (unknown: it may)."""
        spoken = self._languages.get(name.outlet_id)
        return not language or not spoken or language in spoken


def automaton(entries: Iterable[tuple[str, object]]) -> ahocorasick.Automaton | None:
    """One Aho-Corasick automaton of (key, value) `entries`, ready to search, or None when
    there are none (this module is the citations' one home of pyahocorasick): its
    ``iter(text)`` yields (index of a key's last character, value) for every occurrence."""
    found = ahocorasick.Automaton()
    for key, value in entries:
        found.add_word(key, value)
    if not len(found):
        return None
    found.make_automaton()
    return found


# ---- normalising names ----------------------------------------------------------------------


def fold_name(text: str) -> str:
    """A name as case-insensitive names are compared: normalised and lower-cased."""
    return lower_same_length(normalise_name(text))


def strip_www(host: str) -> str:
    """The host name without a leading "www."."""
    return host[4:] if host.startswith("www.") else host


def plain_names(outlet: Outlet) -> list[str]:
    """The case-insensitive names: the aliases, plus the display name unless it is guarded."""
    names = list(outlet.aliases)
    if outlet.name not in outlet.ambiguous and outlet.name not in outlet.acronyms:
        names.append(outlet.name)
    return list(dict.fromkeys(names))


def _make_name(alias: str, outlet_id: str, mode: int) -> _Name:
    if mode == _FOLD and alias.split(" ", 1)[0] in _CAPITAL_ARTICLES and " " in alias:
        # "The New York Times" includes its article only when written with a capital.
        mode = _EXACT
    key = fold_name(alias) if mode == _FOLD else normalise_name(alias)
    inflects = mode != _EXACT and alias[-1].isalpha()
    return _Name(key, outlet_id, alias, mode, inflects)


# ---- matching -------------------------------------------------------------------------------


def _hosts(text: str) -> Iterator[re.Match[str]]:
    """Host names in `text`, found from their dots (scanning every position is slower)."""
    covered = 0
    for dot in _HOST_DOT_RE.finditer(text):
        if dot.start() < covered:
            continue
        left = dot.start()
        while left > 0 and text[left - 1].isascii() and (text[left - 1].isalnum()
                                                        or text[left - 1] in ".-"):
            left -= 1
        while left < dot.start() and text[left] in ".-":  # "…-vienna.at", "..vienna.at"
            left += 1
        match = _HOST_RE.match(text, left)
        if match is not None:
            covered = match.end()
            yield match


@lru_cache(maxsize=1 << 14)  # big enough for every character a corpus uses
def _is_word_char(char: str) -> bool:
    return char.isalnum() and not _UNSPACED_START_RE.match(char)


def _names_at(names: Sequence[_Name], norm: str, low: str, start: int, end: int
              ) -> Iterator[_Name]:
    """The names among `names` (of one automaton key) written at `start`, ending a word."""
    for name in names:
        written = low[start:end] if name.mode == _FOLD else norm[start:end]
        if written == name.key and _ends_word(name, norm, low, end) and (
                name.mode != _GUARDED or _bare_end(norm, end) or _GENITIVE_BEFORE_RE.search(
                    low, max(0, start - GUARD_GENITIVE_WINDOW), start)) and (
                name.mode != _CONTRACTED or _after_contraction(name, low, start)):
            yield name


def _after_contraction(name: _Name, low: str, start: int) -> bool:
    """Whether the article a contracted name lacks is in the preposition before it ("du ")."""
    return any(low.endswith(word, 0, start) or low[:start] == word[1:]
               for word in _CONTRACTIONS[name.alias.split(" ", 1)[0]])


def _bare_end(norm: str, end: int) -> bool:
    """Whether a name ending at `end` is followed by no further letter (no case ending)."""
    return end == len(norm) or not _is_word_char(norm[end])


def _hyphen_glued(norm: str, start: int) -> bool:
    """Whether a name starting at `start` is the tail of a hyphenated word ("Sun-Times")."""
    return start > 1 and norm[start - 1] == "-" and _is_word_char(norm[start - 2])


def _ends_word(name: _Name, norm: str, low: str, end: int) -> bool:
    """Whether a name ending at `end` ends a word there, perhaps with a case ending."""
    if end == len(norm) or not _is_word_char(norm[end]) or not _is_word_char(name.key[-1]):
        return True
    return name.inflects and _inflection_end(low, end) is not None


def _inflection_end(low: str, end: int) -> int | None:
    """The end of a genitive or Slavic case ending at `end`, if one stands there."""
    ends = []
    if low.startswith("es", end):
        ends.append(end + 2)
    if low.startswith("s", end):
        ends.append(end + 1)
    ending = _CYRILLIC_ENDING_RE.match(low, end)
    if ending and _CYRILLIC_ENDING_RE.match(low[end - 1]):
        ends.append(ending.end())
    for candidate in ends:
        if candidate == len(low) or not _is_word_char(low[candidate]):
            return candidate
    return None


def _guard_passes(alias: str, norm: str, low: str, start: int, end: int) -> bool:
    """Whether the context shows that a common-word name means the outlet."""
    after = _inflection_end(low, end) or end
    if (start > 0 and norm[start - 1] in _QUOTES and after < len(norm)
            and norm[after] in _QUOTES and not norm[after + 1:after + 2].isalnum()):
        return True  # „Bild“, but not the possessive in "'Time's up'"
    if _previous_char(norm, start) in _CREDIT_OPEN and _next_char(norm, after) in _CREDIT_CLOSE:
        return True  # a wire credit: "(Reuter)", "(AP/Reuter)"
    if norm.startswith("-", end):
        tail = _TOKEN_RE.match(low, end + 1)
        if tail and tail.group().startswith(_MEDIA_TAILS):
            return True
    if _CUE_BEFORE_RE.search(low, max(0, start - GUARD_CUE_WINDOW), start):
        return True
    if _CUE_AFTER_RE.match(low[after:after + GUARD_CUE_WINDOW]):
        return True
    first_word = alias.split(" ", 1)[0]
    if first_word in _CAPITAL_ARTICLES and " " in alias:
        # Mid-sentence, but not inside a Title Case run ("Trump Sends The National Guard").
        previous, following = _previous_char(norm, start), _next_char(norm, after)
        return ((previous.isalnum() or previous in _SENTENCE_CONTINUES)
                and not following.isupper())
    return False


def _next_char(text: str, end: int) -> str:
    """The first non-space character from `end` on, or "" at the end of the text."""
    i = end
    while i < len(text) and text[i].isspace():
        i += 1
    return text[i] if i < len(text) else ""


def _previous_char(text: str, start: int) -> str:
    """The last non-space character before `start`, or "" at the start of the text."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


def _chosen(candidates: list[AliasHit], choose: Callable[[Sequence[str], str], str | None]
            ) -> list[AliasHit]:
    """The candidates, with the outlets that share one span reduced to the one `choose` picks
    (none when it cannot decide)."""
    spans: dict[tuple[int, int], list[AliasHit]] = {}
    for hit in candidates:
        spans.setdefault((hit.start, hit.end), []).append(hit)
    if len(spans) == len(candidates):
        return candidates
    kept: list[AliasHit] = []
    for hits in spans.values():
        owners = sorted({h.outlet_id for h in hits})
        if len(owners) == 1:
            kept.append(hits[0])
            continue
        chosen = choose(owners, hits[0].alias)
        kept += [h for h in hits if h.outlet_id == chosen][:1]
    return kept


def _glued(name: _Name, norm: str, low: str, start: int, end: int) -> bool:
    """Whether the name at `start` is part of a longer word or name: a common-word name glued
    to the word before it (`_hyphen_glued`, `_name_glued`) or after a title ("Mr. Band"), or
    any name written in lower case as the tail of a hyphenated word ("matter-of-factly")."""
    if name.mode == _GUARDED:
        return (_hyphen_glued(norm, start) or _name_glued(norm, low, start)
                or _HONORIFIC_BEFORE_RE.search(norm, max(0, start - 8), start) is not None)
    return (name.mode == _FOLD and _hyphen_glued(norm, start) and norm[start - 2].islower()
            and norm[start:end] == low[start:end])


def _name_glued(norm: str, low: str, start: int) -> bool:
    """Whether a common-word name at `start` ends another name: a capitalised word stands
    right before it ("Lesotho Times", "Hindustan Times") that is neither a function word at
    the start of a sentence ("Wie Bild berichtet") nor a media descriptor ("Magazin Stern")."""
    if start < 3 or norm[start - 1] != " ":
        return False
    word = _LAST_WORD_RE.search(norm, max(0, start - GUARD_CUE_WINDOW), start - 1)
    if word is None or not word.group().istitle() or len(word.group()) < 2:
        return False
    if word.group().lower() in _FUNCTION_WORDS:
        return False
    return _CUE_BEFORE_RE.search(low, max(0, start - GUARD_CUE_WINDOW), start) is None


def _longest_non_overlapping(candidates: list[AliasHit]) -> list[AliasHit]:
    """The longest hits first, each kept only if it overlaps none already kept; by start."""
    taken = bytearray(max((h.end for h in candidates), default=0))
    kept: list[AliasHit] = []
    for hit in sorted(set(candidates), key=lambda h: (h.start - h.end, h.start, h.outlet_id)):
        if not any(taken[hit.start:hit.end]):
            taken[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
            kept.append(hit)
    return sorted(kept)
