"""Grammar tables for citation extraction: cue patterns, descriptor phrases and zone markers.

Everything here is data: compiled regular expressions, word lists and per-rule confidences. The
engine that applies them is `attribution.py`. Patterns come in two shapes:

* left cues are anchored at the end of the text before a source name ("laut der offiziellen
  Nachrichtenagentur ", "according to the ") and may end in a descriptor phrase (`DESC`);
* right cues are anchored at the start of the text after it (" zufolge", " reported that").

German outlet attributions are mostly prepositional (DESIGN.md section 3): `laut`, `zufolge` and
`nach Angaben/Informationen` are near-certain cues; report verbs need the outlet as subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- confidences per rule family (German Wikinews figures in DESIGN.md section 3) ----------------
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
CONF_WIRE_DATELINE = 0.98  # "Seoul (dpa) -": the strongest credit there is
CONF_WIRE_LINE = 0.9  # "dpa/AFP", "Mit Material von AFP"
CONF_WIRE_SIGNOFF = 0.7  # Reuters-style "Reporting by ...; Editing by ..." without the name
CONF_SOURCE_BOX = 0.95
CONF_IMAGE = 0.9
CONF_CREDIT_GUESS = 0.7  # an agency alone on a line mid-article: most often a photo credit
CONF_RELATED = 0.9

# --- descriptor phrases between a cue and a source name ------------------------------------------
_DE_ART = r"(?:[Dd](?:er|ie|as|en|em|es)|[Ee]in(?:e|er|em|es|en)?)"
# Compounds on a media noun: "Staatsagentur", "Staatssender", "Parteizeitung", "TV-Sender",
# "Staatsmedien", "US-Nachrichtenagentur", so that every descriptor works with every cue.
_DE_MEDIA_TAIL = (r"(?:agentur|zeitung|zeitschrift|sender|blatt|magazin|fernsehen|rundfunk|"
                  r"kanal|portal|medium|medien|organ)")
_DE_MEDIA_COMPOUND = (rf"(?:[A-ZÄÖÜ0-9]\w*-)?(?:[A-ZÄÖÜ][a-zäöüß]+{_DE_MEDIA_TAIL}|"
                      r"Agentur|Zeitung|Zeitschrift|Sender|Blatt|Magazin|Fernsehen|Rundfunk|"
                      r"Kanal|Portal|Medium|Medien|Organ)")
# Attributive adjectives: lowercase, inflected ("offiziellen", "US-amerikanischen"). Pronouns
# and verbs with the same endings are excluded so that a clause never passes as a descriptor.
_DE_ADJ = (r"(?!(?:und|oder|aber|haben|hatte|hatten|werden|wurde|wurden|sollen|können|wollen|"
           r"sich|seine[nrms]?|ihre[nrms]?|diese[nrms]?|jene[nrms]?|welche[nrms]?|eine[nrms]?|"
           r"unter|über|wieder|immer|sagte|meldete|berichtete|schrieb|erklärte|gegenüber|"
           r"hinter|außer|später|früher|weiter|sicher|lieber|eher|ferner|daher|bisher|vorher|"
           r"seither|gegen|wegen|zwischen|neben|binnen|oben|unten|innen|außen|morgen|gestern|"
           r"heute|jedoch|allerdings|bereits|ebenfalls|dabei|zuvor|zudem|deshalb|trotzdem)\b)"
           r"(?:[A-ZÄÖÜ]{2,}-)?[a-zäöüß][a-zäöüß-]*(?:e|en|er|es|em)")
# Head nouns of a descriptor: kinds of outlet and body, roles of people speaking for them.
_DE_HEAD = (r"(?:Nachrichtenagentur|Presseagentur|Presse-Agentur|Agentur|Nachrichtendienst|"
            r"Geheimdienst|Militärgeheimdienst|Auslandsgeheimdienst|Inlandsgeheimdienst|"
            r"Zeitung|Tageszeitung|Wochenzeitung|Sonntagszeitung|Boulevardzeitung|Zeitschrift|"
            r"Blatt|Boulevardblatt|Wirtschaftsblatt|Fachblatt|Magazin|Nachrichtenmagazin|"
            r"Wochenmagazin|Onlinemagazin|Online-Magazin|Sender|Fernsehsender|Radiosender|"
            r"Rundfunksender|Nachrichtensender|Staatssender|Privatsender|Staatsfernsehen|"
            r"Fernsehen|Rundfunk|Kanal|Fernsehkanal|Portal|Nachrichtenportal|Onlineportal|"
            r"Internetportal|Newsportal|Nachrichtenseite|Website|Webseite|Internetseite|"
            r"Onlineausgabe|Online-Ausgabe|Ausgabe|Medium|Behörde|Gesundheitsbehörde|"
            r"Denkfabrik|Thinktank|Think-Tank|Institut|Forschungsinstitut|Organisation|"
            r"Menschenrechtsorganisation|Hilfsorganisation|Stiftung|Ministerium|Bündnis|"
            r"Militärbündnis|Sprecher|Sprecherin|Korrespondent|Korrespondentin|Reporter|"
            r"Reporterin|Journalist|Journalistin|Redakteur|Redakteurin|Chefredakteur|"
            r"Chefredakteurin|Vertreter|Vertreterin|Mitarbeiter|Mitarbeiterin|Chef|Chefin|"
            r"Leiter|Leiterin|Direktor|Direktorin|Analyst|Analystin|Experte|Expertin|"
            rf"{_DE_MEDIA_COMPOUND})"
            r"(?:s|es|n|en|e)?")
# A possessive name in the article's place before a head noun: "Nordkoreas Staatsagentur KCNA",
# "Russlands Staatssender RT" (only with a head noun after it, see DE_DESC).
_DE_GENITIVE = r"(?!(?:Als|Aus|Bis|Des|Dass|Das|Es|Was|Alles|Uns|Rings)\b)[A-ZÄÖÜ][a-zäöüß]+s"
# Nouns for "information": what `nach ...` needs to be an attribution ("nach Angaben der NHK").
_DE_INFO = (r"(?:Angaben|Informationen|Berichte|Berichten|Bericht|Berichts|Berichtes|Meldung|"
            r"Meldungen|Darstellung|Darstellungen|Einschätzung|Einschätzungen|Recherche|"
            r"Recherchen|Erkenntnisse|Erkenntnissen|Schätzung|Schätzungen|Analyse|Analysen|"
            r"Zahlen|Daten|Aussage|Aussagen|Artikel|Artikeln|Interview|Mitteilung|Mitteilungen|"
            r"Pressemitteilung|Erklärung|Erklärungen|Reportage|Kommentar|Beitrag|Umfrage|"
            r"Umfragen|Studie|Studien|Quellen|Berechnungen|Auswertung|Auswertungen|Unterlagen|"
            r"Dokumenten|Lagebericht|Lageberichten|Lagebild|Worten|Angabe|Zitaten|Veröffentlichung)")
# Nouns that carry a source's claims even without a preposition ("Aussagen des Weißen Hauses");
# "Bericht der BBC" alone is as often the subject of the news as a reference to it.
_DE_CLAIM_NOUN = (r"(?:Angaben|Informationen|Aussagen?|Einschätzungen?|Erkenntnissen?|"
                  r"Schätzungen?|Daten|Zahlen|Darstellung|Mitteilung|Erklärung|Worten|"
                  r"Recherchen)")
_DE_LINK = (r"(?:von\s+(?:der|den|dem)|aus\s+(?:der|dem)|in\s+(?:der|dem)|bei\s+(?:der|dem)|"
            r"der|des|von|vom|im|beim|bei)")
_DE_NOUN = rf"(?:{_DE_INFO}|{_DE_HEAD})"
_QUOTE_OPEN = r"[„\"“»«‚']?"
DE_DESC = (rf"(?:{_DE_ART}\s+|{_DE_GENITIVE}\s+(?=(?:{_DE_ADJ}\s+){{0,2}}{_DE_HEAD}\s))?"
           rf"(?:{_DE_ADJ}\s+){{0,3}}"
           rf"(?:{_DE_NOUN}\s+(?:{_DE_LINK}\s+)?(?:{_DE_ART}\s+)?(?:{_DE_ADJ}\s+){{0,3}})?"
           rf"(?:{_DE_HEAD}\s+)?{_QUOTE_OPEN}")

_EN_ART = r"(?:[Tt]he|[Aa]n?)"
# Words that end a descriptor: a source phrase never runs across these.
_EN_STOP = (r"(?:who|whom|which|that|said|says|say|told|tells|and|or|but|to|of|in|on|at|for|"
            r"with|by|from|as|was|were|is|are|be|been|has|have|had|he|she|they|it|his|her|"
            r"their|its|we|i|you|not|also|when|after|before|while|according|citing|reported|"
            r"reports|wrote|than|then|there|this|these|those|if|about|into|over|until|unless|"
            r"because|since|though|although|whether|where|what|how|why|all|any|some|much|more|"
            r"most|no|so|such|only|just|even|still|yet|both|each|every|other|another|would|"
            r"could|should|will|can|may|might|must|do|does|did|being|him|them|me|us|our|your|"
            r"asked|against|between|through|during|without|under|up|down|out|off|again|"
            r"the|a|an)")
_EN_MOD = (rf"(?!{_EN_STOP}\b)(?:[a-z][a-z-]*|[A-Z][a-z]+(?:-[A-Za-z]+)?|"
           r"[A-Z][\w.-]*['’]s?|\d[\w-]*)")
_EN_HEAD = (r"(?:news agency|news service|wire service|agency|agencies|newspaper|newspapers|"
            r"paper|daily|tabloid|broadcaster|network|channel|station|television|TV|radio|"
            r"magazine|weekly|website|site|outlet|outlets|publication|reporter|reporters|"
            r"correspondent|journalist|journalists|spokesman|spokeswoman|spokesperson|editor|"
            r"anchor|host|report|reports|article|articles|story|stories|analysis|investigation|"
            r"poll|polls|survey|surveys|data|statement|statements|interview|account|reporting|"
            r"editorial|op-ed|column|piece|dispatch|broadcast|documents|figures|estimate|"
            r"estimates|assessment|tally|count|review|think tank|institute|official|"
            r"officials|ministry|department|office|service)")
_EN_LINK = (r"(?:published\s+by|released\s+by|conducted\s+by|commissioned\s+by|carried\s+by|"
            r"aired\s+by|of|by|from|in|on|for|at|with)")
EN_DESC = (rf"(?:{_EN_ART}\s+)?(?:{_EN_MOD}\s+){{0,4}}"
           rf"(?:{_EN_HEAD}\s+{_EN_LINK}\s+(?:{_EN_ART}\s+)?(?:{_EN_MOD}\s+){{0,3}})?"
           rf"(?:{_EN_HEAD}\s+)?{_QUOTE_OPEN}")
ANY_DESC = rf"(?:{DE_DESC}|{EN_DESC})"

# --- report and speech verbs ---------------------------------------------------------------------
# German finite verbs with the source as subject ("KCNA gab bekannt", "Yonhap berichtete").
_DE_VERB = (r"(?:berichtet(?:e|en)?|meldet(?:e|en)?|vermeldete|schrieb(?:en)?|schreibt|"
            r"sagte(?:n)?|sagt|erklärte(?:n)?|erklärt|enthüllte|enthüllt|veröffentlichte|"
            r"verbreitete|zitierte|zitiert|bestätigte|bestätigt|beschrieb|beschreibt|"
            r"behauptete|behauptet|warnte|warnt|betonte|betont|titelte|titelt|verkündete|"
            r"sprach(?:en)?|spricht|vermutet(?:e|en)?|beziffert(?:e|en)?|erläutert(?:e|en)?|"
            r"kommentiert(?:e|en)?|analysiert(?:e|en)?|prognostiziert(?:e|en)?|spekuliert(?:e|en)?|"
            r"mutmaßt(?:e|en)?|urteilt(?:e|en)?|zeigt(?:e|en)?\s+sich\s+überzeugt|fragte|"
            r"verkündet|informierte|dementierte|bestritt|erfuhr|meldeten|schätzt|schätzte|"
            r"gab\b[^,.;:]{0,40}?\bbekannt|gibt\b[^,.;:]{0,40}?\bbekannt|"
            r"teilte\b[^,.;:]{0,60}?\bmit|teilt\b[^,.;:]{0,60}?\bmit|"
            r"(?:hat|hatte|haben|hatten)\b[^,.;:]{0,60}?\b(?:berichtet|gemeldet|geschrieben|"
            r"mitgeteilt|erklärt|bekanntgegeben|bekannt\s+gegeben|veröffentlicht|enthüllt)"
            r"|zeigte\s+sich|äußerte\s+sich)\b")
# Verbs of judgement: an outlet's coverage when it is the subject ("KCNA feierte die Reise als
# ...", "die Zeitung nannte den Plan ..."); for other sources the act is the news itself ("Die UN
# verurteilte den Test"), and after the verb the name is as often the object ("der Minister
# kritisierte die BBC"), so they serve subject-first clauses of outlets only.
_DE_EVAL_VERB = (r"(?:feiert(?:e|en)?|lobt(?:e|en)?|kritisiert(?:e|en)?|bezeichnet(?:e|en)?|"
                 r"nannte(?:n)?|nennt|würdigt(?:e|en)?|pries(?:en)?|verurteilt(?:e|en)?|"
                 r"bekräftigt(?:e|en)?|unterstrich(?:en)?|wertete(?:n)?)\b")
# Perfect participles after an inverted auxiliary: "hatte der Sender NHK berichtet".
_DE_PARTICIPLE = (r"(?:berichtet|gemeldet|vermeldet|geschrieben|mitgeteilt|erklärt|gesagt|"
                  r"bekanntgegeben|bekannt\s+gegeben|veröffentlicht|enthüllt|verbreitet|"
                  r"erfahren|behauptet|bestätigt|getitelt|gewarnt|betont)\b")
# Subordinate clauses end in the verb: "wie vienna.at berichtete", "wie tagesschau.de feststellte".
_DE_VERB_FINAL = (r"(?:berichtet(?:e|en)?|gemeldet|meldet(?:e|en)?|vermeldete|schrieb(?:en)?|"
                  r"schreibt|feststellte|festgestellt|mitteilte|mitgeteilt|bekanntgab|"
                  r"bekannt\s+gab|bekanntgegeben|verbreitete|verbreitet|zitierte|zitiert|"
                  r"enthüllte|enthüllt|erfuhr|erfahren|hat|hatte|titelte|sagte|erklärte|"
                  r"veröffentlichte|veröffentlicht|recherchierte|recherchiert|aufdeckte|"
                  r"analysierte|schätzte|schätzt|darstellte|beschrieb|meldeten|berichteten|"
                  r"sprach|sprachen|spricht|vermutet|vermutete|bezifferte|beziffert)\b")
_EN_VERB = (r"(?:reported|reports|report|said|says|say|wrote|writes|announced|announces|"
            r"revealed|reveals|disclosed|quoted|quotes|cited|cites|claimed|claims|stated|"
            r"states|noted|notes|added|adds|confirmed|confirms|published|publishes|broadcast|"
            r"aired|learned|learnt|obtained|tweeted|posted|estimated|estimates|described|"
            r"describes|called|calls|warned|warns|accused|denied|insisted|projected|projects|"
            r"argued|argues|explained|explains|suggested|suggests|indicated|acknowledged|"
            r"predicted|predicts|observed|commented|concluded|concludes|exposed|uncovered|"
            r"pointed\s+out|points\s+out|characterized|characterizes|asked|asks|"
            r"first\s+reported|is\s+reporting|was\s+reporting|"
            r"(?:has|had|have)\s+(?:also\s+|previously\s+|since\s+|now\s+)?(?:reported|said|"
            r"learned|confirmed|obtained|published|revealed|released))\b")
_EN_ADV = (r"(?:also|earlier|previously|first|later|separately|originally|late|now|recently|even|"
           r"subsequently|initially|then|on\s+\w+day)")
_DE_ADV = (r"(?:am\s+\w+|heute|gestern|zuvor|zuerst|bereits|jetzt|nun|auch|ebenfalls|dazu|"
           r"dagegen|hingegen|jedoch|indes|allerdings|wiederum|dabei|zunächst|zuletzt|"
           r"inzwischen|mittlerweile|ebenso|zum\s+Beispiel|etwa|beispielsweise|derweil|"
           r"weiter|außerdem|damals|kürzlich|später|zudem|noch)")

# The source is the subject when it opens a clause (after optional descriptors).
_CLAUSE_START = (r"(?:^|[,;:(–—]\s*|(?:''|[\"“”«»’])\s+|\b(?:und|and|but|aber|doch|denn|sondern|"
                 r"while|whereas|that|dass|daß|weil|because|when|wenn|ob|whether|nachdem|"
                 r"after|since|though|although|obwohl|so|yet)\s+)")
_NAME = r"(?:[A-ZÄÖÜ][\w'’.-]+\s+){1,3}"
# A subject descriptor is stricter than one after a preposition: no verbs or function words.
_EN_CAP = (r"(?!(?:In|On|At|For|After|Before|When|While|But|And|Or|If|As|By|From|To|With|Of|"
           r"The|A|An|Am|Im|Bei|Nach|Laut|Mit|Von|Vom|Zum|Zur|Der|Die|Das|Den|Dem|Des|Ein|Eine|"
           r"Er|Sie|Es|Wie|Als|Auch|Und|Aber|Doch|So|This|That|These|Those|It|He|She|They|We|"
           r"Meanwhile|However|Still|Then|Now|Also)\b)[A-Z][a-z]+(?:-[A-Za-z]+)?")
_EN_ADJ = (rf"(?:{_EN_CAP}|[A-Z][\w.-]*['’]s?|[a-z]+-[a-z-]+|[a-z]+(?:al|ive|ic|an|ish|ese|ian|"
           r"ent|ant|ary|ory|ous|ful|ern|ist|ite|ing|ed)|conservative|liberal|official|"
           r"independent|online|local|national|foreign|major|leading|influential|popular|"
           r"prominent|daily|weekly|public|private|rival|new|venerable|business|news|media|"
           r"cable|network|tabloid|broadsheet|state|financial)")
_SUBJ_DESC = (rf"(?:{DE_DESC}|(?:{_EN_ART}\s+)?(?:{_EN_ADJ}\s+){{0,3}}"
              rf"(?:{_EN_HEAD}\s+(?:for|of|at|from|with)\s+(?:{_EN_ART}\s+)?)?"
              rf"(?:{_EN_HEAD}\s+)?{_QUOTE_OPEN})")
SUBJECT_LEFT = re.compile(
    rf"{_CLAUSE_START}(?:{_NAME}(?:von|vom|bei|beim|of|from|for|with|at)\s+)?{_SUBJ_DESC}$")
# After the name: an optional closing quote, possessive and reporter name, then the verb,
# directly, after an apposition ("KCNA, die staatliche Agentur, meldete") or after a genitive
# tail that closes an apposition opened on the left ("..., ein Vertreter der HUR des
# Verteidigungsministeriums, gab bekannt").
_SUBJECT_VERB = (rf"\s*(?:(?:{_EN_ADV}|{_DE_ADV})\s+){{0,2}}"
                 rf"(?P<cue>{_DE_VERB}|{_EN_VERB}|told|tells)")
_SUBJECT_TAIL = (r"^[“”\"«»']?(?:(?:['’]s?)?\s+(?:[A-Z][\w'’-]+\s+){1,3}|"
                 r"\s+(?:[a-z][a-z-]*\s+){0,2}(?:newspaper|paper|daily|network|channel|"
                 r"news\s+agency|agency|news\s+service|website|magazine|broadcaster|tabloid|"
                 r"television|outlet))?"
                 r"(?:\s*,\s*[^,;:]{1,90},)?")
SUBJECT_RIGHT = re.compile(rf"{_SUBJECT_TAIL}{_SUBJECT_VERB}")
SUBJECT_EVAL_RIGHT = re.compile(rf"{_SUBJECT_TAIL}\s*(?:(?:{_DE_ADV})\s+){{0,2}}"
                                rf"(?P<cue>{_DE_EVAL_VERB})")
APPOSITION_LEFT = re.compile(rf",\s*(?:{_DE_ART}\s+|{_EN_ART}\s+)?(?:{_DE_ADJ}\s+){{0,2}}"
                             rf"(?:{_DE_HEAD}|{_EN_HEAD})\s+(?:{_DE_LINK}|of|at|from)\s+"
                             rf"{ANY_DESC}$")
APPOSITION_RIGHT = re.compile(rf"^[“”\"«»']?(?:\s+(?:des|der|von|vom|of)\s+[^,.;:]{{1,60}}?)?"
                              rf"\s*,{_SUBJECT_VERB}")
# Tells an English verb from a German one, to name the rule by language.
EN_VERB_ONLY = re.compile(rf"^{_EN_VERB}")

# --- left cues -----------------------------------------------------------------------------------
# Roles tell the engine what the cue means beyond its kind.
ROLE_SOURCE = "source"  # the name is the source of the sentence's information
ROLE_RELAY_OBJECT = "relay_object"  # "citing X": X is relayed by the clause's subject outlet
ROLE_RELAYER = "relayer"  # "quoted by X": X relays the outlet named before it
ROLE_SPEECH = "speech"  # a speech verb: a quotation in the sentence makes it a direct quote


@dataclass(frozen=True)
class Cue:
    """One cue rule: a pattern around the name, what it means and how sure it is."""

    rule: str
    pattern: re.Pattern[str]
    kind: str
    confidence: float
    role: str = ROLE_SOURCE
    languages: tuple[str, ...] = ("de", "en")
    right: re.Pattern[str] | None = None  # a condition on the text after the name
    sentence: re.Pattern[str] | None = None  # a condition on the whole sentence


def _left(cue: str, desc: str = ANY_DESC) -> re.Pattern[str]:
    """A left cue: `cue` then a descriptor, anchored at the end of the left context."""
    return re.compile(rf"(?P<cue>{cue})\s+{desc}$")


CLAIM, QUOTE, REPORT = "claim_attribution", "direct_quote", "report_reference"
# "Nach NHK-Informationen": the information noun is compounded onto the name.
NACH_RIGHT = re.compile(r"^-(?:Angaben|Informationen|Berichten|Recherchen|Reporter|"
                        r"Korrespondent|Journalist)\w*")

_SPEECH_SENTENCE = re.compile(r"\b(?:sagte|sagten|sagt|erklärte|erklärten|erklärt|bestätigte|"
                              r"betonte|äußerte|räumte|kündigte|warnte|versicherte|meinte|"
                              r"bestritt|dementierte|erläuterte|teilte|gab|kritisierte)\b")
_DE_PARTICIPLE_RIGHT = re.compile(rf"^[“”\"]?[^,;:.!?„“\"]{{0,50}}?\b{_DE_PARTICIPLE}")
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
    # prepositional cues
    Cue("de.laut", _left(r"\b[Ll]aut", DE_DESC), CLAIM, CONF_PREPOSITION, languages=("de",)),
    Cue("de.nach_angaben", _left(rf"\b[Nn]ach\s+(?:{_DE_ART}\s+)?(?:{_DE_ADJ}\s+)?{_DE_INFO}"
                                 rf"(?:\s+{_DE_LINK})?", DE_DESC), CLAIM, CONF_PREPOSITION,
        languages=("de",)),
    Cue("de.nach_angaben", _left(r"\b[Nn]ach", DE_DESC), CLAIM, CONF_PREPOSITION,
        languages=("de",), right=NACH_RIGHT),
    Cue("de.zufolge", _left(r"\bzufolge", DE_DESC), CLAIM, CONF_PREPOSITION, languages=("de",)),
    Cue("en.according_to", _left(r"\b[Aa]ccording\s+to", EN_DESC), CLAIM, CONF_PREPOSITION,
        languages=("en",)),
    Cue("en.per", _left(r"(?:^|[,;(]\s*)(?:[Pp]er|[Vv]ia)", EN_DESC), CLAIM, CONF_VERB,
        languages=("en",)),
    Cue("en.hat_tip", _left(r"\b(?:[Hh]/[Tt]|HT|[Hh]at\s+[Tt]ip)\s*:?(?:\s+to)?", EN_DESC), CLAIM,
        CONF_SUBJECT_VERB, languages=("en",)),
    Cue("de.heisst_es", _left(r"\b(?:heißt|hieß|hiess|heisst)\s+es\s+(?:\w+\s+){0,2}?(?:in|im|"
                              r"bei|beim|aus|von|vom|auf)", DE_DESC),
        CLAIM, CONF_RELAY, ROLE_SPEECH, ("de",)),
    # the outlet obtained the statement: it is where the information was first published
    Cue("de.gegenueber", _left(r"\bgegenüber", DE_DESC), CLAIM, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("de",), sentence=_SPEECH_SENTENCE),
    Cue("de.interview", _left(r"\b(?:Interview|Gespräch)\s+(?:mit|gegenüber)", DE_DESC), CLAIM,
        CONF_INTERVIEW, role=ROLE_SPEECH, languages=("de",)),
    Cue("en.told", _left(r"\b(?:told|tells|tell|telling)", EN_DESC), CLAIM, CONF_INTERVIEW,
        role=ROLE_SPEECH, languages=("en",)),
    Cue("en.interview", _left(r"\b(?:interview(?:ed|s)?|spoke|speaking|talking|talked|"
                              r"said|says)\s+(?:with|to)", EN_DESC),
        CLAIM, CONF_INTERVIEW, role=ROLE_SPEECH, languages=("en",)),
    Cue("en.venue", _left(r"\b(?:interview|appear(?:ed|ing|ance|s)?|said|says|speaking|spoke)"
                          r"\s+on|\b(?:broadcast|aired|hosted|moderated|televised)\s+by",
                          EN_DESC), CLAIM, CONF_VENUE, role=ROLE_SPEECH, languages=("en",)),
    # background reports
    Cue("de.bericht_in", _left(rf"\b{_DE_INFO}\s+(?:in|im|bei|beim|auf)|\b(?:veröffentlicht|"
                               r"erschienen|erschien|publiziert)\w*\s+(?:in|im|bei|auf)",
                               DE_DESC),
        REPORT, CONF_REPORT_IN, languages=("de",)),
    Cue("de.in_bericht", _left(rf"\b[Ii]n\s+(?:{_DE_ART}\s+)?(?:{_DE_ADJ}\s+)?(?:Bericht|Artikel|"
                               r"Interview|Beitrag|Meldung|Reportage|Kommentar|Analyse|Sendung|"
                               r"Ausgabe|Recherche|Veröffentlichung)\w*", DE_DESC),
        REPORT, CONF_REPORT_IN, languages=("de",)),
    # "Dies geht aus einer Meldung der dpa hervor"
    Cue("de.geht_hervor", _left(rf"\baus\s+(?:{_DE_ART}\s+)?(?:{_DE_ADJ}\s+)?{_DE_INFO}"
                                rf"(?:\s+{_DE_LINK})?", DE_DESC),
        CLAIM, CONF_RELAY, languages=("de",), sentence=re.compile(r"\bhervor\b")),
    # "wird von der Nachrichtenagentur Reuters mit den Worten zitiert"
    Cue("de.von_zitiert", _left(r"\b(?:von|vom)", DE_DESC), CLAIM, CONF_RELAY, ROLE_RELAYER,
        ("de",), right=re.compile(r"^[“”\"]?[^,;:.]{0,60}?\bzitiert\b")),
    # "Während die Bangkok Post von 100.000 Demonstranten sprach": verb-final subordinate clause
    Cue("de.subordinate", _left(r"\b(?:[Ww]ährend|[Dd]ass|[Dd]aß|[Ww]eil|[Nn]achdem|[Oo]bwohl|"
                                r"[Ss]eitdem|[Bb]evor|[Dd]a|[Oo]b)", DE_DESC),
        CLAIM, CONF_VERB, ROLE_SPEECH, ("de",),
        right=re.compile(rf"^[^,;:]{{0,80}}?\b{_DE_VERB_FINAL}\s*(?:[,;:.!?]|$)")),
    # "so Karl Harb von den Salzburger Nachrichten", "so die Zeitung"
    Cue("de.so", _left(rf"(?:^|[,;–—-]\s*)so(?:\s+{_NAME}(?:von|vom|bei|beim|der|des))?",
                       DE_DESC), CLAIM, CONF_REPORT_IN, ROLE_SPEECH, ("de",)),
    # "Bei der Agentur RIA hieß es"
    Cue("de.bei_hiess_es", _left(r"\b[Bb]ei(?:m)?", DE_DESC), CLAIM, CONF_REPORT_IN, ROLE_SPEECH,
        ("de",), right=re.compile(r"^\s*(?:hieß|heißt|hiess|heisst)\s+es\b")),
    Cue("en.first_reported_by", _left(r"\b(?:(?:first|previously|originally|earlier|also|was|"
                                      r"were|been)\s+)?(?:reported|revealed|published|obtained|"
                                      r"disclosed|seen|reviewed|mentioned|named|described|"
                                      r"identified)\s+(?:\w+\s+)?by", EN_DESC),
        REPORT, CONF_REPORT_REF, languages=("en",)),
    Cue("en.report_in", _left(r"\b(?:report|reports|article|story|stories|"
                              r"investigation|analysis|poll|survey|exposé|expose|"
                              r"reporting)\s+(?:published\s+)?(?:in|by|from|on|for)|"
                              r"\breported\s+in", EN_DESC),
        REPORT, CONF_REPORT_IN, languages=("en",)),
    # an author's piece in an outlet: the outlet published it, the author is the speaker
    Cue("en.published_in", _left(r"\b(?:wrote|writing|writes|written|op-ed|column|editorial|"
                                 r"essay|piece|published|appeared|appearing)\s+(?:published\s+)?"
                                 r"(?:in|for)", EN_DESC),
        REPORT, CONF_VENUE, role=ROLE_SPEECH, languages=("en",)),
    Cue("de.wie", _left(r"\b[Ww]ie", DE_DESC), REPORT, CONF_REPORT_REF, languages=("de",),
        right=re.compile(rf"^[^,;:!?]{{0,80}}?\b{_DE_VERB_FINAL}")),
    Cue("en.as_reported", _left(rf"\b[Aa]s(?:\s+{_NAME}(?:of|at|from|for))?", EN_DESC), REPORT,
        CONF_REPORT_REF, languages=("en",),
        right=re.compile(rf"^(?:['’]s?\s+(?:[A-Z][\w'’-]+\s+){{1,3}})?\s*(?:has\s+|had\s+|"
                         rf"{_EN_ADV}\s+){{0,2}}(?:reported|reports|noted|notes|wrote|writes|"
                         r"revealed|disclosed|put\s+it|said|points\s+out|pointed\s+out|"
                         r"observed|explained)\b")),
    # verb before the name: "berichtete die staatliche Nachrichtenagentur KCNA", "said Reuters"
    Cue("de.verb_subject", _left(rf"\b{_DE_VERB}(?:\s+{_DE_ADV}){{0,2}}", DE_DESC), CLAIM,
        CONF_VERB, ROLE_SPEECH, ("de",)),
    # separable verbs: "gab die Bangkok Post an", "teilte die Agentur mit"
    Cue("de.verb_subject", _left(rf"\b(?:gab|gibt|gaben|geben|teilte|teilt|teilten|gab\s+es)"
                                 rf"(?:\s+{_DE_ADV}){{0,2}}", DE_DESC), CLAIM, CONF_VERB,
        ROLE_SPEECH, ("de",), right=re.compile(r"^[^,;:]{0,60}?\b(?:an|bekannt|mit)\b")),
    # the subject after an inverted auxiliary, the participle at the end: "Schon im Februar
    # hatte der japanische Sender NHK berichtet" (pluperfect: an earlier report to refer to),
    # "Am Montag hat die Staatsagentur KCNA gemeldet"
    Cue("de.aux_subject", _left(rf"\b(?:hatte|hatten)(?:\s+{_DE_ADV}){{0,2}}", DE_DESC), REPORT,
        CONF_VERB, ROLE_SPEECH, ("de",), right=_DE_PARTICIPLE_RIGHT),
    Cue("de.aux_subject", _left(rf"\b(?:hat|haben)(?:\s+{_DE_ADV}){{0,2}}", DE_DESC), CLAIM,
        CONF_VERB, ROLE_SPEECH, ("de",), right=_DE_PARTICIPLE_RIGHT),
    Cue("en.verb_subject", _left(r"(?:[\"”’,]\s*)(?:said|says|reported|reports|wrote|writes|"
                                 r"noted|added|adds|explained|argued|observed|continued|"
                                 r"tweeted|reported\s+on\s+\w+day)", EN_DESC),
        CLAIM, CONF_VERB, ROLE_SPEECH, ("en",)),
)

# Weak cues are tried after the right cues ("Den Einschätzungen von Yonhap zufolge").
WEAK_LEFT_CUES: tuple[Cue, ...] = (
    # information noun + genitive without a preposition
    Cue("de.info_genitive", _left(rf"\b{_DE_CLAIM_NOUN}\s+(?:{_DE_LINK})",
                                  rf"(?:{_DE_ART}\s+)?(?:{_DE_ADJ}\s+){{0,3}}(?:{_DE_HEAD}\s+)?"
                                  rf"{_QUOTE_OPEN}"),
        CLAIM, CONF_GENITIVE, languages=("de",)),
    Cue("en.info_of", _left(r"\b(?:statement|statements|data|figures|estimates?|assessment|"
                            r"findings|documents)\s+(?:from|by|of|released\s+by)", EN_DESC),
        CLAIM, CONF_GENITIVE, languages=("en",)),
)

# A capitalised word that describes a name rather than being part of it ("Magazin Stern").
DESCRIPTOR_NOUN = re.compile(rf"{_DE_HEAD}|{_DE_INFO}|[A-Z](?:{_EN_HEAD})", re.IGNORECASE)
# Dative objects of speech verbs: "sagte dem Sender", "teilte der Zeitung mit" (feminine heads).
_FEMININE = (r"(?:[Zz]eitung|[Aa]gentur|[Zz]eitschrift|[Ww]ebsite|[Ww]ebseite|[Ii]llustrierte|"
             r"Rundschau|Presse|Post|Allgemeine|Welt|Zeit|taz|Bild|Süddeutsche|Stimme|BBC|ARD|"
             r"dpa|AFP|APA)")
DATIVE_LEFT = re.compile(r"\b(?:dem|einem)\s+(?:\w+\s+){0,3}[„\"“»«‚']?$|\b(?:der|einer)\s+"
                         rf"(?:\w+\s+){{0,2}}\w*{_FEMININE}n?\s+[„\"“»«‚']?$")
# "sagte der „Berliner Zeitung“": "der" before a feminine name is a dative.
DATIVE_BEFORE_FEMININE = re.compile(r"\b(?:der|einer)\s+[„\"“»«‚']?$")
FEMININE_NAME = re.compile(rf"{_FEMININE}$")

# --- right cues (anchored at the start of the text after the name) -------------------------------
ZUFOLGE_RIGHT = re.compile(r"^(?:-\w+)?(?:\s+(?:vom|von|am|aus|in|im)\s+[\w.]+){0,2}\s*"
                           r"(?P<cue>zufolge)\b")
COMPOUND_REPORT_RIGHT = re.compile(r"^-(?P<cue>Bericht|Meldung|Informationen|Angaben|Recherchen?"
                                   r"|Umfrage|Interview|Analyse|Reportage|Artikel)\w*")
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
                        rf"{_SUBJECT_VERB}")
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
    RightCue("de.compound_report", COMPOUND_REPORT_RIGHT, REPORT, CONF_GENITIVE),
    RightCue("en.outlet_report", EN_REPORT_RIGHT, REPORT, CONF_GENITIVE),
    RightCue("en.outlet_interview", EN_INTERVIEW_RIGHT, CLAIM, CONF_GENITIVE),
)

# Coordination carries a cue over to the next name: "laut KCNA und Yonhap", "dpa/AFP".
COORDINATION = re.compile(rf"^\s*(?:,\s*(?:und|and|or|oder|sowie)?|und|and|or|oder|sowie|"
                          rf"as\s+well\s+as|&|/)\s*{ANY_DESC}$")

# --- quotations ----------------------------------------------------------------------------------
QUOTATION = re.compile(r"„[^“”\"]{3,}[“”\"]|“[^”]{3,}”|\"[^\"]{3,}\"|»[^«]{3,}«|«[^»]{3,}»")

# --- zones: lines and spans that are not body text -----------------------------------------------
RELATED_HEADING = re.compile(
    r"^\s*(?:Lesen\s+Sie\s+(?:auch|mehr|weiter)|Mehr\s+zum\s+Thema|Mehr\s+dazu|"
    r"Auch\s+interessant|Das\s+könnte\s+(?:Sie|dich)\s+auch\s+interessieren|Ähnliche\s+"
    r"(?:Artikel|Beiträge|Themen|Nachrichten)|Weitere\s+(?:Artikel|Nachrichten|Beiträge)|"
    r"Weiterlesen|Verwandte\s+Artikel|Zum\s+Thema|Für\s+Sie\s+ausgewählt|Empfohlene\s+Artikel|"
    r"Unsere\s+Empfehlungen?|Meistgelesen|Top-Artikel|Read\s+more|Read\s+also|Read\s+next|"
    r"Also\s+read|More\s+on\s+this\s+(?:story|topic)|More\s+from|Related(?:\s+(?:articles|"
    r"stories|content|coverage|news|topics|links))?|See\s+also|You\s+(?:may|might)\s+also\s+like|"
    r"Recommended(?:\s+for\s+you)?|Most\s+(?:read|popular)|Trending)\b"
    r"(?:\s*[:\-–|]\s*(?P<rest>.*))?\s*$",
    re.IGNORECASE)
LIST_ITEM = re.compile(r"^\s*(?:[-–•*·▪►>]|\d{1,2}[.)])\s+\S")
# A related-link list ends at a line this long or one that reads like a body sentence.
MAX_RELATED_LINE = 160
TERMINAL_PUNCT = re.compile(r"[.!?][\"“”»«')]*\s*$")

_IMAGE_LABEL = (r"(?:Bildquellen?|Bild|Bilder|Fotos?|Fotograf(?:in)?|Photos?|Photograph|Images?|"
                r"Pictures?|Credits?|Bildnachweis|Bildrechte|Titelbild|Titelfoto|Symbolbild|"
                r"Symbolfoto|Illustration|Grafik|Quelle\s+Bild|Foto/Video|Image\s+source|"
                r"Photo\s+credit|Image\s+credit|Picture\s+credit|Bildmaterial)")
IMAGE_CREDIT_LINE = re.compile(rf"^\s*{_IMAGE_LABEL}\s*:\s*(?P<rest>\S.{{0,200}})$",
                               re.IGNORECASE)
# The label word of a credit is no outlet name ("Bild: KCNA via AFP" names no "Bild").
IMAGE_LABEL = re.compile(_IMAGE_LABEL)
LABEL_COLON = re.compile(r"[ \t]*:[ \t]*\S")
COPYRIGHT_LINE = re.compile(r"^\s*(?:©|\(c\)|Copyright\b)\s*(?P<rest>\S.{0,120})$", re.IGNORECASE)
WIRE_COPYRIGHT = re.compile(r"dpa-infocom|dpa-AFX|\bdpa:\d", re.IGNORECASE)
INLINE_IMAGE_CREDIT = re.compile(
    r"\((?:Fotos?|Bild|Photos?|Images?|Picture|Credit|Grafik|Illustration|Bildquelle)\s*:\s*"
    r"[^()\n]{1,100}\)|\((?:AP|AFP|EPA|Reuters|dpa|Getty)\s+(?:Photo|Images|Foto)[^()\n]{0,60}\)|"
    r"(?:(?<=[.!?)“”\"]\s)|(?<=\s[|/]\s)|^)(?:Fotos?|Photos?|Bild|Image|Credit)\s*:\s*[^\n]{1,100}$",
    re.MULTILINE)
# "... gestärkt/GettyImages und Channel 24 Collage": a credit glued to the end of a caption.
SLASH_CREDIT_TAIL = re.compile(r"(?<=[^\s\d/:])\s?/\s?(?P<tail>[^/\n]{2,80})$")
CREDIT_WORDS = re.compile(r"Collage|Kollage|Montage|Getty|IMAGO|Imago|picture\s+alliance|"
                          r"Shutterstock|Depositphotos|Unsplash|Pixabay|Foto|Photo|Screenshot|"
                          r"Archiv|Keystone|EPA|Bildmontage", re.IGNORECASE)

SOURCE_HEADING = re.compile(r"^\s*(?:Beste\s+Referenz|Weitere\s+Quellen|Quellen|Quelle|Sources?|"
                            r"Quellenangaben?|Referenzen|References|Quellenverzeichnis|"
                            r"Originalquelle|Original\s+source|Einzelnachweise)\s*:?\s*$",
                            re.IGNORECASE)
SOURCE_LINE = re.compile(r"^\s*(?:Quellen?|Sources?|Sourced\s+from|Originalquelle|Original\s+"
                         r"source|Via|Quellenangaben?)\s*:\s*(?P<rest>\S.{0,300})$",
                         re.IGNORECASE)
# Lines of a source box: short, a name or a domain each.
MAX_SOURCE_BOX_LINE = 120
MAX_SOURCE_BOX_LINES = 12

WIRE_MATERIAL = re.compile(r"\b[Mm]it\s+(?:Material|Informationen|Agenturmaterial|Inhalten)\s+"
                           r"(?:von|der|des|aus)\b[^\n.]{1,120}|^\s*(?:Text|Material|Agenturen|"
                           r"Agenturmaterial|Mit\s+Material)\s*:\s*[^\n]{1,80}$", re.MULTILINE)
WIRE_CONTRIBUTED = re.compile(r"\b(?:contributed|contributing)\s+(?:to\s+)?"
                              r"(?:this\s+)?(?:report|reporting|story|article)\b[^\n.]{0,40}"
                              r"|\b[Ww]ith\s+(?:additional\s+)?(?:reporting|material)\s+(?:by|"
                              r"from)\s+[^\n.]{1,80}")
SIGNOFF = re.compile(r"\(?(?:(?:Additional\s+)?[Rr]eporting\s+by\s+[^;\n)]{2,200};\s*)+"
                     r"(?:[Ww]riting\s+by\s+[^;\n)]{2,120};\s*)?[Ee]diting\s+by\s+[^)\n]{2,120}\)?")
SIGNOFF_OUTLET = "reuters"
# "Seoul (dpa) -", "SEOUL, Nov 3 (Reuters) -", "(AFP) -": the credit opens the paragraph.
DATELINE = re.compile(r"^(?!(?:Der|Die|Das|Den|Dem|Ein|Eine|The|A|An|Le|La|Les|Il|El)\s)"
                      r"(?:[A-ZÄÖÜ][^\n()]{0,58}?\s)?\((?P<credit>[^()\n]{1,60})\)\s*[-–—:]",
                      re.MULTILINE)
# Inside a line (run-in OCR text, several short items on one line): after a place and date
# ("Rom, 12. Oktober. (AP) Die", "NAPLES, 23 (Reuter). —", "WASHINGTON (Afp-Ap). —"), before
# a dash or the capital that opens the report.
DATELINE_INLINE = re.compile(r"(?:(?<=[.,\d»\"”—–])|(?<=[.,\d»\"”—–]\s)|(?<=[A-ZÄÖÜ]{2}\s))\s*"
                             r"\((?P<credit>[^()\n]{1,60})\)\s*\.?\s*(?=[-–—]|[A-ZÄÖÜ«»\"„])")
# "LONDRES, 12. — Reuter — Dans": a credit between dashes after the place and date.
DASH_CREDIT = re.compile(r"(?:(?<=[.,\d])|(?<=[.,\d]\s))\s*[—–]\s*"
                         r"(?P<credit>[A-Za-zÄÖÜäöüß][^()\n—–]{1,30}?)\s*\.?\s*[—–]")
# "... werden. (dpa)" or "(dpa)" on its own line: the credit closes the paragraph.
TRAILING_CREDIT = re.compile(r"(?:(?<=[.!?,\"“”»])\s*|^\s*)\((?P<credit>[^()\n]{1,60})\)\s*$",
                             re.MULTILINE)
BYLINE_LINE = re.compile(r"^\s*(?:(?:Von|By|Text|Von\s+unserem\s+\w+)\s+[^,\n]{1,50},\s*)?"
                         r"(?P<credit>[^\n]{1,60}?)\s*$")
MAX_BYLINE_LINE = 60
CREDIT_SPLIT = re.compile(r"\s*(?:/|,|;|&|\bund\b|\band\b|\bet\b|\s-\s)\s*")
# "ats-afp", "Afp-Ap": a hyphen joins credits too, when the whole is not one name ("dpa-AFX").
CREDIT_SPLIT_HYPHEN = re.compile(r"\s*(?:/|,|;|&|\bund\b|\band\b|\bet\b|-)\s*")
# "FABRICE COFFRINI/AFP": a photographer's name in capitals marks a picture credit.
PHOTOGRAPHER = re.compile(r"(?:^|/)\s*[A-ZÄÖÜ]{2,}(?:[\s-][A-ZÄÖÜ]{2,})+\s*(?:/|$)")
# A short unknown word may stand beside known agencies in a credit ("Impar.", "bélino AP").
CREDIT_EXTRA = re.compile(r"^[\wÀ-ÿ.]{1,10}(?:\s[\wÀ-ÿ.]{1,10})?$")
INITIALS = re.compile(r"^(?:[a-zäöü]{1,4}|red|Red|Redaktion|Agenturen|agencies|staff|Staff)$")

# --- sentence splitting --------------------------------------------------------------------------
SENTENCE_END = re.compile(r"[.!?…]+[\"“”»«’')\]]*(?=\s)")
ABBREVIATIONS = frozenset("""
Nr nr Dr Prof St Str Mr Mrs Ms Sen Rep Gov Gen Lt Col Sgt Capt Cmdr Adm Rev Jr Sr Inc Corp Co
Ltd No Nos vs ca bzw usw vgl etc evtl ggf inkl insb sog bspw zzgl Abs Art Bd Hrsg geb gest Mio
Mrd Tsd Min Std Univ Abg Dipl Ing Mag Fa Tel al Pres Ave Blvd Mt Ft Jan Feb Mar Apr Jun Jul Aug
Sep Sept Oct Okt Nov Dec Dez Gebr Dt dt engl franz sen jun Chr Hl hl Jh Jhd Jhs Kap Mass Md Ore
Calif Fla Ga Ill Ind Kan Ky La Mich Minn Miss Mo Mont Neb Nev Okla Pa Tenn Tex Va Vt Wash Wis
Wyo Ariz Ark Colo Conn Del Mass Ala Supt Gov Atty Lt Maj Brig Rt Hon Esq approx Vol vol Abb
""".split())
MONTHS = frozenset("""Januar Jänner Februar März April Mai Juni Juli August September Oktober
November Dezember January February March May June July October December""".split())
# Words that commonly open a sentence; after "U.S." or an ordinal they mark a real boundary.
SENTENCE_STARTERS = frozenset("""The He She It They We I In But And A An This That There His
Her Their Its As At On For If When While After Der Die Das Er Sie Es Im In Am Auch Nach Mit Bei
Zudem Dies Diese Dieser Ein Eine Doch Aber Und Wie Was Wer Als Seit Laut""".split())
