"""Registry files: the JSON format of outlet registries, read and checked field by field.

A registry file is ``{"version": "2026.12.1", "about": "...", "outlets": [...]}``; each outlet
is an object with these fields (schema version 2; lists and nulls may be left out when empty):

- ``id`` (``^[a-z0-9][a-z0-9_]*$``), ``name`` (the display name), ``kind`` (one of
  `OUTLET_KINDS`), ``country`` (ISO 3166 alpha-2), ``languages`` (ISO 639-1 codes the outlet
  publishes in, e.g. ``["de"]``), ``state_affiliation`` (null, ``"public"`` or ``"state"``);
- ``domains``: registrable domains, lower case, without ``www.``;
- names: ``aliases``, ``acronyms``, ``ambiguous``, ``lookalikes`` (how each is matched: `names`),
  and ``default_for``: names this outlet shares with other outlets that mean this one when the
  article's language and country do not choose (``"ABC"`` for the US network);
- ``parent`` (the id of the network) and ``relay_of`` (ids of the outlets it republishes).

The packaged registry is every ``provenance/data/outlets/*.json``, read in sorted order; users
add files of the same format (``--outlets``). A file that cannot be used raises `RegistryError`
naming the file, the outlet and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provenance.errors import RegistryError
from provenance.records import Outlet

PACKAGED_DIR = Path(__file__).parents[1] / "data" / "outlets"

OUTLET_KINDS = frozenset({"news_agency", "broadcaster", "newspaper", "magazine", "online",
                          "photo_agency", "aggregator", "state_media", "fact_checker"})
STATE_AFFILIATIONS = frozenset({None, "public", "state"})

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_LIST_FIELDS = ("languages", "domains", "aliases", "acronyms", "ambiguous", "relay_of",
                "lookalikes", "default_for")
_NAME_FIELDS = ("aliases", "acronyms", "ambiguous", "lookalikes", "default_for")
_FIELDS = frozenset({"id", "name", "kind", "country", "state_affiliation", "parent",
                     *_LIST_FIELDS})


@dataclass(frozen=True)
class RegistryFile:
    """The text of one registry file and where it came from (a path, or a database copy)."""

    name: str  # the path as given, or a label such as "stored in the database: mine.json"
    text: str

    @classmethod
    def read(cls, path: str | Path) -> RegistryFile:
        """The file at `path`, or a RegistryError saying why it cannot be read."""
        try:
            return cls(str(path), Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RegistryError(f"{path}: outlet registry file not found; check the path"
                                ) from None
        except IsADirectoryError:
            raise RegistryError(f"{path}: is a folder; give the registry's JSON file(s)"
                                ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryError(f"{path}: cannot read the outlet registry ({exc}); it must "
                                f"be a UTF-8 JSON file") from None


def packaged_files() -> list[Path]:
    """The packaged registry files, in the order they are read."""
    found = sorted(PACKAGED_DIR.glob("*.json"))
    if not found:
        raise RegistryError(f"{PACKAGED_DIR}: no packaged outlet registry files; reinstall "
                            f"provenance")
    return found


def parse_file(source: RegistryFile) -> tuple[str, list[Outlet]]:
    """The version and outlets of one registry file, or a RegistryError saying what to fix."""
    where = source.name
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{where}: not valid JSON at line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise RegistryError(f"{where}: JSON nested too deeply (arrays or objects inside one "
                            "another by the thousand)") from None
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise RegistryError(f'{where}: expected an object {{"version": "...", "outlets": '
                            f'[...]}} at the top level')
    version = data.get("version", "")
    if not isinstance(version, str) or not version:
        raise RegistryError(f'{where}: "version" must be a non-empty string such as '
                            f'"2026.12.1"')
    outlets: list[Outlet] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["outlets"], start=1):
        outlet = parse_outlet(entry, f"{where}: outlet #{number}")
        if outlet.id in seen:
            raise RegistryError(f"{where}: outlet #{number}: id {outlet.id!r} appears twice "
                                f"in this file; merge the entries")
        seen.add(outlet.id)
        outlets.append(outlet)
    return version, outlets


def parse_outlet(entry: Any, where: str) -> Outlet:
    """One outlet from its JSON object, checking every field."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a JSON object, got {type(entry).__name__}")
    outlet_id = entry.get("id")
    if not isinstance(outlet_id, str) or not _ID_RE.match(outlet_id):
        raise RegistryError(f"{where}: 'id' must be lower-case letters, digits and '_' "
                            f"(got {outlet_id!r})")
    where = f"{where} ({outlet_id!r})"
    unknown = set(entry) - _FIELDS
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {sorted(unknown)}; check the spelling "
                            f"(fields: {', '.join(sorted(_FIELDS))})")
    _check_scalars(entry, where)
    lists = {key: _string_list(entry, key, where) for key in _LIST_FIELDS}
    _check_lists(entry, lists, where)
    return Outlet(id=outlet_id, name=entry["name"], kind=entry["kind"],
                  country=entry["country"], state_affiliation=entry.get("state_affiliation"),
                  parent=entry.get("parent"), **lists)


