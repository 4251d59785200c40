"""A small, dependency-free language guess for article text: script first, then stopwords.

Also the one spelling of a language: `normalise_language` turns the codes and names found in pages
and feeds ("de-AT", "de_DE", "German") into the ISO 639-1 code the rest of the pipeline uses.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import numpy as np

from provenance.config import (
    LANGUAGE_SAMPLE_CHARS,
    MIN_KANA_SHARE,
    MIN_SCRIPT_SHARE,
    MIN_STOPWORD_HITS,
)

_STOPWORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "der die das und ist nicht ein eine einen dem den des mit von zu im auf für sich "
        "auch als wird werden wurde hat haben nach bei aus über sie er es dass wie oder".split()
    ),
    "en": frozenset(
        "the and of to is in that it was for on with as by at from his her they have has "
        "said this which be are an not but were been would will".split()
    ),
    "fr": frozenset(
        "le la les et des du un une est dans que qui pour pas sur au avec il elle ce sont "
        "par plus ont été aux cette mais".split()
    ),
    "es": frozenset(
        "el la los las y de del que en un una es por con para se su al lo como más pero "
        "fue ha sus este esta".split()
    ),
    "it": frozenset(
        "il lo la gli le e di che un una è per con non si del della dei delle nel sono "
        "come anche ma ha questo".split()
    ),
    "nl": frozenset(
        "de het een en van is dat op te in niet zijn voor met die aan er ook als bij door "
        "maar heeft werd".split()
    ),
    "pl": frozenset(
        "i w na z się nie do to że jest o jak po a od za przez tak ale jego są było".split()
    ),
}
_CYRILLIC_UK = frozenset("і ї є ґ".split())
# Language names that pages and feeds give instead of a code.
_LANGUAGE_NAMES = {"german": "de", "english": "en", "french": "fr", "russian": "ru",
                   "ukrainian": "uk", "japanese": "ja", "korean": "ko", "chinese": "zh",
                   "deutsch": "de", "spanish": "es", "italian": "it"}
_WORD = re.compile(r"\w+", re.UNICODE)
_PLANE = 0x10000  # the characters of `_word_table`


_SCRIPTS = {
    "ko": re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"),
    "ja": re.compile(r"[\u3040-\u30ff]"),
    "cjk": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "cyrillic": re.compile(r"[\u0400-\u052f]"),
    "ar": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
    "el": re.compile(r"[\u0370-\u03ff]"),
    "he": re.compile(r"[\u0590-\u05ff]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
}
# Any letter of a script other than Latin: most samples have none, and need no script count.
_NON_LATIN = re.compile("[" + "".join(p.pattern[1:-1] for k, p in _SCRIPTS.items()
                                       if k != "latin") + "]")
# The stopword lists as one table: word -> the languages it is a stopword of.
_STOPWORD_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _lang in sorted(_STOPWORDS):
    for _word in _STOPWORDS[_lang]:
        _STOPWORD_LANGUAGES[_word] = (*_STOPWORD_LANGUAGES.get(_word, ()), _lang)


def _script_counts(text: str) -> Counter:
    """Letters of each script in `text`."""
    return Counter({name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()})


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code for the text's language, or None when it cannot be told.

    Reads the first `LANGUAGE_SAMPLE_CHARS` characters: a script that holds enough of their
    letters decides; Latin text goes by the stopwords it holds. A sample without any letter of
    another script (most news) skips the script count.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if _NON_LATIN.search(sample) is not None:
        decided, letters = _by_script(sample)
        if decided or not letters:
            return decided
    elif _SCRIPTS["latin"].search(sample) is None:
        return None
    return _by_stopwords(sample)


def _by_script(sample: str) -> tuple[str | None, int]:
    """The language the script of `sample` decides (or None), and how many letters it has."""
    scripts = _script_counts(sample)
    letters = sum(scripts.values())
    if not letters:
        return None, 0
    share = {k: v / letters for k, v in scripts.items()}
    if share.get("ja", 0) > MIN_KANA_SHARE:
        return "ja", letters
    if share.get("ko", 0) > MIN_SCRIPT_SHARE:
        return "ko", letters
    if share.get("cjk", 0) > MIN_SCRIPT_SHARE:
        return "zh", letters
    if share.get("cyrillic", 0) > MIN_SCRIPT_SHARE:
        return ("uk" if any(ch in _CYRILLIC_UK for ch in sample.lower()) else "ru"), letters
    for code in ("ar", "el", "he"):
        if share.get(code, 0) > MIN_SCRIPT_SHARE:
            return code, letters
    return None, letters


def _by_stopwords(sample: str) -> str | None:
    """The language whose stopwords `sample` holds most often, with at least the minimum."""
    scores = dict.fromkeys(_STOPWORDS, 0)
    lowered = sample.lower()
    if len(lowered) == len(sample) and "\u03a3" not in sample:
        # lower-casing keeps every character a word character or not (but "İ", which grows,
        # and the capital sigma, lowered by its context): the words of the lowered sample
        words = _words(lowered)
    else:
        words = list(map(str.lower, _WORD.findall(sample)))
    for word, n in Counter(filter(_STOPWORD_LANGUAGES.__contains__, words)).items():
        for lang in _STOPWORD_LANGUAGES[word]:
            scores[lang] += n
    best = max(sorted(scores), key=lambda lang: scores[lang])
    return best if scores[best] >= MIN_STOPWORD_HITS else None


def _words(text: str) -> list[str]:
    """``_WORD.findall(text)``: every character that is no word character made a space, then
    split at spaces (one table look-up per character instead of a regex scan)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if points.size and int(points.max()) >= _PLANE:
        return _WORD.findall(text)
    return _word_table().take(points).tobytes().decode("utf-32-le", "surrogatepass").split()


@cache
def _word_table() -> np.ndarray:
    """The plane's characters, each kept if it is a word character, else made a space."""
    plane = "".join(map(chr, range(_PLANE)))
    mapped = re.sub(r"\W", " ", plane)
    return np.frombuffer(mapped.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()


def normalise_language(value: str | None) -> str | None:
    """'de-AT', 'de_DE', 'German' or 'DE' to a lower-case ISO 639-1 code where possible."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    code = _LANGUAGE_NAMES.get(code, code)
    return code if len(code) in (2, 3) and code.isalpha() else None
