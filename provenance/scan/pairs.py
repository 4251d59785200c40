"""Screening and verification of a chunk's candidate pairs: the copy phase's work in the workers.

A task holds one chunk's candidate pairs with what judging them needs. Where the workers read
the database themselves (`workers_read`: a scan of a database file, with workers), one task
per chunk (`match_task`) reads the fingerprints of its pairs' articles (from the worker's own
cache, `scan.prints`, else from the store: with dense reuse an article is in the pairs of many
chunks, and the scan's process would otherwise read and send it for each) and screens and
verifies the pairs in one pass. Otherwise the copy phase reads for each chunk first the stored
shingle sets (`ScreenTask`: a pair that shares no text outside the boilerplate cannot verify),
then the texts of the pairs left (`VerifyTask`; a task verified in the process that built it
carries the fingerprints that process's cache holds instead). Pairs are verified on their
fingerprints (`copies.verify`), directed (`copies.orient`) and made into `records.CopyEdge`s,
which go to the scan's process as the values of their rows (`store.rows.copy_edge_values`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from provenance import config, config_copies
from provenance.config import FingerprintParams, Thresholds
from provenance.copies import Fingerprint, in_sorted
from provenance.copies.batch import screen_and_verify, share_text
from provenance.copies.direction import directed_edge
from provenance.records import Article, CopyEdge
from provenance.scan.boilerplate import noise_keys, pair_noise, same_site
from provenance.scan.prints import PRINTS
from provenance.scan.reads import ChunkReads
from provenance.store.base import slices
from provenance.store.database import MEMORY, Store
from provenance.store.rows import copy_edge_values

Pair = tuple[str, str]
Shared = tuple[str, int]  # a database file the workers read, and the scan's process id

_EMPTY = np.zeros(0, dtype=np.uint64)
_NO: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ScreenTask:
    """A chunk's candidate pairs with the stored shingle sets and boilerplate they need."""

    chunk: list[str]
    pairs: list[Pair]
    shingles: dict[str, np.ndarray]
    publishers: dict[str, str | None]
    boilerplate: dict[str, np.ndarray]
    # the database a worker reads the pairs' articles from itself (`reading`), when the task
    # does not carry their shingle sets: it then screens and verifies them in one pass, with
    # these parameters and thresholds (`match_task`)
    database: Shared | None = None
    params: FingerprintParams | None = None
    # light pairs (`copies.candidates`: their keys weigh too little) must share at least
    # `config_copies.LIGHT_MIN_SHINGLES` shingles outside the boilerplate to be verified
    light: frozenset[Pair] = frozenset()
    thresholds: Thresholds | None = None


@dataclass(frozen=True)
class Screened:
    """The pairs of a chunk that screening left, how many candidates there were, and how many
    light pairs screening left."""

    chunk: list[str]
    pairs: list[Pair]
    candidates: int
    light: int = 0


@dataclass(frozen=True)
class VerifyTask:
    """A chunk's pairs left by screening, with the articles (text, stored sketch) and facts
    that verifying and directing them needs."""

    screened: Screened
    params: FingerprintParams
    thresholds: Thresholds
    articles: dict[str, Article]
    boilerplate: dict[str, np.ndarray]
    cited: dict[str, set[str]]
    # fingerprints the verifying process made already (a task verified where it was built, or
    # held in the cache of the worker that reads the database): their articles carry no text
    prints: dict[str, Fingerprint] = field(default_factory=dict)


