"""Records <-> table rows: every mapping between `provenance.records` and the tables, explicit.

The only place that knows that `Article.zones` is a JSON column, that a copy edge's passages are
stored as `[[source_start, source_end, copy_start, copy_end, tokens]]`, that a signature is packed
little-endian (4 bytes a value, 8 for the 64-bit scheme) and shingle hashes as 8-byte values, or
that a boilerplate shingle is stored as a signed int64. Writers get dicts keyed by column (or
tuples in column order for the hot paths); readers get records.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from provenance.config import FingerprintParams
from provenance.errors import IncompatibleIndexError
from provenance.records import (
    Article,
    Citation,
    CopyEdge,
    InputProblem,
    Origin,
    Outlet,
    Passage,
    ReadFile,
    Run,
    Sketch,
    Step,
    Story,
    Zone,
    flat_passages,
)

Row = Mapping[str, Any]


def dumps(value: Any) -> str:
    """JSON as the database stores it (UTF-8 text, not \\u escapes)."""
    return json.dumps(value, ensure_ascii=False)


# -- runs, problems, files, outlets -----------------------------------------------------------


def run_from_row(row: Row) -> Run:
    """A `run` row as a Run."""
    return Run(id=row["id"], started_at=row["started_at"], status=row["status"],
               tool_version=row["tool_version"], finished_at=row["finished_at"],
               registry_version=row["registry_version"],
               parameters=json.loads(row["parameters"]), counts=json.loads(row["counts"]))


def problem_row(problem: InputProblem, run_id: int) -> dict:
    """An InputProblem as an `input_error` row of a run."""
    return {"run_id": run_id, "path": problem.path, "record": problem.record,
            "kind": problem.kind, "severity": problem.severity, "message": problem.message}


def problem_from_row(row: Row) -> InputProblem:
    """An `input_error` row as an InputProblem (with its run)."""
    return InputProblem(path=row["path"], record=row["record"], kind=row["kind"],
                        message=row["message"], severity=row["severity"], run_id=row["run_id"])


def read_file_row(file: ReadFile, run_id: int) -> dict:
    """A ReadFile as an `input_file` row."""
    return {"key": file.key, "path": file.path, "size": file.size,
            "n_articles": file.n_articles, "run_id": run_id}


def outlet_row(outlet: Outlet, origin: str, registry_version: str | None = None) -> dict:
    """An Outlet as an `outlet` row (the table keeps its identity, kind and names: its
    acronyms are kept among the aliases, for the outputs)."""
    return {"id": outlet.id, "name": outlet.name, "kind": outlet.kind, "country": outlet.country,
            "state_affiliation": outlet.state_affiliation, "domains": dumps(list(outlet.domains)),
            "aliases": dumps(list(dict.fromkeys((*outlet.aliases, *outlet.acronyms)))),
            "origin": origin,
            "registry_version": registry_version}


def outlet_from_row(row: Row) -> Outlet:
    """An `outlet` row as an Outlet (acronyms, relays and the like live in the registry only)."""
    return Outlet(id=row["id"], name=row["name"], kind=row["kind"], country=row["country"],
                  state_affiliation=row["state_affiliation"],
                  domains=tuple(json.loads(row["domains"] or "[]")),
                  aliases=tuple(json.loads(row["aliases"] or "[]")), origin=row["origin"])


# -- articles and citations -------------------------------------------------------------------


def zones_json(zones: Iterable[Zone]) -> str:
    """Zones as the `article.zones` JSON list of {kind, text, start, end}."""
    return dumps([{"kind": z.kind, "text": z.text, "start": z.start, "end": z.end}
                  for z in zones])


def zones_from_json(value: str | None) -> tuple[Zone, ...]:
    """The zones of an `article.zones` JSON list."""
    if not value or value == "[]":  # most texts have none: skip the parser
        return ()
    return tuple(Zone(kind=z["kind"], text=z["text"], start=z.get("start"), end=z.get("end"))
                 for z in json.loads(value or "[]"))


def article_row(article: Article, run_id: int, previous_id: str | None) -> dict:
    """An Article as a new current `article` row, first read by `run_id`."""
    a = article
    return {"id": a.id, "source_key": a.source_key, "external_id": a.external_id,
            "path": a.path, "record": a.record, "format": a.format, "url": a.url,
            "canonical_url": a.canonical_url, "title": a.title, "author": a.author,
            "description": a.description, "sitename": a.sitename,
            "publisher_id": a.publisher_id, "publisher_evidence": a.publisher_evidence,
            "published": a.published, "published_source": a.published_source,
            "language": a.language, "language_source": a.language_source, "text": a.text,
            "text_hash": a.text_hash, "n_chars": a.n_chars, "zones": zones_json(a.zones),
            "first_run_id": run_id, "previous_id": previous_id, "is_current": True}


def article_from_row(row: Row, sketch: Sketch | None = None,
                     citations: tuple[Citation, ...] = ()) -> Article:
    """An `article` row as an Article; `text` is empty unless the row holds it."""
    return Article(
        id=row["id"], source_key=row["source_key"], external_id=row["external_id"],
        path=row["path"], record=row["record"], format=row["format"],
        text=row.get("text") or "", text_hash=row["text_hash"], n_chars=row["n_chars"],
        url=row["url"], canonical_url=row["canonical_url"], title=row["title"],
        author=row["author"], description=row["description"], sitename=row["sitename"],
        publisher_id=row["publisher_id"], publisher_evidence=row["publisher_evidence"],
        published=row["published"], published_source=row["published_source"],
        language=row["language"], language_source=row["language_source"],
        zones=zones_from_json(row["zones"]), citations=citations, sketch=sketch,
        first_run_id=row["first_run_id"], previous_id=row["previous_id"],
        is_current=bool(row["is_current"]), story=row.get("story"))


def citation_row(citation: Citation, article_id: str, run_id: int) -> dict:
    """A Citation of an article as a `citation` row (every column but the generated id)."""
    c = citation
    return {"article_id": article_id, "run_id": run_id, "outlet_id": c.outlet_id,
            "source_id": c.source_id, "source_name": c.source_name,
            "source_type": c.source_type, "kind": c.kind, "counts": c.counts, "cue": c.cue,
            "zone": c.zone, "start": c.start, "end": c.end, "sentence": c.sentence,
            "sentence_start": c.sentence_start, "rule": c.rule, "confidence": c.confidence,
            "relayed_by": c.relayed_by, "original": c.original}


def citation_from_row(row: Row) -> Citation:
    """A `citation` row as a Citation (with its article and run)."""
    return Citation(
        outlet_id=row["outlet_id"], source_name=row["source_name"],
        source_type=row["source_type"], kind=row["kind"], cue=row["cue"], start=row["start"],
        end=row["end"], sentence=row["sentence"], sentence_start=row["sentence_start"],
        zone=row["zone"], rule=row["rule"], confidence=row["confidence"],
        relayed_by=row["relayed_by"], original=bool(row["original"]),
        source_id=row["source_id"], article_id=row["article_id"], run_id=row["run_id"])


# -- sketches, shingles, boilerplate ----------------------------------------------------------


def _signature_dtype(params: FingerprintParams) -> str:
    # 32-bit schemes keep values below 2**32: half the bytes on disk.
    return "<u8" if params.scheme == "affine64" else "<u4"


def pack_signature(signature: np.ndarray, params: FingerprintParams) -> bytes:
    """A MinHash signature as `fingerprint.signature` bytes."""
    return np.asarray(signature).astype(_signature_dtype(params)).tobytes()


def unpack_signature(data: bytes, params: FingerprintParams) -> np.ndarray:
    """The uint64 signature of `fingerprint.signature` bytes, for these parameters."""
    values = np.frombuffer(data, dtype=_signature_dtype(params))
    if len(values) != params.num_perm:
        raise IncompatibleIndexError(
            f"a stored signature has {len(values)} values but the parameters ask for "
            f"{params.num_perm}: re-scan into a new --db or pass the same parameters")
    return values.astype(np.uint64)


def pack_shingles(shingles: np.ndarray) -> bytes:
    """Sorted shingle hashes as `fingerprint.shingles` bytes (little-endian 8-byte values)."""
    return np.asarray(shingles).astype("<u8").tobytes()


def unpack_shingles(data: bytes | None) -> np.ndarray:
    """The uint64 shingle hashes of `fingerprint.shingles` bytes."""
    return np.frombuffer(data or b"", dtype="<u8").astype(np.uint64)


def fingerprint_values(article_id: str, sketch: Sketch, run_id: int) -> tuple:
    """A Sketch as the values of a `fingerprint` row, in the hot-path insert's column order
    (article_id, recipe, signature, n_shingles, keys, shingles, run_id)."""
    return (article_id, sketch.params.recipe, pack_signature(sketch.signature, sketch.params),
            sketch.n_shingles, b"".join(sketch.band_keys), pack_shingles(sketch.shingles),
            run_id)


def sketch_from_row(signature: bytes, shingles: bytes | None, n_shingles: int,
                    params: FingerprintParams, layout: bytes | None = None) -> Sketch:
    """A stored fingerprint (and token layout) as a Sketch of `params` (its LSH keys are not
    read back)."""
    return Sketch(params=params, signature=unpack_signature(signature, params), band_keys=[],
                  shingles=unpack_shingles(shingles), n_shingles=n_shingles,
                  layout=layout or b"")


def signed_shingles(shingles: Iterable[int] | np.ndarray) -> list[int]:
    """uint64 shingle hashes as the signed int64 values SQLite integers hold."""
    return np.asarray(shingles, dtype=np.uint64).view(np.int64).tolist()


def unsigned_shingles(values: list[int]) -> np.ndarray:
    """Signed int64 values read back from SQLite as sorted uint64 shingle hashes."""
    return np.sort(np.asarray(values, dtype=np.int64).view(np.uint64))


# -- copy edges, stories, origins -------------------------------------------------------------


# The columns of a `copy_edge` row that an edge gives (the run id and the generated id aside),
# in the order of `copy_edge_values`.
EDGE_COLUMNS = ("source_id", "copy_id", "relation", "kind", "jaccard", "jaccard_estimate",
                "containment_copy_in_source", "containment_source_in_copy", "coverage_copy",
                "coverage_source", "passages", "direction_basis", "backdated", "verdict",
                "verdict_reason")
EDGE_KIND = EDGE_COLUMNS.index("kind")


def copy_edge_row(edge: CopyEdge, run_id: int) -> dict:
    """A CopyEdge as a `copy_edge` row of a run (the id is generated)."""
    return {"run_id": run_id, **dict(zip(EDGE_COLUMNS, copy_edge_values(edge), strict=True))}


def copy_edge_values(e: CopyEdge) -> tuple:
    """A copy edge as the values of a `copy_edge` row (`EDGE_COLUMNS`), without the run id and
    without the dict of `copy_edge_row`: dense reuse writes hundreds of thousands of edges, and
    a scan's workers send them to the writing process in this form, which costs a fifth of an
    edge to unpickle."""
    return (e.source_id, e.copy_id, e.relation, e.kind, e.jaccard, e.jaccard_estimate,
            e.containment_copy_in_source, e.containment_source_in_copy, e.coverage_copy,
            e.coverage_source, json.dumps([passage_row(p) for p in e.passages]),
            e.direction_basis, e.backdated, e.verdict, e.verdict_reason)


def passage_row(p: Passage) -> list:
    """A Passage as stored in `copy_edge.passages`: five numbers, and for a revised passage
    its similarity and the revised flag (rows written before revision was measured have five)."""
    row: list = [p.a_start, p.a_end, p.b_start, p.b_end, p.tokens]
    return [*row, p.similarity, True] if p.revised else row


def passages_from_json(value: str | None) -> tuple[Passage, ...]:
    """The passages of a `copy_edge` row (A = source, B = copy)."""
    return tuple(Passage(*p) for p in json.loads(value or "[]"))


def passage_offsets(value: str | None) -> Sequence[int]:
    """The passages of a `copy_edge` row as resolution reads them: `a_start, a_end, b_start,
    b_end` of each, flat in one int array (`()` when none)."""
    return flat_passages(p[:4] for p in json.loads(value or "[]"))


def passage_columns(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The passages of many `copy_edge` rows as resolution reads them: how many each row has,
    and their `a_start, a_end, b_start, b_end` flat (int32), parsed at once: the JSON's numbers
    read into one array, each `]` a -1 mark (a passage ends at a mark after a number, a row at
    a mark after a mark); row by row (`passage_offsets`) when a row is not in the form written
    (`passage_row`: five numbers, or seven for a revised passage, offsets never negative)."""
    try:
        text = ("".join(values).replace("true", "1").replace("[", " ").replace(",", " ")
                .replace("]", " -1 "))
        with warnings.catch_warnings():  # numpy warns of a text not read to its end
            warnings.simplefilter("error", DeprecationWarning)
            numbers = np.fromstring(text, dtype=np.float64, sep=" ")
    except (TypeError, ValueError, DeprecationWarning):
        return _passage_columns_by_row(values)
    marks = np.flatnonzero(numbers == -1)
    row_end = np.ones(len(marks), bool)
    row_end[marks > 0] = numbers[marks[marks > 0] - 1] == -1
    starts = np.concatenate([[0], marks + 1])[:len(marks)][~row_end]
    lengths = marks[~row_end] - starts
    flat = numbers[starts[:, None] + np.arange(4)] if len(starts) else np.zeros((0, 4))
    if (int(row_end.sum()) != len(values) or not np.isin(lengths, (5, 7)).all()
            or (flat < 0).any() or (flat != np.floor(flat)).any()):
        return _passage_columns_by_row(values)
    ended = np.cumsum(~row_end)[row_end]
    return np.diff(ended, prepend=0), flat.astype(np.int32).reshape(-1)


