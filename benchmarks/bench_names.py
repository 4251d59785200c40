"""Speed of `Registry.find_mentions` on real news text, with the packaged registry and with it
padded by synthetic outlets to a given size (to see how matching scales with the registry).

Texts are read at run time from the shared data folder (PolNeAR and SpkAtt plain texts) and
never copied into the repo. Synthetic outlets are built from capitalised words of those texts
("Springfield Courier", acronyms, domains), so that their names start like real words do.

Usage: python benchmarks/bench_names.py [--data DIR] [--docs N] [--outlets N] [--repeat N]
                                      [--registry FILE_OR_FOLDER]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from provenance.citations import Registry

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NOUNS = ("Courier", "Herald", "Gazette", "Tribune", "Post", "Journal", "Chronicle", "Observer",
         "Daily", "Radio", "TV", "News", "Bote", "Zeitung", "Anzeiger", "Rundschau", "Express")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,12}\b")


def read_texts(data: Path, docs: int) -> list[str]:
    """Up to `docs` plain news texts: PolNeAR (English) then SpkAtt (German) documents."""
    paths = sorted((data / "polnear-attribution" / "train" / "text").glob("*.txt"))[:docs // 2]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    for path in sorted((data / "spkatt2023-task2-de-wikinews").rglob("*.json*")):
        if len(texts) >= docs:
            break
        texts += _spkatt_texts(path, docs - len(texts))
    return texts


def _spkatt_texts(path: Path, limit: int) -> list[str]:
    """The document texts of one SpkAtt file (token lists joined), at most `limit`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    found = []
    for doc in data if isinstance(data, list) else [data]:
        tokens = [t for s in doc.get("Sentences", []) for t in s.get("Tokens", [])]
        if tokens:
            found.append(" ".join(str(t) for t in tokens))
    return found[:limit]


def synthetic_outlets(texts: list[str], count: int, base: Registry,
                      seed: int = 13) -> list[dict]:
    """`count` made-up outlets named after capitalised words of `texts`, none named like an
    outlet of `base`."""
    rng = random.Random(seed)
    words = sorted({w for t in texts for w in _CAPITALISED.findall(t)})
    outlets, seen = [], set()
    while len(outlets) < count:
        place, noun = rng.choice(words), rng.choice(NOUNS)
        name = f"{place} {noun}"
        acronym = "".join(rng.choice("ABCDEFGHKLMNPRSTVWZ") for _ in range(rng.choice((3, 4))))
        key = f"syn_{len(outlets)}"
        variant = f"{place}er {noun}"
        if {name.lower(), variant.lower(), acronym} & seen or base.by_name(acronym) or base.by_name(
                name) or base.by_name(variant):
            continue
        seen |= {name.lower(), variant.lower(), acronym}
        outlets.append({"id": key, "name": name, "kind": "newspaper", "country": "ZZ",
                        "domains": [f"{place.lower()}-{noun.lower()}-{len(outlets)}.example"],
                        "aliases": [name, variant], "acronyms": [acronym]})
    return outlets


def time_find(registry: Registry, texts: list[str], repeat: int) -> tuple[float, int]:
    """Best of `repeat` passes over `texts`: milliseconds per text, and the hits found."""
    best, hits = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        hits = sum(len(registry.find_mentions(t, include_ambiguous=True)) for t in texts)
        best = min(best, time.perf_counter() - started)
    return 1000 * best / max(1, len(texts)), hits


def main() -> None:
    """Time the packaged registry, then the registry padded to --outlets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--outlets", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--registry", type=Path, default=None,
                        help="a registry file or folder instead of the packaged registry")
    args = parser.parse_args()
    texts = read_texts(args.data, args.docs)
    chars = statistics.mean(len(t) for t in texts) if texts else 0
    print(f"{len(texts)} texts, mean {chars:.0f} characters")
    started = time.perf_counter()
    base = Registry.load(args.registry)
    print(f"{args.registry or 'packaged'} registry: {len(base)} outlets, loaded in "
          f"{time.perf_counter() - started:.2f} s")
    ms, hits = time_find(base, texts, args.repeat)
    print(f"  find_mentions {ms:.3f} ms/text, {hits} hits")
    padding = max(0, args.outlets - len(base))
    if padding:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "synthetic.json"
            path.write_text(json.dumps({"version": "bench", "outlets": synthetic_outlets(
                texts, padding, base)}), encoding="utf-8")
            started = time.perf_counter()
            padded = Registry.load(args.registry, extra=[path])
            loaded = time.perf_counter() - started
        ms, hits = time_find(padded, texts, args.repeat)
        print(f"padded registry: {len(padded)} outlets, loaded in {loaded:.2f} s")
        print(f"  find_mentions {ms:.3f} ms/text, {hits} hits")


if __name__ == "__main__":
    main()