def screen_task(task: ScreenTask) -> Screened:
    """The pairs of a chunk that `verify` could accept, judged from the shingle sets the task
    carries alone (runs in a worker)."""
    noises = _Noise(task.boilerplate)
    ids = sorted({i for pair in task.pairs for i in pair})
    number = {article_id: k for k, article_id in enumerate(ids)}
    shingles, light = task.shingles, task.light
    shares = share_text([shingles.get(i, _EMPTY) for i in ids],
                        [(number[a], number[b]) for a, b in task.pairs],
                        [noises.of(task.publishers.get(a), task.publishers.get(b))
                         for a, b in task.pairs],
                        [config_copies.LIGHT_MIN_SHINGLES if pair in light else 1
                         for pair in task.pairs]
                        if light else None)
    kept = [pair for pair, shared in zip(task.pairs, shares, strict=True) if shared]
    return Screened(task.chunk, kept, len(task.pairs) - len(light),
                    sum(1 for pair in kept if pair in light) if light else 0)


def may_share_text(a: np.ndarray, b: np.ndarray, noise: np.ndarray) -> bool:
    """``not copies.no_common_text(a, b, noise)``, computed the cheaper way round: the shingles
    two sets share outside the noise are those they share, less the noise (all sorted)."""
    if len(a) == len(b) and np.array_equal(a, b):
        return True
    common = np.intersect1d(a, b, assume_unique=True)
    return bool(len(common)) and not (len(noise) and bool(in_sorted(common, noise).all()))


def verify_task(task: VerifyTask) -> tuple[Screened, list[tuple]]:
    """Verify one chunk's screened pairs (runs in a worker): the chunk and its directed copy
    edges, as the values of their rows (`store.rows.copy_edge_values`: the texts stay in the
    worker, and the scan's process, which writes them, unpickles a fifth of what edge records
    cost it)."""
    return task.screened, [copy_edge_values(edge) for edge in _verify_pairs(task)[0]]


def match_task(task: ScreenTask) -> tuple[Screened, list[tuple]]:
    """Screen and verify one chunk's candidate pairs in one pass, in a worker that reads the
    database itself (``task.database``): the fingerprints of the pairs' articles come from
    this process's cache, else are read; a pair is verified where screening would leave it
    (`copies.batch.screen_and_verify`: the shingles a pair shares outside its noise, which
    screening counts, are found while verifying it). The chunk, with the pairs screening left,
    and its edges, as `verify_task` gives them."""
    ids = sorted({i for pair in task.pairs for i in pair})
    found: dict = {"articles": {}, "cited": {}}
    if ids and task.database is not None and task.params is not None:
        with reading(task.database) as store:
            found = _held_and_read(store, ids, task.params)
    verify = VerifyTask(Screened(task.chunk, task.pairs, len(task.pairs) - len(task.light)),
                        task.params, task.thresholds, boilerplate=task.boilerplate, **found)
    edges, kept = _verify_pairs(verify, task.light)
    light = sum(1 for pair in kept if pair in task.light) if task.light else 0
    return (Screened(task.chunk, kept, verify.screened.candidates, light),
            [copy_edge_values(edge) for edge in edges])


def _held_and_read(store: Store, ids: list[str], params: FingerprintParams) -> dict:
    """The articles, cited outlets and fingerprints of a task's ``ids`` (`VerifyTask` fields):
    from this process's cache where it holds them (`Prints.held`), else read from ``store``
    (text, layout and stored sketch with them)."""
    prints, held = PRINTS.known(ids, params), PRINTS.held(ids, params)
    rest = [i for i in ids if i not in held]
    articles = {a.id: a for a in store.pair_articles(rest, params)}
    cited = store.cited_outlets(rest)
    for article_id, (article, outlets) in held.items():
        articles[article_id] = article
        if outlets:
            cited[article_id] = outlets
    return {"articles": articles, "cited": cited, "prints": prints}


# The databases this (worker) process reads tasks' data from, by path (`reading`).
_READERS: dict[str, Store] = {}


@contextmanager
def reading(database: Shared) -> Iterator[Store]:
    """A connection of this process to the scan's database (``database``: its path, and the
    scan's process id), for reading what a task needs beside the scan's process, which writes
    the edges (SQLite's WAL lets readers read while one writer writes). A worker keeps its
    connection; in the scan's own process (a task run there: too few for the pool) one is
    opened for the task and closed, so that no worker forked later inherits it."""
    path, scan_process = database
    if os.getpid() == scan_process:
        with Store(path, create=False) as store:
            yield store
        return
    found = _READERS.get(path)
    if found is None:
        found = _READERS[path] = Store(path, create=False)
    yield found


