"""The scan's worker pool: how records are dealt to the workers."""

from __future__ import annotations

from provenance import config
from provenance.inputs import RawRecord
from provenance.scan.workers import _batches


def _record(chars: int) -> tuple[RawRecord, None]:
    return RawRecord("p.html", "/p.html", None, "html", "html", "x" * chars), None


def test_web_pages_go_to_the_workers_a_few_at_a_time_and_short_articles_in_full_batches():
    page = config.POOL_CHUNK_CHARS // 2 + 1  # two pages fill a batch
    pages = [len(b) for b in _batches(iter([_record(page) for _ in range(7)]), 8)]
    assert pages == [2, 2, 2, 1]
    short = [len(b) for b in _batches(iter([_record(100) for _ in range(20)]), 8)]
    assert short == [8, 8, 4]


def test_batches_keep_every_item_in_order_problems_and_file_ends_too():
    items = [_record(config.POOL_CHUNK_CHARS), "problem", _record(10), "file done"]
    batches = list(_batches(iter(items), 8))
    assert [item for batch in batches for item in batch] == items
    assert len(batches[0]) == 1
