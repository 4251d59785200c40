"""Batched analysis gives exactly what one record at a time gives: `sketch_many` equals `sketch`
text by text, `analyse_many` equals `analyse` record by record (a bad record failing alone), and
the workers' batches turn a bad record into the InputProblem `analyse_item` makes of it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from provenance import analyse as analysis
from provenance.citations import Registry
from provenance.config import MINHASH_CHUNK, FingerprintParams
from provenance.copies.minhash import sketch, sketch_many
from provenance.extract import ExtractionError
from provenance.inputs import RawRecord, discover, read
from provenance.records import InputProblem
from provenance.scan import workers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = FIXTURES / "seeds"

PARAMS = FingerprintParams()


def _records() -> list[RawRecord]:
    """Every record of the bundled fixtures: the seeds, plain texts, HTML pages, a JSONL feed."""
    found = discover([SEEDS, FIXTURES / "texts", FIXTURES / "html", FIXTURES / "feeds"])
    records = [r for f in found if not isinstance(f, InputProblem) for r in read(f)]
    return [r for r in records if isinstance(r, RawRecord)]


def _texts() -> list[str]:
    """The article texts of the fixtures, with texts at the edges of shingling: empty, fewer
    tokens than a shingle, no token at all, a space-less script, and one text with more shingles
    than `MINHASH_CHUNK` (its signature is computed in chunks)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    edges = ["", "Kurz.", "zwei Wörter", "— … —", "北朝鮮とロシアの軍事協力が深まっている。",
             "\n".join(seeds) * (MINHASH_CHUNK // 500 + 2)]
    return seeds + edges + [r.content for r in _records() if r.content_type == "text"]


def _same(a, b) -> bool:
    """Whether two sketches are equal value for value (and dtype for dtype)."""
    return (a.params == b.params and a.band_keys == b.band_keys and a.layout == b.layout
            and a.n_shingles == b.n_shingles and a.signature.dtype == b.signature.dtype
            and np.array_equal(a.signature, b.signature) and a.shingles.dtype == b.shingles.dtype
            and np.array_equal(a.shingles, b.shingles))


@pytest.mark.parametrize("size", [1, 2, 5, 64])
def test_sketch_many_equals_sketch(size):
    texts = _texts()
    assert len(max(texts, key=len).split()) > MINHASH_CHUNK
    for content in (False, True):
        made = [m for at in range(0, len(texts), size)
                for m in sketch_many(texts[at: at + size], PARAMS, content=content)]
        assert len(made) == len(texts)
        assert all(_same(m, sketch(t, PARAMS, content=content))
                   for m, t in zip(made, texts, strict=True))
    assert any(len(m.signature) and m.n_shingles for m in made)


def _comparable(result) -> tuple:
    """An analysed record as comparable values (the sketch apart, its arrays as bytes); an
    exception as its type and message."""
    if isinstance(result, Exception):
        return type(result).__name__, str(result)
    article = result.article
    fields = {f.name: getattr(article, f.name) for f in dataclasses.fields(article)
              if f.name != "sketch"}
    s = article.sketch
    return (repr(fields), result.new_outlet, result.warnings, result.discovered,
            s.signature.tobytes(), s.band_keys, s.shingles.tobytes(), s.layout,
            sorted(result.timings))


def _one(record: RawRecord, registry: Registry):
    """``analyse`` of one record, or the exception it raises."""
    try:
        return analysis.analyse(record, registry, PARAMS)
    except Exception as exc:  # noqa: BLE001 - compared with what analyse_many gives back
        return exc


def test_analyse_many_equals_analyse_with_a_bad_record():
    registry = Registry.load()
    records = _records()
    bad = RawRecord("bad.txt", "bad.txt", None, "text", "text", "Too short.")
    batch = records[:3] + [bad] + records[3:]
    expected = [_comparable(_one(r, registry)) for r in batch]
    assert expected[3][0] == "ExtractionError"
    assert sum(1 for e in expected if e[0] == "ExtractionError") == 1
    for size in (1, 4, len(batch)):
        got = [_comparable(a) for at in range(0, len(batch), size)
               for a in analysis.analyse_many([(r, None) for r in batch[at: at + size]],
                                              registry, PARAMS)]
        assert got == expected


def test_a_failing_batch_sketch_falls_back_to_one_text_at_a_time(monkeypatch):
    registry = Registry.load()
    records = _records()[:4]
    expected = [_comparable(_one(r, registry)) for r in records]

    def broken(texts, params, content=False):
        raise MemoryError("no room for the batch")

    monkeypatch.setattr(analysis, "sketch_many", broken)
    got = analysis.analyse_many([(r, None) for r in records], registry, PARAMS)
    assert [_comparable(a) for a in got] == expected


def test_worker_batches_make_the_same_input_problems():
    workers.prime(Registry.load(), PARAMS)
    records = _records()[:5]
    bad = RawRecord("bad.txt", "bad.txt", "line 2", "jsonl", "text", "Too short.")
    items = [(records[0], None), bad_item := (bad, None), *[(r, None) for r in records[1:]]]
    one = [workers.analyse_item(item) for item in items]
    many = workers.analyse_items(items)
    assert isinstance(many[1], InputProblem) and many[1] == one[1]
    assert many[1].kind == workers.analyse_item(bad_item).kind
    with pytest.raises(ExtractionError):
        analysis.analyse(bad, workers._STATE["registry"], PARAMS)
    assert [_comparable(a) for a in many if not isinstance(a, InputProblem)] == [
        _comparable(a) for a in one if not isinstance(a, InputProblem)]
