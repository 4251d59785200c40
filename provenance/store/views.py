"""The SQL views of a provenance database: plain names for the questions people ask first.

docs/schema.md and docs/audit.md show queries over them. `database.migrate` (re)creates a view
whenever its body here differs from the one stored in the file.
"""

from __future__ import annotations

VIEWS = {
    "articles": """
        SELECT a.id, a.external_id, a.title, o.name AS outlet, a.publisher_id, a.published,
               a.language, a.url, a.path, a.format, a.n_chars, a.first_run_id AS run_id
        FROM article a LEFT JOIN outlet o ON o.id = a.publisher_id
        WHERE a.is_current""",
    "article_versions": """
        SELECT a.id, a.external_id, a.previous_id, a.is_current, a.text_hash, a.first_run_id
        FROM article a WHERE a.previous_id IS NOT NULL OR NOT a.is_current""",
    "runs": """
        SELECT id, started_at, finished_at, status, tool_version, registry_version,
               json_extract(counts, '$.read') AS read, json_extract(counts, '$.new') AS new,
               json_extract(counts, '$.unchanged') AS unchanged,
               json_extract(counts, '$.updated') AS updated,
               json_extract(counts, '$.failed') AS failed, parameters
        FROM run""",
    "input_errors": """
        SELECT e.run_id, e.path, e.record, e.kind, e.severity, e.message FROM input_error e""",
    "article_citations": """
        SELECT a.id AS article_id, a.external_id, c.outlet_id, o.name AS outlet,
               c.source_name, c.source_type, c.kind, c.cue, c.zone, c.start, c."end",
               c.sentence, c.rule, c.confidence, c.relayed_by, c.original, c.run_id
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        LEFT JOIN outlet o ON o.id = c.outlet_id
        WHERE c.counts AND c.outlet_id IS NOT NULL""",
    "image_credits": """
        SELECT a.id AS article_id, a.external_id, c.source_name, c.outlet_id, c.sentence
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        WHERE c.kind = 'image_credit'""",
    "non_outlet_sources": """
        SELECT a.id AS article_id, a.external_id, c.source_id, c.source_name, c.source_type,
               c.kind, c.cue, c.sentence
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        WHERE c.outlet_id IS NULL""",
    "outlet_citation_counts": """
        SELECT o.id, o.name, o.kind, count(DISTINCT c.article_id) AS citing_articles,
               count(*) AS citations
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        JOIN outlet o ON o.id = c.outlet_id WHERE c.counts
        GROUP BY o.id ORDER BY citing_articles DESC, o.id""",
    "copies": """
        SELECT e.id AS edge_id, c.id AS copy_id, c.external_id AS copy, c.title AS copy_title,
               c.publisher_id AS copy_outlet, c.published AS copy_published,
               s.id AS source_id, s.external_id AS source, s.title AS source_title,
               s.publisher_id AS source_outlet, s.published AS source_published,
               e.relation, e.kind, e.jaccard, e.containment_copy_in_source, e.coverage_copy,
               e.verdict, e.verdict_reason, e.backdated, e.passages, e.run_id
        FROM copy_edge e
        JOIN article c ON c.id = e.copy_id AND c.is_current
        JOIN article s ON s.id = e.source_id AND s.is_current""",
    "uncredited_copies": """
        SELECT * FROM copies WHERE verdict = 'uncredited' AND relation = 'derived_from'""",
    "story_origins": """
        SELECT st.id AS story_id, st.size, a.id AS origin_article_id,
               a.external_id AS origin_article, a.title AS origin_title, a.published,
               st.origin_outlet_id, oo.name AS origin_outlet,
               st.upstream_outlet_id, uo.name AS upstream_outlet, st.run_id
        FROM story st JOIN article a ON a.id = st.origin_article_id
        LEFT JOIN outlet oo ON oo.id = st.origin_outlet_id
        LEFT JOIN outlet uo ON uo.id = st.upstream_outlet_id""",
    "article_sources": """
        SELECT a.id AS article_id, a.external_id, 'original' AS role, s.outlet_id,
               o.name AS outlet, NULL AS source_article_id, s.reason AS detail, s.path AS evidence
        FROM article_source s JOIN article a ON a.id = s.article_id AND a.is_current
        LEFT JOIN outlet o ON o.id = s.outlet_id
        UNION ALL
        SELECT a.id, a.external_id, 'cited', c.outlet_id, o.name, NULL, c.kind, c.sentence
        FROM citation c JOIN article a ON a.id = c.article_id AND a.is_current
        LEFT JOIN outlet o ON o.id = c.outlet_id
        WHERE c.counts AND c.outlet_id IS NOT NULL
        UNION ALL
        SELECT a.id, a.external_id, 'derived_from', src.publisher_id, o.name, src.id,
               e.kind || ' (' || coalesce(e.verdict, 'unresolved') || ')', e.passages
        FROM copy_edge e JOIN article a ON a.id = e.copy_id AND a.is_current
        JOIN article src ON src.id = e.source_id AND src.is_current
        LEFT JOIN outlet o ON o.id = src.publisher_id
        WHERE e.relation = 'derived_from'""",
    "outlet_articles": """
        SELECT o.id, o.name, o.kind, o.country, count(a.id) AS articles
        FROM outlet o JOIN article a ON a.publisher_id = o.id AND a.is_current
        GROUP BY o.id ORDER BY articles DESC, o.id""",
}
