"""Screening and verification of a chunk's candidate pairs: the copy phase's work in the workers.

A task holds one chunk's candidate pairs with what judging them needs, read from the store by
the copy phase (`scan.copy_phase`): first the stored shingle sets (`ScreenTask`: a pair that
shares no text outside the boilerplate cannot verify), then the texts of the pairs left
(`VerifyTask`), verified on their fingerprints (`copies.verify`), directed (`copies.orient`) and
made into `records.CopyEdge`s, which go to the scan's process as the values of their rows
(`store.rows.copy_edge_values`). An article's fingerprint is read from the token layout stored
when it was analysed (`copies.layout`: its text is not tokenised again, nor read); an article
stored without one is fingerprinted from its text. Each process keeps the fingerprints in a cache
bounded by `config.VERIFY_CACHE_BYTES` (with what verifying computed once per text: the sorted
positions of its shingles), and a task built in the process that verifies it carries the cached
fingerprints instead. A worker process reads a task's shingle sets and articles from the
database itself (`reading`), but those its own cache holds: with dense reuse an article is
in the pairs of many chunks, and the scan's process would otherwise read and send it for each.
"""

from __future__ import annotations

import copy
import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from provenance import config, config_copies
from provenance.config import FingerprintParams, Thresholds
from provenance.copies import Fingerprint, fingerprint, in_sorted
from provenance.copies.batch import share_text, verify_many
from provenance.copies.direction import directed_edge
from provenance.copies.layout import unpack as unpack_layout
from provenance.records import Article, CopyEdge
from provenance.scan.boilerplate import noise_keys, pair_noise, same_site
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
    # the database the worker reads the shingle sets from itself (`reading`; the parameters
    # say which fingerprints of its cache hold them), when the task does not carry them
    database: Shared | None = None
    params: FingerprintParams | None = None
    # light pairs (`copies.candidates`: their keys weigh too little) must share at least
    # `config_copies.LIGHT_MIN_SHINGLES` shingles outside the boilerplate to be verified
    light: frozenset[Pair] = frozenset()


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
    # fingerprints the verifying process made already (a task verified where it was built):
    # their articles carry no text
    prints: dict[str, Fingerprint] = field(default_factory=dict)
    # the database the worker reads the articles from itself (`reading`), when the task
    # does not carry them: only those whose fingerprints its cache does not hold
    database: Shared | None = None


def screen_task(task: ScreenTask) -> Screened:
    """The pairs of a chunk that `verify` could accept, judged from their shingle sets alone
    (runs in a worker)."""
    noises = _Noise(task.boilerplate)
    ids = sorted({i for pair in task.pairs for i in pair})
    number = {article_id: k for k, article_id in enumerate(ids)}
    shingles = task.shingles
    if task.database is not None and task.params is not None and task.pairs:
        shingles = PRINTS.stored_shingles(ids, task.params)
        with reading(task.database) as store:
            shingles.update(store.shingle_sets([i for i in ids if i not in shingles]))
    light = task.light
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
    """Verify one chunk's candidate pairs (runs in a worker): the chunk and its directed copy
    edges, as the values of their rows (`store.rows.copy_edge_values`: the texts stay in the
    worker, and the scan's process, which writes them, unpickles a fifth of what edge records
    cost it)."""
    if task.database is not None and task.screened.pairs and not task.articles:
        ids = sorted({i for pair in task.screened.pairs for i in pair})
        with reading(task.database) as store:
            task = replace(task, **_held_and_read(store, ids, task.params))
    return task.screened, [copy_edge_values(edge) for edge in _verify_pairs(task)]


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


def _verify_pairs(task: VerifyTask) -> list[CopyEdge]:
    """Verified, directed copy edges for the candidate pairs of a task (verified all at once,
    `copies.batch.verify_many`: the verdicts of `copies.verify` on each pair)."""
    if not task.screened.pairs:
        return []
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
    edges = []
    for (i, j), match in zip(pairs, verify_many(prints, own, pairs, pair_noise, sites,
                                                task.thresholds), strict=True):
        if match is None:
            continue
        article_a, article_b = articles[i], articles[j]
        edges.append(directed_edge(article_a, article_b, match, task.cited.get(article_a.id, _NO),
                                   task.cited.get(article_b.id, _NO)))
    return edges


# --- building the tasks (in the scan's process) -------------------------------------------------


def screen_tasks(store: Store, new_ids: list[str], by_chunk: dict, names: list[str],
                 params: FingerprintParams, local: bool, read: ChunkReads
                 ) -> Iterator[ScreenTask]:
    """Per chunk of new articles (``by_chunk``: its pair codes, which ``names`` decodes): its
    candidate pairs with their stored shingle sets. When the tasks run in this process
    (``local``), the shingle sets of the fingerprints it holds already (`PRINTS`) are not read
    again; when they run in workers that can open the database (`_shared_file`), the workers
    read them (from their own caches first). What is read for a chunk is kept in ``read`` for
    its verification."""
    shared = None if local else _shared_file(store)
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
        read.keep(chunk, publishers, boilerplate)
        if shared is not None:
            yield ScreenTask(chunk, pairs, {}, publishers, boilerplate, shared, params, light)
            continue
        shingles = PRINTS.stored_shingles(ids, params) if local else {}
        shingles.update(store.shingle_sets([i for i in ids if i not in shingles]))
        yield ScreenTask(chunk, pairs, shingles, publishers, boilerplate, light=light)


