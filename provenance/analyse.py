"""One raw record to an Article: extraction, date, language, publisher, sketch and citations.

The per-article stages that `scan` runs on every input record (in worker processes) and `check`
runs on a draft, so that both see a text the same way. Pure: it reads the registry and returns
records; writing them is the scan's business. `analyse_many` analyses a worker's batch of records
with their sketches made at once (`copies.minhash.sketch_many`: numpy's per-call cost paid per
batch), record for record what `analyse` gives, a bad record failing alone.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from provenance.citations import Registry, extract_citations
from provenance.citations.discovery import discovered_outlets
from provenance.config import FingerprintParams
from provenance.copies.minhash import sketch, sketch_many
from provenance.extract import (
    detect_language,
    extract_plain,
    normalise_date,
    normalise_language,
    text_digest,
)
from provenance.inputs import RawRecord
from provenance.records import Article, Outlet, Sketch

if TYPE_CHECKING:
    from provenance.extract import Extracted

# Hex digits of the article id (a content hash of source key and text hash).
ARTICLE_ID_CHARS = 16
# Host prefixes that name the same site as the bare domain.
_HOST_PREFIXES = ("www.", "m.", "amp.")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Analysed:
    """One analysed record: the article, an outlet first seen in it, warnings, stage timings."""

    article: Article  # with its citations and sketch
    new_outlet: Outlet | None = None  # a publisher missing from the registry (origin "input")
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    # outlets the article cites that the registry lacks (origin "discovered", `discovery`)
    discovered: tuple[Outlet, ...] = ()


def analyse(record: RawRecord, registry: Registry, params: FingerprintParams,
            manifest_entry: dict | None = None) -> Analysed:
    """Run extraction, dating, language, publisher, sketch and citations on one record.

    `manifest_entry` overrides the record's own metadata hints. Raises ExtractionError when the
    record holds no usable article.
    """
    # A cheap clock per stage (reading the process's CPU clock can cost a millisecond in a VM);
    # the scan's workers scale these to the CPU time of each batch (`scan.workers`).
    started = time.perf_counter()
    found = _extracted(record, registry, manifest_entry)
    extracted = time.perf_counter()
    # with content-word keys (retold drafts): check only, skipped by the scan's candidate search
    text_sketch = sketch(found.ext.text, params, content=True)
    return _finish(found, registry, text_sketch,
                   {"extract": extracted - started, "fingerprint": time.perf_counter() - extracted})


def analyse_many(items: list[tuple[RawRecord, dict | None]], registry: Registry,
                 params: FingerprintParams) -> list[Analysed | Exception]:
    """``analyse(record, registry, params, entry)`` of each ``(record, entry)``, in order, with
    the sketches of the batch made at once (``copies.sketch_many``). A record that fails gives
    the exception ``analyse`` raises on it, in its place: the others are analysed as usual."""
    done: list[Analysed | Exception | _Found] = []
    for record, entry in items:
        started = time.perf_counter()
        try:
            found = _extracted(record, registry, entry)
        except Exception as exc:  # noqa: BLE001 - given back in its place
            done.append(exc)
            continue
        found.timings["extract"] = time.perf_counter() - started
        done.append(found)
    batch = [found for found in done if isinstance(found, _Found)]
    started = time.perf_counter()
    try:
        sketches = sketch_many([found.ext.text for found in batch], params, content=True)
    except Exception:  # noqa: BLE001 - one text at a time, so that it fails alone
        sketches = [None] * len(batch)
    share = (time.perf_counter() - started) / max(1, sum(len(f.ext.text) + 1 for f in batch))
    made = dict(zip(map(id, batch), sketches, strict=True))
    for i, found in enumerate(done):
        if isinstance(found, _Found):
            try:
                started = time.perf_counter()
                text_sketch = made[id(found)] or sketch(found.ext.text, params, content=True)
                found.timings["fingerprint"] = (share * (len(found.ext.text) + 1)
                                                + time.perf_counter() - started)
                done[i] = _finish(found, registry, text_sketch, found.timings)
            except Exception as exc:  # noqa: BLE001 - given back in its place
                done[i] = exc
    return done  # type: ignore[return-value]


@dataclass
class _Found:
    """What the stages before the sketch found in one record (``_extracted``)."""

    record: RawRecord
    meta: dict
    ext: Extracted
    url: str | None
    dated: tuple[str | None, str | None]  # published, and where it came from
    language: tuple[str | None, str | None]  # language, and where it came from
    publisher: tuple[str | None, str | None, Outlet | None]  # `resolve_publisher`
    warnings: list[tuple[str, str]]
    timings: dict[str, float] = field(default_factory=dict)


def _extracted(record: RawRecord, registry: Registry, manifest_entry: dict | None) -> _Found:
    """Extraction, date, language and publisher of one record (raises ExtractionError)."""
    meta = {**record.meta, **(manifest_entry or {})}
    warnings = list(record.warnings)
    if record.content_type == "html":
        from provenance.extract.html import extract_html  # trafilatura: for pages only

        ext = extract_html(record.content, url=meta.get("url"))
    else:
        ext = extract_plain(record.content, meta)
    dated = _publication(meta, manifest_entry, ext, warnings)
    language = _language(meta, ext)
    url = meta.get("url") or ext.url
    publisher = resolve_publisher(registry, meta.get("outlet"), url, ext.canonical_url,
                                  ext.sitename)
    return _Found(record, meta, ext, url, dated, language, publisher, warnings)


def _finish(found: _Found, registry: Registry, text_sketch: Sketch,
            timings: dict[str, float]) -> Analysed:
    """The article of a record found by ``_extracted``, with its sketch and its citations."""
    started = time.perf_counter()
    record, meta, ext, url = found.record, found.meta, found.ext, found.url
    (published, published_source), (language, language_source) = found.dated, found.language
    publisher, evidence, new_outlet = found.publisher
    known = registry.get(publisher) if publisher else None
    citations = extract_citations(
        ext.text, language, registry, zones=ext.zones,
        publisher_id=publisher if known else None, layout=ext.layout,
        country=known.country if known else registry.country_of(url),
        publisher_names=(new_outlet.name, *new_outlet.domains) if new_outlet else ())
    done = time.perf_counter()
    source_key, external_id = _identity(record, meta.get("id"), url)
    digest = text_digest(ext.text)
    article = Article(
        id=hashlib.sha256(f"{source_key}\0{digest}".encode()).hexdigest()[:ARTICLE_ID_CHARS],
        source_key=source_key, external_id=external_id, path=record.path, record=record.record,
        format=record.format, text=ext.text, text_hash=digest, n_chars=len(ext.text), url=url,
        canonical_url=ext.canonical_url, title=meta.get("title") or ext.title,
        author=meta.get("author") or ext.author, description=ext.description,
        sitename=ext.sitename, publisher_id=publisher, publisher_evidence=evidence,
        published=published, published_source=published_source, language=language,
        language_source=language_source, zones=tuple(ext.zones), citations=tuple(citations),
        sketch=text_sketch)
    timings = {**timings, "citations": done - started}
    return Analysed(article, new_outlet, found.warnings, timings,
                    discovered=tuple(discovered_outlets(citations)))


def _publication(meta: dict, manifest_entry: dict | None, ext: Extracted,
                 warnings: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """The publication date and where it came from: input or manifest, page, WARC capture."""
    published, source = None, None
    if meta.get("published"):
        published = normalise_date(meta["published"])
        source = "manifest" if manifest_entry and "published" in manifest_entry else "input"
        if published is None:
            warnings.append(("malformed",
                             f"'published' {meta['published']!r} is not ISO 8601; ignored"))
            source = None
    if published is None and ext.published:
        published, source = ext.published, "html"
    if published is None and meta.get("warc_date"):
        published, source = normalise_date(meta["warc_date"]), "warc-date"
    return published, source


def _language(meta: dict, ext: Extracted) -> tuple[str | None, str | None]:
    """The language and where it came from: the input's field, the page, else detection."""
    language = normalise_language(meta.get("language"))
    if language:
        return language, "input"
    if ext.language:
        return ext.language, ext.language_source
    language = detect_language(ext.text)
    return language, "detected" if language else None


