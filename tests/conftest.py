"""Shared test fixtures: paths to real text, an in-memory store, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance import ScanConfig, Store, scan

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


@pytest.fixture
def seeds_dir() -> Path:
    """The five real seed articles in ../shared/seeds (skips when the folder is absent)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present beside the checkout")
    return SEEDS


@pytest.fixture
def data_dir() -> Path:
    """Third-party evaluation data in ../shared/data (skips when absent)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not present beside the checkout")
    return DATA


@pytest.fixture
def fixtures_dir() -> Path:
    """The bundled fixtures corpus."""
    return FIXTURES


@pytest.fixture
def store():
    """An empty in-memory provenance database."""
    with Store(":memory:") as db:
        yield db


@pytest.fixture
def runner() -> CliRunner:
    """A typer CLI runner."""
    return CliRunner()


def _scan_into(store: Store, *paths: Path, **options):
    options.setdefault("workers", 1)
    return scan(ScanConfig(paths=list(paths), **options), store)


@pytest.fixture
def scan_into():
    """Scan paths into a store with one worker (tests stay single-process unless asked)."""
    return _scan_into
