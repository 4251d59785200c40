"""The Spark job (local[2]) against the local scan: the same tables, row for row, once loaded.

One SparkSession serves the module. Each test scans the same inputs twice, locally (`scan`) and
as a Spark job written to Parquet and loaded into SQLite (`provenance.spark`), and compares
the two databases table by table (ids of runs and generated row ids aside).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from typer.testing import CliRunner

from provenance import ScanConfig, Store, scan
from provenance import spark as engine
from provenance.cli import app

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
DATA = REPO.parent / "shared" / "data"
MAKE_CORPUS = REPO.parent / "shared" / "tools" / "make_corpus.py"

# What each table is compared by: every column but generated ids and run ids, in a total order.
TABLES = {
    "article": "SELECT * FROM article ORDER BY id",
    "citation": ("SELECT * FROM citation ORDER BY article_id, start, \"end\", kind, outlet_id, "
                 "source_name, zone"),
    "copy_edge": "SELECT * FROM copy_edge ORDER BY source_id, copy_id",
    "story": "SELECT * FROM story ORDER BY id",
    "story_member": "SELECT * FROM story_member ORDER BY story_id, article_id",
    "article_source": "SELECT * FROM article_source ORDER BY article_id, rank",
    "input_error": "SELECT * FROM input_error ORDER BY path, record, kind, message",
    "input_file": "SELECT * FROM input_file ORDER BY key",
    "outlet": "SELECT * FROM outlet ORDER BY id",
    "boilerplate": "SELECT * FROM boilerplate ORDER BY outlet_id, shingle",
    "fingerprint": "SELECT * FROM fingerprint ORDER BY article_id",
    "lsh_key": "SELECT * FROM lsh_key ORDER BY key, article_id",
    "provenance_problem": "SELECT message FROM provenance_problem ORDER BY id",
}
_GENERATED = {"run_id", "first_run_id"}


@pytest.fixture(scope="module")
def spark():
    """One local[2] session for the module."""
    session = engine.start("local[2]")
    yield session
    session.stop()


def _config(paths: list[Path], **options) -> ScanConfig:
    return ScanConfig(paths=paths, workers=1, **options)


def _local(db: Path, cfg: ScanConfig) -> None:
    with Store(db) as store:
        scan(cfg, store)


def _on_spark(spark, db: Path, out: Path, cfg: ScanConfig, index: list[Path] | None = None):
    result = engine.run_job(spark, engine.JobConfig(cfg, out, "local[2]", index or []))
    return result, engine.load(spark, out, db)


def _tables(db: Path) -> dict[str, list[dict]]:
    with Store(db, create=False) as store:
        found = {}
        for table, sql in TABLES.items():
            keep_id = table in ("article", "story", "outlet")
            found[table] = [{k: v for k, v in row.items()
                             if k not in _GENERATED and (keep_id or k != "id")}
                            for row in store.query(sql)]
        return found


def _assert_same(local: Path, spark_db: Path) -> dict[str, list[dict]]:
    expected, got = _tables(local), _tables(spark_db)
    for table in TABLES:
        assert got[table] == expected[table], f"table {table} differs"
    return got


@pytest.fixture(scope="module")
def fixtures_run(spark, tmp_path_factory):
    """The fixtures scanned locally and as a Spark job loaded into SQLite (once per module)."""
    tmp = tmp_path_factory.mktemp("fixtures")
    cfg = _config([FIXTURES], manifest=FIXTURES / "manifest.csv",
                  outlets_files=[FIXTURES / "outlets.json"])
    _local(tmp / "local.db", cfg)
    result, loaded = _on_spark(spark, tmp / "spark.db", tmp / "out", cfg)
    return tmp, result, loaded


def test_fixtures_give_the_local_scans_tables(spark, fixtures_run):
    tmp, result, loaded = fixtures_run
    got = _assert_same(tmp / "local.db", tmp / "spark.db")
    # the fixtures' expected copies are there: kinds, directions and passages
    assert {e["kind"] for e in got["copy_edge"]} == {"exact", "near_duplicate", "partial"}
    assert {e["relation"] for e in got["copy_edge"]} >= {"derived_from"}
    assert all(json.loads(e["passages"]) for e in got["copy_edge"])
    assert len(got["story"]) == 2 and result.counts["copies"]["stories"] == 2
    assert loaded.status == "completed" and loaded.counts["new"] == 32
    with Store(tmp / "spark.db", create=False) as store:
        run = store.runs()[-1]
    assert run.parameters["engine"] == "spark" and run.parameters["master"] == "local[2]"
    assert run.parameters["spark_version"] == spark.version == run.counts["spark_version"]
    # the Parquet tables are there under the SQLite names
    assert {p.name for p in (tmp / "out").iterdir()} >= {
        "article", "citation", "copy_edge", "story", "article_source", "input_error", "run",
        "lsh_key"}


def test_show_report_graph_and_check_work_on_the_loaded_database(fixtures_run, tmp_path):
    db = fixtures_run[0] / "spark.db"
    cli = CliRunner()
    shown = cli.invoke(app, ["show", "kreisbote-20251028-kim-drohnen", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "derived" in shown.output.lower() or "copies" in shown.output.lower()
    graph = cli.invoke(app, ["graph", "--db", str(db), "--format", "json"])
    assert graph.exit_code == 0 and '"derived_from"' in graph.output
    checked = cli.invoke(app, ["check", str(REPO / "examples" / "draft.txt"), "--db", str(db),
                               "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["matches"]
    report = tmp_path / "report.html"
    made = cli.invoke(app, ["report", "--html", str(report), "--db", str(db)])
    assert made.exit_code == 0 and report.exists(), made.output


def test_an_interrupted_load_records_its_run_and_loading_again_completes(
        spark, fixtures_run, tmp_path):
    tmp, _, _ = fixtures_run
    db, inserts = tmp_path / "loaded.db", []

    def interrupt(_conn, _cursor, statement, *_args) -> None:
        # as a Ctrl-C that comes while SQLAlchemy handles the first batch's article rows
        if statement.startswith("INSERT") and "article" in statement:
            inserts.append(statement)
            if len(inserts) == 1:
                raise KeyboardInterrupt

    event.listen(Engine, "after_cursor_execute", interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            engine.load(spark, tmp / "out", db)
    finally:
        event.remove(Engine, "after_cursor_execute", interrupt)
    with Store(db, create=False) as store:
        assert [r.status for r in store.runs()] == ["interrupted"]  # not left `running`
    assert engine.load(spark, tmp / "out", db).status == "completed"
    assert _named_edges(db) == _named_edges(tmp / "spark.db")


def _bad_inputs(folder: Path) -> Path:
    """A folder of good and bad input: broken JSONL lines, an empty file, binary data, a
    truncated gzip, a page with no article."""
    folder.mkdir()
    good = ("Die Hafenbehörde von Hamburg meldete am Montag einen neuen Rekord beim "
            "Containerumschlag. Nach Angaben der Behörde stieg der Umschlag um zwölf Prozent. "
            "Der Hafen profitiere von neuen Verbindungen nach Asien, sagte ein Sprecher.")
    lines = [json.dumps({"id": "ok1", "text": good, "outlet": "dpa", "published": "2025-01-02"}),
             "{not json", "", json.dumps({"id": "nobody", "title": "no text"}),
             json.dumps({"id": "ok1", "text": good + " Nachtrag.", "outlet": "dpa"}),
             json.dumps({"id": "ok2", "text": "Laut Reuters " + good, "published": "bad date"})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "cut.jsonl.gz").write_bytes(gzip.compress(lines[0].encode() * 3)[:-12])
    (folder / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>")
    (folder / "copy.txt").write_text(good, encoding="utf-8")
    (folder / "settings.csv").write_text("a,b\n1,2\n")
    (folder / "family.jsonl").write_text(_family(), encoding="utf-8")
    return folder


def _family(n: int = 22) -> str:
    """A syndication family: one report reprinted by many outlets, each with a line of its own,
    the later ids dated earlier (so that the earliest published are not the smallest ids, should
    `config.PAIR_BUCKET` join large buckets through representatives)."""
    report = ("Der Stadtrat von Bremen hat am Dienstag einen neuen Plan für den Ausbau der "
              "Radwege beschlossen. Bis zum Jahr 2030 sollen mehr als vierzig Kilometer neue "
              "Wege entstehen, teilte die Verwaltung mit. Die Kosten werden auf rund "
              "achtzig Millionen Euro geschätzt, ein Teil kommt aus Mitteln des Bundes. "
              "Kritiker aus der Opposition bemängelten, dass die Pläne zu spät kämen und "
              "wichtige Verbindungen in die Vororte fehlten. Die Bauarbeiten sollen im "
              "Frühjahr beginnen und abschnittsweise erfolgen.")
    return "".join(json.dumps({
        "id": f"fam{i:02d}", "outlet": f"blatt{i}.example", "language": "de",
        "published": f"2025-05-{28 - i:02d}T0{i % 10}:00:00Z",
        "text": f"{report} Ausgabe {i}: Lokale Ergänzung Nummer {i} der Redaktion."}) + "\n"
        for i in range(n))


def test_bad_input_gives_the_same_error_rows_and_the_job_finishes(spark, tmp_path):
    folder = _bad_inputs(tmp_path / "in")
    _local(tmp_path / "local.db", _config([folder]))
    db, out = tmp_path / "spark.db", tmp_path / "out"
    done = CliRunner().invoke(app, ["spark", str(folder), "--out", str(out), "--db", str(db),
                                    "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output)
    assert summary["engine"] == "spark" and summary["spark_version"] == spark.version
    got = _assert_same(tmp_path / "local.db", db)
    kinds = {e["kind"] for e in got["input_error"]}
    assert {"malformed", "empty", "binary", "skipped", "duplicate_id"} <= kinds, kinds
    assert len(got["article"]) >= 3
    assert summary["counts"]["copies"]["copy_edges"] >= 1  # copy.txt repeats the feed's text


def test_a_later_job_scans_new_inputs_against_the_earlier_index(spark, tmp_path):
    first = [FIXTURES / "feeds"]
    later = [FIXTURES / "html", FIXTURES / "seeds", FIXTURES / "texts"]
    outlets = [FIXTURES / "outlets.json"]
    local = tmp_path / "local.db"
    _local(local, _config(first, outlets_files=outlets))
    _local(local, _config(later, outlets_files=outlets, manifest=FIXTURES / "manifest.csv"))
    db = tmp_path / "spark.db"
    _on_spark(spark, db, tmp_path / "a", _config(first, outlets_files=outlets))
    result, _ = _on_spark(spark, db, tmp_path / "b", _config(
        later, outlets_files=outlets, manifest=FIXTURES / "manifest.csv"), [tmp_path / "a"])
    assert result.counts["copies"]["copy_edges"] > 0  # new articles matched archived ones
    _assert_same(local, db)


def _sample(folder: Path) -> list[Path]:
    """A sample of ../shared/data: a JSONL archive recombined from real sentences with
    syndicated copies (../shared/tools/make_corpus.py), news pages, WARC test files."""
    folder.mkdir()
    feed = folder / "corpus.jsonl"
    subprocess.run([sys.executable, str(MAKE_CORPUS), "160", str(feed)], check=True,
                   capture_output=True)
    pages = sorted((DATA / "fundus-news-html" / "test_data").glob("*/*.html.gz"))[:12]
    return [feed, *pages, DATA / "warc-samples" / "warcio-test-data"]


def test_a_sample_of_shared_data_gives_the_local_scans_tables(spark, tmp_path, data_dir):
    if not MAKE_CORPUS.is_file():
        pytest.skip("../shared/tools/make_corpus.py is not present beside the checkout")
    paths = _sample(tmp_path / "in")
    cfg = _config(paths)
    _local(tmp_path / "local.db", cfg)
    result, _ = _on_spark(spark, tmp_path / "spark.db", tmp_path / "out", cfg)
    got = _assert_same(tmp_path / "local.db", tmp_path / "spark.db")
    assert len(got["article"]) > 150 and len(got["copy_edge"]) > 10 and got["story"]
    assert got["input_error"]  # the warcio test data holds broken archives


def _named_edges(db: Path) -> set[tuple[str, str, str]]:
    with Store(db, create=False) as store:
        names = {a.id: a.external_id for a in store.articles()}
        return {(names[e.source_id], names[e.copy_id], e.kind) for e in store.copy_edges()}


def test_jobs_over_a_growing_family_give_the_edges_of_one_scan(spark, tmp_path):
    """A bucket that grows past `config.PAIR_BUCKET` in a later job (earlier copies arrive and
    become its representatives) withdraws pairs compared before: those articles are compared
    again, as the local scan does, so batched jobs give the edges of one scan of everything."""
    family = _family(28).splitlines(keepends=True)  # the later ids are dated earlier
    batches = [family[10:20], family[20:], family[:10]]
    feeds = []
    for n, batch in enumerate(batches):
        feeds.append(tmp_path / f"feed-{n}.jsonl")
        feeds[-1].write_text("".join(batch), encoding="utf-8")
    _local(tmp_path / "whole.db", _config(feeds))
    db, outs, counts = tmp_path / "spark.db", [], []
    for n, feed in enumerate(feeds):
        outs.append(tmp_path / f"out-{n}")
        result, _ = _on_spark(spark, db, outs[-1], _config([feed]), outs[:-1])
        counts.append(result.counts["copies"])
    assert any(c["requeued"] for c in counts)  # earlier copies arrived: pairs were withdrawn
    assert counts[2]["represented_buckets"] > 0  # the family is joined through representatives
    assert _named_edges(db) == _named_edges(tmp_path / "whole.db")


def _jobs_and_scan(spark, tmp_path: Path, batches: list[list[dict]]):
    """Spark jobs over the batches in turn, and one local scan of all: each job's copy counts,
    the jobs' edges, the scan's."""
    feeds = []
    for n, batch in enumerate(batches):
        feeds.append(tmp_path / f"feed-{n}.jsonl")
        feeds[-1].write_text("".join(json.dumps(r) + "\n" for r in batch), encoding="utf-8")
    _local(tmp_path / "whole.db", _config(feeds))
    db, outs, counts = tmp_path / "spark.db", [], []
    for feed in feeds:
        outs.append(tmp_path / f"out-{len(outs)}")
        result, _ = _on_spark(spark, db, outs[-1], _config([feed]), outs[:-1])
        counts.append(result.counts["copies"])
    return counts, _named_edges(db), _named_edges(tmp_path / "whole.db")


def test_jobs_over_a_family_whose_original_comes_last_give_the_edges_of_one_scan(
        spark, tmp_path, monkeypatch):
    """Two copies of one report (one revised, one trimmed) whose keys alone weigh too little
    are compared once their original comes, in a later job (both are strong with it), as one
    scan of all three compares them; `test_candidates` has the local scan's counterpart."""
    from candidate_helpers import scan_keys

    from provenance import config_copies

    text = (FIXTURES / "seeds" / "002_25141ca1b34c2621.txt").read_text(encoding="utf-8")
    words = text.split()
    revised = " ".join("geändert" if i % 9 == 4 else w for i, w in enumerate(words))
    trimmed = " ".join(words[: len(words) * 2 // 5])
    monkeypatch.setattr(config_copies, "CANDIDATE_WEIGHT",
                        len(scan_keys(revised) & scan_keys(trimmed)) + 0.5)
    monkeypatch.setattr(config_copies, "CANDIDATE_KEYS", 10_000)
    monkeypatch.setattr(config_copies, "LIGHT_MIN_SHINGLES", 10_000)
    counts, edges, whole = _jobs_and_scan(spark, tmp_path, [
        [{"id": name, "outlet": f"{name}.example", "published": f"2025-05-0{day}", "text": body}
         for name, body, day in batch]
        for batch in ([("light", revised, 2), ("trim", trimmed, 3)], [("original", text, 1)])])
    assert counts[0]["copy_edges"] == 0 and counts[1]["requeued"] == 1
    assert frozenset(("light", "trim")) in {frozenset(e[:2]) for e in edges}
    assert edges == whole


@pytest.mark.parametrize("light_min", [None, 10_000])
def test_jobs_keep_or_withdraw_an_edge_whose_keys_grow_common_as_one_scan(
        spark, tmp_path, monkeypatch, light_min):
    """Three articles carry one passage; the first two's pair is strong until the third comes,
    light after: a later job keeps its edge when screening leaves the light pair to
    verification, and withdraws it when not, as one scan of all three decides
    (`test_candidates` has the local scan's counterpart)."""
    from candidate_helpers import weigh_between

    words = (FIXTURES / "seeds" / "001_9c298535ef3c6604.txt").read_text(encoding="utf-8").split()
    passage = " ".join(words[40:100])
    own = [" ".join(words[i::7][:60]) + f" Nummer {i}." for i in range(3)]
    texts = [f"{own[i]}\n\n{passage}\n\n{own[(i + 1) % 3][::-1]}" for i in range(3)]
    weigh_between(monkeypatch, *texts, light_min)
    records = [{"id": f"carry-{i}", "published": f"2025-06-0{i + 1}", "text": texts[i]}
               for i in range(3)]
    counts, edges, whole = _jobs_and_scan(spark, tmp_path, [records[:2], records[2:]])
    assert counts[0]["copy_edges"] == 1
    assert counts[1]["requeued"] == (2 if light_min else 0)
    assert bool(edges) != bool(light_min) and edges == whole
