"""Prose: the parts of a text that may be evidence of copying, and the parts that never are.

An edge stands on shared article prose only. A text's blocks (a line, or the lines of one
wrapped paragraph) are read one by one; a block is prose when it reads like sentences of an
article, not like site furniture:

* a table row (cells joined by ``|``, as extraction writes tables) is read cell by cell: a
  menu row or a data row is not prose, the long article cell of a 2008 layout table is;
* a line shorter than ``PROSE_MIN_WORDS`` words (menu entries, headings, bylines) is not,
  unless it is a short sentence (``PROSE_MIN_SENTENCE_WORDS`` words or more, a full stop);
* a line with less than one sentence mark (full stop, comma, colon, quote ...) in
  ``PROSE_WORDS_PER_MARK`` words (headlines of a "most read" box, a link list) is not;
* a notice is not, however well written: legal and wire notices ("All rights reserved. This
  material may not be published ..."), consent, paywall and newsletter banners, app blurbs,
  editor's notes. They stay in the text: citations read the full text, so a wire notice is
  still credit evidence; they only never count as copied text. In a block longer than a notice
  (a feed that flattens a page into one line puts the banner inside the article's only
  block), the notice sentences are cut out of it, with a sentence or two between them, and
  so is a sign-up form or a list run into it beside them (field names, countries, menu
  entries: mostly capitalised words with hardly a sentence mark).

Measured on the template crawl (benchmarks/bench_crawl.py) and the syndication benchmark
(benchmarks/bench_match_quality.py). A text with no prose line at all (a list, a poem, a text of
short lines) is taken whole, so that it can still match its own copies.
"""

from __future__ import annotations

import re

import numpy as np

from provenance.config import (
    PROSE_MAX_INSET,
    PROSE_MAX_NOTICE_WORDS,
    PROSE_MIN_SENTENCE_WORDS,
    PROSE_MIN_WORDS,
    PROSE_WORDS_PER_MARK,
    WRAP_MAX_CHARS,
    WRAP_MIN_CHARS,
)
from provenance.config_copies import PROSE_LIST_CAPITALS, PROSE_LIST_WORDS_PER_MARK
from provenance.copies.notices import Cues
from provenance.copies.tokens import span_mask

_TABLE_ROW = re.compile(r"(^\s*\|)|(\S\s*\|\s*\S.*\|)|(\s\|\s)")
_SENTENCE_MARKS = tuple(".,!?;:…»«“”\"')")  # the most common first
_FULL_STOP = re.compile(r"\w[.!?…][\"”“»«')]?$")
_ENDS_SENTENCE = re.compile(r"[.!?:;…\"”“»«')\]]\s*$")
# Sentence ends inside a long block (a flattened page): the mark, closing quotes, then space.
_SENTENCE_END = re.compile(r"[.!?…][\"”“»«')\]]*\s+")


def prose_lines(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the prose blocks of ``text`` (see ``blocks``).

    A run of at most ``PROSE_MAX_INSET`` short blocks between two prose blocks (a subhead, a
    sentence broken over lines) is prose too: it is part of the article around it.
    """
    return _prose_spans(text)[0]


def _prose_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """The prose spans of ``text`` (``prose_lines``), and whether a notice was left out."""
    cues = Cues(text)
    cells = [span for block in blocks(text) for span in _cells(text, *block) if span[1] > span[0]]
    spans = [part for span in cells for part in _without_notices(cues, *span)]
    kinds = [_kind(cues, start, end) for start, end in spans]
    noticed = spans != cells or any(
        kind == "other" and cues.notice(start, end)
        for (start, end), kind in zip(spans, kinds, strict=True))
    for n, kind in enumerate(kinds):
        if kind != "short" or (n and kinds[n - 1] == "short"):
            continue
        end = n
        while end < len(kinds) and kinds[end] == "short":
            end += 1
        if (end - n <= PROSE_MAX_INSET and n and kinds[n - 1] == "prose"
                and end < len(kinds) and kinds[end] == "prose"):
            kinds[n:end] = ["inset"] * (end - n)
    return ([span for span, kind in zip(spans, kinds, strict=True) if kind in ("prose", "inset")],
            noticed)


def _without_notices(cues: Cues, start: int, end: int) -> list[tuple[int, int]]:
    """A block longer than a notice, less its notice sentences and up to ``PROSE_MAX_INSET``
    sentences between two of them (a banner's sentences without a cue of their own)."""
    text = cues.text
    block = text[start:end]
    if block.count(" ") < PROSE_MAX_NOTICE_WORDS or not cues.any_stem(start, end):
        return [(start, end)]
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(block)), len(block)]
    sentences = list(zip(cuts, cuts[1:], strict=False))
    notice = [cues.notice(start + a, start + b) for a, b in sentences]
    if not any(notice):
        return [(start, end)]
    marked = [n for n, is_notice in enumerate(notice) if is_notice]
    for first, last in zip(marked, marked[1:], strict=False):
        if last - first - 1 <= PROSE_MAX_INSET:
            notice[first:last] = [True] * (last - first)
    # beside a notice, a form or a list run into the block is cut too
    notice = [is_notice or _listed(block[a:b])
              for (a, b), is_notice in zip(sentences, notice, strict=True)]
    kept: list[tuple[int, int]] = []
    for (a, b), is_notice in zip(sentences, notice, strict=True):
        if is_notice:
            continue
        if kept and kept[-1][1] == start + a:
            kept[-1] = (kept[-1][0], start + b)
        else:
            kept.append((start + a, start + b))
    return [(a, a + len(text[a:b].rstrip())) for a, b in kept if text[a:b].strip()]