def _verify_pairs(task: VerifyTask, light: frozenset[Pair] | None = None
                  ) -> tuple[list[CopyEdge], list[Pair]]:
    """Verified, directed copy edges for the candidate pairs of a task (verified all at once,
    `copies.batch.screen_and_verify`: the verdicts of `copies.verify` on each pair), and the
    pairs screening left. Pairs not yet screened are screened first (``light`` given: a pair
    must share a shingle outside its noise, a light pair `LIGHT_MIN_SHINGLES`)."""
    if not task.screened.pairs:
        return [], []
    noises = _Noise(task.boilerplate)
    ids = sorted({i for pair in task.screened.pairs for i in pair})
    number = {article_id: k for k, article_id in enumerate(ids)}
    articles = [task.articles[i] for i in ids]
    prints = [task.prints.get(i) or PRINTS.fingerprint(task.articles[i], task.params,
                                                       task.cited.get(i, _NO))
              for i in ids]
    own = [noises.own(article.publisher_id) for article in articles]
    pairs, pair_noise, sites = [], [], []
    for a, b in task.screened.pairs:
        article_a, article_b = task.articles[a], task.articles[b]
        pairs.append((number[a], number[b]))
        pair_noise.append(noises.of(article_a.publisher_id, article_b.publisher_id))
        sites.append(noises.same_site(article_a.publisher_id, article_b.publisher_id))
    least = None if light is None else [
        config_copies.LIGHT_MIN_SHINGLES if pair in light else 1 for pair in task.screened.pairs]
    matches, passed = screen_and_verify(prints, own, pairs, pair_noise, sites, least,
                                        task.thresholds)
    edges = []
    for (i, j), match in zip(pairs, matches, strict=True):
        if match is None:
            continue
        article_a, article_b = articles[i], articles[j]
        edges.append(directed_edge(article_a, article_b, match, task.cited.get(article_a.id, _NO),
                                   task.cited.get(article_b.id, _NO)))
    return edges, [pair for pair, kept in zip(task.screened.pairs, passed, strict=True) if kept]


# --- building the tasks (in the scan's process) -------------------------------------------------


def screen_tasks(store: Store, new_ids: list[str], by_chunk: dict, names: list[str],
                 settings: tuple[FingerprintParams, Thresholds], local: bool, read: ChunkReads
                 ) -> Iterator[ScreenTask]:
    """Per chunk of new articles (``by_chunk``: its pair codes, which ``names`` decodes): its
    candidate pairs with their stored shingle sets. When the tasks run in this process
    (``local``), the shingle sets of the fingerprints it holds already (`PRINTS`) are not read
    again, and what is read for a chunk is kept in ``read`` for its verification. When they
    run in workers that can open the database (`workers_read`), each worker reads the pairs'
    articles (from its own cache first) and screens and verifies them in one pass
    (`match_task`, with these parameters and thresholds: ``settings``)."""
    params, thresholds = settings
    shared = None if local else shared_file(store)
    for index, chunk in enumerate(slices(new_ids, config.MATCH_CHUNK)):
        codes, light = by_chunk.pop(index, (_EMPTY, _EMPTY))
        pairs = sorted((names[code >> 32], names[code & 0xFFFFFFFF]) for code in codes.tolist())
        if not pairs:
            yield ScreenTask(chunk, [], {}, {}, {})
            continue
        light = frozenset((names[code >> 32], names[code & 0xFFFFFFFF])
                          for code in light.tolist())
        ids = sorted({i for pair in pairs for i in pair})
        publishers = read.publishers(store, ids)
        boilerplate = read.boilerplate(store, noise_keys(publishers.values()))
        if shared is not None:
            yield ScreenTask(chunk, pairs, {}, publishers, boilerplate, shared, params, light,
                             thresholds)
            continue
        read.keep(chunk, boilerplate)
        shingles = PRINTS.stored_shingles(ids, params) if local else {}
        shingles.update(store.shingle_sets([i for i in ids if i not in shingles]))
        yield ScreenTask(chunk, pairs, shingles, publishers, boilerplate, light=light)


