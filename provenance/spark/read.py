"""Reading and analysing inputs on the executors: one task per input file, the local stages.

The driver finds the files (`inputs.discover`, the same walk and order as the local scan) and
loads the manifest; the files are dealt into partitions of about equal size and read with
`inputs.read` (reading is cheap: a feed of 100k articles is one file); the records are then
spread evenly over the cluster and analysed with `scan.workers.analyse_item`, the function the
local scan's worker processes run, so a bad record becomes the same `InputProblem`. Every item
carries its place in the local scan's order (`Order`), so that the loader can write the
articles, problems and files in that order.

The registry travels once per executor: its extra files are broadcast (a few kB, not the 4 MB
of the loaded registry) and each Python worker loads the registry from them once (`_state`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from provenance.citations import Registry
from provenance.citations.registry_files import RegistryFile
from provenance.config import FingerprintParams
from provenance.inputs import (
    FileDone,
    RawRecord,
    SourceFile,
    content_key,
    discover,
    file_key,
    load_manifest,
)
from provenance.inputs import read as read_file
from provenance.records import SKIPPED, InputProblem

# (section, file index, record index): section 0 holds the problems of the file walk, which
# the local scan writes first; section 1 the records of each file, then its FileDone.
Order = tuple[int, int, int]


@dataclass(frozen=True)
class Plan:
    """What the driver found: the files to read (with their manifest entries and keys), and the
    problems of the walk (files that are not articles), each with its order."""

    files: list[tuple[int, SourceFile, dict | None, str]]  # (index, file, manifest entry, key)
    problems: list[tuple[Order, InputProblem]]


@dataclass(frozen=True)
class Settings:
    """What every task needs besides its file (broadcast once)."""

    registry_files: tuple[RegistryFile, ...]
    params: FingerprintParams
    max_document_bytes: int


def plan(paths: list[Path], manifest: Path | None, outlets_files: Iterable[Path],
         follow_hidden: bool = False) -> Plan:
    """The files under `paths` in the local scan's order, and the problems of the walk (the
    manifest and registry files given as settings are not reported as skipped)."""
    entries = load_manifest(manifest) if manifest else {}
    settings = {str(Path(p).resolve()) for p in (manifest, *outlets_files) if p}
    files, problems = [], []
    for index, item in enumerate(discover(paths, follow_hidden=follow_hidden)):
        if isinstance(item, InputProblem):
            if not (item.kind == SKIPPED and str(Path(item.path).resolve()) in settings):
                problems.append(((0, index, 0), item))
            continue
        entry = entries.get(item.resolved)
        files.append((index, item, entry, file_key(item, entry)))
    return Plan(files, problems)


def balanced(files: list[tuple[int, SourceFile, dict | None, str]], slices: int
             ) -> list[list[tuple[int, SourceFile, dict | None, str]]]:
    """The files dealt into `slices` partitions of about equal bytes (largest first, each to
    the lightest partition); a large file stays whole in one partition."""
    parts: list[list] = [[] for _ in range(max(1, min(slices, len(files))))]
    weights = [0] * len(parts)
    for item in sorted(files, key=lambda f: (-f[1].size, f[0])):
        lightest = weights.index(min(weights))
        parts[lightest].append(item)
        weights[lightest] += item[1].size + 1
    return [p for p in parts if p]


_STATE: dict = {}


def _state(settings: Settings) -> None:
    """Prime this Python worker with the registry and parameters (once per worker process)."""
    from provenance.scan import workers

    key = (settings.registry_files, settings.params)
    if _STATE.get("key") != key:
        registry = Registry.load(stored=settings.registry_files)
        workers.prime(registry, settings.params)
        _STATE["key"] = key


def read_partition(items: Iterable[tuple[int, SourceFile, dict | None, str]],
                   settings: Settings) -> Iterator[tuple[Order, object]]:
    """Read the files of one partition: (order, (RawRecord, manifest entry) | InputProblem |
    FileDone) for each record, problem and finished file."""
    for index, file, entry, key in items:
        n = 0
        for seq, outcome in enumerate(read_file(file, settings.max_document_bytes)):
            if isinstance(outcome, RawRecord):
                n += 1
                yield (1, index, seq), (outcome, entry)
            else:
                yield (1, index, seq), outcome
        yield (1, index, 1 << 30), FileDone(file, n, key, content_key(file, entry))


def analyse_partition(items: Iterable[tuple[Order, object]], settings: Settings
                      ) -> Iterator[tuple[Order, object]]:
    """Analyse the records of one partition (`scan.workers.analyse_item`: an Analysed, or the
    InputProblem of a record that holds no article); problems and file ends pass through."""
    from provenance.scan import workers

    _state(settings)
    for order, item in items:
        yield order, workers.analyse_item(item)
