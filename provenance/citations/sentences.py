"""Sentences of German and English news text, with offsets: the unit a cue is read in.

Every line break ends a sentence (headlines, list items and credit lines stand on lines of their
own); inside a line, `.`, `!`, `?` and `…` end one unless an abbreviation ("Nr.", "z. B.",
"U.S."), an initial ("John F. Kennedy") or an ordinal ("am 14. Januar") says otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[.!?…]+[\"“”»«’')\]]*(?=\s)")
ABBREVIATIONS = frozenset("""
Nr nr Dr Prof St Str Mr Mrs Ms Sen Rep Gov Gen Lt Col Sgt Capt Cmdr Adm Rev Jr Sr Inc Corp Co
Ltd No Nos vs ca bzw usw vgl etc evtl ggf inkl insb sog bspw zzgl Abs Art Bd Hrsg geb gest Mio
Mrd Tsd Min Std Univ Abg Dipl Ing Mag Fa Tel al Pres Ave Blvd Mt Ft Jan Feb Mar Apr Jun Jul Aug
Sep Sept Oct Okt Nov Dec Dez Gebr Dt dt engl franz sen jun Chr Hl hl Jh Jhd Jhs Kap Mass Md Ore
Calif Fla Ga Ill Ind Kan Ky La Mich Minn Miss Mo Mont Neb Nev Okla Pa Tenn Tex Va Vt Wash Wis
Wyo Ariz Ark Colo Conn Del Mass Ala Supt Gov Atty Lt Maj Brig Rt Hon Esq approx Vol vol Abb
janv févr fév avr juil déc Mme Mlle Me
""".split())
MONTHS = frozenset("""Januar Jänner Februar März April Mai Juni Juli August September Oktober
November Dezember January February March May June July October December""".split())
# Words that commonly open a sentence; after "U.S." or an ordinal they mark a real boundary.
SENTENCE_STARTERS = frozenset("""The He She It They We I In But And A An This That There His
Her Their Its As At On For If When While After Der Die Das Er Sie Es Im In Am Auch Nach Mit Bei
Zudem Dies Diese Dieser Ein Eine Doch Aber Und Wie Was Wer Als Seit Laut""".split())

_NEXT_WORD = re.compile(r"[\w„“\"'»«(]+")
_DOTTED_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text with its offset; lines are hard boundaries."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of German or English news text with offsets; every line break ends one."""
    sentences: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        _line_sentences(sentences, line, pos)
        pos += len(line) + 1
    return sentences


def _line_sentences(out: list[Sentence], line: str, start: int) -> None:
    """Add the sentences of one line (without its line break) that starts at `start`."""
    if not line.strip():
        return
    begin = 0
    for m in SENTENCE_END.finditer(line):
        if _is_boundary(line, m.start(), m.end()):
            _add_sentence(out, line, start, begin, m.end())
            begin = m.end()
    _add_sentence(out, line, start, begin, len(line))


class SentenceFinder:
    """The sentence around a position of a text, split line by line on demand.

    ``SentenceFinder(text).at(pos)`` is ``sentence_at(split_sentences(text), ..., pos, text)``:
    a line's sentences depend on that line alone, so only the lines that hold a name are split
    (most lines of an article hold none).
    """

    def __init__(self, text: str) -> None:
        """Prepare `text`; nothing is split yet."""
        self.text = text
        self._lines: dict[int, tuple[list[Sentence], list[int]]] = {}

    def at(self, pos: int) -> Sentence:
        """The sentence containing `pos`, else the line around it (as `sentence_at`)."""
        text = self.text
        begin = text.rfind("\n", 0, pos) + 1
        found = self._lines.get(begin)
        if found is None:
            end = text.find("\n", begin)
            end = len(text) if end < 0 else end
            sentences: list[Sentence] = []
            _line_sentences(sentences, text[begin:end], begin)
            found = self._lines[begin] = (sentences, [s.start for s in sentences])
        return sentence_at(found[0], found[1], pos, text)


def sentence_at(sentences: Sequence[Sentence], starts: Sequence[int], pos: int,
                text: str) -> Sentence:
    """The sentence containing `pos` (`starts`: the sentences' starts), else the line around it."""
    lo = bisect_right(starts, pos)
    if lo and sentences[lo - 1].start <= pos < sentences[lo - 1].end:
        return sentences[lo - 1]
    begin = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return Sentence(begin, end, text[begin:end])


def _add_sentence(out: list[Sentence], line: str, offset: int, begin: int, end: int) -> None:
    """Add `line[begin:end]` without its leading space, unless nothing is left."""
    while begin < end and line[begin].isspace():
        begin += 1
    if begin < end:
        out.append(Sentence(offset + begin, offset + end, line[begin:end]))


def _is_boundary(line: str, punct_start: int, punct_end: int) -> bool:
    """Whether the punctuation at `punct_start` ends a sentence (abbreviations, ordinals...)."""
    following = punct_end  # the next word's start (no copies of the rest of a long line)
    while following < len(line) and line[following].isspace():
        following += 1
    if following == len(line):
        return True
    next_word = _NEXT_WORD.match(line, following)
    nxt = next_word.group() if next_word else line[following]
    if nxt[:1].islower():
        return False  # "z. B. am", "ca. zehn": a sentence never starts in lower case
    if line[punct_start] != "." or punct_end - punct_start > 1:
        return True
    word_start = punct_start  # the word before the full stop, "" after a space
    while word_start > 0 and not line[word_start - 1].isspace():
        word_start -= 1
    word = line[word_start:punct_start]
    bare = word.lstrip("(„“\"'»«")
    starter = nxt.strip("„“\"'»«(") in SENTENCE_STARTERS
    if bare in ABBREVIATIONS or len(bare) == 1 and bare.isalpha():
        return False  # "Nr. 5", "Dr. Kim", "John F. Kennedy", "z. B."
    if _DOTTED_ABBREVIATION.fullmatch(bare):
        return starter  # "U.S. Army" goes on, "in the U.S. The" ends
    if bare.isdigit() and len(bare) <= 2:
        # "am 14. Januar", "der 2. Weltkrieg"; "im Jahr 2006. Danach" has four digits
        return starter and nxt not in MONTHS
    return True