def _identity(record: RawRecord, external: str | None, url: str | None) -> tuple[str, str]:
    """What identifies the source across scans (its key), and the id shown to users."""
    if external:
        source_key = f"id:{external}"
    elif record.format == "warc" and url:
        source_key = f"url:{url}"
    elif record.record:
        source_key = f"file:{record.resolved}#{record.record}"
    else:
        source_key = f"file:{record.resolved}"
    shown = external or (f"{record.path}#{record.record}" if record.record else record.path)
    return source_key, shown


def resolve_publisher(registry: Registry, outlet: str | None, url: str | None,
                      canonical: str | None, sitename: str | None
                      ) -> tuple[str | None, str | None, Outlet | None]:
    """The publishing outlet's id, how it was found, and a new Outlet if it is unknown.

    Order: the explicit `outlet` field (a name or a domain), the url's domain, the canonical
    url's domain, the page's site name. An outlet missing from the registry becomes
    `web:<host>` (named by the outlet field or site name) when there is a url, else
    `name:<slug>`.
    """
    found = _registered(registry, outlet, url, canonical, sitename)
    if found is not None:
        return found
    label = outlet if outlet and not ("." in outlet and " " not in outlet) else None
    if outlet and not label:
        host = _host(outlet)
        return f"web:{host}", "outlet-field", _input_outlet(f"web:{host}", host, host)
    for evidence, value in (("url", url), ("canonical-url", canonical)):
        host = _host(value) if value else None
        if host:
            return (f"web:{host}", evidence,
                    _input_outlet(f"web:{host}", label or sitename or host, host))
    if label:
        slug = _SLUG.sub("-", label.lower()).strip("-") or "unknown"
        return f"name:{slug}", "outlet-field", _input_outlet(f"name:{slug}", label, None)
    return None, None, None


def _registered(registry: Registry, outlet: str | None, url: str | None,
                canonical: str | None, sitename: str | None
                ) -> tuple[str, str, None] | None:
    """The registry outlet named by the outlet field, url, canonical url or site name."""
    if outlet:
        found = registry.by_name(outlet) or (registry.by_domain(outlet) if "." in outlet
                                             else None)
        if found:
            return found.id, "outlet-field", None
    for evidence, value in (("url", url), ("canonical-url", canonical)):
        found = registry.by_domain(value) if value else None
        if found:
            return found.id, evidence, None
    if sitename:
        found = registry.by_name(sitename) or (registry.by_domain(sitename)
                                               if "." in sitename else None)
        if found:
            return found.id, "sitename", None
    return None


def _host(value: str) -> str | None:
    """The host of a url or bare domain, lower-case, without www./m./amp."""
    host = (urlsplit(value if "//" in value else f"//{value}").hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host or None


def _input_outlet(outlet_id: str, name: str, host: str | None) -> Outlet:
    """An outlet learnt from the data (not in the registry)."""
    return Outlet(id=outlet_id, name=name, domains=(host,) if host else (), origin="input")
