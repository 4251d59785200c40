"""The fixture scan's graph and `check` outputs are pinned: a restructuring must not change them.

The expected files live in tests/golden/. After a deliberate change of behaviour, regenerate them
with `PROVENANCE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from provenance.cli import app

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("PROVENANCE_UPDATE_GOLDEN") == "1"
DRAFTS = sorted([REPO / "examples" / "draft.txt", *(REPO / "fixtures" / "texts").iterdir(),
                 *(REPO / "fixtures" / "seeds").iterdir()])


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory) -> Path:
    """The bundled fixtures scanned from the repository root, as the README does."""
    from typer.testing import CliRunner

    db = tmp_path_factory.mktemp("golden") / "fixtures.db"
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(app, [
            "scan", "fixtures/", "--manifest", "fixtures/manifest.csv", "--outlets",
            "fixtures/outlets.json", "--db", str(db), "--quiet", "--workers", "1"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return db


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path} (regenerate with PROVENANCE_UPDATE_GOLDEN=1)"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from tests/golden"


def _run(runner, args: list[str]) -> str:
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        result = runner.invoke(app, args)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return result.output


def test_fixture_graph_json_is_unchanged(runner, golden_db):
    _compare("graph.json", _run(runner, ["graph", "--db", str(golden_db), "--format", "json"]))


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_check_output_is_unchanged(runner, golden_db, draft, fmt):
    relative = str(draft.relative_to(REPO))
    output = _run(runner, ["check", relative, "--db", str(golden_db), "--format", fmt])
    _compare(f"check_{draft.name}.{fmt}", output)
