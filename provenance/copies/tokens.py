"""Tokens of a text: normalisation, tokenisation with offsets, token hashes, quotations, digest.

A token is a Unicode word, NFKC-normalised and casefolded (``Straße`` and ``STRASSE`` are the
same token); scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, Han)
become overlapping character bigrams. Offsets are character offsets into the text as given, so
that passages found on tokens can be shown in the original text.

Most texts (of the Basic Multilingual Plane, without space-less scripts) are tokenised from an
array of their code points and a table of token characters made by the word regex itself, about
2.5 times faster than the regex; the others by the regexes (`tests/test_fast_paths.py` holds
the two equal).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

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
    found = _array_tokens(text, offsets=True)
    if found is not None:
        return found
    if _NOT_PLAIN_RE.search(text) is None:
        parts = _PLAIN_WORD_SPLIT_RE.split(text)
    elif _NOSPACE_RE.search(text) is None:
        parts = _WORD_SPLIT_RE.split(text)
    else:
        spans = _bigram_tokens(text)
        return ([w for w, _, _ in spans], np.array([s for _, s, _ in spans], dtype=np.int64),
                np.array([e for _, _, e in spans], dtype=np.int64))
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    ends = np.cumsum(lengths)[1::2]
    return parts[1::2], ends - lengths[1::2], ends


def raw_tokens(text: str) -> list[str]:
    """The tokens of ``text`` as written, without offsets (for signatures and shingle sets)."""
    Tokenised.texts += 1
    found = _array_tokens(text, offsets=False)
    if found is not None:
        return found[0]
    if _NOT_PLAIN_RE.search(text) is None:
        return _PLAIN_WORD_RE.findall(text)
    if _NOSPACE_RE.search(text) is None:
        return _WORD_RE.findall(text)
    return [w for w, _, _ in _bigram_tokens(text)]


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """The class of each code point of the BMP: 1 a token character (``_WORD_RE``), 2 one of
    a space-less script (``_NOSPACE_RE``), 0 any other; and a last entry, 3, that every code
    point beyond the BMP is clipped to. Found by the regexes themselves, run over every
    character once: a class is a property of one character, so the table agrees with them
    character by character (no token character is white space, for ``split``)."""
    table = np.zeros(0x10001, dtype=np.uint8)
    table[0x10000] = 3
    every = "".join(map(chr, range(0x10000)))
    for pattern, value in ((_WORD_RE, 1), (_NOSPACE_RE, 2)):
        for m in pattern.finditer(every):
            table[m.start():m.end()] = value
    if any(every[cp].isspace() for cp in np.flatnonzero(table == 1).tolist()):
        raise ValueError("a token character is white space")
    return table


def _array_tokens(text: str, offsets: bool
                  ) -> tuple[list[str], np.ndarray | None, np.ndarray | None] | None:
    """``token_spans`` (without offsets unless ``offsets``) of a non-empty text of the BMP
    without space-less scripts, read from an array of its code points: a token is a run of
    token characters, and the text with every other character made a space splits into the
    tokens. None for any other text (the regexes tokenise it)."""
    try:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    classes = _classes().take(points, mode="clip")
    if not len(points) or classes.max() != 1:
        return None  # a space-less script, beyond the BMP, or no token at all
    inside = classes.view(bool)
    words = np.where(inside, points, np.uint32(32)).tobytes().decode("utf-32-le").split()
    if not offsets:
        return words, None, None
    edges = np.zeros(len(points) + 2, dtype=bool)
    edges[1:-1] = inside
    bounds = np.flatnonzero(edges[1:] != edges[:-1])
    return words, bounds[0::2], bounds[1::2]


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
    return span_mask(starts, [m.span() for m in _QUOTE_RE.finditer(text)])


def span_mask(starts: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """For each token start offset, whether it lies in one of the character ``spans``."""
    mask = np.zeros(len(starts), dtype=bool)
    if spans:  # the first and last token of every span, found at once
        bounds = starts.searchsorted(np.array(spans, dtype=np.int64).ravel()).tolist()
        for lo, hi in zip(bounds[0::2], bounds[1::2], strict=True):
            mask[lo:hi] = True
    return mask


def tokens_digest(tokens: Sequence[str]) -> str:
    """Hash of a normalised token stream: equal for texts that differ only in layout or case."""
    return _joined_digest("\x1f".join(tokens))


def words_digest(words: Sequence[str]) -> str:
    """``tokens_digest(normalised(words))``, normalising the joined words at once: NFKC and
    case folding work character by character, and the separator (a control character that
    composes with nothing) keeps the tokens apart; an ASCII token is only lower-cased."""
    return joined_words_digest("\x1f".join(words))


def joined_words_digest(joined: str) -> str:
    """``words_digest`` of tokens as written joined by the unit separator."""
    if joined.isascii():
        return _joined_digest(joined.lower())
    return _joined_digest(unicodedata.normalize("NFKC", joined).casefold())


def _joined_digest(joined: str) -> str:
    """The digest of normalised tokens joined by the unit separator."""
    digest = hashlib.blake2b(digest_size=TEXT_HASH_BYTES, person=b"prov-text")
    digest.update(joined.encode("utf-8"))
    return digest.hexdigest()


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d array by sorting (numpy 2's hash-based unique is slower here)."""
    ordered = values.copy()
    ordered.sort()
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), dtype=bool)  # each value's first place
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _token_hash(token: str) -> int:
    """A stable 64-bit hash of one normalised token (Python's ``hash`` is salted per process)."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, person=b"prov-tok")
    return int.from_bytes(digest.digest(), "little")


class Vocabulary(dict):
    """Tokens as written, numbered in the order first seen, with columns of per-token values
    (numpy arrays indexed by number, made on demand by ``column``). Words repeat across
    articles, so nearly every lookup hits, and a text's tokens are looked up once for all
    columns; the vocabulary is emptied when it would outgrow ``limit`` tokens (so a text's
    numbers are used at once, before another text is numbered)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.words: list[str] = []
        self.columns: dict[str, tuple[np.ndarray, int]] = {}

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self.words)
        self.words.append(word)
        return number

    def make_room(self, count: int) -> None:
        """Empty the vocabulary if ``count`` more tokens could outgrow its limit."""
        if len(self.words) + count > self.limit:
            self.clear()
            self.words.clear()
            self.columns.clear()

    def numbers(self, words: Sequence[str]) -> np.ndarray:
        """The number of each token (as written), in order."""
        self.make_room(len(words))
        return np.fromiter(map(self.__getitem__, words), dtype=np.intp, count=len(words))

    def column(self, name: str, make: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The column ``name`` of every token numbered so far; ``make`` gives the values of a
        list of tokens (as written) not yet in it (capacity doubles, so appending is cheap)."""
        values, filled = self.columns.get(name, (None, 0))
        if values is None or filled < len(self.words):
            new = make(self.words[filled:])
            if values is None or filled + len(new) > len(values):
                grown = np.empty(max(1024, 2 * (filled + len(new))), dtype=new.dtype)
                if values is not None:
                    grown[:filled] = values[:filled]
                values = grown
            values[filled:filled + len(new)] = new
            self.columns[name] = values, filled + len(new)
        return values


VOCABULARY = Vocabulary(TOKEN_CACHE)


def _hash_column(words: list[str]) -> np.ndarray:
    """The token hashes of the normalised forms of ``words``."""
    return np.fromiter((_token_hash(normalise_token(w)) for w in words), dtype=np.uint64,
                       count=len(words))


def numbers_of(words: Sequence[str]) -> np.ndarray:
    """The ``VOCABULARY`` numbers of tokens as written, in order."""
    return VOCABULARY.numbers(words)


def column_of(name: str, make: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """``VOCABULARY.column(name, make)``: per-token values, indexed by token number."""
    return VOCABULARY.column(name, make)


def hashes_of(numbers: np.ndarray) -> np.ndarray:
    """The 64-bit token hashes of tokens given by their ``VOCABULARY`` numbers."""
    return VOCABULARY.column("hash", _hash_column)[numbers]


def token_hashes(words: Sequence[str]) -> np.ndarray:
    """The 64-bit hashes of tokens as written (each normalised first), in order."""
    return hashes_of(VOCABULARY.numbers(words))
