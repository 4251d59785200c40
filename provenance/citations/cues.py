"""The cue rules of citation extraction: which words around a name make it a citation, and how.

Each rule is data: a compiled pattern, the citation kind it gives, a confidence and a role.
Patterns come in two shapes:

* left cues are anchored at the end of the text before a source name ("laut der offiziellen
  Nachrichtenagentur ", "according to the ") and may end in a descriptor phrase (`ANY_DESC`);
* right cues are anchored at the start of the text after it (" zufolge", " reported that").

German outlet attributions are mostly prepositional: `laut`, `zufolge` and
`nach Angaben/Informationen` are near-certain cues; report verbs need the outlet as subject. The
phrases the rules are built from are in `grammar`; `classify` applies the rules. To add a cue,
add a rule to LEFT_CUES (or RIGHT_CUES) with a stable rule id and a case in test_attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.citations.grammar import (
    ANY_DESC,
    DE_ADJ,
    DE_ADV,
    DE_ART,
    DE_CLAIM_NOUN,
    DE_DESC,
    DE_HEAD,
    DE_INFO,
    DE_LINK,
    DE_PARTICIPLE,
    DE_VERB,
    DE_VERB_FINAL,
    EN_ADV,
    EN_DESC,
    PROPER_NAME,
    QUOTE_OPEN,
)
from provenance.citations.grammar_es import (
    ES_ADV,
    ES_DESC,
    ES_REPORT_VERB,
    ES_SPEECH_TO,
    ES_VERB_SUBJECT,
    PERFECT_ES,
)
from provenance.citations.grammar_fr import (
    FR_ADV,
    FR_DESC,
    FR_REPORT_VERB,
    FR_SPEECH_TO,
    FR_VERB_SUBJECT,
)
from provenance.citations.grammar_it import (
    IT_ADV,
    IT_DESC,
    IT_PDESC,
    IT_REPORT_VERB,
    IT_SPEECH_TO,
    IT_VERB_SUBJECT,
    PERFECT_IT,
)

# --- confidences per rule family (German Wikinews counts, SpkAtt 2023) ----------------
CONF_PREPOSITION = 0.95  # laut, zufolge, nach Angaben, according to: 97-100% real attributions
CONF_RELAY = 0.9  # unter Berufung auf, citing: the cue names both ends of the chain
CONF_REPORT_REF = 0.9  # wie X berichtete, as first reported by X
CONF_REPORT_IN = 0.85  # Informationen in der FT, a report in the Times
CONF_INTERVIEW = 0.85  # told Reuters, gegenüber der BBC: the outlet obtained the statement
CONF_VENUE = 0.75  # appeared on CNN: the outlet is where the statement was made
CONF_VERB = 0.8  # berichtete/meldete with the outlet as subject (63%/57% without that check)
CONF_SUBJECT_VERB = 0.85  # "KCNA gab bekannt", "Reuters reported"
CONF_GENITIVE = 0.7  # "Aussagen des Weißen Hauses", "ein dpa-Bericht" without a preposition
CONF_MENTION = 0.3  # a bare mention: the outlet is named, not cited
CONF_SELF = 0.9  # the publisher naming itself is certain to be a mention
# Names in zones take the zone's confidence (`provenance.extract.zone_patterns`).

# --- left cues -----------------------------------------------------------------------------------
# Words after which a "to" is a destination, not the outlet a statement was given to.
_NOT_A_STATEMENT_OBJECT = (r"(?:that|who|which|what|whether|and|or|but|from|into|in|on|at|for|"
                           r"with|by|as|to|about|move|moves|moving|transfer|return|switch|shift|"
                           r"sale|sold|deal|merger|acquisition|bid|offer|loan|grant|payment|"
                           r"donation|gift|goodbye|farewell|visit|trip|journey|access|rights|"
                           r"licen[cs]e|stake|shares|appointment|nomination|promotion|"
                           r"commitment|allegiance|loyalty|support|opposition|contributions?)")
# German interview nouns ("Interview", "Gespräch", ...).
_DE_INTERVIEW = (r"(?:Interview|Gespräch|Telefonat|Videointerview|Telefoninterview|"
                 r"Exklusivinterview|Exklusiv-Interview)")
# Roles tell the engine what the cue means beyond its kind.
ROLE_SOURCE = "source"  # the name is the source of the sentence's information
ROLE_RELAY_OBJECT = "relay_object"  # "citing X": X is relayed by the clause's subject outlet
ROLE_RELAYER = "relayer"  # "quoted by X": X relays the outlet named before it
ROLE_SPEECH = "speech"  # a speech verb: a quotation in the sentence makes it a direct quote


class LazyPattern:
    """A left cue's regular expression, compiled on first use: a language's cues are compiled
    only when a text in it is read (compiling all five grammars' costs a quarter of a second,
    which a `check` of one English draft need not pay). `pattern` and `flags` are what
    `prefilter.required_strings` reads."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, source: str) -> None:
        self.pattern, self.flags = source, 0
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        return (self._compiled or self.compiled()).search(text)

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled


