"""The originality check for editors: how much of a draft is found in the archive, from whom,
and whether the draft credits what it reuses. Reads the archive; never writes to it.

The draft goes through the same extraction and citation stages as a scanned article. Its LSH keys
are looked up in the archive's persistent index (the archive is never loaded whole), and every
candidate is verified on the full texts. Passages that lie inside quotation marks in the draft
are shared quotes (the same statement quoted by two outlets): they are listed apart and do not
count as copied text.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from provenance import config
from provenance.citations.attribution import COUNTING_KINDS
from provenance.citations.registry import Registry
from provenance.copies.fingerprint import (
    Fingerprint,
    FingerprintParams,
    check_compatible,
    fingerprint,
)
from provenance.copies.match import DEFAULT_THRESHOLDS, Passage, Thresholds, align, verify
from provenance.errors import InputError
from provenance.extract.core import ExtractionError
from provenance.inputs import reader as ingest
from provenance.inputs.reader import InputProblem, RawRecord
from provenance.scan.pipeline import prepare
from provenance.store.database import Store

# A passage is a shared quote when at least this share of its draft words is inside quotes.
QUOTE_SHARE = 0.5
# Candidates verified per check, most shared LSH keys first.
MAX_CANDIDATES = 200


@dataclass
class Match:
    """One archive article the draft reuses text from."""

    article: dict
    kind: str
    similarity: float
    covers_draft: float  # share of the draft's words copied from this article (quotes excluded)
    covers_source: float
    credited: bool
    credit: str  # the citation that credits, or what is not named
    creditable: list[str]
    passages: list[dict]


@dataclass
class CheckResult:
    """The outcome of `provenance check`."""

    draft: dict
    originality: float
    matches: list[Match] = field(default_factory=list)
    shared_quotes: list[dict] = field(default_factory=list)
    cited_outlets: list[dict] = field(default_factory=list)
    uncredited: list[dict] = field(default_factory=list)
    candidates: int = 0
    archive_articles: int = 0

    @property
    def verdict(self) -> str:
        """The one-line verdict shown first."""
        if not self.matches:
            return f"original: {self.originality:.0%} of the text is not found in the archive"
        top = self.matches[0]
        line = (f"originality {self.originality:.0%}: {top.covers_draft:.0%} comes from "
                f"{top.article.get('title') or top.article['external_id']} "
                f"({top.article.get('outlet_name') or top.article.get('publisher_id')})")
        if self.uncredited:
            names = ", ".join(u["name"] for u in self.uncredited)
            return line + f"; UNCREDITED: {names}"
        return line + "; every reused source is credited"

    def as_dict(self) -> dict:
        """JSON-ready data (schema in docs/check.md)."""
        return {
            "draft": self.draft, "originality": round(self.originality, 4),
            "verdict": self.verdict,
            "matches": [{
                "article": m.article, "kind": m.kind, "similarity": round(m.similarity, 4),
                "covers_draft": round(m.covers_draft, 4),
                "covers_source": round(m.covers_source, 4), "credited": m.credited,
                "credit": m.credit, "creditable_outlets": m.creditable, "passages": m.passages,
            } for m in self.matches],
            "shared_quotes": self.shared_quotes, "cited_outlets": self.cited_outlets,
            "uncredited_sources": self.uncredited,
            "archive": {"articles": self.archive_articles, "candidates_verified": self.candidates},
        }


def read_draft(source: str, max_bytes: int = config.MAX_DOCUMENT_BYTES) -> RawRecord:
    """The draft as a raw record: a file (text, HTML, first JSONL record) or `-` for stdin.

    Raises:
        InputError: the file is missing, unreadable, empty or not an article.
    """
    if source == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise InputError(f"the draft on stdin is over {max_bytes} bytes")
        fmt = ingest.sniff_format(raw[:4096]) or "text"
        if fmt == "jsonl":
            line = raw.split(b"\n", 1)[0] + b"\n"
            outcome = ingest._parse_jsonl_line(
                ingest.InputFile("-", "-", "jsonl", len(raw), 0, False), 1, line)
        else:
            try:
                text, _ = ingest.decode(raw, html=fmt == "html")
            except ingest._Problem as exc:
                raise InputError(f"stdin: {exc.message}") from None
            outcome = RawRecord("-", "-", None, fmt, "html" if fmt == "html" else "text", text)
        return _record_or_raise(outcome, "stdin")
    path = Path(source)
    items = list(ingest.discover([path]))
    if not items or path.is_dir():
        raise InputError(f"{source} is not a file (give one draft file, or - for stdin)")
    if isinstance(items[0], InputProblem):
        return _record_or_raise(items[0], source)
    for outcome in ingest.read(items[0], max_bytes):
        return _record_or_raise(outcome, source)
    raise InputError(f"{source} holds no article")


def _record_or_raise(outcome: RawRecord | InputProblem, where: str) -> RawRecord:
    if isinstance(outcome, InputProblem):
        raise InputError(f"{where}: {outcome.message} ({outcome.kind})")
    return outcome


def check(store: Store, record: RawRecord, registry: Registry,
          params: FingerprintParams | None = None,
          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> CheckResult:
    """Compare a draft with the archive in `store` (read-only).

    Raises:
        InputError: no article text could be extracted from the draft.
        IncompatibleIndexError: `params` differ from the archive's fingerprint recipe.
    """
    recipe = store.fingerprint_recipe()
    params = params or FingerprintParams()
    if recipe is not None:
        check_compatible(recipe, params.recipe)
    try:
        prepared = prepare(record, None, registry, params)
    except ExtractionError as exc:
        raise InputError(f"{record.path}: {exc}") from None
    art = prepared["article"]
    text = art["text"]
    fp = fingerprint(text, params)
    shared = store.articles_sharing_keys(fp.band_keys, config.MAX_BUCKET)
    for article_id in store.articles_with_text_hash(art["text_hash"]):
        shared[article_id] = len(fp.band_keys)
    ranked = sorted(shared, key=lambda a: (-shared[a], a))[:MAX_CANDIDATES]
    cited = {c["outlet_id"] for c in art["citations"]
             if c["kind"] in COUNTING_KINDS and c["outlet_id"]}
    metas = {m["id"]: m for m in store.texts(ranked)}
    origins = _text_origins(store, ranked)
    names = store.outlet_names(cited | {m["publisher_id"] for m in metas.values()}
                               | {o for found in origins.values() for o in found})
    outlets = {k: {"name": v} for k, v in names.items()}
    result = CheckResult(
        draft={"path": record.path, "title": art["title"], "language": art["language"],
               "chars": len(text), "words": fp.token_count},
        originality=1.0, candidates=len(ranked), archive_articles=store.current_articles(),
        cited_outlets=[{"id": o, "name": outlets.get(o, {}).get("name", o)}
                       for o in sorted(cited)],
    )
    copied = np.zeros(fp.token_count, dtype=bool)
    boiler = store.boilerplate({m["publisher_id"] for m in metas.values()})
    for article_id in ranked:
        meta = metas[article_id]
        other = fingerprint(meta["text"], params)
        noise = boiler.get(meta["publisher_id"], np.zeros(0, dtype=np.uint64))
        match = verify(fp, other, boilerplate=noise, thresholds=thresholds)
        passages = list(match.passages) if match else align(fp, other, noise, thresholds)
        own, quotes = _split_quotes(fp, passages)
        info = _article_info(store, article_id, meta, outlets)
        if quotes:
            result.shared_quotes += [_passage(p, text, meta["text"], info) for p in quotes]
        if match is None or not own:
            continue
        mask = _mask(fp, own)
        copied |= mask
        creditable = sorted({o for o in [meta["publisher_id"], *origins.get(article_id, ())]
                             if o})
        named = sorted(set(creditable) & cited)
        result.matches.append(Match(
            article=info, kind=match.kind, similarity=match.jaccard,
            covers_draft=float(mask.sum()) / max(1, fp.token_count),
            covers_source=match.coverage_b, credited=bool(named),
            credit=(f"names {', '.join(named)}" if named else
                    "names none of " + (", ".join(creditable) or "its publisher")),
            creditable=creditable,
            passages=[_passage(p, text, meta["text"], None) for p in own],
        ))
    # the most reused first; among equal shares the earliest article (the source of the rest)
    result.matches.sort(key=lambda m: (-round(m.covers_draft, 2),
                                       m.article.get("published") or "9999", m.article["id"]))
    result.originality = 1.0 - float(copied.sum()) / max(1, fp.token_count)
    seen: set[str] = set()
    for m in result.matches:
        if m.credited:
            continue
        # name who wrote the text: the wire behind a reprint, else the publisher
        wrote = [o for o in origins.get(m.article["id"], ()) if o] or [m.article["publisher_id"]]
        for outlet in wrote:
            if outlet and outlet not in seen:
                seen.add(outlet)
                result.uncredited.append({"id": outlet,
                                          "name": outlets.get(outlet, {}).get("name", outlet),
                                          "via_article": m.article["id"]})
    return result


def _text_origins(store: Store, article_ids: list[str]) -> dict[str, list[str]]:
    """Outlets each archive article's text came from (wire credits, copied sources)."""
    found: dict[str, list[str]] = {}
    for row in store.original_sources(article_ids):
        if row["reason"] == "text_origin":
            found.setdefault(row["article_id"], []).append(row["outlet_id"])
    for article_id, outlet in store.wire_credits(article_ids).items():
        found.setdefault(article_id, [])
        if outlet not in found[article_id]:
            found[article_id].append(outlet)
    return found


