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


_ANALYSE = """
import json, sys
from pathlib import Path
from provenance.config import FingerprintParams
from provenance.inputs import RawRecord
from provenance.scan import workers
from provenance.scan.registry import registry_of
workers.prime(registry_of(None), FingerprintParams())
if sys.argv[1] == "warm":
    workers.warm()
path = Path(sys.argv[2])
record = RawRecord(str(path), str(path), None, "text", "text", path.read_text(encoding="utf-8"))
article = workers.analyse_item((record, None)).article
print(json.dumps([sorted(str(c) for c in article.citations),
                  b"".join(article.sketch.band_keys).hex(), article.sketch.layout.hex(),
                  article.language, article.text_hash, [str(z) for z in article.zones]]))
"""


def test_the_warm_up_before_the_workers_fork_changes_no_analysis():
    import json
    import subprocess
    import sys
    from pathlib import Path

    seed = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))[0]
    found = [subprocess.run([sys.executable, "-c", _ANALYSE, mode, str(seed)], check=True,
                            capture_output=True, text=True).stdout for mode in ("warm", "cold")]
    assert found[0] == found[1]
    assert json.loads(found[0])[0]  # the seed names sources: the citation stage ran
