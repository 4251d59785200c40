"""The packaged outlet registry as data: every file valid, ids and domains unique across files,
domains registrable, names that several outlets share resolvable."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from provenance.citations.registry import Registry, packaged_files
from provenance.citations.registry_files import OUTLET_KINDS, RegistryFile, parse_file

tldextract = pytest.importorskip("tldextract")
FILES = packaged_files()


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The packaged registry, freshly loaded."""
    return Registry.load()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_packaged_file_validates_on_its_own(path) -> None:
    version, outlets = parse_file(RegistryFile.read(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert version and data.get("about"), f"{path.name}: give a version and an about text"
    assert len(outlets) == len(data["outlets"]) > 0


def test_ids_are_unique_across_the_packaged_files() -> None:
    seen: dict[str, str] = {}
    for path in FILES:
        for entry in json.loads(path.read_text(encoding="utf-8"))["outlets"]:
            assert entry["id"] not in seen, f"{entry['id']} in {seen.get(entry['id'])} and {path}"
            seen[entry["id"]] = path.name


def test_domains_are_unique_and_registrable(registry: Registry) -> None:
    extract = tldextract.TLDExtract(suffix_list_urls=())  # the bundled suffix list, offline
    owners: dict[str, str] = {}
    for outlet in registry:
        for domain in outlet.domains:
            assert domain not in owners, f"{domain}: {owners.get(domain)} and {outlet.id}"
            owners[domain] = outlet.id
            parts = extract(domain)
            # a few real sites are themselves on the suffix list (altoadige.it: an Italian
            # region's suffix); every domain must end in a known suffix
            assert parts.suffix and (parts.domain or parts.suffix == domain), (
                f"{outlet.id}: {domain} has no public suffix")
            assert not domain.startswith("www."), f"{outlet.id}: {domain}"


def test_every_outlet_is_complete(registry: Registry) -> None:
    for outlet in registry:
        assert outlet.kind in OUTLET_KINDS
        assert outlet.languages, f"{outlet.id} has no languages"
        assert registry.by_name(outlet.name, language=outlet.languages[0],
                                country=outlet.country) == outlet, outlet.id


def test_every_owner_of_a_shared_name_can_be_reached(registry: Registry) -> None:
    """A name several outlets share resolves to each of them in an article of its language
    and country, so no outlet's name is hidden by another's."""
    owners: dict[str, set[str]] = defaultdict(set)
    for outlet in registry:
        for name in {outlet.name, *outlet.aliases, *outlet.acronyms, *outlet.ambiguous}:
            owners[name].add(outlet.id)
    shadowed = []
    for name, ids in owners.items():
        for outlet in (registry.get(i) for i in ids if len(ids) > 1):
            found = registry.by_name(name, language=outlet.languages[0], country=outlet.country)
            if found != outlet and name not in (found.default_for if found else ()):
                shadowed.append((name, outlet.id, found.id if found else None))
    assert not shadowed, f"names that cannot reach their outlet: {shadowed[:20]}"
