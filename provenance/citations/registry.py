"""The outlet registry: who the outlets are, and where their names occur in a text.

The registry is a versioned JSON file (``provenance/data/outlets.json``) that users extend with
files of the same format; a later file replaces an outlet of the same ``id``. Each outlet has a
display name, a kind, a country, a state affiliation, domains and three lists of names:

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
  Title Case run.

Two more fields say what a name is not, and to whom an outlet belongs:

- ``lookalikes``: longer names, matched with their exact case, that contain one of the outlet's
  names but mean something else ("Vox Populi", "Michael Bloomberg", "CBC Chairman" of the
  Congressional Black Caucus). A lookalike in the text hides the outlet name inside it.
- ``parent``: the id of the outlet this one is part of (a brand, site or newsroom of a network:
  tagesschau.de belongs to ARD, CNN Money to CNN). ``Registry.family`` is an outlet with its
  ancestors and descendants; an article naming its own publisher's family ("Von Jana Lindholm,
  ARD-Studio Tokio" on tagesschau.de) names itself, which is no citation. Siblings in a network
  (NDR and WDR under ARD) stay distinct outlets that cite each other. ``relay_of`` is a different
  relation: an aggregator that republishes another outlet's copy (KCNA Watch relays KCNA).

A guarded name is never the tail of a hyphenated name ("Chicago Sun-Times" holds no "Times"),
and takes a case ending only after a German genitive article ("des Spiegels", but not
"Economists").

The display name is matched like an alias unless it is listed under acronyms or ambiguous.
Names that start with a CJK or Hangul character ("新华社", "연합뉴스") are matched as substrings,
because those scripts do not separate words with spaces and attach particles ("연합뉴스는").
Domains are matched wherever a host name occurs ("www.yna.co.kr", "https://vienna.at/...").
Hits never overlap: the longest wins ("Interfax-Ukraine" over "Interfax"), and a hit covers the
name only, not a compound tail ("TASS" in "TASS-Meldung").
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from provenance.errors import ProvenanceError

PACKAGED_PATH = Path(__file__).parents[1] / "data" / "outlets.json"

KINDS = frozenset({"news_agency", "broadcaster", "newspaper", "magazine", "online",
                   "photo_agency", "aggregator", "state_media"})
STATE_AFFILIATIONS = frozenset({None, "public", "state"})
EXTRA_VERSION_HASH_CHARS = 8

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_LIST_FIELDS = ("domains", "aliases", "acronyms", "ambiguous", "relay_of", "lookalikes")

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
_CUE_WINDOW = 48
# A guarded name may carry a case ending only after a German genitive article ("des Spiegels").
_GENITIVE_BEFORE_RE = re.compile(r"\b(?:des|eines)\s+[\"'„“«»‚‹›]?$")
_GENITIVE_WINDOW = 12
# Names are indexed by the first characters of their first token; short names also under their
# inflected forms.
_PREFIX_CHARS = 4
_PREFIX_OF = itemgetter(slice(0, _PREFIX_CHARS))
_PROBE_CHARS = 7
_SHORT_NAME_ENDINGS = ("s", "es", "а", "у", "е", "ом", "ой", "и", "ы", "ю")


class RegistryError(ProvenanceError, ValueError):
    """An outlet registry file is missing or malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Outlet:
    """One outlet: identity, kind, country, affiliation, domains and the names it goes by."""

    id: str
    name: str
    kind: str
    country: str
    state_affiliation: str | None = None
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    relay_of: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()  # longer names that are not this outlet ("Vox Populi")
    parent: str | None = None  # the network this outlet is part of (tagesschau -> ard)

    def to_dict(self) -> dict[str, Any]:
        """The outlet as a JSON-ready dict in the registry file's format."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
                "state_affiliation": self.state_affiliation, "domains": list(self.domains),
                "aliases": list(self.aliases), "acronyms": list(self.acronyms),
                "ambiguous": list(self.ambiguous), "relay_of": list(self.relay_of),
                "lookalikes": list(self.lookalikes), "parent": self.parent}


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
    # The first _PROBE_CHARS characters of the keys at least that long: most text after a
    # common first word ("the", "die") starts none of them, and their lengths need no lookup.
    folded_probes: set[str] = field(default_factory=set)
    exact_probes: set[str] = field(default_factory=set)


@dataclass
class _Index:
    by_prefix: dict[str, _Bucket] = field(default_factory=dict)
    unspaced: re.Pattern[str] | None = None
    unspaced_names: dict[str, _Name] = field(default_factory=dict)


class Registry:
    """The outlets, indexed by id, name and domain, and a matcher for their names in text."""

    def __init__(self, outlets: Iterable[Outlet], version: str) -> None:
        """Index `outlets`; raises RegistryError when two outlets claim the same name or domain."""
        self.version = version
        self._by_id = {o.id: o for o in outlets}
        self.outlets: list[Outlet] = sorted(self._by_id.values(), key=lambda o: o.id)
        self._domains: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        names: list[_Name] = []
        for outlet in self.outlets:
            for domain in outlet.domains:
                self._claim(self._domains, _strip_www(domain.lower()), outlet.id, domain)
            for alias in _plain_names(outlet):
                self._claim(self._folded, _fold(alias), outlet.id, alias)
                names.append(_make_name(alias, outlet.id, _FOLD))
            for alias in outlet.acronyms:
                self._claim(self._exact, _normalise(alias), outlet.id, alias)
                names.append(_make_name(alias, outlet.id, _EXACT))
            for alias in outlet.ambiguous:
                self._claim(self._folded, _fold(alias), outlet.id, alias)
                names.append(_make_name(alias, outlet.id, _GUARDED))
            names += [_make_name(alias, outlet.id, _LOOKALIKE) for alias in outlet.lookalikes]
        self._lookalikes = frozenset((o.id, a) for o in self.outlets for a in o.lookalikes)
        self._children: dict[str, list[str]] = {}
        for outlet in self.outlets:
            if outlet.parent:
                self._children.setdefault(outlet.parent, []).append(outlet.id)
        self._index = _build_index(names)
        self._search_keys = [
            (outlet, {_loose(n) for n in (outlet.id, outlet.name, *outlet.aliases,
                                          *outlet.acronyms, *outlet.ambiguous, *outlet.domains)})
            for outlet in self.outlets]

    @staticmethod
    def _claim(table: dict[str, str], key: str, outlet_id: str, written: str) -> None:
        owner = table.setdefault(key, outlet_id)
        if owner != outlet_id:
            raise RegistryError(
                f"the name or domain {written!r} is claimed by both {owner!r} and {outlet_id!r}; "
                f"keep it on one outlet (override the other by id in your extra registry file)")

    @classmethod
    def load(cls, path: str | Path | None = None, extra: Iterable[str | Path] = ()) -> Registry:
        """The registry from `path` (default: the packaged file), then each `extra` file by id.

        Args:
            path: a registry JSON file; None for the packaged ``provenance/data/outlets.json``.
            extra: further files of the same format; an outlet with an existing id replaces it.

        Returns:
            The registry; its version is the base file's, plus a hash of the extra files.

        Raises:
            RegistryError: a file is missing or malformed, or two outlets claim one name.
        """
        base_path = Path(path) if path is not None else PACKAGED_PATH
        version, outlets = _read_file(base_path)
        merged = {o.id: o for o in outlets}
        digest = hashlib.sha256()
        extra_paths = [Path(extra)] if isinstance(extra, str | Path) else [Path(p) for p in extra]
        for extra_path in extra_paths:
            _, extra_outlets = _read_file(extra_path)
            digest.update(extra_path.read_bytes())
            merged.update({o.id: o for o in extra_outlets})
        if extra_paths:
            version = f"{version}+{digest.hexdigest()[:EXTRA_VERSION_HASH_CHARS]}"
        sources = ", ".join(str(p) for p in [base_path, *extra_paths])
        _check_relays(merged, sources)
        try:
            return cls(merged.values(), version)
        except RegistryError as exc:
            raise RegistryError(f"{sources}: {exc}") from None

    def __len__(self) -> int:
        return len(self.outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self.outlets)

    def __contains__(self, outlet_id: object) -> bool:
        return outlet_id in self._by_id

    def get(self, outlet_id: str) -> Outlet | None:
        """The outlet with this id, or None."""
        return self._by_id.get(outlet_id)

    def family(self, outlet_id: str | None) -> frozenset[str]:
        """The outlet, the networks it belongs to (``parent``, transitively) and the outlets
        that belong to it; empty for an unknown id. Siblings are not included."""
        if not outlet_id or outlet_id not in self._by_id:
            return frozenset()
        found = {outlet_id}
        up = self._by_id[outlet_id].parent
        while up and up not in found:
            found.add(up)
            up = self._by_id[up].parent if up in self._by_id else None
        down = list(self._children.get(outlet_id, ()))
        while down:
            child = down.pop()
            if child not in found:
                found.add(child)
                down += self._children.get(child, ())
        return frozenset(found)

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet whose domain is the longest suffix of the host of a URL or host name."""
        found = self._domain_of(_host_of(url_or_host))
        return self._by_id[found[0]] if found else None

    def _domain_of(self, host: str) -> tuple[str, str] | None:
        """The owner and the registered domain that is the longest suffix of `host`."""
        labels = host.split(".") if host else []
        for i in range(len(labels) - 1):
            suffix = ".".join(labels[i:])
            owner = self._domains.get(suffix)
            if owner:
                return owner, suffix
        return None

    def by_name(self, text: str) -> Outlet | None:
        """The outlet with exactly this name, alias, acronym (exact case) or domain."""
        cleaned = " ".join(text.split())
        if not cleaned:
            return None
        owner = (self._exact.get(_normalise(cleaned)) or self._folded.get(_fold(cleaned))
                 or self._domains.get(_strip_www(cleaned.lower())))
        return self._by_id[owner] if owner else None

    def search(self, text: str) -> list[Outlet]:
        """Outlets whose id, names or domains contain `text` (accent- and case-insensitive).

        Exact matches come first, then names starting with `text`, then the rest; ties by id.
        """
        query = _loose(text)
        if not query:
            return []
        ranked: list[tuple[int, str, Outlet]] = []
        for outlet, keys in self._search_keys:
            ranks = [0 if key == query else 1 if key.startswith(query) else 2
                     for key in keys if query in key]
            if ranks:
                ranked.append((min(ranks), outlet.id, outlet))
        return [outlet for _, _, outlet in sorted(ranked, key=lambda r: (r[0], r[1]))]

    def find_mentions(self, text: str, *, include_ambiguous: bool = False) -> list[AliasHit]:
        """Every outlet name and domain in `text`: non-overlapping, longest first, sorted by start.

        Args:
            text: the text to search; offsets in the hits index into it unchanged.
            include_ambiguous: also report common-word names ("Bild", "Stern") written with
                their exact case but without the context that shows an outlet is meant; for
                callers that apply their own context rules.

        Returns:
            AliasHit(start, end, outlet_id, alias) for each mention, sorted by start.
        """
        if not text:
            return []
        norm = _normalise(text)
        low = _lower_same_length(norm)
        candidates: list[AliasHit] = []
        for match in _hosts(norm):
            found = self._domain_of(_strip_www(match.group().lower()))
            if found is not None:
                candidates.append(AliasHit(match.start(), match.end(), *found))
        # Most tokens start no name: look up all their buckets at once, visit only the others.
        parts = _TOKEN_SPLIT_RE.split(low)
        buckets = list(map(self._index.by_prefix.get, map(_PREFIX_OF, parts[1::2])))
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
        if self._index.unspaced is not None and _HAS_UNSPACED_RE.search(norm):
            for match in self._index.unspaced.finditer(low):
                name = self._index.unspaced_names[match.group()]
                candidates.append(AliasHit(match.start(), match.end(), name.outlet_id,
                                           name.alias))
        hits = _longest_non_overlapping(candidates)
        if self._lookalikes:
            hits = [h for h in hits if (h.outlet_id, h.alias) not in self._lookalikes]
        return hits


