"""Boilerplate: the shingles one outlet repeats under many of its articles (footers, blurbs),
the template text of one site, and the passages that recur across the archive under many
unrelated stories.

Learnt per outlet from the shingle sets of its latest articles (``learn_boilerplate``); per
site (a registrable domain, ``copies.sites``) from the pages of all its hosts
(``learn_site_template``: text three or more of its pages share under different stories, such
as a consent banner or a "most read" box, whatever share of the site's pages they are); and
across the archive from the latest articles of all outlets (``learn_recurring``: a passage in many
articles of several outlets that share nothing else, such as a template of sister sites or a
banner of one CMS, which works with one page per site); ``copies.verification`` ignores them,
so that a newsletter blurb neither creates nor inflates a match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from provenance.config import (
    BOILERPLATE_MAX_DOC_SHARE,
    BOILERPLATE_MIN_DOCS,
    BOILERPLATE_MIN_FRACTION,
    RECURRING_MIN_DOCS,
    RECURRING_MIN_OUTLETS,
)
from provenance.config_copies import (
    TEMPLATE_HEAD_TOKENS,
    TEMPLATE_MAX_TOKENS,
    TEMPLATE_OPEN_SHARE,
    TEMPLATE_TAIL_TOKENS,
)
from provenance.copies.minhash import MASKED, Fingerprint, as_shingles, in_sorted
from provenance.records import Passage

# A site's template is text that this many of its pages share. Not two: two pages of one site
# that share a passage under different stories may be the site reusing its own article text
# (a background paragraph; bench_match_quality's same-outlet partial copies), which text that
# two pages share cannot be told from a banner of theirs.
_SHARED = 3
# How many pages a site needs before it can have a template (fewer: `learn_site_template` finds
# none, and the scan need not ask it).
TEMPLATE_MIN_PAGES = _SHARED


def learn_boilerplate(
    shingle_sets: Sequence[Iterable[int] | np.ndarray],
    min_docs: int = BOILERPLATE_MIN_DOCS,
    min_fraction: float = BOILERPLATE_MIN_FRACTION,
) -> np.ndarray:
    """Shingles found in at least ``min_docs`` and ``min_fraction`` of one outlet's articles,
    as a sorted ``uint64`` array.

    Shingles that occur in exactly the same articles form a group. A group is not boilerplate
    when, in the median of its articles, frequent shingles make up at least
    ``BOILERPLATE_MAX_DOC_SHARE`` of the article: those are versions of one story, not a footer.
    """
    sets = [as_shingles(s) for s in shingle_sets]
    needed = max(min_docs, math.ceil(min_fraction * len(sets)))
    if len(sets) < needed:
        return _none()
    values, counts, _ = _runs(np.sort(np.concatenate(sets)))
    frequent = values[counts >= needed]
    if not len(frequent):
        return _none()
    presence = np.stack([in_sorted(frequent, s) for s in sets])
    share = presence.sum(axis=1) / np.maximum(1, [len(s) for s in sets])
    # a group's test is one of its shingles' (their holders are the same): each column's
    # median share over the articles holding it, read off the articles in order of share
    order = np.argsort(share, kind="stable")
    held = np.cumsum(presence[order], axis=0, dtype=np.int32)  # holders up to each article
    sizes = held[-1]
    lower = share[order][np.argmax(held >= (sizes + 1) // 2, axis=0)]
    upper = share[order][np.argmax(held >= sizes // 2 + 1, axis=0)]
    return frequent[(lower + upper) / 2 < BOILERPLATE_MAX_DOC_SHARE]  # sorted: `values` is


def learn_recurring(
    shingle_sets: Sequence[np.ndarray], publishers: Sequence[str | None],
    min_docs: int = RECURRING_MIN_DOCS, min_outlets: int = RECURRING_MIN_OUTLETS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingles that recur across unrelated stories of the archive, as a sorted ``uint64`` array,
    with the (shingle, article index) pairs of the frequent shingles, for finding the articles
    that hold a given shingle.

    A shingle recurs when at least ``min_docs`` articles of at least ``min_outlets`` publishers
    hold it, and the median of those articles shares only a small part of its text with any
    other article (below ``BOILERPLATE_MAX_DOC_SHARE``): unrelated stories under one banner or
    template. A wire story reprinted by many outlets, or a passage of it quoted in another
    story, is held by a family of copies, and stays copy evidence.
    """
    sets = [as_shingles(s) for s in shingle_sets]
    if not sets:
        return _none(), _none(), np.zeros(0, dtype=np.int64)
    lengths = np.array([len(s) for s in sets])
    values = np.concatenate(sets)
    # the holders of one shingle may come in any order (all that follows counts, or sorts,
    # them): the unstable sort takes half the time of the stable one
    order = np.argsort(values)
    values = values[order]
    docs = np.repeat(np.arange(len(sets), dtype=np.int32), lengths)[order]  # half the bytes
    # the share of each article that any other article holds too: high for every member of a
    # family of copies, small for a story that only carries a banner or template text (a set
    # holds a shingle once: an equal neighbour in the sorted values is another article's)
    same = values[1:] == values[:-1]
    held = np.zeros(len(values), dtype=bool)
    held[1:] = same
    held[:-1] |= same
    share = np.bincount(docs[held], minlength=len(sets)) / np.maximum(1, lengths)
    if min_docs >= 2:  # the rest is about shingles held by several: the others go (most)
        values, docs = values[held], docs[held]
    unique, counts, _ = _runs(values)
    frequent = np.flatnonzero(counts >= min_docs)
    if not len(frequent):
        return _none(), _none(), np.zeros(0, dtype=np.int64)
    entries = np.repeat(counts >= min_docs, counts)
    # a shingle recurs by its holders alone (how many publishers, their median share), so the
    # test runs on every frequent shingle at once: its holders are one segment of the entries
    holders, sizes = docs[entries], counts[frequent]
    segment = np.repeat(np.arange(len(frequent), dtype=np.int32), sizes)
    outlets = _distinct_per_segment(segment, _codes(publishers)[holders], len(frequent))
    medians = _segment_medians(segment, share[holders], sizes)
    recurring = (outlets >= min_outlets) & (medians < BOILERPLATE_MAX_DOC_SHARE)
    learnt = unique[frequent[recurring]]  # sorted: `unique` is
    return learnt, values[entries], holders.astype(np.int64)