def _listed(sentence: str) -> bool:
    """Whether a "sentence" of a block that holds a notice is a form or a list (field names,
    countries, menu entries run together): mostly capitalised words with hardly a sentence mark
    (a list of names in an article sentence has its commas)."""
    words = sentence.split()
    if len(words) < PROSE_MIN_WORDS:
        return False
    capitals = sum(word[:1].isupper() for word in words)
    marks = sum(map(sentence.count, _SENTENCE_MARKS))
    return (capitals >= PROSE_LIST_CAPITALS * len(words)
            and marks * PROSE_LIST_WORDS_PER_MARK < len(words))


def blocks(text: str) -> list[tuple[int, int]]:
    """The text's blocks as character spans: a line, or lines that wrap one paragraph.

    Lines join when a line stops mid-sentence and the next goes on in lower case, and a
    paragraph wrapped at a fixed width (between blank lines, most lines of similar length and
    ending without a full stop) is one block, however it is wrapped.
    """
    found: list[tuple[int, int]] = []
    at = 0
    for chunk in text.split("\n\n"):
        lines = chunk.split("\n")
        if len(lines) > 1 and _wrapped(lines):
            found.append((at, at + len(chunk)))
        else:
            pos = at
            for n, line in enumerate(lines):
                if (n and found and found[-1][1] == pos - 1 and line[:1].islower()
                        and not _ENDS_SENTENCE.search(text[found[-1][0]:found[-1][1]])):
                    found[-1] = (found[-1][0], pos + len(line))
                else:
                    found.append((pos, pos + len(line)))
                pos += len(line) + 1
        at += len(chunk) + 2
    return found


def _wrapped(lines: list[str]) -> bool:
    """Whether the lines of one paragraph are a text wrapped at a width (not a list)."""
    body = lines[:-1]
    long = sum(WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS for line in body)
    open_ended = sum(not _ENDS_SENTENCE.search(line) for line in body)
    return long >= 0.8 * len(body) and open_ended >= 0.5 * len(body)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A block, or the cells of a table row, each a block of its own: an article set in a
    2008-style layout table comes out of extraction as one cell of a long ``| |`` row."""
    block = text[start:end]
    if "|" not in block or not _TABLE_ROW.search(block):
        return [(start, end)]
    cells, at = [], start
    for part in block.split("|"):
        inner = part.strip()
        if inner:
            lead = at + part.index(inner)
            cells.append((lead, lead + len(inner)))
        at += len(part) + 1
    return cells


def _kind(cues: Cues, start: int, end: int) -> str:
    """What one block ``text[start:end]`` is: "prose" (article sentences), "short" (a heading,
    a menu entry, a sentence fragment, a table cell) or "other" (a list of headlines, a
    notice)."""
    block = cues.text[start:end]
    words = block.count(" ") + block.count("\n") + 1  # single-spaced (normalised) text
    if words < PROSE_MIN_WORDS:
        # a short sentence, not a heading or a menu entry: it ends with a full stop
        if words >= PROSE_MIN_SENTENCE_WORDS and _FULL_STOP.search(block):
            return "prose"
        return "short"
    if not _has_marks(block, max(1, words // PROSE_WORDS_PER_MARK)):
        return "other"
    if words <= PROSE_MAX_NOTICE_WORDS and cues.notice(start, end):
        return "other"
    return "prose"


def _has_marks(block: str, need: int) -> bool:
    """Whether ``block`` holds at least ``need`` sentence marks (counted mark by mark, the most
    common first, until there are enough)."""
    found = 0
    for mark in _SENTENCE_MARKS:
        found += block.count(mark)
        if found >= need:
            return True
    return False


def all_prose(text: str) -> bool:
    """Whether every line of ``text`` is one whole prose block (then no token is masked)."""
    at, lines = 0, []
    for line in text.split("\n"):
        lines.append((at, at + len(line)))
        at += len(line) + 1
    return prose_lines(text) == lines


def prose_mask(text: str, starts: np.ndarray) -> np.ndarray:
    """For each token (by its start offset), whether it lies in a prose line of ``text``.

    All True when the text has no prose line: a text of short lines is taken whole (but not
    a text of notices and short lines: a page that holds only a banner shares no article).
    """
    spans, noticed = _prose_spans(text)
    if not spans:
        return np.full(len(starts), not noticed, dtype=bool)
    return span_mask(starts, spans)


def shingle_mask(prose: np.ndarray, count: int, size: int) -> np.ndarray:
    """For each of ``count`` shingle positions, whether all its ``size`` tokens are prose."""
    if prose.all():
        return np.ones(count, dtype=bool)
    width = min(size, len(prose))
    outside = np.concatenate(([0], np.cumsum(~prose)))
    return (outside[width:width + count] - outside[:count]) == 0
