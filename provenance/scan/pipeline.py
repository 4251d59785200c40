"""The scan: inputs -> extraction -> stages -> store. Returns data; never prints.

Reading and writing happen in the main process; per-article CPU work (HTML extraction, and the
later stages) runs in a process pool when there is enough of it. Articles are written in
transactions of `config.WRITE_BATCH`; a file counts as read only when its last article is
committed, so an interrupted scan resumes from the first unfinished file.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import multiprocessing
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from provenance import config
from provenance.citations.attribution import Citation, extract_citations
from provenance.citations.registry import Registry
from provenance.config import ScanConfig
from provenance.copies.fingerprint import (
    FingerprintParams,
    check_compatible,
    pack_shingles,
    pack_signature,
    sketch,
)
from provenance.extract.core import (
    ExtractionError,
    extract_html,
    extract_plain,
    normalize_date,
    text_hash,
)
from provenance.extract.language import detect_language, normalize_language
from provenance.inputs import reader as ingest
from provenance.inputs.reader import FileDone, InputProblem, RawRecord
from provenance.outputs import assemble as audit
from provenance.scan.copy_phase import find_copies
from provenance.store.database import Store
from provenance.version import __version__

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (event, done, total)


@dataclass
class ScanResult:
    """What a scan did: the run id, its status, counts, and the input errors it met."""

    run_id: int
    status: str
    counts: dict
    errors: list[dict] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def nothing_read(self) -> bool:
        """True when no article could be read or found unchanged: the scan failed as a whole."""
        return self.counts.get("read", 0) == 0 and self.counts.get("resumed", 0) == 0


# -- per-article work (runs in worker processes) ----------------------------------------------

_STATE: dict = {}


def _init_worker(outlets_files: list[str], params: FingerprintParams) -> None:
    if "registry" not in _STATE:
        _STATE["registry"] = Registry.load(extra=outlets_files)
    _STATE.setdefault("params", params)


def prepare(record: RawRecord, manifest_entry: dict | None, registry: Registry,
            params: FingerprintParams | None = None) -> dict:
    """One raw record to the rows the store writes: {'article': ..., 'outlet': ...}.

    Raises ExtractionError when the record holds no usable article.
    """
    # CPU time: in worker processes that share the cores, wall-clock time would count waiting.
    started = time.process_time()
    meta = dict(record.meta)
    meta.update(manifest_entry or {})
    warnings: list[tuple[str, str]] = list(record.warnings)
    if record.content_type == "html":
        ext = extract_html(record.content, url=meta.get("url"))
    else:
        ext = extract_plain(record.content, meta)

    published, published_source = None, None
    if meta.get("published"):
        published = normalize_date(meta["published"])
        published_source = "manifest" if manifest_entry and "published" in manifest_entry \
            else "input"
        if published is None:
            warnings.append(("malformed", f"'published' {meta['published']!r} is not ISO 8601; "
                                          "ignored"))
            published_source = None
    if published is None and ext.published:
        published, published_source = ext.published, "html"
    if published is None and meta.get("warc_date"):
        published, published_source = normalize_date(meta["warc_date"]), "warc-date"

    language = normalize_language(meta.get("language"))
    language_source = "input" if language else None
    if not language:
        language, language_source = ext.language, ext.language_source
    if not language:
        language = detect_language(ext.text)
        language_source = "detected" if language else None

    url = meta.get("url") or ext.url
    publisher, evidence, new_outlet = resolve_publisher(
        registry, meta.get("outlet"), url, ext.canonical_url, ext.sitename)

    ext_id = meta.get("id")
    if ext_id:
        source_key = f"id:{ext_id}"
    elif record.format == "warc" and url:
        source_key = f"url:{url}"
    elif record.record:
        source_key = f"file:{record.resolved}#{record.record}"
    else:
        source_key = f"file:{record.resolved}"
    external_id = ext_id or (f"{record.path}#{record.record}" if record.record else record.path)
    digest = text_hash(ext.text)
    article = {
        "id": hashlib.sha256(f"{source_key}\0{digest}".encode()).hexdigest()[:16],
        "source_key": source_key,
        "external_id": external_id,
        "path": record.path,
        "record": record.record,
        "format": record.format,
        "url": url,
        "canonical_url": ext.canonical_url,
        "title": meta.get("title") or ext.title,
        "author": meta.get("author") or ext.author,
        "description": ext.description,
        "sitename": ext.sitename,
        "publisher_id": publisher,
        "publisher_evidence": evidence,
        "published": published,
        "published_source": published_source,
        "language": language,
        "language_source": language_source,
        "text": ext.text,
        "text_hash": digest,
        "n_chars": len(ext.text),
        "zones": ext.zones,
    }
    extracted = time.process_time()
    sk = sketch(ext.text, params or FingerprintParams())
    article["fingerprint"] = {"recipe": sk.recipe, "signature": pack_signature(sk.signature,
                                                                               sk.params),
                              "n_shingles": sk.n_shingles, "keys": sk.band_keys,
                              "shingles": pack_shingles(sk.shingles)}
    sketched = time.process_time()
    article["citations"] = [
        citation_row(c) for c in extract_citations(
            ext.text, language, registry, zones=ext.zones,
            publisher_id=publisher if publisher and registry.get(publisher) else None)
    ]
    timings = {"extract": extracted - started, "fingerprint": sketched - extracted,
               "citations": time.process_time() - sketched}
    return {"article": article, "outlet": new_outlet, "warnings": warnings, "timings": timings}


def citation_row(cit: Citation) -> dict:
    """A Citation as the columns of the `citation` table."""
    return {"outlet_id": cit.outlet_id, "source_id": cit.source_id,
            "source_name": cit.source_name, "source_type": cit.source_type, "kind": cit.kind,
            "counts": cit.counts, "cue": cit.cue, "zone": cit.zone, "start": cit.start,
            "end": cit.end, "sentence": cit.sentence, "sentence_start": cit.sentence_start,
            "rule": cit.rule, "confidence": cit.confidence, "relayed_by": cit.relayed_by,
            "original": cit.original}


_SLUG = re.compile(r"[^a-z0-9]+")


def resolve_publisher(registry: Registry, outlet: str | None, url: str | None,
                      canonical: str | None, sitename: str | None
                      ) -> tuple[str | None, str | None, dict | None]:
    """The publishing outlet's id, how it was found, and a new outlet row if it is unknown.

    Order: the explicit `outlet` field (a name or a domain), the url's domain, the canonical
    url's domain, the page's site name. An outlet missing from the registry becomes
    `web:<host>` (named by the outlet field or site name) when there is a url, else
    `name:<slug>`.
    """
    if outlet:
        found = registry.by_name(outlet) or (registry.by_domain(outlet) if "." in outlet
                                             else None)
        if found:
            return found.id, "outlet-field", None
    for evidence, value in (("url", url), ("canonical-url", canonical)):
        if value:
            found = registry.by_domain(value)
            if found:
                return found.id, evidence, None
    if sitename:
        found = registry.by_name(sitename) or (registry.by_domain(sitename)
                                               if "." in sitename else None)
        if found:
            return found.id, "sitename", None
    label = outlet if outlet and not ("." in outlet and " " not in outlet) else None
    if outlet and not label:
        host = _host(outlet)
        return f"web:{host}", "outlet-field", _adhoc(f"web:{host}", host, host)
    for evidence, value in (("url", url), ("canonical-url", canonical)):
        host = _host(value) if value else None
        if host:
            return f"web:{host}", evidence, _adhoc(f"web:{host}", label or sitename or host, host)
    if label:
        slug = _SLUG.sub("-", label.lower()).strip("-") or "unknown"
        return f"name:{slug}", "outlet-field", _adhoc(f"name:{slug}", label, None)
    return None, None, None


def _host(value: str) -> str | None:
    text = value if "//" in value else f"//{value}"
    host = (urlsplit(text).hostname or "").lower()
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host or None


def _adhoc(outlet_id: str, name: str, host: str | None) -> dict:
    return {"id": outlet_id, "name": name, "kind": None, "country": None,
            "domains": [host] if host else [], "aliases": []}


def _work(item: tuple[RawRecord, dict | None]) -> dict | InputProblem:
    record, entry = item
    try:
        return prepare(record, entry, _STATE["registry"], _STATE.get("params"))
    except ExtractionError as exc:
        return InputProblem(record.path, record.record, exc.kind, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop a scan of thousands
        log.exception("extraction crashed on %s %s", record.path, record.record or "")
        return InputProblem(record.path, record.record, "extraction_failed",
                            f"extraction failed: {type(exc).__name__}: {exc}")


# -- the scan ---------------------------------------------------------------------------------

def scan(cfg: ScanConfig, store: Store, progress: Progress | None = None) -> ScanResult:
    """Read every input under `cfg.paths` into `store` and return what happened.

    Raises:
        InputError: a path does not exist or the manifest is malformed (nothing is written).
    """
    started = time.perf_counter()
    registry = Registry.load(extra=[str(p) for p in cfg.outlets_files])
    manifest = ingest.load_manifest(cfg.manifest) if cfg.manifest else {}
    files = list(ingest.discover(cfg.paths, follow_hidden=cfg.follow_hidden))
    recipe = store.fingerprint_recipe()
    if recipe is not None:
        check_compatible(recipe, cfg.fingerprint.recipe)
    store.sync_outlets([_outlet_row(o) for o in registry.outlets], registry.version)
    store.set_fingerprint_recipe(cfg.fingerprint.recipe)
    run_id = store.begin_run(__version__, cfg.parameters(), registry.version)
    _STATE["registry"], _STATE["params"] = registry, cfg.fingerprint
    counts = _new_counts()
    timings = counts["timings"]
    writer = _BatchWriter(store, run_id, counts)
    workers = _Workers(cfg)
    status = "failed"
    try:
        for item in files:
            if isinstance(item, InputProblem):
                writer.problem(item)
        inputs = [f for f in files if isinstance(f, ingest.InputFile)]
        stream = _timed(_records(inputs, manifest, store, counts, cfg, progress), timings)
        for outcome in workers.map(_passthrough, stream, config.MIN_DOCS_FOR_POOL,
                                   config.POOL_CHUNKSIZE):
            if isinstance(outcome, FileDone):
                writer.file_done(outcome)
                if progress:
                    progress("file", counts["files"], len(inputs))
            elif isinstance(outcome, InputProblem):
                writer.problem(outcome)
            else:
                writer.article(outcome)
        writer.flush()
        timings["workers"] = workers.started
        copies = find_copies(store, run_id, cfg.fingerprint, cfg.thresholds, progress,
                             functools.partial(workers.map, window=config.COPY_WINDOW))
        counts["copies"] = copies.as_dict()
        timings.update(copies.timings)
        provenance_started = time.perf_counter()
        # Resolution covers the whole archive; when this run changed nothing (a re-scan) and
        # the previous runs completed, the stored resolution is still right.
        changed = counts["new"] or counts["updated"] or copies.candidates or any(
            r["status"] != "completed" for r in store.runs() if r["id"] != run_id)
        counts["provenance"] = (audit.resolve_provenance(store, run_id) if changed
                                else audit.stored_verdicts(store))
        timings["provenance"] = time.perf_counter() - provenance_started
        status = "completed"
    except KeyboardInterrupt:
        writer.flush()
        status = "interrupted"
        raise
    finally:
        workers.close()
        timings["total"] = time.perf_counter() - started
        store.finish_run(run_id, status, counts)
    errors = store.errors(run_id)
    return ScanResult(run_id, status, counts, errors, time.perf_counter() - started)


def _new_counts() -> dict:
    # timings: seconds per stage. read, write and the copy phase's steps are wall-clock in
    # this process; extract, fingerprint and citations are CPU seconds summed over the
    # articles, in the worker processes when there are any (`workers`: how many ran).
    return {"files": 0, "resumed": 0, "read": 0, "new": 0, "unchanged": 0, "updated": 0,
            "failed": 0, "warnings": 0, "by_format": {}, "by_language": {},
            "timings": {"read": 0.0, "extract": 0.0, "fingerprint": 0.0, "citations": 0.0,
                        "write": 0.0, "workers": 0}}


def _outlet_row(outlet) -> dict:
    return {"id": outlet.id, "name": outlet.name, "kind": outlet.kind, "country": outlet.country,
            "state_affiliation": outlet.state_affiliation, "domains": list(outlet.domains),
            "aliases": list(outlet.aliases)}


def _records(inputs: list[ingest.InputFile], manifest: dict, store: Store, counts: dict,
             cfg: ScanConfig, progress: Progress | None
             ) -> Iterator[tuple[RawRecord, dict | None] | InputProblem | FileDone]:
    """Records of every file not already read in this state, each file closed by a FileDone."""
    for item in inputs:
        entry = manifest.get(item.resolved)
        key = ingest.file_key(item, entry)
        known = store.known_file(key)
        if known is not None:
            counts["files"] += 1
            counts["resumed"] += known
            counts["unchanged"] += known
            if progress:
                progress("file", counts["files"], len(inputs))
            continue
        n = 0
        for outcome in ingest.read(item, cfg.max_document_bytes):
            if isinstance(outcome, RawRecord):
                n += 1
                yield outcome, entry
            else:
                yield outcome
        yield FileDone(item, n, key)


def _timed(stream: Iterable, timings: dict) -> Iterator:
    """The items of `stream`, adding the time spent producing them to `timings["read"]`."""
    stream = iter(stream)
    while True:
        started = time.perf_counter()
        item = next(stream, _END)
        timings["read"] += time.perf_counter() - started
        if item is _END:
            return
        yield item


_END = object()


class _Workers:
    """The worker processes of one scan, started when a stage first has enough work for them.

    `map` keeps results in input order and at most `window` batches per worker in flight, so
    input is never read far ahead of what has been written: memory stays bounded however long
    the input.
    """

    def __init__(self, cfg: ScanConfig):
        self.size = cfg.workers or os.cpu_count() or 1
        self.initargs = ([str(p) for p in cfg.outlets_files], cfg.fingerprint)
        self.pool = None
        self.started = 0

    def map(self, fn: Callable, items: Iterable, min_items: int, batch: int = 1,
            window: int = config.POOL_WINDOW) -> Iterator:
        """`fn` over `items` in order; in the workers when there are at least `min_items`."""
        items = iter(items)
        head = list(itertools.islice(items, min_items))
        if self.size <= 1 or len(head) < min_items:
            yield from map(fn, itertools.chain(head, items))
            return
        if self.pool is None:
            ctx = multiprocessing.get_context("fork")
            self.pool = ctx.Pool(self.size, initializer=_init_worker, initargs=self.initargs)
            self.started = self.size
        pending: deque = deque()
        rest = itertools.chain(head, items)
        while chunk := list(itertools.islice(rest, batch)):
            pending.append(self.pool.apply_async(_run_batch, (fn, chunk)))
            if len(pending) >= self.size * window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def close(self) -> None:
        """Stop the workers (a scan ends, or is interrupted)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _run_batch(fn: Callable, items: list) -> list:
    return [fn(item) for item in items]


