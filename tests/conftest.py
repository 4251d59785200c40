"""Shared test fixtures: the bundled corpus and seeds, an in-memory store, a CLI runner.

Everything here is in the repository (fixtures/); only `data_dir` (third-party evaluation data
in ../shared/data) may be absent, and the tests that use it skip then.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance import ScanConfig, Store, scan
from provenance.records import Article

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SEEDS = FIXTURES / "seeds"
DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def seeds_dir() -> Path:
    """The five real seed articles, bundled in fixtures/seeds."""
    return SEEDS


@pytest.fixture
def data_dir() -> Path:
    """Third-party evaluation data in ../shared/data (skips when absent)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not present beside the checkout")
    return DATA


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


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory):
    """The bundled fixtures scanned once (with their manifest and outlet file) into a database."""
    path = tmp_path_factory.mktemp("fixtures") / "fixtures.db"
    with Store(path) as db:
        scan(ScanConfig(paths=[FIXTURES], manifest=FIXTURES / "manifest.csv",
                        outlets_files=[FIXTURES / "outlets.json"], workers=1), db)
    return path


@pytest.fixture
def fixture_store(fixture_db):
    """The scanned fixtures database, opened."""
    with Store(fixture_db, create=False) as db:
        yield db


@pytest.fixture(scope="session")
def expected() -> dict:
    """fixtures/expected.json: the expected outcome beside the data."""
    import json

    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def fixture_key(article: Article) -> str:
    """The key of an article in fixtures/expected.json: JSONL id, WARC url, or relative path."""
    if article.format == "jsonl":
        return article.external_id
    if article.format == "warc":
        return article.url
    return str(Path(article.path).resolve().relative_to(FIXTURES))


@pytest.fixture
def fixture_ids(fixture_store) -> dict[str, str]:
    """expected.json key -> article id in the scanned fixtures."""
    return {fixture_key(a): a.id for a in fixture_store.articles()}
