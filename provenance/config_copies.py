"""Tunables of copy detection that do not fit in ``config.py`` (at its size limit): the site
template slots of ``copies.boilerplate.in_template_slots``.

Two pages of one site that share text only where a site prints its template (after a headline
of at most ``TEMPLATE_HEAD_TOKENS`` words of their own, or with at most
``TEMPLATE_TAIL_TOKENS`` words of their own after it), at most ``TEMPLATE_MAX_TOKENS`` words
of it (a banner, a footer; more is an article the site printed twice), and open differently,
share the template, not a copy. Measured on bench_match_quality (one-line SemEval pages:
consent, paywall and newsletter banners after the headline, disclaimers and donation appeals
at the end) and bench_crawl (teasers and sign-up boxes of one site's pages).
"""

TEMPLATE_HEAD_TOKENS = 25
TEMPLATE_TAIL_TOKENS = 10
TEMPLATE_MAX_TOKENS = 200
