"""How much the outputs show: lists, snippets, drawings, the report site, error messages.

A leaf like `provenance.config`, kept apart from it because none of these values changes what a
scan or a check decides: they only bound what is printed or drawn, so they are not recorded
with a run's parameters (`config.tunables`). Every scan and check threshold is in config.
"""

# Input problems listed after a scan; the rest are in the database (input_errors view).
MAX_ERRORS_SHOWN = 20
# Files skipped as not articles named in the scan summary (all are in input_errors).
MAX_SKIPPED_NAMED = 6
# Passages of each copy edge that `provenance show` quotes, and characters quoted of each.
SHOW_PASSAGES = 3
SHOW_SNIPPET_CHARS = 160
# Characters of a shared quote that `provenance check` prints.
CHECK_QUOTE_CHARS = 200
# Characters of an article title in a DOT node label.
DOT_LABEL_CHARS = 60
# Beyond this many articles the report's drawing shows the articles with most copy edges.
MAX_DRAWN_ARTICLES = 120
# Characters of an article title beside its dot in the report's drawing.
DRAWN_TITLE_CHARS = 52
# Characters of article text the report shows per article (the rest is in the database).
MAX_TEXT_CHARS = 6000
# The report site (`report --html DIR`, outputs/site): list page sizes, drawing caps, layout.
SITE_LIMITS = {"list_rows": 200, "story_rows": 1500, "drawn_nodes": 300, "passage_edges": 12,
               "passage_chars": 700, "top_rows": 15, "dot_max_nodes": 150, "overview_outlets": 40,
               "search_shard": 5000, "batch": 500, "layout_timeout_s": 120, "drawn_edges": 1500}
# Characters of an argument (a path, a reference) quoted back in an error message; a longer one
# is shown cut, with its length (a 60k-character argument must not make a 60k-character line).
MAX_ARGUMENT_SHOWN = 120
