"""The cue engine: how a name in body text is cited, read from the sentence around it.

`classify` tries the cue rules of `cues` in their order (strong left cues, right cues, weak left
cues, late right cues) on the text left and right of a name within its sentence, and sets the
citation kind, rule, cue words, confidence and role of the name's draft. `coordinate` carries a
cue across coordinated names ("laut KCNA und Yonhap"); `resolve_relays` links "Yonhap, citing
KCNA" (the relayed outlet, and the innermost original).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from provenance.citations import cues as C
from provenance.citations import cues_right as R
from provenance.citations.grammar import (
    COORDINATION,
    DATIVE_BEFORE_FEMININE,
    DATIVE_BEFORE_PLURAL,
    DATIVE_LEFT,
    DATIVE_OBJECT,
    DE_SPEECH_VERB,
    EN_VERB_ONLY,
    FEMININE_DATIVE_HEAD,
    FEMININE_NAME,
    NOT_DATIVE_BEFORE,
    PLURAL_NAME,
    QUOTATION,
    VENUE_OBJECT,
)
from provenance.citations.grammar_es import ES_VERB_ONLY
from provenance.citations.grammar_fr import FR_VERB_ONLY
from provenance.citations.grammar_it import IT_VERB_ONLY
from provenance.citations.prefilter import RequiredWords
from provenance.citations.sentences import Sentence
from provenance.citations.sources import NameHit
from provenance.config import CUE_WINDOW

BODY = "body"
MENTION = "mention"
_LANGUAGE = re.compile(r"^[a-z]{2}")
_INFLECTION_TAIL = re.compile(r"^(?:es|s)(?=\W|$)")
_CLOSING_QUOTE = re.compile(r"^(?:[“”\"«»]|\s»)")  # French closes with a space: "« X »"
# A comma alone coordinates names only inside a list that goes on ("laut KCNA, Yonhap und NHK"):
# after "Contacté par Belga, la police ..." the clause has ended.
_BARE_COMMA = re.compile(r"\s*,\s*(?!(?:und|and|or|oder|sowie|et|ou|y|e|o)\b)")
_LIST_GOES_ON = re.compile(r"\s*(?:,|&|/|\b(?:und|and|or|oder|sowie|et|ou|y|e|o)\b)")
_CLAUSE_BREAK = re.compile(r"[,;:()–—]|\s-\s")
# The languages with a cue grammar of their own (a text in any other is read with all of them).
GRAMMARS = ("de", "en", "fr", "es", "it")
# The strong and the weak left cues of a language.
CueSets = tuple[tuple[C.Cue, ...], tuple[C.Cue, ...]]


@dataclass
class Draft:
    """A name on its way to a citation: its sentence and what the rules have made of it."""

    hit: NameHit
    sentence: Sentence
    kind: str
    rule: str
    cue: str | None
    confidence: float
    zone: str = BODY
    role: str = C.ROLE_SOURCE
    relayed_by: str | None = None
    relays: bool = False  # this outlet relays another one
    from_right: bool = False  # the cue follows the name (it carries back over "A und B")

    def take(self, kind: str, rule: str, cue: str | None, confidence: float, role: str) -> None:
        """Read the name as `kind` by `rule`."""
        self.kind, self.rule, self.cue, self.confidence, self.role = (
            kind, rule, cue, confidence, role)


def cues_for(language: str | None) -> CueSets:
    """The strong and weak left cues for a language; both grammars for other languages."""
    m = _LANGUAGE.match((language or "").lower())
    return _cues_of(m.group() if m else "")


@cache
def _cues_of(lang: str) -> CueSets:
    """The cue sets of a two-letter language code (of any other: all the grammars)."""
    if lang not in GRAMMARS:
        return _ALL_CUES
    return (tuple(c for c in C.LEFT_CUES if lang in c.languages),
            tuple(c for c in C.WEAK_LEFT_CUES if lang in c.languages))


def classify(draft: Draft, cue_sets: CueSets) -> None:
    """Set the kind, rule, cue and confidence of a body name from its sentence."""
    sent, hit = draft.sentence, draft.hit
    left = sent.text[max(0, hit.start - sent.start - CUE_WINDOW):hit.start - sent.start]
    right = sent.text[hit.end - sent.start:]
    right = _CLOSING_QUOTE.sub("", _INFLECTION_TAIL.sub("", right, count=1), count=1)
    strong, weak = cue_sets
    words = _cue_words(cue_sets).possible(left)
    found = _match_left(strong, left, right, sent.text, words)
    if found is None:
        if _match_right(draft, R.RIGHT_CUES, left, right):
            return
        found = _match_left(weak, left, right, sent.text, words)
    if found is None:
        if not _match_right(draft, R.LATE_RIGHT_CUES, left, right) and any(
                "de" in c.languages for c in strong):
            _statement_to_outlet(draft, left, right)
        return
    cue, word = found
    draft.take(cue.kind, cue.rule, " ".join(word.split()), cue.confidence, cue.role)
    dative = DATIVE_LEFT.search(left) or (FEMININE_NAME.search(hit.name)
                                          and DATIVE_BEFORE_FEMININE.search(left)) or (
        PLURAL_NAME.search(hit.name) and DATIVE_BEFORE_PLURAL.search(left))
    if cue.rule in ("de.verb_subject", "de.aux_subject") and dative and not (
            dative.group().startswith("der") and NOT_DATIVE_BEFORE.search(left, 0,
                                                                         dative.start())):
        # "sagte der „Berliner Zeitung“": the outlet was spoken to, as with "gegenüber"
        draft.kind, draft.rule, draft.confidence = C.QUOTE, "de.verb_dative", C.CONF_INTERVIEW


def _cue_words(cue_sets: CueSets) -> RequiredWords:
    """The words of which each left cue of `cue_sets` (of `cues_for`) holds one, in one
    automaton (built on first use: read from the patterns of the cues a language uses)."""
    found = _CUE_WORDS.get(id(cue_sets))
    if found is None:
        found = _CUE_WORDS[id(cue_sets)] = RequiredWords(c.pattern for c in (*cue_sets[0],
                                                                              *cue_sets[1]))
    return found


def prepare_all() -> None:
    """Compile every cue and index the cue words of every language now (before a scan's
    workers fork, so that they inherit them rather than each build its own)."""
    for lang in (*GRAMMARS, ""):
        _cue_words(cues_for(lang))
    for cue in (*C.LEFT_CUES, *C.WEAK_LEFT_CUES):
        cue.pattern.compiled()


# The cue sets of a language without a grammar of its own: one object, so one set of cue words.
_ALL_CUES: CueSets = (C.LEFT_CUES, C.WEAK_LEFT_CUES)
# The cue words of each of the (cached, so lasting) cue sets of `cues_for`, by its id.
_CUE_WORDS: dict[int, RequiredWords] = {}


def _dative(article: str, before: str, name: str) -> bool:
    """Whether the article before a name makes it a dative object: "dem", "einem"; "der" or
    "einer" before a feminine name or head ("der Zeitung", "der „Rheinischen Post“"); "den"
    before a name in the plural ("den Stuttgarter Nachrichten")."""
    if article == "den":
        return PLURAL_NAME.search(name) is not None
    return article in ("dem", "einem") or bool(FEMININE_DATIVE_HEAD.search(before)
                                               or FEMININE_NAME.search(name))


def _statement_to_outlet(draft: Draft, left: str, right: str) -> None:
    """German statements given to an outlet with the speech verb anywhere in the clause: the
    outlet as dative object ("sagte der Minister der dpa", "wie er dem Spiegel sagte") or as
    the venue ("sagte Scholz bei RTL", "im Gespräch bei ntv")."""
    if draft.hit.outlet_id is None:
        return
    before = _CLAUSE_BREAK.split(left)[-1]
    after = _CLAUSE_BREAK.split(right, maxsplit=1)[0]
    if not (DE_SPEECH_VERB.search(before) or DE_SPEECH_VERB.search(after)):
        return
    m = DATIVE_OBJECT.search(before)
    if m and not NOT_DATIVE_BEFORE.search(before, 0, m.start()) and _dative(
            m.group("cue"), before, draft.hit.name):
        draft.take(C.QUOTE, "de.dative_statement", m.group("cue"), C.CONF_INTERVIEW,
                   C.ROLE_SPEECH)
        return
    m = VENUE_OBJECT.search(before)
    if m:
        draft.take(C.QUOTE, "de.venue", " ".join(m.group("cue").split()), C.CONF_VENUE,
                   C.ROLE_SPEECH)


def _match_left(cues: Sequence[C.Cue], left: str, right: str, sentence: str,
                possible: set[int]) -> tuple[C.Cue, str] | None:
    """The first left cue that matches, with its cue words (`possible`: the ids of the cue
    patterns that may match `left`, from `_cue_words`)."""
    for cue in cues:
        if id(cue.pattern) not in possible:
            continue  # none of the cue's words is there: no need to search
        m = cue.pattern.search(left)
        if m is None:
            continue
        if cue.right is not None and not cue.right.search(right):
            continue
        if cue.sentence is not None and not cue.sentence.search(sentence):
            continue
        return cue, m.group("cue")
    return None


def _match_right(draft: Draft, cues: Sequence[R.RightCue], left: str, right: str) -> bool:
    """Apply the first right cue whose conditions hold; whether one did."""
    for cue in cues:
        if cue.outlets_only and draft.hit.outlet_id is None:
            continue
        m = cue.pattern.match(right)  # anchored, and cheaper than the conditions on the left
        if m is None or not all(p.search(left) for p in cue.left):
            continue
        word = " ".join(m.group("cue").split())
        lang = ("en" if EN_VERB_ONLY.match(word) else "fr" if FR_VERB_ONLY.match(word)
                else "es" if ES_VERB_ONLY.match(word)
                else "it" if IT_VERB_ONLY.match(word) else "de")
        draft.take(cue.kind, cue.rule.replace("{lang}", lang), word, cue.confidence, cue.role)
        draft.from_right = True
        return True
    return False


def coordinate(drafts: list[Draft], text: str) -> None:
    """Carry a cue across coordinated names: "laut KCNA und Yonhap", "KCNA und Yonhap meldeten"."""
    body = [d for d in drafts if d.zone == BODY and d.rule != "self.publisher"]
    for prev, cur in zip(body, body[1:], strict=False):
        if (cur.kind == MENTION and prev.kind != MENTION and prev.sentence == cur.sentence
                and COORDINATION.match(text[prev.hit.end:cur.hit.start]) and not (
                    _BARE_COMMA.match(text, prev.hit.end) and not _LIST_GOES_ON.match(
                        text, cur.hit.end))):
            _copy_cue(prev, cur)
    for cur, nxt in zip(reversed(body[:-1]), reversed(body[1:]), strict=False):
        if (cur.kind == MENTION and nxt.kind != MENTION and nxt.from_right
                and nxt.sentence == cur.sentence
                and COORDINATION.match(text[cur.hit.end:nxt.hit.start])):
            _copy_cue(nxt, cur)


def _copy_cue(src: Draft, dst: Draft) -> None:
    dst.take(src.kind, src.rule, src.cue, src.confidence, src.role)
    dst.from_right = src.from_right


def resolve_relays(drafts: list[Draft]) -> None:
    """Link relayed names to the outlet that relays them; the innermost is the original."""
    body = [d for d in drafts if d.zone == BODY and d.rule != "self.publisher"]
    for draft in body:
        if draft.role not in (C.ROLE_RELAY_OBJECT, C.ROLE_RELAYER):
            continue
        same = [d for d in body if d.sentence == draft.sentence and d is not draft]
        before = [d for d in same if d.hit.end <= draft.hit.start and d.hit.outlet_id]
        if draft.role == C.ROLE_RELAY_OBJECT:
            relayer = before[-1] if before else next(
                (d for d in same if d.hit.start > draft.hit.end and d.hit.outlet_id
                 and d.role == C.ROLE_SPEECH), None)
            if relayer is None or relayer.hit.outlet_id == draft.hit.outlet_id:
                continue
            draft.relayed_by = relayer.hit.outlet_id
            if draft.hit.outlet_id:
                draft.kind, relayer.kind, relayer.relays = "relay", "relay", True
        elif draft.role == C.ROLE_RELAYER and draft.hit.outlet_id and before:
            original = before[-1]
            if original.hit.outlet_id != draft.hit.outlet_id:
                original.relayed_by, original.kind = draft.hit.outlet_id, "relay"
                draft.kind, draft.relays = "relay", True


def quotes_other(draft: Draft) -> bool:
    """Whether the sentence quotes someone's words: a quotation that is not the name itself."""
    at = draft.hit.start - draft.sentence.start, draft.hit.end - draft.sentence.start
    return any(m.end() <= at[0] or m.start() >= at[1]
               for m in QUOTATION.finditer(draft.sentence.text))
