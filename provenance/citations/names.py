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
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import urlsplit

from provenance.config import (
    GUARD_CUE_WINDOW,
    GUARD_GENITIVE_WINDOW,
    NAME_PREFIX_CHARS,
    NAME_PROBE_CHARS,
)
from provenance.records import Outlet

# Scripts written without spaces between words: their names are matched as plain substrings.
_UNSPACED = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
             "\uac00-\ud7af\uf900-\ufaff")
_UNSPACED_START_RE = re.compile(f"^[{_UNSPACED}]")
_HAS_UNSPACED_RE = re.compile(f"[{_UNSPACED}]")
# A token: a run of letters and digits of the spaced scripts (Latin, Cyrillic, Greek, Arabic...).
_TOKEN_RE = re.compile(f"[^\\W_{_UNSPACED}]+")
# Splitting on captured tokens gives [gap, token, gap, token, ..., gap].
_TOKEN_SPLIT_RE = re.compile(f"([^\\W_{_UNSPACED}]+)")
_HOST_RE = re.compile(r"(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-])",
                      re.IGNORECASE)
_CYRILLIC_ENDING_RE = re.compile(r"[а-яёіїєґ]{1,3}")

# Same-length normalisation so that offsets stay valid: any space to " ", typographic
# apostrophes to "'", non-breaking hyphens to "-" (regexes: much faster than str.translate).
_SPACES_RE = re.compile("[\t\n\r\x0b\x0c\xa0\u2007\u2009\u200a\u202f]")
_APOSTROPHES_RE = re.compile("[\u2018\u2019\u02bc]")
_HYPHENS_RE = re.compile("[\u2010\u2011]")
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
    r"agence|journal|quotidien|hebdomadaire|chaîne)"
    r"\s*(?:(?:der|die|das|dem|den|des|the)\s+)?$")
_CUE_AFTER_RE = re.compile(
    r"^\s*(?:zufolge|berichte(?:t|te|ten)|melde(?:t|te)|schreibt|schrieb|"
    r"reported|reports|wrote|writes|"
    # an English media noun after the name: "a Bloomberg poll", "the Guardian reporter"
    r"poll|survey|report|reporter|reporters|reporting|investigation|analysis|article|story|"
    r"editorial|op-ed|interview|columnist|correspondent|anchor|editor|writer|contributor)\b")
_CAPITAL_ARTICLES = frozenset({"The", "Die", "Der", "Das", "Le", "La", "Les", "Il", "El"})
_SENTENCE_CONTINUES = frozenset(",;(–—-/&")
# A guarded name may carry a case ending only after a German genitive article ("des Spiegels").
_GENITIVE_BEFORE_RE = re.compile(r"\b(?:des|eines)\s+[\"'„“«»‚‹›]?$")
# Names are indexed by the first characters of their first token; short names also under their
# inflected forms.
_PREFIX_OF = itemgetter(slice(0, NAME_PREFIX_CHARS))
_SHORT_NAME_ENDINGS = ("s", "es", "а", "у", "е", "ом", "ой", "и", "ы", "ю")


class AliasHit(NamedTuple):
    """A name of an outlet found in a text: ``text[start:end]`` is the name as written."""

    start: int
    end: int
    outlet_id: str
    alias: str


# How a name is compared with the text; a lookalike is exact and hides the names inside it.
_FOLD, _EXACT, _GUARDED, _LOOKALIKE = 0, 1, 2, 3


@dataclass(frozen=True)
class _Name:
    key: str  # what the text must contain: normalised, lower-cased when mode is _FOLD
    outlet_id: str
    alias: str  # as written in the registry
    mode: int
    inflects: bool  # a case ending may follow the name