def default_registry() -> Registry:
    """The packaged registry, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry.load()
    return _DEFAULT


_DEFAULT: Registry | None = None


# ---- reading and validating files ---------------------------------------------------------


def _read_file(path: Path) -> tuple[str, list[Outlet]]:
    """The version and outlets of one registry file, or a RegistryError saying what to fix."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"{path}: outlet registry file not found; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read the outlet registry ({exc}); it must be a "
                            f"UTF-8 JSON file") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise RegistryError(f'{path}: expected an object {{"version": "...", "outlets": [...]}} '
                            f"at the top level")
    version = data.get("version", "")
    if not isinstance(version, str) or not version:
        raise RegistryError(f'{path}: "version" must be a non-empty string such as "2026.11.1"')
    outlets: list[Outlet] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["outlets"], start=1):
        outlet = _parse_outlet(entry, f"{path}: outlet #{number}")
        if outlet.id in seen:
            raise RegistryError(f"{path}: outlet #{number}: id {outlet.id!r} appears twice in "
                                f"this file; merge the entries")
        seen.add(outlet.id)
        outlets.append(outlet)
    return version, outlets


def _parse_outlet(entry: Any, where: str) -> Outlet:
    """One outlet from its JSON object, checking every field."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a JSON object, got {type(entry).__name__}")
    outlet_id = entry.get("id")
    if not isinstance(outlet_id, str) or not _ID_RE.match(outlet_id):
        raise RegistryError(f"{where}: 'id' must be lower-case letters, digits and '_' "
                            f"(got {outlet_id!r})")
    where = f"{where} ({outlet_id!r})"
    unknown = set(entry) - {"id", "name", "kind", "country", "state_affiliation", "parent",
                            *_LIST_FIELDS}
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {sorted(unknown)}; check the spelling")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: 'name' must be a non-empty string")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise RegistryError(f"{where}: 'kind' is {kind!r}; use one of {sorted(KINDS)}")
    country = entry.get("country")
    if not isinstance(country, str) or not _COUNTRY_RE.match(country):
        raise RegistryError(f"{where}: 'country' is {country!r}; use an ISO 3166 alpha-2 code "
                            f"such as 'DE'")
    affiliation = entry.get("state_affiliation")
    if affiliation not in STATE_AFFILIATIONS:
        raise RegistryError(f"{where}: 'state_affiliation' is {affiliation!r}; use null, "
                            f"'public' or 'state'")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_FIELDS:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            raise RegistryError(f"{where}: '{key}' must be a list of non-empty strings")
        lists[key] = tuple(value)
    for domain in lists["domains"]:
        if not _DOMAIN_RE.match(domain):
            raise RegistryError(f"{where}: domain {domain!r} is not a lower-case host name "
                                f"such as 'example.com' (no scheme, path or port)")
    parent = entry.get("parent")
    if parent is not None and (not isinstance(parent, str) or not _ID_RE.match(parent)
                               or parent == outlet_id):
        raise RegistryError(f"{where}: 'parent' is {parent!r}; use null or the id of the "
                            f"network this outlet belongs to (not its own id)")
    for key in ("aliases", "acronyms", "ambiguous", "lookalikes"):
        for alias in lists[key]:
            if not alias[0].isalnum() or alias != alias.strip():
                raise RegistryError(f"{where}: {key} entry {alias!r} must start with a letter "
                                    f"or digit and have no surrounding spaces")
    return Outlet(id=outlet_id, name=name, kind=kind, country=country,
                  state_affiliation=affiliation, parent=parent, **lists)


def _check_relays(outlets: dict[str, Outlet], sources: str) -> None:
    """Every ``relay_of`` and ``parent`` names a known outlet, and no outlet is its own
    ancestor."""
    for outlet in outlets.values():
        for target in outlet.relay_of:
            if target not in outlets:
                raise RegistryError(f"{sources}: outlet {outlet.id!r} relays unknown outlet "
                                    f"{target!r}; add it or fix 'relay_of'")
        seen = {outlet.id}
        parent = outlet.parent
        while parent:
            if parent not in outlets:
                raise RegistryError(f"{sources}: outlet {outlet.id!r} belongs to unknown "
                                    f"outlet {parent!r}; add it or fix 'parent'")
            if parent in seen:
                raise RegistryError(f"{sources}: outlet {outlet.id!r} is its own ancestor "
                                    f"through 'parent'; break the cycle")
            seen.add(parent)
            parent = outlets[parent].parent


# ---- names and their index ------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = _SPACES_RE.sub(" ", text)
    if "\u2018" in text or "\u2019" in text or "\u02bc" in text:
        text = _APOSTROPHES_RE.sub("'", text)
    if "\u2010" in text or "\u2011" in text:
        text = _HYPHENS_RE.sub("-", text)
    return text


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


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. "İ") grow when lower-cased; keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _fold(text: str) -> str:
    return _lower_same_length(_normalise(text))


def _loose(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def _host_of(url_or_host: str) -> str:
    value = url_or_host.strip()
    if not value:
        return ""
    split = urlsplit(value if "//" in value else f"//{value}")
    try:
        host = split.hostname or ""
    except ValueError:
        return ""
    return _strip_www(host.rstrip(".").lower())


def _plain_names(outlet: Outlet) -> list[str]:
    """The case-insensitive names: the aliases, plus the display name unless it is guarded."""
    names = list(outlet.aliases)
    if outlet.name not in outlet.ambiguous and outlet.name not in outlet.acronyms:
        names.append(outlet.name)
    return list(dict.fromkeys(names))


def _make_name(alias: str, outlet_id: str, mode: int) -> _Name:
    if mode == _FOLD and alias.split(" ", 1)[0] in _CAPITAL_ARTICLES and " " in alias:
        # "The New York Times" includes its article only when written with a capital.
        mode = _EXACT
    key = _fold(alias) if mode == _FOLD else _normalise(alias)
    inflects = mode != _EXACT and alias[-1].isalpha()
    return _Name(key, outlet_id, alias, mode, inflects)


def _build_index(names: Sequence[_Name]) -> _Index:
    index = _Index()
    unspaced: list[_Name] = []
    for name in names:
        if _UNSPACED_START_RE.match(name.key):
            unspaced.append(name)
            continue
        first = _TOKEN_RE.match(_lower_same_length(name.key))
        if first is None:
            continue
        token = first.group()
        keys = {_prefix_key(token)}
        if name.inflects and len(token) < _PREFIX_CHARS and first.end() == len(name.key):
            # A short one-word name with a case ending ("NHKs") makes a longer token.
            keys |= {_prefix_key(token + ending) for ending in _SHORT_NAME_ENDINGS}
        for key in keys:
            bucket = index.by_prefix.setdefault(key, _Bucket())
            table = bucket.folded if name.mode == _FOLD else bucket.exact
            table.setdefault(name.key, []).append(name)
    for bucket in index.by_prefix.values():
        bucket.lengths = sorted({len(k) for k in (*bucket.folded, *bucket.exact)}, reverse=True)
        bucket.folded_probes = {k[:_PROBE_CHARS] for k in bucket.folded if len(k) >= _PROBE_CHARS}
        bucket.exact_probes = {k[:_PROBE_CHARS] for k in bucket.exact if len(k) >= _PROBE_CHARS}
    if unspaced:
        # Unspaced scripts have no case, so the lower-cased text matches the names as written.
        index.unspaced_names = {_lower_same_length(n.key): n for n in unspaced}
        keys = sorted(index.unspaced_names, key=lambda k: (-len(k), k))
        index.unspaced = re.compile("|".join(re.escape(k) for k in keys))
    return index


def _prefix_key(token: str) -> str:
    return token[:_PREFIX_CHARS]


@lru_cache(maxsize=1 << 14)
def _is_word_char(char: str) -> bool:
    return char.isalnum() and not _UNSPACED_START_RE.match(char)


def _names_at(bucket: _Bucket, norm: str, low: str, start: int) -> Iterator[_Name]:
    """The names of `bucket` written at `start`, longest first (one dict lookup per length)."""
    probe = start + _PROBE_CHARS
    long_names = low[start:probe] in bucket.folded_probes or (
        bool(bucket.exact_probes) and norm[start:probe] in bucket.exact_probes)
    for length in bucket.lengths:
        end = start + length
        if end > len(norm) or (length >= _PROBE_CHARS and not long_names):
            continue
        found = bucket.folded.get(low[start:end], ())
        if bucket.exact:
            found = [*found, *bucket.exact.get(norm[start:end], ())]
        for name in found:
            if _ends_word(name, norm, low, end) and (
                    name.mode != _GUARDED or _bare_end(norm, end)
                    or _GENITIVE_BEFORE_RE.search(low, max(0, start - _GENITIVE_WINDOW), start)):
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
    if _CUE_BEFORE_RE.search(low, max(0, start - _CUE_WINDOW), start):
        return True
    if _CUE_AFTER_RE.match(low[after:after + _CUE_WINDOW]):
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