@dataclass(frozen=True)
class Cue:
    """One cue rule: a pattern around the name, what it means and how sure it is."""

    rule: str
    pattern: LazyPattern
    kind: str
    confidence: float
    role: str = ROLE_SOURCE
    languages: tuple[str, ...] = ("de", "en")
    right: re.Pattern[str] | None = None  # a condition on the text after the name
    sentence: re.Pattern[str] | None = None  # a condition on the whole sentence


def _left(cue: str, desc: str = ANY_DESC) -> LazyPattern:
    """A left cue: `cue` then a descriptor, anchored at the end of the left context."""
    return LazyPattern(rf"(?P<cue>{cue})\s+{desc}$")


CLAIM, QUOTE, REPORT = "claim_attribution", "direct_quote", "report_reference"
# "Nach NHK-Informationen": the information noun is compounded onto the name.
NACH_RIGHT = re.compile(r"^-(?:Angaben|Informationen|Berichten|Recherchen|Reporter|"
                        r"Korrespondent|Journalist)\w*")

_SPEECH_SENTENCE = re.compile(r"\b(?:sagte|sagten|sagt|erklärte|erklärten|erklärt|bestätigte|"
                              r"betonte|äußerte|räumte|kündigte|warnte|versicherte|meinte|"
                              r"bestritt|dementierte|erläuterte|teilte|gab|kritisierte)\b|"
                              r"(?:^|[,;–—]\s*)so\s+(?:der|die|das|ein|eine)\b|"
                              r"\b[Nn]ach\s+(?:Angaben|Aussagen?|Worten)\b")
_DE_PARTICIPLE_RIGHT = re.compile(rf"^[“”\"]?[^,;:.!?„“\"]{{0,50}}?\b{DE_PARTICIPLE}")
_DE_RELAY_VERB_RIGHT = re.compile(r"^[^,.;]{0,40}?\b(?:beruft|berief|beriefen|berufen|bezieht|"
                                  r"bezog|bezogen|stützt|stützte|stützen)\b")

