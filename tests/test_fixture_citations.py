"""Citations on the whole fixture corpus against fixtures/expected.json (outlet names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.citations import Registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def cited_names(store, article_id: str) -> set[str]:
    """Display names of the outlets the stored article cites (kinds that count only)."""
    outlets = {o.id: o for o in store.outlets()}
    return {outlets[c.outlet_id].name for c in store.citations([article_id])
            if c.counts and c.outlet_id}


@pytest.fixture
def name_of():
    """Expected outlet names as the registry spells them (aliases map to display names)."""
    registry = Registry.load(extra=[FIXTURES / "outlets.json"])

    def resolve(name: str) -> str:
        found = registry.by_name(name) or (registry.by_domain(name) if "." in name else None)
        return found.name if found else name

    return resolve


def test_fixture_articles_cite_the_expected_outlets(fixture_store, fixture_ids, expected,
                                                    name_of):
    wrong = {}
    for key, case in expected["articles"].items():
        got = cited_names(fixture_store, fixture_ids[key])
        want = {name_of(n) for n in case["cited_outlets"]}
        if got != want:
            wrong[key] = {"missing": sorted(want - got), "extra": sorted(got - want)}
    assert not wrong, wrong


def test_fixture_image_credits_never_cite(fixture_store, fixture_ids, expected, name_of):
    for key, case in expected["articles"].items():
        # an entry is {"text": "Bild: KCNA via AFP", "outlets": ["KCNA", "AFP"]}
        credits = {name_of(name) for c in case.get("image_credits", [])
                   for name in (c["outlets"] if isinstance(c, dict) else [c])}
        cited = cited_names(fixture_store, fixture_ids[key])
        only_credit = credits - {name_of(n) for n in case["cited_outlets"]}
        assert not (only_credit & cited), (key, only_credit & cited)