def _check_scalars(entry: dict, where: str) -> None:
    """name, kind, country, state_affiliation and parent."""
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: 'name' must be a non-empty string")
    kind = entry.get("kind")
    if kind not in OUTLET_KINDS:
        raise RegistryError(f"{where}: 'kind' is {kind!r}; use one of {sorted(OUTLET_KINDS)}")
    country = entry.get("country")
    if not isinstance(country, str) or not _COUNTRY_RE.match(country):
        raise RegistryError(f"{where}: 'country' is {country!r}; use an ISO 3166 alpha-2 "
                            f"code such as 'DE'")
    affiliation = entry.get("state_affiliation")
    if affiliation not in STATE_AFFILIATIONS:
        raise RegistryError(f"{where}: 'state_affiliation' is {affiliation!r}; use null, "
                            f"'public' or 'state'")
    parent = entry.get("parent")
    if parent is not None and (not isinstance(parent, str) or not _ID_RE.match(parent)
                               or parent == entry["id"]):
        raise RegistryError(f"{where}: 'parent' is {parent!r}; use null or the id of the "
                            f"network this outlet belongs to (not its own id)")


def _string_list(entry: dict, key: str, where: str) -> tuple[str, ...]:
    """The list field `key` of `entry` (null or absent: empty)."""
    value = entry.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(dict.fromkeys(value))


def _check_lists(entry: dict, lists: dict[str, tuple[str, ...]], where: str) -> None:
    """Languages, domains and names are well formed; defaults are the outlet's own names."""
    for language in lists["languages"]:
        if not _LANGUAGE_RE.match(language):
            raise RegistryError(f"{where}: language {language!r} is not an ISO 639-1 code "
                                f"such as 'de' or 'en' (two lower-case letters)")
    for domain in lists["domains"]:
        if not _DOMAIN_RE.match(domain):
            raise RegistryError(f"{where}: domain {domain!r} is not a lower-case host name "
                                f"such as 'example.com' (no scheme, path or port)")
    for key in _NAME_FIELDS:
        for alias in lists[key]:
            if not alias[0].isalnum() or alias != alias.strip():
                raise RegistryError(f"{where}: {key} entry {alias!r} must start with a letter "
                                    f"or digit and have no surrounding spaces")
    own = {n.casefold() for n in (entry["name"], *lists["aliases"], *lists["acronyms"],
                                  *lists["ambiguous"])}
    for name in lists["default_for"]:
        if name.casefold() not in own:
            raise RegistryError(f"{where}: default_for entry {name!r} is not one of this "
                                f"outlet's names (name, aliases, acronyms, ambiguous)")


def check_links(outlets: dict[str, Outlet], sources: str) -> None:
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