LEFT_CUES: tuple[Cue, ...] = (
    # relays first: their objects would otherwise match a plainer cue ("auf der KCNA")
    Cue("de.unter_berufung", _left(r"\b[Uu]nter\s+Berufung\s+auf", DE_DESC), CLAIM, CONF_RELAY,
        ROLE_RELAY_OBJECT, ("de",)),
    Cue("de.beruft_sich", _left(r"\b(?:beruft|berief|beriefen|berufen|bezieht|bezog|bezogen|"
                                r"stützt|stützte|stützen)\s+sich\s+(?:\w+\s+){0,2}?auf", DE_DESC),
        CLAIM, CONF_RELAY, ROLE_RELAY_OBJECT, ("de",)),
    Cue("de.sich_auf", _left(r"\bsich\s+(?:\w+\s+)?auf", DE_DESC), CLAIM, CONF_RELAY,
        ROLE_RELAY_OBJECT, ("de",), right=_DE_RELAY_VERB_RIGHT),
    Cue("de.zitiert_von", _left(r"\b(?:zitiert|zitierte|zitiertes|zitierten)\s+(?:von|vom|durch|"
                                r"bei|beim)", DE_DESC),
        CLAIM, CONF_RELAY, ROLE_RELAYER, ("de",)),
    Cue("en.citing", _left(r"\b(?:[Cc]iting|[Qq]uoting|(?:which|who|that)\s+(?:cited|quoted))",
                           EN_DESC), CLAIM, CONF_RELAY, ROLE_RELAY_OBJECT, ("en",)),
    Cue("en.quoted_by", _left(r"\b(?:quoted|cited|carried)\s+by", EN_DESC), CLAIM, CONF_RELAY,
        ROLE_RELAYER, ("en",)),
    Cue("es.citando", _left(r"\b[Cc]itando(?:\s+a)?", ES_DESC), CLAIM, CONF_RELAY,
        ROLE_RELAY_OBJECT, ("es",)),
    Cue("es.citado_por", _left(r"\b(?:citad|recogid)[oa]s?\s+por", ES_DESC), CLAIM, CONF_RELAY,
        ROLE_RELAYER, ("es",)),
    Cue("it.citato_da", _left(r"\b(?:citat|ripres|rilanciat)[oaie]", rf"(?=[Dd]a){IT_PDESC}"),
        CLAIM, CONF_RELAY, ROLE_RELAYER, ("it",)),
    Cue("fr.citant", _left(r"\b(?:[Cc]itant|(?:qui|que)\s+cite|se\s+(?:référant|basant|fondant)"
                           r"\s+sur|s['’](?:appuyant|appuie)\s+sur)", FR_DESC), CLAIM, CONF_RELAY,
        ROLE_RELAY_OBJECT, ("fr",)),
    Cue("fr.cite_par", _left(r"\b(?:cit|relay|repris|reprise)(?:é|ée|és|ées)?\s+par", FR_DESC),
        CLAIM, CONF_RELAY, ROLE_RELAYER, ("fr",)),
    # prepositional cues
    Cue("de.laut", _left(r"\b[Ll]aut", DE_DESC), CLAIM, CONF_PREPOSITION, languages=("de",)),
    Cue("de.nach_angaben", _left(rf"\b[Nn]ach\s+(?:{DE_ART}\s+)?(?:{DE_ADJ}\s+)?{DE_INFO}"
                                 rf"(?:\s+{DE_LINK})?", DE_DESC), CLAIM, CONF_PREPOSITION,
        languages=("de",)),
    Cue("de.nach_angaben", _left(r"\b[Nn]ach", DE_DESC), CLAIM, CONF_PREPOSITION,
        languages=("de",), right=NACH_RIGHT),
    Cue("de.zufolge", _left(r"\bzufolge", DE_DESC), CLAIM, CONF_PREPOSITION, languages=("de",)),
    Cue("en.according_to", _left(r"\b[Aa]ccording\s+to", EN_DESC), CLAIM, CONF_PREPOSITION,
        languages=("en",)),
    Cue("es.segun", _left(rf"\b(?:[Ss]eg[úu]n(?:\s+(?:lo\s+)?(?:{ES_REPORT_VERB}|{PERFECT_ES}))?"
                          rf"(?:\s+{ES_ADV}){{0,2}}|[Dd]e\s+acuerdo\s+(?:con|a)|[Cc]onforme\s+a|"
                          r"[Aa]\s+decir\s+de)", ES_DESC), CLAIM, CONF_PREPOSITION,
        languages=("es",)),
    Cue("it.secondo", _left(rf"\b(?:[Ss]econdo(?:\s+quanto\s+(?:{IT_REPORT_VERB}|{PERFECT_IT}|"
                            r"(?:riportato|riferito|scritto|pubblicato|emerso)(?=\s+d)))?"
                            rf"(?:\s+{IT_ADV}){{0,2}}|[Aa]\s+quanto\s+(?:{IT_REPORT_VERB}|"
                            rf"{PERFECT_IT}))", IT_DESC), CLAIM, CONF_PREPOSITION,
        languages=("it",)),
    Cue("it.secondo", _left(r"\b(?:[Ss]tando|[Ss]econdo\s+quanto\s+(?:riportato|riferito|scritto|"
                            r"pubblicato|emerso))", IT_PDESC), CLAIM, CONF_PREPOSITION,
        languages=("it",)),
    Cue("fr.selon", _left(r"\b(?:[Ss]elon|[Dd]['’]apr[èe]s|[Dd]e\s+source)", FR_DESC), CLAIM,
        CONF_PREPOSITION, languages=("fr",)),
    Cue("en.per", _left(r"(?:^|[,;(]\s*)(?:[Pp]er|[Vv]ia)", EN_DESC), CLAIM, CONF_VERB,
        languages=("en",)),
    Cue("en.hat_tip", _left(r"\b(?:[Hh]/[Tt]|HT|[Hh]at\s+[Tt]ip)\s*:?(?:\s+to)?", EN_DESC), CLAIM,
        CONF_SUBJECT_VERB, languages=("en",)),
    Cue("de.heisst_es", _left(r"\b(?:heißt|hieß|hiess|heisst)\s+es\s+(?:\w+\s+){0,2}?(?:in|im|"
                              r"bei|beim|aus|von|vom|auf)", DE_DESC),
        CLAIM, CONF_RELAY, ROLE_SPEECH, ("de",)),
    # the outlet obtained the statement: it is where the information was first published
    # (DESIGN.md §3: a statement given to an outlet is a direct quote of that outlet)
    Cue("de.gegenueber", _left(r"\b[Gg]egenüber", DE_DESC), QUOTE, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("de",), sentence=_SPEECH_SENTENCE),
    # "Interview mit der BBC", "Interview des Ministers mit dem Sender CNN"
    Cue("de.interview", _left(rf"\b{_DE_INTERVIEW}(?:\s+(?:des|der)\s+\w+)?\s+(?:mit|gegenüber|"
                              r"für)",
                              DE_DESC), QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH,
        languages=("de",)),
    # "im Interview des Nachrichtenportals „Politico“", "in einem Gespräch der Deutschen Welle":
    # the outlet whose interview it was obtained the statement (before "in einem Bericht")
    Cue("de.interview_of", _left(rf"\b(?:[Ii]m|[Ii]n\s+(?:einem|dem))\s+(?:\w+\s+)?"
                                 rf"{_DE_INTERVIEW}", DE_DESC), QUOTE, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("de",)),
    Cue("en.told", _left(r"\b(?:[Tt]old|tells|tell|telling)", EN_DESC), QUOTE, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("en",)),
    Cue("en.interview", _left(r"\b(?:[Ii]nterview(?:ed|s)?|[Ss]poke|[Ss]peaking|[Tt]alking|"
                              r"[Tt]alked|[Cc]hatting|[Cc]hatted|said|says|confirmed|explained|"
                              r"admitted|insisted|revealed)(?:\s+exclusively)?\s+(?:with|to)|"
                              r"\b[Ii]nterviews?\s+(?:for|by)", EN_DESC),
        QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("en",)),
    # "confirmed the closure to Sky News", "described the talks to the FT as difficult": a
    # short object between the speech verb and the outlet, none of whose words makes the
    # "to" a destination ("confirmed his move to the BBC", "the sale of its stake to ...")
    Cue("en.verb_object_to", _left(r"\b(?:confirmed|confirms|explained|explains|revealed|"
                                   r"reveals|admitted|admits|described|describes|disclosed|"
                                   r"acknowledged|conceded|stressed|reiterated|recounted|"
                                   r"outlined|denied|denies)"
                                   rf"(?:\s+(?!{_NOT_A_STATEMENT_OBJECT}\b)[\w'’-]+){{1,4}}?"
                                   r"\s+to", EN_DESC),
        QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("en",)),
    # "documents disclosed to CBC News", "a memo leaked to the Guardian": the outlet obtained
    # the material and first reported it
    Cue("en.disclosed_to", _left(r"\b(?:disclosed|leaked|shown|made\s+available)(?:\s+exclusively)?"
                                 r"\s+to", EN_DESC), REPORT, CONF_REPORT_REF, languages=("en",),
        right=re.compile(r"^(?!['’]?s?\s+(?:board|trust|chairman|chair|executives?|directors?|"
                         r"management|headquarters|offices?|staff)\b)")),
    # "dijo a CNN", "han informado a Europa Press fuentes", "en declaraciones a la cadena SER"
    Cue("es.dijo_a", _left(rf"\b{ES_SPEECH_TO}", ES_DESC), QUOTE, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("es",)),
    Cue("es.entrevista", _left(r"\b(?:[Ee]n\s+(?:una\s+)?(?:entrevista|declaraciones|"
                               r"conversaci[óo]n|di[áa]logo|charla)(?:\s+(?:exclusiva|concedida|"
                               r"telef[óo]nica|radial|televisiva)){0,2}\s+(?:con|a|al|para)|"
                               r"(?:[Cc]onsultad|[Ee]ntrevistad|[Cc]ontactad|[Pp]reguntad)[oa]s?"
                               r"(?:\s+[\w'’]+){0,4}?\s+por|[Aa]\s+preguntas\s+de)", ES_DESC),
        QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("es",)),
    # "ha detto all'Ansa", "ha dichiarato Mario Rossi al Corriere", "ai microfoni di Rai News"
    Cue("it.detto_a", _left(rf"\b{IT_SPEECH_TO}", rf"(?=[Aa]){IT_PDESC}"), QUOTE, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("it",)),
    Cue("it.intervista", _left(r"\b(?:(?:[Ii]n|[Nn]el(?:la)?|[Dd]urante)\s+(?:un['’]\s?|una\s+|"
                               r"l['’]\s?)?intervista(?:\s+(?:esclusiva|rilasciata|concessa|"
                               r"telefonica)){0,2}|[Aa]i\s+microfoni|(?:[Ii]ntervistat|"
                               r"[Cc]ontattat|[Ii]nterpellat|[Ss]entit|[Rr]aggiunt)[oaie]"
                               r"(?:\s+[\w'’]+){0,3}?|[Pp]arlando|[Oo]spite)", IT_PDESC),
        QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("it",)),
    # "a déclaré à l'AFP", "a-t-il confié mardi au Figaro", "dans un entretien accordé au
    # Parisien", "interrogé par franceinfo", "au micro de RTL"
    Cue("fr.declare_a", _left(rf"\b{FR_SPEECH_TO}", FR_DESC), QUOTE, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("fr",)),
    Cue("fr.entretien", _left(r"\b(?:(?:un|une|l['’]|son|sa)\s*(?:entretien|interview|entrevue)"
                              r"(?:\s+(?:exclusi(?:f|ve)|accordée?|donnée?|télévisée?|"
                              r"radiophonique|publiée?|diffusée?)){0,2}\s+(?:à|au|aux|avec|pour)|"
                              r"(?:[Ii]nterrogé|[Ii]nterviewé|[Qq]uestionné|[Cc]ontacté|[Ss]ollicité|[Jj]oint)e?s?"
                              r"(?:\s+[\w'’]+){0,4}?\s+par|(?:au\s+micro|sur\s+l['’]antenne|"
                              r"sur\s+le\s+plateau|invitée?s?)\s+(?:de|du|des|d['’]))", FR_DESC),
        QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("fr",)),
    # "in a statement to Reuters", "in comments to the BBC", "in an email to CNN"
    Cue("en.statement_to", _left(r"\b(?:statements?|comments?|remarks|e-?mail(?:ed)?|"
                                 r"messages?|letter|note|response)\s+to", EN_DESC),
        QUOTE, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("en",)),
    Cue("en.venue", _left(r"\b(?:interview|appear(?:ed|ing|ance|s)?|said|says|speaking|spoke)"
                          r"\s+on|\b(?:broadcast|aired|hosted|moderated|televised)\s+by",
                          EN_DESC), QUOTE, CONF_VENUE, role=ROLE_SPEECH, languages=("en",)),
    # background reports
    Cue("de.bericht_in", _left(rf"\b{DE_INFO}\s+(?:in|im|bei|beim|auf)|\b(?:veröffentlicht|"
                               r"erschienen|erschien|publiziert)\w*\s+(?:in|im|bei|auf)",
                               DE_DESC),
        REPORT, CONF_REPORT_IN, languages=("de",)),
    Cue("de.in_bericht", _left(rf"\b[Ii]n\s+(?:{DE_ART}\s+)?(?:{DE_ADJ}\s+)?(?:Bericht|Artikel|"
                               r"Interview|Beitrag|Meldung|Reportage|Kommentar|Analyse|Sendung|"
                               r"Ausgabe|Recherche|Veröffentlichung|Umfrage|Befragung|Erhebung|"
                               r"Auswertung|Dokumentation)\w*", DE_DESC),
        REPORT, CONF_REPORT_IN, languages=("de",)),
    # "Der Artikel ist zuerst bei „Capital“ erschienen": where a text was first published
    Cue("de.erschienen_bei", _left(r"\b(?:[Bb]ei|[Bb]eim|[Ii]n|[Ii]m|[Aa]uf)", DE_DESC), REPORT,
        CONF_REPORT_IN, languages=("de",), right=re.compile(
            r"^[“”\"«»']?\s+(?:\w+\s+){0,2}?(?:erschienen|veröffentlicht|publiziert)\b")),
    # "Dies geht aus einer Meldung der dpa hervor"
    Cue("de.geht_hervor", _left(rf"\baus\s+(?:{DE_ART}\s+)?(?:{DE_ADJ}\s+)?{DE_INFO}"
                                rf"(?:\s+{DE_LINK})?", DE_DESC),
        CLAIM, CONF_RELAY, languages=("de",), sentence=re.compile(r"\bhervor\b")),
    # "wird von der Nachrichtenagentur Reuters mit den Worten zitiert"
    Cue("de.von_zitiert", _left(r"\b(?:von|vom)", DE_DESC), CLAIM, CONF_RELAY, ROLE_RELAYER,
        ("de",), right=re.compile(r"^[“”\"]?[^,;:.]{0,60}?\bzitiert\b")),
    # "Während die Bangkok Post von 100.000 Demonstranten sprach": verb-final subordinate clause
    Cue("de.subordinate", _left(r"\b(?:[Ww]ährend|[Dd]ass|[Dd]aß|[Ww]eil|[Nn]achdem|[Oo]bwohl|"
                                r"[Ss]eitdem|[Bb]evor|[Dd]a|[Oo]b)", DE_DESC),
        CLAIM, CONF_VERB, ROLE_SPEECH, ("de",),
        right=re.compile(rf"^[^,;:]{{0,80}}?\b{DE_VERB_FINAL}\s*(?:[,;:.!?]|$)")),
    # "so Karl Harb von den Salzburger Nachrichten", "so die Zeitung"
    Cue("de.so", _left(rf"(?:^|[,;–—-]\s*)so(?:\s+{PROPER_NAME}(?:von|vom|bei|beim|der|des))?",
                       DE_DESC), CLAIM, CONF_REPORT_IN, ROLE_SPEECH, ("de",)),
    # "Bei der Agentur RIA hieß es"
    Cue("de.bei_hiess_es", _left(r"\b[Bb]ei(?:m)?", DE_DESC), CLAIM, CONF_REPORT_IN, ROLE_SPEECH,
        ("de",), right=re.compile(r"^\s*(?:hieß|heißt|hiess|heisst)\s+es\b")),
    Cue("en.first_reported_by", _left(r"\b(?:(?:first|previously|originally|earlier|also|was|"
                                      r"were|been)\s+)?(?:reported|revealed|published|obtained|"
                                      r"disclosed|seen|reviewed|mentioned|named|described|"
                                      r"identified)\s+(?:\w+\s+)?by", EN_DESC),
        REPORT, CONF_REPORT_REF, languages=("en",)),
    # "signalé pour la première fois par le titre City AM", "rapporté par l'agence ČTK"
    Cue("fr.revele_par", _left(r"\b(?:rapport|révél|dévoil|publi|signal|diffus)(?:é|ée|és|ées)"
                               r"(?:\s+(?:pour\s+la\s+première\s+fois|initialement|d['’]abord|"
                               r"plus\s+tôt|notamment|également))?\s+par", FR_DESC),
        REPORT, CONF_REPORT_REF, languages=("fr",)),
    Cue("en.report_in", _left(r"\b(?:report|reports|article|story|stories|"
                              r"investigation|analysis|poll|survey|exposé|expose|"
                              r"reporting)\s+(?:published\s+)?(?:in|by|from|on|for)|"
                              r"\breported\s+in", EN_DESC),
        REPORT, CONF_REPORT_IN, languages=("en",)),
    # an author's piece in an outlet: the outlet published it, the author is the speaker
    # ("writes for the Times" is an author's employer, a bio: no cue)
    Cue("en.published_in", _left(r"\b(?:(?:wrote|writing|writes|written)\s+in|(?:wrote|writing)"
                                 r"\s+for|(?:op-ed|column|editorial|essay|piece|published|"
                                 r"appeared|appearing)\s+(?:published\s+)?(?:in|for))", EN_DESC),
        REPORT, CONF_VENUE, role=ROLE_SPEECH, languages=("en",)),
    # "como informó la agencia EFE", "publicado por El País", "en un artículo del diario ABC"
    Cue("es.como", _left(rf"\b(?:[Cc]omo|[Tt]al\s+(?:y\s+)?como|[Ss]eg[úu]n\s+lo)\s+(?:lo\s+)?"
                         rf"(?:{PERFECT_ES}|{ES_REPORT_VERB})(?:\s+{ES_ADV}){{0,2}}", ES_DESC),
        REPORT, CONF_REPORT_REF, languages=("es",)),
    Cue("es.publicado_por", _left(r"\b(?:(?:publicad|difundid|revelad|adelantad|reportad|"
                                  r"divulgad|filtrad)[oa]s?\s+(?:(?:originalmente|inicialmente|"
                                  r"primero|hoy|ayer)\s+)?(?:por|en)|apareci[óo]\s+en|"
                                  r"(?:[Ee]n|[Dd]e)\s+(?:un|una|el|la|su)\s+(?:art[íi]culo|reportaje|"
                                  r"informe|nota|editorial|columna|investigaci[óo]n|edici[óo]n|"
                                  r"encuesta|sondeo)(?:\s+[a-záéíóúñ]+){0,2}?\s+(?:de\s+la|del|de|"
                                  r"publicad[oa]\s+(?:en|por)))", ES_DESC),
        REPORT, CONF_REPORT_IN, languages=("es",)),
    Cue("it.come", _left(rf"\b[Cc]ome\s+(?:{PERFECT_IT}|{IT_REPORT_VERB})(?:\s+{IT_ADV}){{0,2}}",
                         IT_DESC), REPORT, CONF_REPORT_REF, languages=("it",)),
    Cue("it.pubblicato", _left(r"\b(?:pubblicat|diffus|rivelat|anticipat|riportat)[oaie]"
                               r"(?:\s+(?:oggi|ieri|inizialmente|per\s+primo))?",
                               rf"(?=[DdSs]){IT_PDESC}"),
        REPORT, CONF_REPORT_REF, languages=("it",)),
    # "comme l'a révélé Le Monde", "ainsi que le rapporte l'AFP"; "dans un article du Figaro",
    # "paru dans Libération", "dans les colonnes du Temps"
    Cue("fr.comme", _left(rf"\b(?:[Cc]omme|[Aa]insi\s+que|[Tt]el\s+que)\s+(?:l['’]\s?|le\s+)?"
                          rf"(?:{FR_REPORT_VERB}|(?:a|avait|ont|avaient)\s+(?:{FR_ADV}\s+)?"
                          rf"{FR_REPORT_VERB})"
                          rf"(?:\s+{FR_ADV}){{0,2}}", FR_DESC),
        REPORT, CONF_REPORT_REF, languages=("fr",)),
    Cue("fr.dans_article", _left(r"\b(?:(?:[Dd]ans|[Ss]ur)\s+(?:(?:un|une|le|la|les|l['’]|son|sa|"
                                 r"ses|leur)\s*)?(?:[a-zé]+\s+)?(?:article|dépêche|reportage|"
                                 r"enquête|éditorial|tribune|chronique|édition|numéro|colonnes|"
                                 r"pages|documentaire|émission|bulletin|podcast|sondage|analyse|"
                                 r"une)s?(?:\s+[a-zé]+){0,2}\s+(?:de\s+la|de\s+l['’]|du|des|de|"
                                 r"d['’])|(?:publié|paru|diffusé|relaté|dévoilé|révélé)e?s?\s+"
                                 r"(?:\w+\s+)?(?:dans|par|sur|sur\s+le\s+site\s+(?:de|du|d['’])))",
                                 FR_DESC), REPORT, CONF_REPORT_IN, languages=("fr",)),
    Cue("de.wie", _left(r"\b[Ww]ie", DE_DESC), REPORT, CONF_REPORT_REF, languages=("de",),
        right=re.compile(rf"^[^,;:!?]{{0,80}}?\b{DE_VERB_FINAL}")),
    Cue("en.as_reported", _left(rf"\b[Aa]s(?:\s+{PROPER_NAME}(?:of|at|from|for))?", EN_DESC),
        REPORT, CONF_REPORT_REF, languages=("en",),
        right=re.compile(rf"^(?:['’]s?\s+(?:[A-Z][\w'’-]+\s+){{1,3}})?\s*(?:has\s+|had\s+|"
                         rf"{EN_ADV}\s+){{0,2}}(?:reported|reports|noted|notes|wrote|writes|"
                         r"revealed|disclosed|put\s+it|said|points\s+out|pointed\s+out|"
                         r"observed|explained)\b")),
    # verb before the name: "berichtete die staatliche Nachrichtenagentur KCNA", "said Reuters"
    Cue("de.verb_subject", _left(rf"\b{DE_VERB}(?:\s+{DE_ADV}){{0,2}}", DE_DESC), CLAIM,
        CONF_VERB, ROLE_SPEECH, ("de",)),
    # separable verbs: "gab die Bangkok Post an", "teilte die Agentur mit"
    Cue("de.verb_subject", _left(rf"\b(?:gab|gibt|gaben|geben|teilte|teilt|teilten|gab\s+es)"
                                 rf"(?:\s+{DE_ADV}){{0,2}}", DE_DESC), CLAIM, CONF_VERB,
        ROLE_SPEECH, ("de",), right=re.compile(r"^[^,;:]{0,60}?\b(?:an|bekannt|mit)\b")),
    # the subject after an inverted auxiliary, the participle at the end: "Schon im Februar
    # hatte der japanische Sender NHK berichtet" (pluperfect: an earlier report to refer to),
    # "Am Montag hat die Staatsagentur KCNA gemeldet"
    Cue("de.aux_subject", _left(rf"\b(?:hatte|hatten)(?:\s+{DE_ADV}){{0,2}}", DE_DESC), REPORT,
        CONF_VERB, ROLE_SPEECH, ("de",), right=_DE_PARTICIPLE_RIGHT),
    Cue("de.aux_subject", _left(rf"\b(?:hat|haben)(?:\s+{DE_ADV}){{0,2}}", DE_DESC), CLAIM,
        CONF_VERB, ROLE_SPEECH, ("de",), right=_DE_PARTICIPLE_RIGHT),
    Cue("it.verb_subject", _left(IT_VERB_SUBJECT, IT_DESC), CLAIM, CONF_VERB, ROLE_SPEECH,
        ("it",)),
    Cue("es.verb_subject", _left(ES_VERB_SUBJECT, ES_DESC), CLAIM, CONF_VERB, ROLE_SPEECH,
        ("es",)),
    # the subject after the verb: "..., a indiqué l'agence Belga", "», rapporte Le Monde"
    Cue("fr.verb_subject", _left(FR_VERB_SUBJECT, FR_DESC), CLAIM, CONF_VERB, ROLE_SPEECH,
        ("fr",)),
    Cue("en.verb_subject", _left(r"(?:[\"”’,]\s*)(?:said|says|reported|reports|wrote|writes|"
                                 r"noted|added|adds|explained|argued|observed|continued|"
                                 r"tweeted|reported\s+on\s+\w+day)", EN_DESC),
        CLAIM, CONF_VERB, ROLE_SPEECH, ("en",)),
)

# Weak cues are tried after the right cues ("Den Einschätzungen von Yonhap zufolge").
WEAK_LEFT_CUES: tuple[Cue, ...] = (
    # information noun + genitive without a preposition
    Cue("de.info_genitive", _left(rf"\b{DE_CLAIM_NOUN}\s+(?:{DE_LINK})",
                                  rf"(?:{DE_ART}\s+)?(?:{DE_ADJ}\s+){{0,3}}(?:{DE_HEAD}\s+)?"
                                  rf"{QUOTE_OPEN}"),
        CLAIM, CONF_GENITIVE, languages=("de",)),
    Cue("en.info_of", _left(r"\b(?:statement|statements|data|figures|estimates?|assessment|"
                            r"findings|documents)\s+(?:from|by|of|released\s+by)", EN_DESC),
        CLAIM, CONF_GENITIVE, languages=("en",)),
)
