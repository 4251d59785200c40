"""Body-text extraction of real pages against trafilatura's own evaluation labels, and its cost.

The trafilatura evaluation set (`../shared/data/trafilatura-eval`, read at run time, never
copied) labels 990 real pages (mostly German and English news) with text snippets that the
main text must hold (`with`: the article) and snippets it must not hold (`without`: menus,
footers, dates, share buttons). A snippet counts as found when it occurs in the extracted
text, whitespace collapsed, as trafilatura's own evaluation counts it: precision and recall
are over snippets, summed over all pages.

Three extractors on the same pages, each with its CPU seconds:

- provenance: `extract.extract_html`, the body text a scan stores (a page that yields no
  article scores as an empty text);
- trafilatura: `bare_extraction(with_metadata=True, include_comments=False)`, the baseline of
  the HTML speed figure (`bench_scan.py`), on the same decoded pages;
- trafilatura fast: the same with `fast=True` (no readability/jusText fallback), the cheaper
  extraction the speed target would need: what it would cost in recall.

Usage: python benchmarks/bench_extraction.py [--data DIR] [--limit N] [--errors N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from provenance.extract import extract_html
from provenance.extract.text import ExtractionError
from provenance.inputs.decode import decode

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EVAL = "trafilatura-eval"


@dataclass(frozen=True)
class Page:
    """A labelled page: its URL (or the set's id for it), HTML, and snippets."""

    url: str
    html: str
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass
class Score:
    """Snippets found and missed over many pages."""

    true_pos: int = 0  # `with` snippets in the text
    false_neg: int = 0  # `with` snippets missing
    false_pos: int = 0  # `without` snippets in the text
    true_neg: int = 0  # `without` snippets kept out
    cpu: float = 0.0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (url, snippet)

    def add(self, page: Page, text: str) -> None:
        flat = _flat(text)
        for snippet in page.with_:
            if _flat(snippet) in flat:
                self.true_pos += 1
            else:
                self.false_neg += 1
                self.missed.append((page.url, snippet))
        for snippet in page.without:
            if _flat(snippet) in flat:
                self.false_pos += 1
            else:
                self.true_neg += 1

    @property
    def precision(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_pos)

    @property
    def recall(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_neg)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        right = self.true_pos + self.true_neg
        return right / max(1, right + self.false_pos + self.false_neg)


def _flat(text: str) -> str:
    return " ".join(text.split())


def pages(data: Path, limit: int | None = None) -> Iterator[Page]:
    """The labelled pages of the set, in the order of its label file, decoded as a scan decodes
    a page (`inputs.decode`: its charset, control characters removed); a page whose file is
    missing is left out with a line on stderr."""
    folder = data / EVAL
    labels = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    for number, (url, entry) in enumerate(labels.items()):
        if limit is not None and number >= limit:
            return
        found = [folder / sub / f"{entry['file']}.gz" for sub in ("eval", "cache")]
        path = next((p for p in found if p.exists()), None)
        if path is None:
            print(f"missing page {entry['file']} (of {url}): left out", file=sys.stderr)
            continue
        html, _warnings = decode(gzip.decompress(path.read_bytes()), html=True)
        yield Page(url, html, tuple(entry["with"]), tuple(entry["without"]))


def provenance_text(page: Page) -> str:
    """The body text a scan stores for the page (empty when it yields no article)."""
    url = page.url if page.url.startswith("http") else None
    try:
        return extract_html(page.html, url).text
    except ExtractionError:
        return ""


def trafilatura_text(page: Page, fast: bool = False) -> str:
    """trafilatura's body text, as the HTML speed baseline calls it."""
    doc = trafilatura.bare_extraction(page.html, with_metadata=True, include_comments=False,
                                      fast=fast)
    return (doc.text or "") if doc is not None else ""


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "provenance": provenance_text,
    "trafilatura": trafilatura_text,
    "trafilatura fast": lambda page: trafilatura_text(page, fast=True),
}


def score(extract: Callable[[Page], str], labelled: list[Page]) -> Score:
    """The snippets ``extract`` finds and misses on ``labelled``, and its CPU seconds."""
    found = Score()
    for page in labelled:
        start = time.process_time()
        text = extract(page)
        found.cpu += time.process_time() - start
        found.add(page, text)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="the first N labelled pages")
    parser.add_argument("--errors", type=int, default=0,
                        help="list N `with` snippets provenance misses and trafilatura finds")
    args = parser.parse_args(argv)
    if not (args.data / EVAL / "evaldata.json").exists():
        sys.exit(f"Error: {args.data / EVAL} not found (use --data to point at the shared data)")
    labelled = list(pages(args.data, args.limit))
    print(f"trafilatura-eval: {len(labelled)} labelled pages, "
          f"{sum(len(p.with_) for p in labelled)} `with` and "
          f"{sum(len(p.without) for p in labelled)} `without` snippets")
    print(f"{'extractor':18} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>8} {'CPU s':>6}")
    scores = {}
    for name, extract in EXTRACTORS.items():
        scores[name] = found = score(extract, labelled)
        print(f"{name:18} {found.precision:9.4f} {found.recall:7.4f} {found.f1:6.4f} "
              f"{found.accuracy:8.4f} {found.cpu:6.1f}")
    ours, theirs = scores["provenance"], scores["trafilatura"]
    print(f"provenance - trafilatura: precision {ours.precision - theirs.precision:+.4f}, "
          f"recall {ours.recall - theirs.recall:+.4f}")
    if args.errors:
        found_by_them = set(theirs.missed)
        for url, snippet in [m for m in ours.missed if m not in found_by_them][:args.errors]:
            print(f"  missed: {url}: {snippet[:80]!r}")


if __name__ == "__main__":
    main()