def _codes(values: Sequence) -> np.ndarray:
    """A code per value (equal values, None included, share one)."""
    seen: dict = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int32)


def _distinct_per_segment(segment: np.ndarray, codes: np.ndarray, segments: int) -> np.ndarray:
    """How many distinct codes each segment holds (``segment``: ascending segment numbers)."""
    span = int(codes.max(initial=0)) + 1
    pairs = np.sort(segment.astype(np.int64) * span + codes)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    return np.bincount(pairs // span, minlength=segments)


def _segment_medians(segment: np.ndarray, values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The median of each segment's values, as ``np.median`` gives it (the mean of the two
    middle values of an even count); ``segment`` ascending, ``sizes`` its run lengths."""
    ordered = values[np.lexsort((values, segment))]
    starts = np.cumsum(sizes) - sizes
    return (ordered[starts + (sizes - 1) // 2] + ordered[starts + sizes // 2]) / 2


def learn_site_template(shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
    """The template text of one site: shingles that three or more of its pages share under
    different stories, as a sorted ``uint64`` array (all its hosts' pages, however many).

    Pages of one site that tell different stories share only what the site prints around its
    articles; a shingle group held by the same pages counts when those pages share only a
    small part of their text with the site's other pages (below ``BOILERPLATE_MAX_DOC_SHARE``
    in the median, as in ``learn_recurring``). Two versions of one story (an update, a page
    served twice) share most of their text, and stay copies of one another.
    """
    if len(shingle_sets) < _SHARED:
        return _none()
    return learn_recurring(shingle_sets, [None] * len(shingle_sets), _SHARED, 1)[0]


def in_template_slots(fa: Fingerprint, fb: Fingerprint, passages: Sequence[Passage]) -> bool:
    """Whether what two pages of one site share (their aligned ``passages``) sits where the
    site's template sits in both, and the pages are two pages, not one page twice.

    A page is a headline, the site's header text, the article, the site's footer text. The
    pages share at most ``TEMPLATE_MAX_TOKENS`` words (more is an article printed twice); in
    each page, every shared token must have at most ``TEMPLATE_HEAD_TOKENS`` words of the
    page's own prose before it (a banner under the headline) or at most
    ``TEMPLATE_TAIL_TOKENS`` after it (a footer); and the pages must open differently (their
    prose before what they share has less than ``TEMPLATE_OPEN_SHARE`` of the shorter
    opening's shingles in common: two crawls of one article open with its headline and lede,
    two pages of a forum widget share a phrase or two). A passage of an article that the site
    reuses inside another stands amid the prose of that other article, and stays copy
    evidence.
    """
    matched_a = _in_passages(fa, [(p.a_start, p.a_end) for p in passages])
    matched_b = _in_passages(fb, [(p.b_start, p.b_end) for p in passages])
    if max(np.count_nonzero(matched_a), np.count_nonzero(matched_b)) > TEMPLATE_MAX_TOKENS:
        return False
    if not (_slotted(fa, matched_a) and _slotted(fb, matched_b)):
        return False
    head_a = fa.shingle_seq[:int(np.argmax(matched_a))]
    head_b = fb.shingle_seq[:int(np.argmax(matched_b))]
    head_a, head_b = head_a[head_a != MASKED], head_b[head_b != MASKED]
    shorter = min(len(head_a), len(head_b))
    return bool(shorter and len(np.intersect1d(head_a, head_b)) < TEMPLATE_OPEN_SHARE * shorter)


def may_sit_in_slots(on: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """For one page of each of many pairs whose shared text is one run of ``on`` tokens, with
    ``before`` tokens of the page's own prose before the run and ``after`` after it: whether
    ``in_template_slots`` may find that run in the template's slots. It asks of the page: at
    most ``TEMPLATE_MAX_TOKENS`` shared tokens, each with little of its own prose before it or
    after it (`_slotted`), which for the tokens of one run is the prose before and after the
    run. Where either page may not, ``in_template_slots`` is False for the pair."""
    return (on <= TEMPLATE_MAX_TOKENS) & (
        (before <= TEMPLATE_HEAD_TOKENS) | (after <= TEMPLATE_TAIL_TOKENS))


def _in_passages(fp: Fingerprint, spans: list[tuple[int, int]]) -> np.ndarray:
    """Mask of the tokens of ``fp`` that start inside the character spans."""
    mask = np.zeros(fp.token_count, dtype=bool)
    for start, end in spans:
        lo, hi = np.searchsorted(fp.token_starts, [start, end])
        mask[lo:hi] = True
    return mask


def _slotted(fp: Fingerprint, matched: np.ndarray) -> bool:
    """Whether every matched token of ``fp`` has little of the page's own prose before it or
    after it (see ``in_template_slots``)."""
    if not matched.any():
        return False
    own = ~matched if fp.prose is None else fp.prose & ~matched
    before = np.cumsum(own) - own
    after = int(np.count_nonzero(own)) - np.cumsum(own)
    slot = (before <= TEMPLATE_HEAD_TOKENS) | (after <= TEMPLATE_TAIL_TOKENS)
    return bool(slot[matched].all())


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct values of a sorted array, how often each occurs and where each starts
    (`np.unique` with counts and first indices, without sorting the values again)."""
    first = np.flatnonzero(np.concatenate(([len(values) > 0], values[1:] != values[:-1])))
    return values[first], np.diff(np.append(first, len(values))), first


def _none() -> np.ndarray:
    """No shingles."""
    return np.zeros(0, dtype=np.uint64)
