"""Tunables of copy detection that do not fit in ``config.py`` (at its size limit): the site
template slots of ``copies.boilerplate.in_template_slots``, and what the copy phase
remembers.

Two pages of one site that share text only where a site prints its template (after a headline
of at most ``TEMPLATE_HEAD_TOKENS`` words of their own, or with at most
``TEMPLATE_TAIL_TOKENS`` words of their own after it), at most ``TEMPLATE_MAX_TOKENS`` words
of it (a banner, a footer; more is an article the site printed twice), and open differently
(their openings before it share less than ``TEMPLATE_OPEN_SHARE`` of the shorter one's
shingles: two crawls of one article open alike), share the template, not a copy. Measured on
bench_match_quality (one-line SemEval pages: consent, paywall and newsletter banners after the
headline, disclaimers and donation appeals at the end, a forum widget at the foot) and
bench_crawl (teasers and sign-up boxes of one site's pages).
"""

TEMPLATE_HEAD_TOKENS = 25
TEMPLATE_TAIL_TOKENS = 10
TEMPLATE_MAX_TOKENS = 200
TEMPLATE_OPEN_SHARE = 0.5

# In a block that holds a notice (a page flattened into one line), a run of words of which at
# least PROSE_LIST_CAPITALS are capitalised, with fewer than one sentence mark per
# PROSE_LIST_WORDS_PER_MARK words (form fields, a list of countries, a menu), is no prose.
PROSE_LIST_CAPITALS = 0.7
PROSE_LIST_WORDS_PER_MARK = 15

# Article publishers (and learnt boilerplate keys) the copy phase of a scan remembers from chunk
# to chunk (`scan.pairs.ChunkReads`): an article of dense reuse is in the pairs of about 15
# chunks. About 150 bytes each; past the limit the memory is emptied and read again.
COPY_PHASE_REMEMBERED = 300_000

# Candidate pairs (copies/candidates.py). A key held by n articles is worth 1/(n-1) to each pair
# its bucket proposes: a key of just the two counts 1, a sentence quoted in 20 articles 1/19 to
# each of their pairs. A pair is strong when its keys weigh CANDIDATE_WEIGHT together, or when
# CANDIDATE_KEYS keys propose it (a passage of 40 words holds about 3.5 anchor pairs: reused in
# any number of articles, it stays a candidate); a weaker pair is a candidate when both its
# articles are strong with a third (a family: a trimmed and a revised copy of one original).
# Measured on make_corpus's realistic archive (quotes recur across articles, more the larger it
# is): pairs per article 2.07 at 10k and 6.22 at 40k before, 1.07 and 1.27 with these (4 of the
# 9,004 edges at 40k lost: revised passages of 41-50 words in one sentence's keys); and on
# bench_match_quality, every gold pair kept.
CANDIDATE_WEIGHT = 0.5
CANDIDATE_KEYS = 3
# A pair whose keys weigh less (a light pair) is still verified when its stored shingle sets
# share this many shingles outside the boilerplate: a verbatim passage of some 35 words (a
# press-release paragraph in ten articles: one or two of its keys, each held by all ten). A
# quote re-worded at a quarter of its words shares a few.
LIGHT_MIN_SHINGLES = 30