def _passthrough(item):
    return _work(item) if isinstance(item, tuple) else item


class _BatchWriter:
    """Collects prepared articles, problems and finished files; writes them in transactions."""

    def __init__(self, store: Store, run_id: int, counts: dict):
        self.store, self.run_id, self.counts = store, run_id, counts
        self.articles: list[dict] = []
        self.problems: list[dict] = []
        self.files: list[dict] = []
        self.outlets: dict[str, dict] = {}

    def article(self, prepared: dict) -> None:
        art = prepared["article"]
        self.articles.append(art)
        timings = self.counts["timings"]
        for stage, seconds in prepared.get("timings", {}).items():
            timings[stage] += seconds
        if prepared.get("outlet"):
            self.outlets.setdefault(prepared["outlet"]["id"], prepared["outlet"])
        for kind, message in prepared.get("warnings", ()):
            self.problems.append({"path": art["path"], "record": art["record"], "kind": kind,
                                  "severity": "warning", "message": message})
        if len(self.articles) >= config.WRITE_BATCH:
            self.flush()

    def problem(self, problem: InputProblem) -> None:
        self.problems.append({"path": problem.path, "record": problem.record,
                              "kind": problem.kind, "severity": problem.severity,
                              "message": problem.message})

    def file_done(self, done: FileDone) -> None:
        self.counts["files"] += 1
        self.files.append({"key": done.key, "path": done.file.path, "size": done.file.size,
                           "n_articles": done.n_records})

    def flush(self) -> None:
        if not (self.articles or self.problems or self.files or self.outlets):
            return
        started = time.perf_counter()
        statuses = self.store.write_batch(self.run_id, self.articles, self.problems, self.files,
                                          list(self.outlets.values()))
        self.counts["timings"]["write"] += time.perf_counter() - started
        c = self.counts
        for art, status in zip(self.articles, statuses, strict=True):
            c["read"] += 1
            c[status] += 1
            fmt = c["by_format"].setdefault(art["format"], {"read": 0, "new": 0})
            fmt["read"] += 1
            fmt["new"] += status in ("new", "updated")
            lang = art["language"] or "unknown"
            c["by_language"][lang] = c["by_language"].get(lang, 0) + 1
        for p in self.problems:
            if p["severity"] == "error":
                c["failed"] += 1
            else:
                c["warnings"] += 1
        self.articles, self.problems, self.files, self.outlets = [], [], [], {}