def verify_task_of(store: Store, screened: Screened, params: FingerprintParams,
                   thresholds: Thresholds, local: bool, read: ChunkReads) -> VerifyTask:
    """A chunk's remaining candidate pairs with the articles and facts that verifying needs
    (the publishers and boilerplate its screening read: ``read``).

    When the task is verified in this process (``local``), the fingerprints this process has
    made already go with it instead of the texts, which are then not read again, nor their
    articles' publication times and citations; a worker that can open the database
    (`_shared_file`) reads the articles and their citations itself, but those whose
    fingerprints it holds.
    """
    task = VerifyTask(screened, params, thresholds, {}, {}, {})
    kept = read.take(screened.chunk)
    if not screened.pairs:
        return task
    ids = sorted({i for pair in screened.pairs for i in pair})
    publishers, boilerplate = kept if kept is not None else (None, None)
    shared = None if local else _shared_file(store)
    if shared is not None:
        publishers = publishers if publishers is not None else store.publishers(ids)
        return replace(task, database=shared, boilerplate=_noise_of(
            store, (publishers.get(i) for i in ids), boilerplate))
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


def _shared_file(store: Store) -> Shared | None:
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


class Prints:
    """Full fingerprints of articles by id, the most recently used kept, up to a memory budget.

    An article id is a hash of its text, so a fingerprint stays valid for as long as the
    process lives; one cache per process serves every chunk it verifies, so that an article is
    tokenised once per process however many pairs (and chunks) it takes part in. Token offsets
    are kept as 32-bit integers (a fingerprint then takes about 28 bytes per token). With each
    fingerprint the cache keeps what directing its pairs reads of the article (`held`): its
    metadata without the text, and the outlets it cites, which a scan does not change (the
    scan's process clears its cache when a copy phase starts and ends; workers are the scan's).
    The budget counts the fingerprints: what is kept with each (about 1 KB, a fingerprint takes
    ten times that or more) is not counted, so that as many fingerprints fit as before.
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        # (article id, recipe) -> (fingerprint, bytes, whether it was made from the stored
        # layout: then its shingle set is the stored one, the article without its text and
        # sketch, the outlets it cites)
        self.entries: OrderedDict[tuple[str, str], tuple[Fingerprint, int, bool, Article,
                                                         frozenset[str]]] = OrderedDict()
        # which chunks need each article (`scan.reuse.ReusePlan`): the cache then drops first
        # what is needed latest; without one, the least recently used
        self.plan = None

    def known(self, article_ids: list[str], params: FingerprintParams) -> dict[str, Fingerprint]:
        """The fingerprints of these articles that the cache holds."""
        recipe, found = params.recipe, {}
        for article_id in article_ids:
            entry = self.entries.get((article_id, recipe))
            if entry is not None:
                found[article_id] = entry[0]
        return found

    def held(self, article_ids: list[str], params: FingerprintParams
             ) -> dict[str, tuple[Article, frozenset[str]]]:
        """The articles (without text and sketch) and cited outlets that the cache holds with
        the fingerprints of these articles."""
        recipe, found = params.recipe, {}
        for article_id in article_ids:
            entry = self.entries.get((article_id, recipe))
            if entry is not None:
                found[article_id] = entry[3], entry[4]
        return found

    def stored_shingles(self, article_ids: list[str], params: FingerprintParams
                        ) -> dict[str, np.ndarray]:
        """The stored shingle sets of these articles that the cache holds (with the layout
        its fingerprints were made from)."""
        recipe, found = params.recipe, {}
        for article_id in article_ids:
            entry = self.entries.get((article_id, recipe))
            if entry is not None and entry[2]:
                found[article_id] = entry[0].shingles
        return found

    def clear(self) -> None:
        """Forget every fingerprint (as a new process would start)."""
        self.entries.clear()
        self.used = 0
        self.plan = None

    def fingerprint(self, article: Article, params: FingerprintParams,
                    cited: Set[str] = frozenset()) -> Fingerprint:
        """The full fingerprint of an article: from the token layout stored at analysis, or
        (an article stored without one) from its text with its stored signature; kept with
        the article's metadata and the outlets it cites (``cited``)."""
        key = (article.id, params.recipe)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            return found[0]
        stored = article.sketch
        made = None
        if stored is not None and stored.layout:  # made at analysis: no tokenising again
            made = unpack_layout(stored.layout, stored.shingles, stored.signature, params,
                                 np.int32)
        from_layout = made is not None
        if made is None:
            made = fingerprint(article.text, params,
                               stored.signature if stored is not None else None)
            made = replace(made, token_starts=made.token_starts.astype(np.int32),
                           token_ends=made.token_ends.astype(np.int32))
        size = sum(a.nbytes for a in (made.signature, made.shingles, made.shingle_seq,
                                      made.token_starts, made.token_ends, made.quoted)) + (
            0 if made.prose is None else made.prose.nbytes)
        self.entries[key] = (made, size, from_layout, _bare(article), frozenset(cited))
        self.used += size
        if self.used > self.budget and self.plan is not None:
            self.used -= self.plan.evict(self.entries, self.used - self.budget)
        while self.used > self.budget and len(self.entries) > 1:
            self.used -= self.entries.popitem(last=False)[1][1]
        return made


def _bare(article: Article) -> Article:
    """The article without its text and sketch, as the cache keeps it. A shallow copy whose two
    fields are set as `dataclasses.replace` would set them, without running the constructor
    again (a quarter of the time: an article is cached each time a worker reads it)."""
    held = copy.copy(article)
    object.__setattr__(held, "text", "")
    object.__setattr__(held, "sketch", None)
    return held


# This process's fingerprints.
PRINTS = Prints(config.VERIFY_CACHE_BYTES)
