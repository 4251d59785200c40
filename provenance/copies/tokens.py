"""Tokens of a text: normalisation, tokenisation with offsets, token hashes, quotations, digest.

A token is a Unicode word, NFKC-normalised and casefolded (``Straße`` and ``STRASSE`` are the
same token); scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, Han)
become overlapping character bigrams. Offsets are character offsets into the text as given, so
that passages found on tokens can be shown in the original text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate

import numpy as np

from provenance.config import TEXT_HASH_BYTES, TOKEN_CACHE


def _mark_class() -> str:
    """A regex class body for the combining marks of the BMP (Devanagari vowel signs, accents)."""
    ranges = []
    start = None
    for cp in range(0x10000):
        is_mark = unicodedata.category(chr(cp)).startswith("M")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = None
    return "".join(ranges)


# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, kana, Han.
_NOSPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
# Quotations: text two articles share inside quotation marks may be the same source quoted twice
# independently, so `verify` does not count it as evidence of copying. Straight double quotes
# pair up within a paragraph; single quotes are left out (they double as apostrophes).
_QUOTE_RE = re.compile(
    r'“[^“”\n]{1,2000}”|„[^„“”\n]{1,2000}[“”]|«[^«»\n]{1,2000}»|»[^«»\n]{1,2000}«'
    r'|"[^"\n]{1,2000}"|「[^「」]{1,2000}」|『[^『』]{1,2000}』|‹[^‹›\n]{1,2000}›'
)
_MARKS = _mark_class()
_WORD_RE = re.compile(f"(?:[^\\W_]|[{_MARKS}])+")
# Splitting on a captured word gives [gap, word, gap, word, ..., gap]: words and offsets without
# a match object per token. In a text without underscores, combining marks and space-less
# scripts, a word is simply `\w+`, which `re` matches about twice as fast as `_WORD_RE`.
_PLAIN_WORD_RE = re.compile(r"\w+")
_PLAIN_WORD_SPLIT_RE = re.compile(r"(\w+)")
_WORD_SPLIT_RE = re.compile(f"((?:[^\\W_]|[{_MARKS}])+)")
_NOT_PLAIN_RE = re.compile(f"[_{_MARKS}{_NOSPACE}]")
_NOSPACE_RE = re.compile(f"[{_NOSPACE}]+")


def normalise_token(token: str) -> str:
    """NFKC-normalise and casefold one token (``Straße`` and ``STRASSE`` become ``strasse``)."""
    if token.isascii():
        return token.lower()
    return unicodedata.normalize("NFKC", token).casefold()


class _Cache(dict):
    """A dict that computes a missing value with ``make`` and is cleared when it is full."""

    def __init__(self, make: Callable, limit: int):
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


# Words repeat across articles, so nearly every lookup hits; clearing a full cache bounds memory.
_NORMALISED = _Cache(normalise_token, TOKEN_CACHE)


def normalised(words: Iterable[str]) -> list[str]:
    """The normalised form of each token as written (cached)."""
    return list(map(_NORMALISED.__getitem__, words))


def tokenise(text: str) -> list[tuple[str, int, int]]:
    """Normalised tokens of ``text`` with their ``(start, end)`` character offsets in it."""
    words, starts, ends = token_spans(text)
    return list(zip(normalised(words), starts.tolist(), ends.tolist(), strict=True))


class Tokenised:
    """How many texts this process has tokenised (``token_spans`` and ``raw_tokens``): a
    public count for tests and profiles (verifying stored articles tokenises none)."""

    texts = 0


def token_spans(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens of ``text`` as written (not yet normalised) and their start and end offsets."""
    Tokenised.texts += 1
    if _NOT_PLAIN_RE.search(text) is None:
        parts = _PLAIN_WORD_SPLIT_RE.split(text)
    elif _NOSPACE_RE.search(text) is None:
        parts = _WORD_SPLIT_RE.split(text)
    else:
        spans = _bigram_tokens(text)
        return ([w for w, _, _ in spans], np.array([s for _, s, _ in spans], dtype=np.int64),
                np.array([e for _, _, e in spans], dtype=np.int64))
    words = parts[1::2]
    ends = np.fromiter(accumulate(map(len, parts)), dtype=np.int64, count=len(parts))[1::2]
    starts = ends - np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    return words, starts, ends


def raw_tokens(text: str) -> list[str]:
    """The tokens of ``text`` as written, without offsets (for signatures and shingle sets)."""
    Tokenised.texts += 1
    if _NOT_PLAIN_RE.search(text) is None:
        return _PLAIN_WORD_RE.findall(text)
    if _NOSPACE_RE.search(text) is None:
        return _WORD_RE.findall(text)
    return [w for w, _, _ in _bigram_tokens(text)]


def _bigram_tokens(text: str) -> list[tuple[str, int, int]]:
    """Tokens with offsets of a text with space-less scripts, whose runs become bigrams."""
    tokens: list[tuple[str, int, int]] = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if word.isascii() or not _NOSPACE_RE.search(word):
            tokens.append((word, m.start(), m.end()))
        else:
            tokens.extend(_split_nospace(word, m.start()))
    return tokens


def _split_nospace(word: str, offset: int) -> Iterable[tuple[str, int, int]]:
    """Split a word run into plain words and character bigrams of space-less scripts."""
    pos = 0
    for m in _NOSPACE_RE.finditer(word):
        if m.start() > pos:
            yield word[pos : m.start()], offset + pos, offset + m.start()
        run = m.group()
        if len(run) == 1:
            yield run, offset + m.start(), offset + m.end()
        for i in range(len(run) - 1):
            yield run[i : i + 2], offset + m.start() + i, offset + m.start() + i + 2
        pos = m.end()
    if pos < len(word):
        yield word[pos:], offset + pos, offset + len(word)


def quoted_mask(text: str, starts: np.ndarray) -> np.ndarray:
    """For each token start offset, whether it lies inside a quotation."""
    mask = np.zeros(len(starts), dtype=bool)
    for m in _QUOTE_RE.finditer(text):
        lo, hi = np.searchsorted(starts, [m.start(), m.end()])
        mask[lo:hi] = True
    return mask


def tokens_digest(tokens: Sequence[str]) -> str:
    """Hash of a normalised token stream: equal for texts that differ only in layout or case."""
    digest = hashlib.blake2b(digest_size=TEXT_HASH_BYTES, person=b"prov-text")
    digest.update("\x1f".join(tokens).encode("utf-8"))
    return digest.hexdigest()


def _token_hash(token: str) -> int:
    """A stable 64-bit hash of one normalised token (Python's ``hash`` is salted per process)."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, person=b"prov-tok")
    return int.from_bytes(digest.digest(), "little")


# Tokens as written -> the hash of their normalised form.
_TOKEN_HASHES = _Cache(lambda word: _token_hash(normalise_token(word)), TOKEN_CACHE)


def token_hashes(words: Sequence[str]) -> np.ndarray:
    """The 64-bit hashes of tokens as written (each normalised first), in order."""
    return np.fromiter(map(_TOKEN_HASHES.__getitem__, words), dtype=np.uint64,
                       count=len(words))
