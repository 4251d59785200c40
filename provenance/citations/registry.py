"""The outlet registry: who the outlets are, read from versioned JSON files and checked.

The registry is a versioned JSON file (``provenance/data/outlets.json``) that users extend with
files of the same format; a later file replaces an outlet of the same ``id``. Each outlet has a
display name, a kind, a country, a state affiliation, domains and four lists of names
(``aliases``, ``acronyms``, ``ambiguous``, ``lookalikes``: how each is matched in text is said
in `names`), and two relations:

- ``parent``: the id of the outlet this one is part of (a brand, site or newsroom of a network:
  tagesschau.de belongs to ARD, CNN Money to CNN). ``Registry.family`` is an outlet with its
  ancestors and descendants; an article naming its own publisher's family ("Von Jana Lindholm,
  ARD-Studio Tokio" on tagesschau.de) names itself, which is no citation. Siblings in a network
  (NDR and WDR under ARD) stay distinct outlets that cite each other.
- ``relay_of``: an aggregator that republishes another outlet's copy (KCNA Watch relays KCNA).

Every field is checked on loading; a malformed file raises `RegistryError` naming the file, the
outlet and the fix. Outlets are `records.Outlet`s.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from provenance.citations.names import (
    AliasHit,
    NameIndex,
    fold_name,
    host_of,
    loose_key,
    normalise_name,
    plain_names,
    strip_www,
)
from provenance.config import REGISTRY_VERSION_HASH_CHARS
from provenance.errors import RegistryError
from provenance.records import Outlet

PACKAGED_PATH = Path(__file__).parents[1] / "data" / "outlets.json"

OUTLET_KINDS = frozenset({"news_agency", "broadcaster", "newspaper", "magazine", "online",
                          "photo_agency", "aggregator", "state_media"})
STATE_AFFILIATIONS = frozenset({None, "public", "state"})

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_LIST_FIELDS = ("domains", "aliases", "acronyms", "ambiguous", "relay_of", "lookalikes")


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
        self._children: dict[str, list[str]] = {}
        for outlet in self.outlets:
            for domain in outlet.domains:
                self._claim(self._domains, strip_www(domain.lower()), outlet.id, domain)
            for alias in plain_names(outlet):
                self._claim(self._folded, fold_name(alias), outlet.id, alias)
            for alias in outlet.acronyms:
                self._claim(self._exact, normalise_name(alias), outlet.id, alias)
            for alias in outlet.ambiguous:
                self._claim(self._folded, fold_name(alias), outlet.id, alias)
            if outlet.parent:
                self._children.setdefault(outlet.parent, []).append(outlet.id)
        self._names = NameIndex(self.outlets)
        self._search_keys = [
            (outlet, {loose_key(n) for n in (outlet.id, outlet.name, *outlet.aliases,
                                             *outlet.acronyms, *outlet.ambiguous,
                                             *outlet.domains)})
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
            version = f"{version}+{digest.hexdigest()[:REGISTRY_VERSION_HASH_CHARS]}"
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
        found = self._domain_of(host_of(url_or_host))
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
        owner = (self._exact.get(normalise_name(cleaned)) or self._folded.get(fold_name(cleaned))
                 or self._domains.get(strip_www(cleaned.lower())))
        return self._by_id[owner] if owner else None

    def search(self, text: str) -> list[Outlet]:
        """Outlets whose id, names or domains contain `text` (accent- and case-insensitive).

        Exact matches come first, then names starting with `text`, then the rest; ties by id.
        """
        query = loose_key(text)
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
        return self._names.find(text, self._domain_of, include_ambiguous)


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
    except RecursionError:
        raise RegistryError(f"{path}: JSON nested too deeply (arrays or objects inside one "
                            "another by the thousand)") from None
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
    if kind not in OUTLET_KINDS:
        raise RegistryError(f"{where}: 'kind' is {kind!r}; use one of {sorted(OUTLET_KINDS)}")
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