def _article_info(store: Store, article_id: str, meta: dict, outlets: dict) -> dict:
    row = store.article(article_id)
    return {"id": article_id, "external_id": row["external_id"], "title": row["title"],
            "url": row["url"], "publisher_id": row["publisher_id"],
            "outlet_name": outlets.get(row["publisher_id"] or "", {}).get("name"),
            "published": row["published"]}


def _mask(fp: Fingerprint, passages: list[Passage]) -> np.ndarray:
    """Draft tokens inside the given passages."""
    mask = np.zeros(fp.token_count, dtype=bool)
    for p in passages:
        mask |= (fp.token_starts >= p.a_start) & (fp.token_ends <= p.a_end)
    return mask


def _split_quotes(fp: Fingerprint, passages: list[Passage]) -> tuple[list[Passage],
                                                                       list[Passage]]:
    """Passages of copied prose, and passages that are mostly shared quotation."""
    own, quotes = [], []
    for p in passages:
        mask = _mask(fp, [p])
        share = float((mask & fp.quoted).sum()) / max(1, int(mask.sum()))
        (quotes if share >= QUOTE_SHARE else own).append(p)
    return own, quotes


def _passage(p: Passage, draft: str, source: str, article: dict | None) -> dict:
    out = {"draft_start": p.a_start, "draft_end": p.a_end, "source_start": p.b_start,
           "source_end": p.b_end, "words": p.tokens, "draft_text": draft[p.a_start:p.a_end],
           "source_text": source[p.b_start:p.b_end]}
    if article is not None:
        out["article"] = article
    return out


def to_json(result: CheckResult) -> str:
    """The check result as JSON."""
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