@dataclass
class _Bucket:
    """The names whose first token starts alike, looked up by their exact text per length."""

    lengths: list[int] = field(default_factory=list)  # distinct key lengths, longest first
    folded: dict[str, list[_Name]] = field(default_factory=dict)  # compared with lower-cased text
    exact: dict[str, list[_Name]] = field(default_factory=dict)  # compared with the text as is
    # The first NAME_PROBE_CHARS characters of the keys at least that long: most text after a
    # common first word ("the", "die") starts none of them, and their lengths need no lookup.
    folded_probes: set[str] = field(default_factory=set)
    exact_probes: set[str] = field(default_factory=set)


class NameIndex:
    """Every name of the outlets, indexed for finding them in text."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        """Index the aliases, acronyms, ambiguous names and lookalikes of `outlets`."""
        names: list[_Name] = []
        lookalikes: set[tuple[str, str]] = set()
        for outlet in outlets:
            names += [_make_name(alias, outlet.id, _FOLD) for alias in plain_names(outlet)]
            names += [_make_name(alias, outlet.id, _EXACT) for alias in outlet.acronyms]
            names += [_make_name(alias, outlet.id, _GUARDED) for alias in outlet.ambiguous]
            names += [_make_name(alias, outlet.id, _LOOKALIKE) for alias in outlet.lookalikes]
            lookalikes |= {(outlet.id, alias) for alias in outlet.lookalikes}
        self._lookalikes = frozenset(lookalikes)
        self._by_prefix: dict[str, _Bucket] = {}
        self._unspaced: re.Pattern[str] | None = None
        self._unspaced_names: dict[str, _Name] = {}
        self._build(names)

    def _build(self, names: Sequence[_Name]) -> None:
        unspaced: list[_Name] = []
        for name in names:
            if _UNSPACED_START_RE.match(name.key):
                unspaced.append(name)
                continue
            first = _TOKEN_RE.match(_lower_same_length(name.key))
            if first is None:
                continue
            token = first.group()
            keys = {_PREFIX_OF(token)}
            if name.inflects and len(token) < NAME_PREFIX_CHARS and first.end() == len(name.key):
                # A short one-word name with a case ending ("NHKs") makes a longer token.
                keys |= {_PREFIX_OF(token + ending) for ending in _SHORT_NAME_ENDINGS}
            for key in keys:
                bucket = self._by_prefix.setdefault(key, _Bucket())
                table = bucket.folded if name.mode == _FOLD else bucket.exact
                table.setdefault(name.key, []).append(name)
        for bucket in self._by_prefix.values():
            bucket.lengths = sorted({len(k) for k in (*bucket.folded, *bucket.exact)},
                                    reverse=True)
            bucket.folded_probes = {k[:NAME_PROBE_CHARS] for k in bucket.folded
                                    if len(k) >= NAME_PROBE_CHARS}
            bucket.exact_probes = {k[:NAME_PROBE_CHARS] for k in bucket.exact
                                   if len(k) >= NAME_PROBE_CHARS}
        if unspaced:
            # Unspaced scripts have no case, so the lower-cased text matches the names as written.
            self._unspaced_names = {_lower_same_length(n.key): n for n in unspaced}
            keys = sorted(self._unspaced_names, key=lambda k: (-len(k), k))
            self._unspaced = re.compile("|".join(re.escape(k) for k in keys))

    def find(self, text: str, domain_of: Callable[[str], tuple[str, str] | None],
             include_ambiguous: bool = False) -> list[AliasHit]:
        """Every name and domain in `text` (see `Registry.find_mentions`); `domain_of` gives
        the owner and registered domain of a host name, or None."""
        if not text:
            return []
        norm = normalise_name(text)
        low = _lower_same_length(norm)
        candidates: list[AliasHit] = []
        for match in _hosts(norm):
            found = domain_of(strip_www(match.group().lower()))
            if found is not None:
                candidates.append(AliasHit(match.start(), match.end(), *found))
        # Most tokens start no name: look up all their buckets at once, visit only the others.
        parts = _TOKEN_SPLIT_RE.split(low)
        buckets = list(map(self._by_prefix.get, map(_PREFIX_OF, parts[1::2])))
        ends = list(accumulate(map(len, parts)))
        for i in [i for i, bucket in enumerate(buckets) if bucket is not None]:
            start, bucket = ends[2 * i], buckets[i]  # a token starts where the gap before ends
            for name in _names_at(bucket, norm, low, start):
                end = start + len(name.key)
                if name.mode == _GUARDED and (_hyphen_glued(norm, start) or (
                        not include_ambiguous
                        and not _guard_passes(name.alias, norm, low, start, end))):
                    continue
                candidates.append(AliasHit(start, end, name.outlet_id, name.alias))
        if self._unspaced is not None and _HAS_UNSPACED_RE.search(norm):
            for match in self._unspaced.finditer(low):
                name = self._unspaced_names[match.group()]
                candidates.append(AliasHit(match.start(), match.end(), name.outlet_id,
                                           name.alias))
        hits = _longest_non_overlapping(candidates)
        if self._lookalikes:
            hits = [h for h in hits if (h.outlet_id, h.alias) not in self._lookalikes]
        return hits


# ---- normalising names ----------------------------------------------------------------------


def normalise_name(text: str) -> str:
    """`text` with spaces, apostrophes and hyphens unified, keeping its length (and offsets)."""
    text = _SPACES_RE.sub(" ", text)
    if "\u2018" in text or "\u2019" in text or "\u02bc" in text:
        text = _APOSTROPHES_RE.sub("'", text)
    if "\u2010" in text or "\u2011" in text:
        text = _HYPHENS_RE.sub("-", text)
    return text


def fold_name(text: str) -> str:
    """A name as case-insensitive names are compared: normalised and lower-cased."""
    return _lower_same_length(normalise_name(text))


def loose_key(text: str) -> str:
    """A name as searches compare it: case-folded, without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def strip_www(host: str) -> str:
    """The host name without a leading "www."."""
    return host[4:] if host.startswith("www.") else host


