"""The right cues of citation extraction: words after a name that make it a citation.

Anchored at the start of the text after the name (" zufolge", " reported that", "-Bericht"),
some with a condition on the text before it (the name opens a clause). `classify` tries
`RIGHT_CUES` after the strong left cues of `cues` and `LATE_RIGHT_CUES` last. Everything here
is data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.citations.cues import (
    CLAIM,
    CONF_GENITIVE,
    CONF_PREPOSITION,
    CONF_REPORT_IN,
    CONF_SUBJECT_VERB,
    CONF_VENUE,
    CONF_VERB,
    QUOTE,
    REPORT,
    ROLE_SOURCE,
    ROLE_SPEECH,
)
from provenance.citations.grammar import (
    ANY_DESC,
    APPOSITION_LEFT,
    APPOSITION_RIGHT,
    SUBJECT_EVAL_RIGHT,
    SUBJECT_LEFT,
    SUBJECT_RIGHT,
    SUBJECT_VERB,
)

# --- right cues (anchored at the start of the text after the name) -------------------------------
ZUFOLGE_RIGHT = re.compile(r"^(?:-\w+)?(?:\s+(?:vom|von|am|aus|in|im)\s+[\w.]+){0,2}\s*"
                           r"(?P<cue>zufolge)\b")
COMPOUND_REPORT_RIGHT = re.compile(r"^-(?P<cue>Bericht|Meldung|Informationen|Angaben|Recherchen?"
                                   r"|Umfrage|Interview|Analyse|Reportage|Artikel)\w*")
# "im ZDF-Interview", "im RND-Gespräch": the outlet interviewed the speaker.
COMPOUND_INTERVIEW_RIGHT = re.compile(r"^-(?P<cue>Interview|Gespräch|Talk|Sommerinterview)\w*")
EN_REPORT_RIGHT = re.compile(r"^(?:[/-][\w.&-]+)*(?:['’]s?)?\s+(?:\w+\s+)?(?P<cue>report|"
                             r"reporting|poll|survey|investigation|analysis|article|story|"
                             r"exposé|tally|count|projections?|review)\b")
# "in an ABC interview": the outlet is where someone spoke
EN_INTERVIEW_RIGHT = re.compile(r"^(?:['’]s?)?\s+(?:\w+\s+)?(?P<cue>interview|town\s+hall|"
                                r"debate|appearance)\b")
# "Reuters: Ölpreis steigt", "NY Post: Megyn Kelly is no different": a headline attribution.
HEADLINE_LEFT = re.compile(rf"^{ANY_DESC}$")
HEADLINE_RIGHT = re.compile(r"^[“”\"]?(?:\s+(?:editorial|op-ed|Kommentar|Leitartikel))?\s*"
                            r"(?P<cue>:)\s+\S")
# "New York Times columnist David Brooks stated", "CNN's Jake Tapper reported", "ein
# ARD-Korrespondent berichtete": a journalist of the outlet is the subject of a report verb.
_ROLE = (r"(?:columnist|host|anchor|reporter|correspondent|editor|moderator|analyst|commentator|"
         r"contributor|writer|journalist|producer|spokesman|spokeswoman|spokesperson|pollster|"
         r"employee|staffer|"
         r"Korrespondent(?:in)?|Reporter(?:in)?|Journalist(?:in)?|Chefredakteur(?:in)?|"
         r"Redakteur(?:in)?|Moderator(?:in)?|Sprecher(?:in)?|Kommentator(?:in)?|Autor(?:in)?)")
ROLE_RIGHT = re.compile(rf"^(?:-|['’]s?\s+|\s+)(?:[a-z]+\s+){{0,2}}{_ROLE}\w*"
                        r"(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*,\s*[^,;:]{1,80},)?"
                        rf"{SUBJECT_VERB}")
# "Ein Bericht der Agentur Interfax, wonach ...": the report states what follows.
WONACH_RIGHT = re.compile(r"^[“”\"]?\s*,\s*(?P<cue>wonach|demzufolge|dem\s+zufolge)\b")


@dataclass(frozen=True)
class RightCue:
    """A cue after the name, with optional conditions on the text before it."""

    rule: str  # "{lang}" is replaced by the language of the matched verb
    pattern: re.Pattern[str]
    kind: str
    confidence: float
    role: str = ROLE_SOURCE
    left: tuple[re.Pattern[str], ...] = ()
    outlets_only: bool = False  # not for non-outlet sources


# Tried after the strong left cues, before the weak ones.
RIGHT_CUES: tuple[RightCue, ...] = (
    RightCue("de.zufolge", ZUFOLGE_RIGHT, CLAIM, CONF_PREPOSITION),
    RightCue("{lang}.subject_verb", SUBJECT_RIGHT, CLAIM, CONF_SUBJECT_VERB, ROLE_SPEECH,
             (SUBJECT_LEFT,)),
    RightCue("de.subject_judgement", SUBJECT_EVAL_RIGHT, CLAIM, CONF_VERB, ROLE_SPEECH,
             (SUBJECT_LEFT,), outlets_only=True),
    RightCue("{lang}.subject_verb", APPOSITION_RIGHT, CLAIM, CONF_SUBJECT_VERB, ROLE_SPEECH,
             (SUBJECT_LEFT, APPOSITION_LEFT)),
    RightCue("{lang}.outlet_role", ROLE_RIGHT, CLAIM, CONF_VENUE, ROLE_SPEECH, (SUBJECT_LEFT,)),
    RightCue("de.wonach", WONACH_RIGHT, CLAIM, CONF_REPORT_IN),
    RightCue("headline.colon", HEADLINE_RIGHT, CLAIM, CONF_GENITIVE, left=(HEADLINE_LEFT,)),
)
# Tried last: a report noun after the name, with no other cue in the sentence.
LATE_RIGHT_CUES: tuple[RightCue, ...] = (
    RightCue("de.compound_interview", COMPOUND_INTERVIEW_RIGHT, QUOTE, CONF_VENUE),
    RightCue("de.compound_report", COMPOUND_REPORT_RIGHT, REPORT, CONF_GENITIVE),
    RightCue("en.outlet_report", EN_REPORT_RIGHT, REPORT, CONF_GENITIVE),
    RightCue("en.outlet_interview", EN_INTERVIEW_RIGHT, QUOTE, CONF_GENITIVE),
)