def verify_task_of(store: Store, screened: Screened, params: FingerprintParams,
                   thresholds: Thresholds, local: bool, read: ChunkReads) -> VerifyTask:
    """A chunk's remaining candidate pairs with the articles and facts that verifying needs
    (the boilerplate its screening read: ``read``).

    When the task is verified in this process (``local``), the fingerprints this process has
    made already go with it instead of the texts, which are then not read again, nor their
    articles' publication times and citations. (Workers that read the database screen and
    verify a chunk in one task: `match_task`.)
    """
    task = VerifyTask(screened, params, thresholds, {}, {}, {})
    boilerplate = read.take(screened.chunk)
    if not screened.pairs:
        return task
    ids = sorted({i for pair in screened.pairs for i in pair})
    found = _held_and_read(store, ids, params) if local else {
        "articles": {a.id: a for a in store.pair_articles(ids, params)},
        "cited": store.cited_outlets(ids)}
    return replace(task, **found, boilerplate=_noise_of(
        store, (a.publisher_id for a in found["articles"].values()), boilerplate))


def _noise_of(store: Store, publishers: Iterable[str | None],
              boilerplate: dict[str, np.ndarray] | None) -> dict[str, np.ndarray]:
    """The boilerplate that the pairs of these publishers' articles may need: of what was
    read for the chunk already (``boilerplate``), else read."""
    keys = noise_keys(publishers)
    if boilerplate is None:
        return store.boilerplate(keys)
    return {key: boilerplate[key] for key in keys if key in boilerplate}


def workers_read(store: Store, local: bool) -> bool:
    """Whether the tasks of the copy phase run in workers that read the database themselves
    (then one task screens and verifies a chunk: `match_task`)."""
    return not local and shared_file(store) is not None


def shared_file(store: Store) -> Shared | None:
    """The database file that workers open to read their tasks' data themselves, with this
    process's id (None: a database in memory, which only this process sees; the tasks then
    carry the data)."""
    return None if store.path == MEMORY else (store.path, os.getpid())


class _Noise:
    """The boilerplate of a pair of publishers (both outlets' learnt shingles), memoised."""

    def __init__(self, boilerplate: dict[str, np.ndarray]):
        self.boilerplate = boilerplate
        self.seen: dict[tuple[str | None, str | None], np.ndarray] = {}
        self.sites: dict[tuple[str | None, str | None], bool] = {}

    def of(self, outlet_a: str | None, outlet_b: str | None) -> np.ndarray:
        """The union of the two outlets' boilerplate shingles, the archive's recurring
        passages and, for two pages of one site, the site's template (sorted)."""
        key = (outlet_a, outlet_b)
        if key not in self.seen:
            self.seen[key] = pair_noise(self.boilerplate, outlet_a, outlet_b)
        return self.seen[key]

    def same_site(self, outlet_a: str | None, outlet_b: str | None) -> bool:
        """Whether the two outlets are one site (`scan.boilerplate.same_site`), memoised."""
        key = (outlet_a, outlet_b)
        found = self.sites.get(key)
        if found is None:
            found = self.sites[key] = same_site(outlet_a, outlet_b)
        return found

    def own(self, outlet: str | None) -> np.ndarray:
        """What every pair of an outlet's article ignores: its boilerplate and the archive's
        recurring passages (a pair of two sites ignores the union of its articles' own)."""
        return self.of(outlet, None)
