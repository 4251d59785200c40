"""The Parquet tables of a Spark job: records <-> rows, with the SQLite store's column names.

Every table is named and laid out as its SQLite table (`store.rows` makes the values), so the
view definitions of `store.views` work on the Parquet in DuckDB or Spark SQL. The `article`
table carries what the loader needs to write the article exactly as the local scan does: its
place in the scan order, its status, its fingerprint, citations, warnings and new outlets.
`repeat` holds the records that repeat an article already read (status `unchanged`).
"""

from __future__ import annotations

import json
from dataclasses import replace

from provenance.analyse import Analysed
from provenance.config import KEY_BYTES, FingerprintParams
from provenance.records import Article, CopyEdge, InputProblem, Story
from provenance.store import rows

RUN = 0  # run id in the Parquet rows; the loader writes its own run's id

_ARTICLE_COLUMNS = (
    "id string, source_key string, external_id string, path string, record string, "
    "format string, url string, canonical_url string, title string, author string, "
    "description string, sitename string, publisher_id string, publisher_evidence string, "
    "published string, published_source string, language string, language_source string, "
    "text string, text_hash string, n_chars long, zones string, first_run_id long, "
    "previous_id string, is_current boolean")
SCHEMAS = {
    "article": ("order_section int, order_file int, order_seq int, status string, "
                f"{_ARTICLE_COLUMNS}, fp_recipe string, fp_signature binary, "
                "fp_n_shingles long, fp_keys binary, fp_shingles binary, citations string, "
                "warnings string, new_outlet string, discovered string, timings string"),
    "citation": ("article_id string, run_id long, outlet_id string, source_id string, "
                 "source_name string, source_type string, kind string, counts boolean, "
                 "cue string, zone string, start long, `end` long, sentence string, "
                 "sentence_start long, rule string, confidence double, relayed_by string, "
                 "original boolean"),
    "input_error": ("order_section int, order_file int, order_seq int, attached boolean, "
                    "run_id long, path string, record string, kind string, severity string, "
                    "message string"),
    "input_file": ("order_section int, order_file int, order_seq int, key string, path string, "
                   "size long, n_articles long, run_id long, content_key string"),
    "outlet": ("id string, name string, kind string, country string, state_affiliation string, "
               "domains string, aliases string, origin string, registry_version string"),
    "copy_edge": ("id long, run_id long, source_id string, copy_id string, relation string, "
                  "kind string, jaccard double, jaccard_estimate double, "
                  "containment_copy_in_source double, containment_source_in_copy double, "
                  "coverage_copy double, coverage_source double, passages string, "
                  "direction_basis string, backdated boolean, verdict string, "
                  "verdict_reason string"),
    "story": ("id string, origin_article_id string, origin_outlet_id string, "
              "upstream_outlet_id string, size long, run_id long"),
    "story_member": "story_id string, article_id string",
    "article_source": ("article_id string, outlet_id string, reason string, rank long, "
                       "path string, run_id long"),
    "provenance_problem": "id long, run_id long, message string",
    "boilerplate": "outlet_id string, shingles binary",
    "lsh_key": "key binary, article_id string",
    "run": ("engine string, spark_version string, master string, tool_version string, "
            "registry_version string, registry_files string, started_at string, "
            "finished_at string, status string, parameters string, counts string"),
}
SCHEMAS["repeat"] = SCHEMAS["article"]
_NAMES = {t: [c.split()[0].strip("`") for c in s.split(", ")] for t, s in SCHEMAS.items()}


def names(table: str) -> list[str]:
    """The column names of a table."""
    return _NAMES[table]


def _tuple(table: str, values: dict) -> tuple:
    return tuple(values[c] for c in _NAMES[table])


def article_values(order: tuple[int, int, int], analysed: Analysed, status: str,
                   previous_id: str | None, is_current: bool) -> tuple:
    """An analysed record as an `article` (or `repeat`) row."""
    a = analysed.article
    row = rows.article_row(a, RUN, previous_id)
    row["is_current"] = is_current
    sketch = rows.fingerprint_values(a.id, a.sketch, RUN)
    row.update(order_section=order[0], order_file=order[1], order_seq=order[2], status=status,
               fp_recipe=sketch[1], fp_signature=sketch[2], fp_n_shingles=sketch[3],
               fp_keys=sketch[4], fp_shingles=sketch[5],
               citations=json.dumps([rows.citation_row(c, a.id, RUN) for c in a.citations]),
               warnings=json.dumps(analysed.warnings),
               new_outlet=json.dumps(_outlet(analysed.new_outlet)),
               discovered=json.dumps([_outlet(o) for o in analysed.discovered]),
               timings=json.dumps(analysed.timings))
    return _tuple("article", row)


def _outlet(outlet) -> dict | None:
    return None if outlet is None else rows.outlet_row(outlet, outlet.origin or "input")


def _outlet_of(row: dict | None):
    if row is None:
        return None
    return replace(rows.outlet_from_row(row), origin=row["origin"])


def analysed_of(row: dict, params: FingerprintParams) -> Analysed:
    """An `article` row as the Analysed record the local scan would have written."""
    sketch = rows.sketch_from_row(row["fp_signature"], row["fp_shingles"], row["fp_n_shingles"],
                                  params)
    keys = bytes(row["fp_keys"] or b"")
    sketch.band_keys.extend(keys[i:i + KEY_BYTES] for i in range(0, len(keys), KEY_BYTES))
    citations = tuple(replace(rows.citation_from_row({**c, "id": None}), article_id=None,
                              run_id=None) for c in json.loads(row["citations"]))
    article = replace(rows.article_from_row(row, sketch=sketch, citations=citations),
                      first_run_id=None, previous_id=None, is_current=True)
    return Analysed(article, _outlet_of(json.loads(row["new_outlet"])),
                    [tuple(w) for w in json.loads(row["warnings"])],
                    json.loads(row["timings"]),
                    tuple(_outlet_of(o) for o in json.loads(row["discovered"])))


def problem_values(order: tuple[int, int, int], problem: InputProblem, attached: bool) -> tuple:
    """An InputProblem as an `input_error` row (`attached`: a warning of an article row)."""
    row = rows.problem_row(problem, RUN)
    row.update(order_section=order[0], order_file=order[1], order_seq=order[2],
               attached=attached)
    return _tuple("input_error", row)


def problem_of(row: dict) -> InputProblem:
    """An `input_error` row as an InputProblem."""
    return InputProblem(row["path"], row["record"], row["kind"], row["message"],
                        row["severity"])


def edge_values(edge: CopyEdge) -> tuple:
    """A CopyEdge (with its id and verdict) as a `copy_edge` row."""
    row = rows.copy_edge_row(edge, RUN)
    row["id"] = edge.id
    return _tuple("copy_edge", row)


def edge_of(row: dict) -> CopyEdge:
    """A `copy_edge` row as a CopyEdge."""
    return rows.copy_edge_from_row(row)


def story_values(story: Story) -> tuple:
    """A Story as a `story` row."""
    return _tuple("story", rows.story_row(replace(story, run_id=story.run_id or RUN)))


def values(table: str, row: dict) -> tuple:
    """A row dict as the tuple of a table's columns."""
    return _tuple(table, row)


def article_stub(article: Article) -> Article:
    """An article as the store reads it back for resolution: metadata, no text or sketch."""
    return replace(article, text="", sketch=None, citations=())
