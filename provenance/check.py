"""The originality check for editors: how much of a draft is found in the archive, from whom,
and whether the draft credits what it reuses. Reads the archive; never writes to it.

The draft goes through the same stages as a scanned article (`inputs`, `analyse`); its LSH keys
are looked up in the archive's persistent index (`check_archive` reads the archive: never
whole, only the candidates), and every candidate is verified on the full texts
(`copies.verification`, `copies.alignment`), and aligned again on word pairs, so that a
revised paragraph (words changed, sentences merged, split or moved) is one `revised` passage
with its similarity, and counts as reused text. Passages that lie inside quotation marks in the
draft are shared quotes (the same statement quoted by two outlets): they are listed apart and do
not count as copied text. Whether a reuse is credited is decided by `lineage.credit`, the rule
a scan's copy edges are judged by.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from provenance import config, inputs
from provenance.analyse import analyse
from provenance.check_archive import (
    Archive,
    candidates,
    fingerprint_of,
    read_archive,
    retold_candidates,
)
from provenance.config import DEFAULT_THRESHOLDS, FingerprintParams, Thresholds
from provenance.copies import align, check_compatible, verify
from provenance.copies.alignment import revised_passages
from provenance.copies.retold import content_words, retold_score
from provenance.copies.tokens import raw_tokens, token_hashes
from provenance.errors import InputError
from provenance.extract import ExtractionError
from provenance.lineage import credit
from provenance.outputs.titles import shown_outlet, shown_title
from provenance.records import Article, InputProblem, Passage, Verdict

if TYPE_CHECKING:
    from provenance.citations import Registry
    from provenance.copies import Fingerprint
    from provenance.inputs import RawRecord
    from provenance.store import Store


@dataclass
class Match:
    """One archive article the draft reuses text from."""

    article: dict
    kind: str
    similarity: float
    covers_draft: float  # share of the draft's words copied from this article (quotes excluded)
    covers_source: float
    credited: bool
    credit: str  # the citation that credits, what is not named, or the shared publisher
    creditable: list[str]
    passages: list[dict]
    verdict: str  # one of records.VERDICTS
    revised: bool = False  # some reused passage is revised (words changed, sentences joined)
    retold: float = 0.0  # kind "retold": ordered content-word overlap with the article

    def as_dict(self) -> dict:
        """JSON-ready data; `verdict` appears only for `same_outlet` (`credited` says the rest)."""
        data = {"article": self.article, "kind": self.kind,
                "similarity": round(self.similarity, 4),
                "covers_draft": round(self.covers_draft, 4),
                "covers_source": round(self.covers_source, 4), "credited": self.credited,
                "credit": self.credit, "creditable_outlets": self.creditable,
                "revised": self.revised, "passages": self.passages}
        if self.verdict == "same_outlet":
            data["verdict"] = self.verdict
        if self.kind == "retold":
            data["retold"] = round(self.retold, 4)
        return data


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
        how = "retells" if top.kind == "retold" else "comes from"
        line = (f"originality {self.originality:.0%}: {top.covers_draft:.0%} {how} "
                f"{shown_title(top.article)} ({shown_outlet(top.article)})")
        if self.uncredited:
            names = ", ".join(u["name"] for u in self.uncredited)
            return line + f"; UNCREDITED: {names}"
        if any(m.verdict == "same_outlet" for m in self.matches):
            return line + "; every reused source is credited or the draft's own outlet"
        return line + "; every reused source is credited"

    def as_dict(self) -> dict:
        """JSON-ready data (schema in docs/check.md)."""
        return {
            "draft": self.draft, "originality": round(self.originality, 4),
            "verdict": self.verdict, "matches": [m.as_dict() for m in self.matches],
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
        return _record_or_raise(inputs.read_bytes(raw, "-"), "stdin")
    path = Path(source)
    found = list(inputs.discover([path]))
    if not found or path.is_dir():
        raise InputError(f"{source} is not a file (give one draft file, or - for stdin)")
    if isinstance(found[0], InputProblem):
        return _record_or_raise(found[0], source)
    for outcome in inputs.read(found[0], max_bytes):
        return _record_or_raise(outcome, source)
    raise InputError(f"{source} holds no article")


def _record_or_raise(outcome: RawRecord | InputProblem, where: str) -> RawRecord:
    """The record, or an InputError that names the problem."""
    if isinstance(outcome, InputProblem):
        raise InputError(f"{where}: {outcome.message} ({outcome.kind})")
    return outcome


_NO_SHINGLES = np.zeros(0, dtype=np.uint64)


def check(store: Store, record: RawRecord, registry: Registry,
          params: FingerprintParams | None = None,
          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> CheckResult:
    """Compare a draft with the archive in `store` (read-only).

    Raises:
        InputError: no article text could be extracted from the draft.
        IncompatibleIndexError: `params` differ from the archive's fingerprint recipe.
    """
    params = params or FingerprintParams()
    recipe = store.fingerprint_recipe()
    if recipe is not None:
        check_compatible(recipe, params.recipe)
    try:
        draft = analyse(record, registry, params).article
    except ExtractionError as exc:
        raise InputError(f"{record.path}: {exc}") from None
    # the draft's sketch (made by analyse) gives the signature and LSH keys; its token layout
    # gives the fingerprint (token offsets for alignment) without tokenising the draft again
    fp = fingerprint_of(draft.text, draft.sketch, params)
    keys = [k for k in draft.sketch.band_keys if k[0] != config.CONTENT_PREFIX]
    ranked = candidates(store, keys, draft.text_hash)
    named = _named(draft)
    archive = read_archive(store, ranked, set(named), params)
    result = CheckResult(
        draft={"path": record.path, "title": draft.title, "language": draft.language,
               "chars": len(draft.text), "words": fp.token_count},
        originality=1.0, candidates=len(ranked), archive_articles=store.current_articles(),
        cited_outlets=[{"id": o, "name": archive.names.get(o, o)} for o in sorted(named)],
    )
    copied = np.zeros(fp.token_count, dtype=bool)
    mine = _Draft(draft, fp, token_hashes(raw_tokens(draft.text)))
    for article_id in ranked:
        copied |= _compare(result, mine, article_id, archive, named, params, thresholds)
    copied_share = float(copied.sum()) / max(1, fp.token_count)
    retold_share = _retell(store, result, mine, archive, named, copied_share, params)
    # the most reused first; among equal shares the earliest article (the source of the rest)
    result.matches.sort(key=lambda m: (-round(m.covers_draft, 2),
                                       m.article.get("published") or "9999", m.article["id"]))
    result.originality = 1.0 - max(copied_share, retold_share)
    result.uncredited = _uncredited(result.matches, archive)
    return result


def _retell(store: Store, result: CheckResult, mine: _Draft, archive: Archive,
            named: dict[str, str], copied: float, params: FingerprintParams) -> float:
    """Add a `retold` match for each retold candidate not matched otherwise whose ordered
    content-word overlap with the draft reaches ``RETOLD_MIN_SCORE``; the best such overlap
    (0 if none, or if ``copied``, the draft's copied share, reaches ``RETOLD_MAX_COPIED``)."""
    if copied >= config.RETOLD_MAX_COPIED:
        return 0.0
    words = content_words(mine.article.text, prose_only=False)
    matched = {m.article["id"] for m in result.matches}
    retold = [a for a in retold_candidates(store, words, result.archive_articles)
              if a not in matched]
    missing = [a for a in retold if a not in archive.texts]
    if missing:
        archive.update(read_archive(store, missing, set(named), params))
    best = 0.0
    for article_id in retold:
        publisher = archive.publishers[article_id]
        source = archive.content_words(article_id, params)
        score = retold_score(words, source)
        if score < config.RETOLD_MIN_SCORE:
            continue
        best = max(best, score)
        creditable = {o for o in [publisher, *archive.origins.get(article_id, ())] if o}
        verdict = credit(mine.article.publisher_id, publisher, creditable, named, article_id)
        result.matches.append(Match(
            article=archive.info[article_id], kind="retold", similarity=score,
            covers_draft=score, covers_source=min(1.0, score * len(words) / max(1, len(source))),
            credited=verdict.verdict == "credited", credit=_credit_line(verdict, archive.names),
            creditable=list(verdict.creditable), passages=[], verdict=verdict.verdict,
            retold=score))
    return best


def _named(draft: Article) -> dict[str, str]:
    """Outlets the draft cites as sources (counting citations), each with its first sentence."""
    named: dict[str, str] = {}
    for citation in draft.citations:
        if citation.counts and citation.outlet_id:
            named.setdefault(citation.outlet_id, citation.sentence)
    return named


@dataclass
class _Draft:
    """The draft as a check compares it: the article, its fingerprint and its token hashes."""

    article: Article
    fp: Fingerprint
    hashes: np.ndarray


def _compare(result: CheckResult, mine: _Draft, article_id: str, archive: Archive,
             named: dict[str, str], params: FingerprintParams,
             thresholds: Thresholds) -> np.ndarray:
    """Verify one candidate: add its match and shared quotes; the draft tokens it covers."""
    draft, fp = mine.article, mine.fp
    text, publisher = archive.texts[article_id], archive.publishers[article_id]
    other = archive.fingerprint(article_id, params)
    noise = archive.boilerplate.get(publisher, _NO_SHINGLES)
    match = verify(fp, other, boilerplate=noise, thresholds=thresholds)
    verbatim = list(match.passages) if match else align(fp, other, noise, thresholds)
    # a copy whose shingles cover the draft already has no revised passage to add
    revised = [] if match and match.coverage_a >= config.CHECK_VERBATIM_COVERAGE else (
        revised_passages(fp, other, mine.hashes, token_hashes(raw_tokens(text)), thresholds,
                         noise))
    own, quotes = _split_quotes(fp, _joined(verbatim, revised))
    info = archive.info[article_id]
    result.shared_quotes += [_passage(p, draft.text, text, info) for p in quotes]
    kind = match.kind if match else _revised_kind(fp, own, thresholds)
    if kind is None or not own:
        return np.zeros(fp.token_count, dtype=bool)
    mask = _mask(fp, own)
    creditable = {o for o in [publisher, *archive.origins.get(article_id, ())] if o}
    verdict = credit(draft.publisher_id, publisher, creditable, named, article_id)
    result.matches.append(Match(
        article=info, kind=kind,
        similarity=match.jaccard if match else _jaccard(fp, other, noise),
        covers_draft=float(mask.sum()) / max(1, fp.token_count),
        covers_source=max(match.coverage_b if match else 0.0, _covers_source(other, own)),
        credited=verdict.verdict == "credited",
        credit=_credit_line(verdict, archive.names), creditable=list(verdict.creditable),
        passages=[_passage(p, draft.text, text, None) for p in own], verdict=verdict.verdict,
        revised=any(p.revised for p in own),
    ))
    return mask


def _joined(verbatim: list[Passage], revised: list[Passage]) -> list[Passage]:
    """The revised passages, and the verbatim ones that lie outside all of them in the draft."""
    kept = [p for p in verbatim
            if not any(r.a_start <= p.a_end and p.a_start <= r.a_end for r in revised)]
    return sorted(kept + revised)


def _revised_kind(fp: Fingerprint, own: list[Passage], t: Thresholds) -> str | None:
    """The kind of a reuse that verification on shingles missed (edits break shingles): found
    by revised passages outside quotations holding ``partial_min_tokens`` matched words, or
    in a short draft ``min_passage_tokens`` making ``config.REVISED_MIN_DRAFT_SHARE`` of it."""
    matched = sum(p.tokens for p in own)
    short = (matched >= t.min_passage_tokens
             and matched >= config.REVISED_MIN_DRAFT_SHARE * fp.token_count)
    if matched < t.partial_min_tokens and not short:
        return None
    covered = float(_mask(fp, own).sum()) / max(1, fp.token_count)
    return "near_duplicate" if covered >= t.near_dup_coverage else "partial"


def _jaccard(fa: Fingerprint, fb: Fingerprint, noise: np.ndarray) -> float:
    """Shingle Jaccard of two texts, boilerplate discounted."""
    sa = np.setdiff1d(fa.shingles, noise, assume_unique=True)
    sb = np.setdiff1d(fb.shingles, noise, assume_unique=True)
    common = len(np.intersect1d(sa, sb, assume_unique=True))
    return common / max(1, len(sa) + len(sb) - common)


def _covers_source(other: Fingerprint, own: list[Passage]) -> float:
    """Share of the archive article's words inside the passages the draft reuses."""
    mask = np.zeros(other.token_count, dtype=bool)
    for p in own:
        mask |= (other.token_starts >= p.b_start) & (other.token_ends <= p.b_end)
    return float(mask.sum()) / max(1, other.token_count)


def _credit_line(verdict: Verdict, names: dict[str, str]) -> str:
    """What credits the reuse, or what is not named (the shared publisher for same_outlet),
    with outlet names where the archive has them."""
    def named(ids: tuple[str, ...]) -> str:
        return ", ".join(names.get(o) or o for o in ids)
    if verdict.verdict == "credited":
        return "names " + named(verdict.named)
    if verdict.verdict == "uncredited":
        return "names none of " + (named(verdict.creditable) or "its publisher")
    return re.sub(r"\(([^)]+)\)", lambda m: f"({names.get(m.group(1)) or m.group(1)})",
                  verdict.reason)


def _uncredited(matches: list[Match], archive: Archive) -> list[dict]:
    """Who wrote each uncredited match's text: the wire behind a reprint, else the publisher."""
    found: list[dict] = []
    seen: set[str] = set()
    for m in matches:
        if m.verdict != "uncredited":
            continue
        wrote = [o for o in archive.origins.get(m.article["id"], ()) if o]
        for outlet in wrote or [m.article["publisher_id"]]:
            if outlet and outlet not in seen:
                seen.add(outlet)
                found.append({"id": outlet, "name": archive.names.get(outlet, outlet),
                              "via_article": m.article["id"]})
    return found


def _mask(fp: Fingerprint, passages: list[Passage]) -> np.ndarray:
    """Draft tokens inside the given passages."""
    mask = np.zeros(fp.token_count, dtype=bool)
    for p in passages:
        mask |= (fp.token_starts >= p.a_start) & (fp.token_ends <= p.a_end)
    return mask


def _split_quotes(fp: Fingerprint, passages: list[Passage]
                  ) -> tuple[list[Passage], list[Passage]]:
    """Passages of copied prose, and passages that are mostly shared quotation."""
    own, quotes = [], []
    for p in passages:
        mask = _mask(fp, [p])
        share = float((mask & fp.quoted).sum()) / max(1, int(mask.sum()))
        (quotes if share >= config.QUOTE_SHARE else own).append(p)
    return own, quotes


def _passage(p: Passage, draft: str, source: str, article: dict | None) -> dict:
    """A passage side by side: offsets and text in the draft and in the archive article."""
    out = {"draft_start": p.a_start, "draft_end": p.a_end, "source_start": p.b_start,
           "source_end": p.b_end, "words": p.tokens, "similarity": p.similarity,
           "revised": p.revised, "draft_text": draft[p.a_start:p.a_end],
           "source_text": source[p.b_start:p.b_end]}
    if article is not None:
        out["article"] = article
    return out


def to_json(result: CheckResult) -> str:
    """The check result as JSON."""
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
