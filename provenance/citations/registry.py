"""The outlet registry: who the outlets are, read from versioned JSON files and checked.

The packaged registry is every ``provenance/data/outlets/*.json`` (read in sorted order; an id
may appear in one of them only); users extend it with files of the same format, and a later file
replaces an outlet of the same ``id`` (the format: `registry_files`). Each outlet has a display
name, a kind, a country, the languages it publishes in, a state affiliation, domains, names
(``aliases``, ``acronyms``, ``ambiguous``, ``lookalikes``: how each is matched in text is said
in `names`), and two relations:

- ``parent``: the id of the outlet this one is part of (a brand, site or newsroom of a network:
  tagesschau.de belongs to ARD, CNN Money to CNN). ``Registry.family`` is an outlet with its
  ancestors and descendants; an article naming its own publisher's family ("Von Jana Lindholm,
  ARD-Studio Tokio" on tagesschau.de) names itself, which is no citation. Siblings in a network
  (NDR and WDR under ARD) stay distinct outlets that cite each other.
- ``relay_of``: an aggregator that republishes another outlet's copy (KCNA Watch relays KCNA).

Several outlets may share a name ("RTL" in Germany and in France, "ABC" in the US and in
Australia) when the article's language or country can tell them apart: `Registry.choose`
takes the outlets that publish in the article's language, then those of the publisher's
country, then the one that lists the name under ``default_for``; when none of these decides,
the name is left unresolved rather than guessed. Two outlets of one country and language may
share a name only when one of them is its default. Domains belong to one outlet each.

The files a registry was read from besides the packaged ones (`Registry.extra_files`) are kept
with it, so that a database can store them and every later command can read the same registry.
Every field is checked on loading; a malformed file raises `RegistryError` naming the file, the
outlet and the fix. Outlets are `records.Outlet`s.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from provenance.citations.names import (
    AliasHit,
    NameIndex,
    fold_name,
    normalise_name,
    plain_names,
    strip_www,
)
from provenance.citations.registry_files import (
    OUTLET_KINDS,
    PACKAGED_DIR,
    STATE_AFFILIATIONS,
    RegistryFile,
    check_links,
    packaged_files,
    parse_file,
)
from provenance.config import REGISTRY_VERSION_HASH_CHARS
from provenance.config_citations import NAME_MEMO
from provenance.errors import RegistryError
from provenance.records import Outlet

__all__ = ["OUTLET_KINDS", "PACKAGED_DIR", "STATE_AFFILIATIONS", "Registry", "RegistryFile",
           "default_registry", "packaged_files"]

ExtraFile = str | Path | RegistryFile
# Country-code domains sold worldwide, which say nothing of a publisher's country.
_GLOBAL_CCTLDS = frozenset({"ai", "cc", "co", "fm", "gg", "io", "ly", "me", "nu", "tk", "to",
                            "tv", "ws", "eu", "su"})


class Registry:
    """The outlets, indexed by id, name and domain, and a matcher for their names in text."""

    def __init__(self, outlets: Iterable[Outlet], version: str,
                 extra_files: Sequence[RegistryFile] = ()) -> None:
        """Index `outlets`; raises RegistryError when two outlets claim one domain, or one
        name without a way to tell them apart (see the module docstring)."""
        self.version = version
        self.extra_files = tuple(extra_files)
        self._by_id = {o.id: o for o in outlets}
        self.outlets: list[Outlet] = sorted(self._by_id.values(), key=lambda o: o.id)
        self._domains: dict[str, str] = {}
        self._folded: dict[str, list[str]] = {}
        self._exact: dict[str, list[str]] = {}
        self._children: dict[str, list[str]] = {}
        self._defaults: dict[str, str] = {}
        for outlet in self.outlets:
            for domain in outlet.domains:
                owner = self._domains.setdefault(strip_www(domain.lower()), outlet.id)
                if owner != outlet.id:
                    raise RegistryError(
                        f"the domain {domain!r} is claimed by both {owner!r} and "
                        f"{outlet.id!r}; keep it on one outlet (override the other by id in "
                        f"your extra registry file)")
            for alias in {fold_name(a) for a in plain_names(outlet)}:
                self._folded.setdefault(alias, []).append(outlet.id)
            for alias in {normalise_name(a) for a in (*outlet.acronyms, *outlet.ambiguous)}:
                self._exact.setdefault(alias, []).append(outlet.id)
            for alias in outlet.default_for:
                self._claim_default(fold_name(alias), outlet.id, alias)
            if outlet.parent:
                self._children.setdefault(outlet.parent, []).append(outlet.id)
        shared = {key: list(owners) for key, owners in self._folded.items()}
        for key, owners in self._exact.items():
            shared.setdefault(fold_name(key), []).extend(owners)
        for key, owners in shared.items():
            if len(set(owners)) > 1:
                self._check_shared(key, list(dict.fromkeys(owners)))
        self._names = NameIndex(self.outlets)
        self._search_keys: list[tuple[Outlet, set[str]]] | None = None  # built on first search
        # answers of `by_name` (the registry never changes once built)
        self._name_memo: dict[tuple[str, str | None, str | None], Outlet | None] = {}

    def _claim_default(self, key: str, outlet_id: str, written: str) -> None:
        owner = self._defaults.setdefault(key, outlet_id)
        if owner != outlet_id:
            raise RegistryError(f"both {owner!r} and {outlet_id!r} declare themselves the "
                                f"default for the name {written!r}; keep 'default_for' on one")

    def _check_shared(self, key: str, owners: list[str]) -> None:
        """Outlets sharing a name must differ in country or language, or one is its default."""
        if self._defaults.get(key) in owners:
            return
        for i, first in enumerate(owners):
            a = self._by_id[first]
            for b in (self._by_id[o] for o in owners[i + 1:]):
                if a.country == b.country and (not a.languages or not b.languages
                                               or set(a.languages) & set(b.languages)):
                    raise RegistryError(
                        f"the name {key!r} is claimed by both {a.id!r} and {b.id!r}, of one "
                        f"country and language, so no article can tell them apart; keep it on "
                        f"one outlet, or list it under 'default_for' of the one it means")

    @classmethod
    def load(cls, path: str | Path | None = None, extra: ExtraFile | Iterable[ExtraFile] = (),
             stored: Iterable[RegistryFile] = ()) -> Registry:
        """The registry from the packaged files (or `path`), then `stored`, then `extra`.

        Args:
            path: a registry JSON file or a folder of them; None for the packaged registry
                (every ``provenance/data/outlets/*.json``, in sorted order).
            extra: further files of the same format (paths, or `RegistryFile`s); an outlet
                with an existing id replaces it.
            stored: the extra files a database was built with (read before `extra`; one of
                them is replaced by an `extra` file of the same path).

        Returns:
            The registry; its version is the newest base file's, plus a hash of the extra
            files when there are any (`extra_files`: the stored ones, then the new ones).

        Raises:
            RegistryError: a file is missing or malformed, two files of the base registry
                hold one id, or two outlets claim one name or domain (see `Registry`).
        """
        base = packaged_files() if path is None else _base_paths(Path(path))
        version, merged = _read_base(base)
        files = _extra_files(extra, stored)
        digest = hashlib.sha256()
        for file in files:
            _, outlets = parse_file(file)
            digest.update(file.text.encode("utf-8"))
            merged.update({o.id: o for o in outlets})
        if files:
            version = f"{version}+{digest.hexdigest()[:REGISTRY_VERSION_HASH_CHARS]}"
        sources = ", ".join([*(str(p) for p in base), *(f.name for f in files)])
        check_links(merged, sources)
        try:
            return cls(merged.values(), version, files)
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

    def country_of(self, url_or_host: str | None) -> str | None:
        """The country of a publisher's URL or host: its registry outlet's, else the country
        of its country-code domain (".fr" FR, ".co.uk" GB; not ".tv", ".io" and other codes
        sold worldwide); None when neither tells."""
        host = host_of(url_or_host or "")
        outlet = self.by_domain(host) if host else None
        if outlet is not None and outlet.country:
            return outlet.country
        code = host.rsplit(".", 1)[-1] if "." in host else ""
        if len(code) != 2 or not code.isalpha() or code in _GLOBAL_CCTLDS:
            return None
        return "GB" if code == "uk" else code.upper()

    def _domain_of(self, host: str) -> tuple[str, str] | None:
        """The owner and the registered domain that is the longest suffix of `host`."""
        labels = host.split(".") if host else []
        for i in range(len(labels) - 1):
            suffix = ".".join(labels[i:])
            owner = self._domains.get(suffix)
            if owner:
                return owner, suffix
        return None

    def by_name(self, text: str, *, language: str | None = None,
                country: str | None = None) -> Outlet | None:
        """The outlet with exactly this name, alias, acronym or common-word name (these two in
        their exact case) or domain; a name several outlets share is resolved as `choose`
        says (None when it cannot decide)."""
        key = (text, language, country)
        if key in self._name_memo:
            return self._name_memo[key]
        if len(self._name_memo) >= NAME_MEMO:
            self._name_memo.clear()
        cleaned = " ".join(text.split())
        found = None
        if cleaned:
            owners = [*self._exact.get(normalise_name(cleaned), ()),
                      *self._folded.get(fold_name(cleaned), ())]
            owner = self.choose(owners, cleaned, language, country) if owners else (
                self._domains.get(strip_www(cleaned.lower())))
            found = self._by_id[owner] if owner else None
        self._name_memo[key] = found
        return found

    def choose(self, outlet_ids: Sequence[str], name: str, language: str | None = None,
               country: str | None = None) -> str | None:
        """Which of the outlets sharing `name` an article in `language` from `country` means.

        The outlets that publish in the language (else those that declare no language), then
        those of the country, then the one that lists the name under ``default_for``; None
        when none of these leaves one outlet.
        """
        pool = list(dict.fromkeys(outlet_ids))
        if len(pool) <= 1:
            return pool[0] if pool else None
        if language:
            pool = ([o for o in pool if language in self._by_id[o].languages]
                    or [o for o in pool if not self._by_id[o].languages] or pool)
        if country and len(pool) > 1:
            pool = [o for o in pool if self._by_id[o].country == country] or pool
        if len(pool) == 1:
            return pool[0]
        default = self._defaults.get(fold_name(name))
        return default if default in pool else None

    def search(self, text: str) -> list[Outlet]:
        """Outlets whose id, names or domains contain `text` (accent- and case-insensitive).

        Exact matches come first, then names starting with `text`, then the rest; ties by id.
        """
        query = loose_key(text)
        if not query:
            return []
        if self._search_keys is None:
            self._search_keys = [
                (outlet, {loose_key(n) for n in (outlet.id, outlet.name, *outlet.aliases,
                                                 *outlet.acronyms, *outlet.ambiguous,
                                                 *outlet.domains)})
                for outlet in self.outlets]
        ranked: list[tuple[int, str, Outlet]] = []
        for outlet, keys in self._search_keys:
            ranks = [0 if key == query else 1 if key.startswith(query) else 2
                     for key in keys if query in key]
            if ranks:
                ranked.append((min(ranks), outlet.id, outlet))
        return [outlet for _, _, outlet in sorted(ranked, key=lambda r: (r[0], r[1]))]

    def find_mentions(self, text: str, *, include_ambiguous: bool = False,
                      language: str | None = None, country: str | None = None
                      ) -> list[AliasHit]:
        """Every outlet name and domain in `text`: non-overlapping, longest first, sorted by start.

        Args:
            text: the text to search; offsets in the hits index into it unchanged.
            include_ambiguous: also report common-word names ("Bild", "Stern") written with
                their exact case but without the context that shows an outlet is meant; for
                callers that apply their own context rules.
            language: the article's language (ISO 639-1), to choose among outlets of one name.
            country: the publisher's country (ISO 3166 alpha-2), likewise (see `choose`).

        Returns:
            AliasHit(start, end, outlet_id, alias) for each mention, sorted by start.
        """
        def pick(outlet_ids: Sequence[str], name: str) -> str | None:
            return self.choose(outlet_ids, name, language, country)

        return self._names.find(text, self._domain_of, pick, include_ambiguous, language)


def default_registry() -> Registry:
    """The packaged registry, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry.load()
    return _DEFAULT


_DEFAULT: Registry | None = None


def _base_paths(path: Path) -> list[Path]:
    """A registry file, or the JSON files of a registry folder in sorted order."""
    if path.is_dir():
        found = sorted(path.glob("*.json"))
        if not found:
            raise RegistryError(f"{path}: no outlet registry files (*.json) in this folder")
        return found
    return [path]


def _read_base(paths: list[Path]) -> tuple[str, dict[str, Outlet]]:
    """The newest version and the outlets of the base files; an id may be in one file only."""
    versions: list[str] = []
    merged: dict[str, Outlet] = {}
    home: dict[str, Path] = {}
    for path in paths:
        version, outlets = parse_file(RegistryFile.read(path))
        versions.append(version)
        for outlet in outlets:
            if outlet.id in merged:
                raise RegistryError(f"{path}: outlet {outlet.id!r} is also in {home[outlet.id]}; "
                                    f"an id may appear in one registry file only (merge them "
                                    f"or rename one)")
            merged[outlet.id], home[outlet.id] = outlet, path
    return max(versions), merged


def _extra_files(extra: ExtraFile | Iterable[ExtraFile],
                 stored: Iterable[RegistryFile]) -> list[RegistryFile]:
    """The stored files, then the given ones, each text once; a given file replaces a stored
    file of the same path."""
    given = [extra] if isinstance(extra, str | Path | RegistryFile) else list(extra)
    new = [f if isinstance(f, RegistryFile) else RegistryFile.read(Path(f).resolve())
           for f in given]
    names = {f.name for f in new}
    files: list[RegistryFile] = []
    for file in [*(f for f in stored if f.name not in names), *new]:
        if all(file.text != kept.text for kept in files):
            files.append(file)
    return files


def loose_key(text: str) -> str:
    """A name as searches compare it: case-folded, without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


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