def host_of(url_or_host: str) -> str:
    """The lower-case host of a URL or host name, without "www." ("" when there is none)."""
    value = url_or_host.strip()
    if not value:
        return ""
    split = urlsplit(value if "//" in value else f"//{value}")
    try:
        host = split.hostname or ""
    except ValueError:
        return ""
    return strip_www(host.rstrip(".").lower())


def plain_names(outlet: Outlet) -> list[str]:
    """The case-insensitive names: the aliases, plus the display name unless it is guarded."""
    names = list(outlet.aliases)
    if outlet.name not in outlet.ambiguous and outlet.name not in outlet.acronyms:
        names.append(outlet.name)
    return list(dict.fromkeys(names))


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. "İ") grow when lower-cased; keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


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


def _names_at(bucket: _Bucket, norm: str, low: str, start: int) -> Iterator[_Name]:
    """The names of `bucket` written at `start`, longest first (one dict lookup per length)."""
    probe = start + NAME_PROBE_CHARS
    long_names = low[start:probe] in bucket.folded_probes or (
        bool(bucket.exact_probes) and norm[start:probe] in bucket.exact_probes)
    for length in bucket.lengths:
        end = start + length
        if end > len(norm) or (length >= NAME_PROBE_CHARS and not long_names):
            continue
        found = bucket.folded.get(low[start:end], ())
        if bucket.exact:
            found = [*found, *bucket.exact.get(norm[start:end], ())]
        for name in found:
            if _ends_word(name, norm, low, end) and (
                    name.mode != _GUARDED or _bare_end(norm, end) or _GENITIVE_BEFORE_RE.search(
                        low, max(0, start - GUARD_GENITIVE_WINDOW), start)):
                yield name


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


def _longest_non_overlapping(candidates: list[AliasHit]) -> list[AliasHit]:
    """The longest hits first, each kept only if it overlaps none already kept; by start."""
    taken = bytearray(max((h.end for h in candidates), default=0))
    kept: list[AliasHit] = []
    for hit in sorted(set(candidates), key=lambda h: (h.start - h.end, h.start, h.outlet_id)):
        if not any(taken[hit.start:hit.end]):
            taken[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
            kept.append(hit)
    return sorted(kept)
