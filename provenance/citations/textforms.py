"""Same-length forms of a text that the name lookups search, computed once per text.

Outlet names (`names`) and source names (`sources`) are found in three forms of a text, each as
long as the text so that offsets carry over:

- ``norm``: spaces, typographic apostrophes and non-breaking hyphens unified (`normalise_name`);
- ``low``: `norm` lower-cased (`lower_same_length`);
- ``ws``: `low` with one space in front and every character that is no letter or digit of a
  spaced script made a space (`word_starts`): a name found in it after a space starts a word.

Each form maps every character on its own, so for a text of the Basic Multilingual Plane the
forms are read from two tables of 65,536 entries (numpy, one pass each) built from the very
regexes that define them; texts with other characters take the regexes. `text_forms` keeps the
forms of the last text it was given, so that the outlet and the source lookups of one article
compute them once.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import numpy as np

# Scripts written without spaces between words: their names are matched as plain substrings.
UNSPACED = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
            "\uac00-\ud7af\uf900-\ufaff")
# What separates tokens: made spaces before the automaton searches a text (spaces themselves
# are left alone: most separators are spaces already, and fewer replacements are faster).
_NON_TOKEN_RE = re.compile(f"[^\\w ]|[_{UNSPACED}]")
# Same-length normalisation so that offsets stay valid: any space to " ", typographic
# apostrophes to "'", non-breaking hyphens to "-" (regexes: much faster than str.translate).
_SPACES_RE = re.compile("[\t\n\r\x0b\x0c\xa0\u2007\u2009\u200a\u202f]")
_APOSTROPHES_RE = re.compile("[\u2018\u2019\u02bc]")
_HYPHENS_RE = re.compile("[\u2010\u2011]")
_PLANE = 0x10000  # characters of the tables: the Basic Multilingual Plane
_CODEC = "utf-32-le"


class TextForms(NamedTuple):
    """The forms of one text (see the module docstring); all but `ws` as long as the text."""

    norm: str
    low: str
    ws: str
    top: int | None = None  # the highest code point of the text, when known


def normalise_name(text: str) -> str:
    """`text` with spaces, apostrophes and hyphens unified, keeping its length (and offsets)."""
    if text.isascii() and text.isprintable():
        return text  # no control character (no tab or line break) and nothing typographic
    text = _SPACES_RE.sub(" ", text)
    if "\u2018" in text or "\u2019" in text or "\u02bc" in text:
        text = _APOSTROPHES_RE.sub("'", text)
    if "\u2010" in text or "\u2011" in text:
        text = _HYPHENS_RE.sub("-", text)
    return text


def lower_same_length(text: str) -> str:
    """`text` lower-cased, keeping as they are the few characters (e.g. "İ") that grow."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def word_starts(text: str) -> str:
    """`text` lower-cased, with a space in front and every non-word character a space: the
    form the automaton holds names in and searches texts in (one character longer)."""
    return " " + _NON_TOKEN_RE.sub(" ", lower_same_length(text))


def text_forms(text: str) -> TextForms:
    """The forms of `text`; those of the text of the previous call are reused."""
    last = _LAST[0]
    if last is not None and last[0] is text:
        return last[1]
    forms = _tabled_forms(text)
    if forms is None:
        norm = normalise_name(text)
        low = lower_same_length(norm)
        forms = TextForms(norm, low, word_starts(low))
    _LAST[0] = (text, forms)
    return forms


_LAST: list[tuple[str, TextForms] | None] = [None]


def _tabled_forms(text: str) -> TextForms | None:
    """The forms of a text of the Basic Multilingual Plane through the tables, else None (also
    for a text with a capital sigma, the one letter that `str.lower` lowers by its context)."""
    if "\u03a3" in text:
        return None
    try:
        points = np.frombuffer(text.encode(_CODEC, "surrogatepass"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None
    top = int(points.max()) if points.size else _PLANE
    if top >= _PLANE:
        return None
    norm_table, ws_table = _tables()
    norm = _decode(norm_table.take(points))
    return TextForms(norm, lower_same_length(norm), " " + _decode(ws_table.take(points)), top)


def _decode(points: np.ndarray) -> str:
    """Code points as a string."""
    return points.tobytes().decode(_CODEC, "surrogatepass")


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Every character of the plane through `normalise_name`, and through it, `lower_same_length`
    twice and the separator rule of `word_starts`: two code point tables. Each rule maps each
    character on its own, lowering too but for the capital sigma, which `_tabled_forms` leaves
    to the regexes."""
    plane = "".join(map(chr, range(_PLANE)))
    norm = normalise_name(plane)
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in norm)
    again = "".join(c.lower() if len(c.lower()) == 1 else c for c in low)
    return _table(norm), _table(_NON_TOKEN_RE.sub(" ", again))


def _table(mapped: str) -> np.ndarray:
    """A string of one character per code point of the plane as a table."""
    assert len(mapped) == _PLANE
    return np.frombuffer(mapped.encode(_CODEC, "surrogatepass"), dtype=np.uint32).copy()