def _passage_columns_by_row(values: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """`passage_columns`, each row's JSON read on its own."""
    flats = [passage_offsets(v) for v in values]
    return (np.array([len(f) // 4 for f in flats], np.int64),
            np.array([x for f in flats for x in f], np.int32))


def copy_edge_from_row(row: Row) -> CopyEdge:
    """A `copy_edge` row as a CopyEdge (passages: A = source, B = copy)."""
    return CopyEdge(
        source_id=row["source_id"], copy_id=row["copy_id"], relation=row["relation"],
        kind=row["kind"], jaccard=row["jaccard"], jaccard_estimate=row["jaccard_estimate"],
        containment_copy_in_source=row["containment_copy_in_source"],
        containment_source_in_copy=row["containment_source_in_copy"],
        coverage_copy=row["coverage_copy"], coverage_source=row["coverage_source"],
        passages=tuple(Passage(*p) for p in json.loads(row["passages"] or "[]")),
        direction_basis=row["direction_basis"], backdated=bool(row["backdated"]),
        verdict=row["verdict"], verdict_reason=row["verdict_reason"], id=row["id"],
        run_id=row["run_id"])


def story_row(story: Story) -> dict:
    """A Story as a `story` row (its members are `story_member_rows`)."""
    if story.run_id is None:
        raise ValueError(f"story {story.id} has no run_id: set the run that clustered it")
    return {"id": story.id, "origin_article_id": story.origin_article_id,
            "origin_outlet_id": story.origin_outlet_id,
            "upstream_outlet_id": story.upstream_outlet_id, "size": story.size,
            "run_id": story.run_id}


def story_member_rows(story: Story) -> list[dict]:
    """The `story_member` rows of a Story."""
    return [{"story_id": story.id, "article_id": member} for member in story.members]


def story_from_row(row: Row, members: Iterable[str]) -> Story:
    """A `story` row and its member ids as a Story."""
    return Story(id=row["id"], origin_article_id=row["origin_article_id"],
                 members=tuple(members), origin_outlet_id=row["origin_outlet_id"],
                 upstream_outlet_id=row["upstream_outlet_id"], run_id=row["run_id"])


def origin_row(origin: Origin, run_id: int) -> dict:
    """An Origin of an article as an `article_source` row (its path as JSON steps)."""
    if origin.article_id is None:
        raise ValueError(f"origin {origin.outlet_id} has no article_id: set the article it is of")
    return {"article_id": origin.article_id, "outlet_id": origin.outlet_id,
            "reason": origin.reason, "rank": origin.rank,
            "path": dumps([step.as_dict() for step in origin.path]), "run_id": run_id}


ORIGIN_COLUMNS = ("article_id", "outlet_id", "reason", "rank", "path", "run_id")


def origin_values(origins: Iterable[Origin], run_id: int) -> list[tuple]:
    """Origins as `article_source` values in `ORIGIN_COLUMNS` order (for executemany), the
    path as `origin_row` writes it; each distinct step is made JSON once per call (the origins
    of one article and of its copies share most steps)."""
    made: dict[Step, str] = {}
    out = []
    for origin in origins:
        if origin.article_id is None:
            raise ValueError(f"origin {origin.outlet_id} has no article_id: set the article "
                             "it is of")
        parts = []
        for step in origin.path:
            part = made.get(step)
            if part is None:
                part = made[step] = dumps(step.as_dict())
            parts.append(part)
        out.append((origin.article_id, origin.outlet_id, origin.reason, origin.rank,
                    "[" + ", ".join(parts) + "]", run_id))
    return out


def origin_from_row(row: Row) -> Origin:
    """An `article_source` row as an Origin (with its article and rank)."""
    return Origin(outlet_id=row["outlet_id"], reason=row["reason"],
                  path=tuple(Step(s["relation"], s["source"], s["target"], s.get("evidence"))
                             for s in json.loads(row["path"] or "[]")),
                  article_id=row["article_id"], rank=row["rank"])
