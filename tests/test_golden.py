"""The fixture scan's graph and `check` outputs are pinned: a restructuring must not change them.

The expected files live in tests/golden/. After a deliberate change of behaviour, regenerate them
with `PROVENANCE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and review the diff.

Article ids hash the resolved path of a file, so they differ from one checkout to another; the
outputs are compared with every article id replaced by a hash of its external id (the path as
given, relative to the repository), and every story id by the id of that stand-in.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from provenance.cli import app
from provenance.copies import story_id
from provenance.store import Store

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


@pytest.fixture(scope="module")
def stand_ins(golden_db) -> dict[str, str]:
    """Checkout-independent stand-ins of the same length for article and story ids."""
    with Store(golden_db, create=False) as store:
        found = {a.id: hashlib.sha256(a.external_id.encode()).hexdigest()[:len(a.id)]
                 for a in store.articles()}
        found.update({s.id: story_id(found[s.origin_article_id]) for s in store.stories()})
    return found


def _stable(output: str, stand_ins: dict[str, str]) -> str:
    for real, stand_in in stand_ins.items():
        output = output.replace(real, stand_in)
    return output


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


def test_fixture_graph_json_is_unchanged(runner, golden_db, stand_ins):
    output = _run(runner, ["graph", "--db", str(golden_db), "--format", "json"])
    graph = json.loads(_stable(output, stand_ins))
    # the export lists nodes and edges in id order: sort the stand-ins the same way
    graph["nodes"].sort(key=lambda n: n["id"])
    for edge in graph["edges"]:
        if "articles" in edge:  # a relay lists its articles (and their sentences) in id order
            pairs = sorted(zip(edge["articles"], edge["evidence"], strict=True))
            edge["articles"], edge["evidence"] = [a for a, _ in pairs], [e for _, e in pairs]
    graph["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"],
                                       json.dumps(e, sort_keys=True)))
    _compare("graph.json", json.dumps(graph, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_check_output_is_unchanged(runner, golden_db, stand_ins, draft, fmt):
    relative = str(draft.relative_to(REPO))
    output = _run(runner, ["check", relative, "--db", str(golden_db), "--format", fmt])
    _compare(f"check_{draft.name}.{fmt}", _stable(output, stand_ins))
