"""The phrase grammar under the cue rules: descriptors, report verbs, subjects, quotations.

Regular-expression building blocks (German and English) that the cue rules in `cues` combine:
the descriptor phrases that may stand between a cue and a name ("laut der offiziellen
Nachrichtenagentur ", "according to the "), report and speech verbs, and the shapes of a clause
whose subject is the name ("KCNA gab bekannt", "Reuters reported"). Everything here is data.
"""

from __future__ import annotations

import re

from provenance.citations.grammar_es import ES_DESC, ES_VERB
from provenance.citations.grammar_fr import FR_DESC, FR_VERB
from provenance.citations.grammar_it import IT_DESC, IT_VERB

# --- descriptor phrases between a cue and a source name ------------------------------------------
DE_ART = r"(?:[Dd](?:er|ie|as|en|em|es)|[Ee]in(?:e|er|em|es|en)?)"
# Compounds on a media noun: "Staatsagentur", "Staatssender", "Parteizeitung", "TV-Sender",
# "Staatsmedien", "US-Nachrichtenagentur", so that every descriptor works with every cue.
_DE_MEDIA_TAIL = (r"(?:agentur|zeitung|zeitschrift|sender|blatt|magazin|fernsehen|rundfunk|"
                  r"kanal|portal|medium|medien|organ)")
_DE_MEDIA_COMPOUND = (rf"(?:[A-ZÄÖÜ0-9]\w*-)?(?:[A-ZÄÖÜ][a-zäöüß]+{_DE_MEDIA_TAIL}|"
                      r"Agentur|Zeitung|Zeitschrift|Sender|Blatt|Magazin|Fernsehen|Rundfunk|"
                      r"Kanal|Portal|Medium|Medien|Organ)")
# Attributive adjectives: lowercase, inflected ("offiziellen", "US-amerikanischen"). Pronouns
# and verbs with the same endings are excluded so that a clause never passes as a descriptor.
DE_ADJ = (r"(?!(?:und|oder|aber|haben|hatte|hatten|werden|wurde|wurden|sollen|können|wollen|"
           r"sich|seine[nrms]?|ihre[nrms]?|diese[nrms]?|jene[nrms]?|welche[nrms]?|eine[nrms]?|"
           r"unter|über|wieder|immer|sagte|meldete|berichtete|schrieb|erklärte|gegenüber|"
           r"hinter|außer|später|früher|weiter|sicher|lieber|eher|ferner|daher|bisher|vorher|"
           r"seither|gegen|wegen|zwischen|neben|binnen|oben|unten|innen|außen|morgen|gestern|"
           r"heute|jedoch|allerdings|bereits|ebenfalls|dabei|zuvor|zudem|deshalb|trotzdem)\b)"
           r"(?:[A-ZÄÖÜ]{2,}-)?[a-zäöüß][a-zäöüß-]*(?:e|en|er|es|em)")
# A place adjective before a name ("der Düsseldorfer „Rheinischen Post“", "den Kieler ...").
_DE_PLACE_ADJ = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?er"
# Head nouns of a descriptor: kinds of outlet and body, roles of people speaking for them.
DE_HEAD = (r"(?:Nachrichtenagentur|Presseagentur|Presse-Agentur|Agentur|Nachrichtendienst|"
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
DE_INFO = (r"(?:Angaben|Informationen|Berichte|Berichten|Bericht|Berichts|Berichtes|Meldung|"
            r"Meldungen|Darstellung|Darstellungen|Einschätzung|Einschätzungen|Recherche|"
            r"Recherchen|Erkenntnisse|Erkenntnissen|Schätzung|Schätzungen|Analyse|Analysen|"
            r"Zahlen|Daten|Aussage|Aussagen|Artikel|Artikeln|Interview|Mitteilung|Mitteilungen|"
            r"Pressemitteilung|Erklärung|Erklärungen|Reportage|Kommentar|Beitrag|Umfrage|"
            r"Umfragen|Studie|Studien|Quellen|Berechnungen|Auswertung|Auswertungen|Unterlagen|"
            r"Dokumenten|Lagebericht|Lageberichten|Lagebild|Worten|Angabe|Zitaten|Veröffentlichung|"
            r"Eilmeldung|Eilmeldungen|Agenturmeldung|Agenturmeldungen|Exklusivmeldung|Test|Tests|"
            r"Testbericht|Ranking)")
# Nouns that carry a source's claims even without a preposition ("Aussagen des Weißen Hauses");
# "Bericht der BBC" alone is as often the subject of the news as a reference to it.
DE_CLAIM_NOUN = (r"(?:Angaben|Informationen|Aussagen?|Einschätzungen?|Erkenntnissen?|"
                  r"Schätzungen?|Daten|Zahlen|Darstellung|Mitteilung|Erklärung|Worten|"
                  r"Recherchen)")
DE_LINK = (r"(?:von\s+(?:der|den|dem)|aus\s+(?:der|dem)|in\s+(?:der|dem)|bei\s+(?:der|dem)|"
            r"der|des|von|vom|im|beim|bei)")
_DE_NOUN = rf"(?:{DE_INFO}|{DE_HEAD})"
QUOTE_OPEN = r"[„\"“»«‚']?"
DE_DESC = (rf"(?:{DE_ART}\s+|{_DE_GENITIVE}\s+(?=(?:{DE_ADJ}\s+){{0,2}}{DE_HEAD}\s))?"
           rf"(?:{DE_ADJ}\s+){{0,3}}"
           rf"(?:{_DE_NOUN}\s+(?:{DE_LINK}\s+)?(?:{DE_ART}\s+)?(?:{DE_ADJ}\s+){{0,3}})?"
           rf"(?:{_DE_PLACE_ADJ}\s+)?(?:{DE_HEAD}\s+)?{QUOTE_OPEN}")

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
           rf"(?:{_EN_HEAD}\s+)?{QUOTE_OPEN}")
ANY_DESC = rf"(?:{DE_DESC}|{EN_DESC})"

# --- report and speech verbs ---------------------------------------------------------------------
# German finite verbs with the source as subject ("KCNA gab bekannt", "Yonhap berichtete").
DE_VERB = (r"(?:berichtet(?:e|en)?|meldet(?:e|en)?|vermeldete|schrieb(?:en)?|schreibt|"
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
                 r"bekräftigt(?:e|en)?|unterstrich(?:en)?|wertete(?:n)?|"
                 r"(?:zeigte|zeigten|strahlte|strahlten)\s+(?:\w+\s+){0,3}?(?:Bilder|Aufnahmen|"
                 r"Videos?|Fotos|Szenen))\b")
# An outlet's coverage in the perfect ("hatte im September kritisiert") and its footage ("zeigte
# Bilder von Verletzten").
_DE_EVAL_PARTICIPLE = (r"(?:kritisiert|gelobt|gefeiert|bezeichnet|genannt|gewürdigt|"
                       r"verurteilt)\b")
# Perfect participles after an inverted auxiliary: "hatte der Sender NHK berichtet".
DE_PARTICIPLE = (r"(?:berichtet|gemeldet|vermeldet|geschrieben|mitgeteilt|erklärt|gesagt|"
                  r"bekanntgegeben|bekannt\s+gegeben|veröffentlicht|enthüllt|verbreitet|"
                  r"erfahren|behauptet|bestätigt|getitelt|gewarnt|betont)\b")
# Subordinate clauses end in the verb: "wie vienna.at berichtete", "wie tagesschau.de feststellte".
DE_VERB_FINAL = (r"(?:berichtet(?:e|en)?|gemeldet|meldet(?:e|en)?|vermeldete|schrieb(?:en)?|"
                  r"schreibt|feststellte|festgestellt|mitteilte|mitgeteilt|bekanntgab|"
                  r"bekannt\s+gab|bekanntgegeben|verbreitete|verbreitet|zitierte|zitiert|"
                  r"enthüllte|enthüllt|erfuhr|erfahren|hat|hatte|titelte|sagte|erklärte|"
                  r"veröffentlichte|veröffentlicht|recherchierte|recherchiert|aufdeckte|"
                  r"analysierte|schätzte|schätzt|darstellte|beschrieb|meldeten|berichteten|"
                  r"sprach|sprachen|spricht|vermutet|vermutete|bezifferte|beziffert)\b")
EN_VERB = (r"(?:reported|reports|report|said|says|say|wrote|writes|announced|announces|"
            r"revealed|reveals|disclosed|quoted|quotes|cited|cites|claimed|claims|stated|"
            r"states|noted|notes|added|adds|confirmed|confirms|published|publishes|broadcast|"
            r"aired|learned|learnt|obtained|tweeted|posted|estimated|estimates|described|"
            r"describes|called|calls|warned|warns|accused|denied|insisted|projected|projects|"
            r"argued|argues|explained|explains|suggested|suggests|indicated|acknowledged|"
            r"predicted|predicts|observed|commented|concluded|concludes|exposed|uncovered|"
            r"pointed\s+out|points\s+out|characterized|characterizes|asked|asks|outlined|"
            r"outlines|informed|informs|understands|found\s+that|finds\s+that|compiled|tallied|"
            r"first\s+reported|is\s+reporting|was\s+reporting|"
            r"(?:has|had|have)\s+(?:also\s+|previously\s+|since\s+|now\s+)?(?:reported|said|"
            r"learned|confirmed|obtained|published|revealed|released))\b")
EN_ADV = (r"(?:also|earlier|previously|first|later|separately|originally|late|now|recently|even|"
           r"subsequently|initially|then|on\s+\w+day)")
DE_ADV = (r"(?:am\s+\w+|heute|gestern|zuvor|zuerst|bereits|jetzt|nun|auch|ebenfalls|dazu|"
           r"dagegen|hingegen|jedoch|indes|allerdings|wiederum|dabei|zunächst|zuletzt|"
           r"inzwischen|mittlerweile|ebenso|zum\s+Beispiel|etwa|beispielsweise|derweil|"
           r"weiter|außerdem|damals|kürzlich|später|zudem|noch)")

# The source is the subject when it opens a clause (after optional descriptors).
_CLAUSE_START = (r"(?:^|[,;:(–—]\s*|(?:''|[\"“”«»’])\s+|\b(?:und|and|but|aber|doch|denn|sondern|"
                 r"while|whereas|that|dass|daß|weil|because|when|wenn|ob|whether|nachdem|"
                 r"after|since|though|although|obwohl|so|yet|et|mais|car|que|qu['’]|tandis\s+que|"
                 r"alors\s+que|lorsque|puisque|y|pero|mientras|aunque|porque|ma|mentre|perché|"
                 r"poiché)\s+)")
PROPER_NAME = r"(?:[A-ZÄÖÜ][\w'’.-]+\s+){1,3}"
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
              rf"(?:{_EN_HEAD}\s+)?{QUOTE_OPEN}|{FR_DESC}|{ES_DESC}|{IT_DESC})")
# "Auch der Sender ...", "Selbst die Wochenzeitschrift ...": a focus particle before the subject.
_FOCUS = r"(?:(?:Auch|auch|Selbst|selbst|Sogar|sogar|Even|even|Also)\s+)?"
SUBJECT_LEFT = re.compile(
    rf"{_CLAUSE_START}{_FOCUS}(?:{PROPER_NAME}(?:(?:von|vom|bei|beim|of|from|for|with|at|de|du)"
    r"\s+|d['’]))?"
    rf"{_SUBJ_DESC}$")
# After the name: an optional closing quote, possessive and reporter name, then the verb,
# directly, after an apposition ("KCNA, die staatliche Agentur, meldete") or after a genitive
# tail that closes an apposition opened on the left ("..., ein Vertreter der HUR des
# Verteidigungsministeriums, gab bekannt").
SUBJECT_VERB = (rf"\s*(?:(?:{EN_ADV}|{DE_ADV})\s+){{0,2}}"
                 rf"(?P<cue>{DE_VERB}|{EN_VERB}|{FR_VERB}|{ES_VERB}|{IT_VERB}|told|tells)")
_SUBJECT_TAIL = (r"^[“”\"«»']?(?:(?:['’]s?)?\s+(?:[A-Z][\w'’-]+\s+){1,3}|"
                 r"\s+(?:[a-z][a-z-]*\s+){0,2}(?:newspaper|paper|daily|network|channel|"
                 r"news\s+agency|agency|news\s+service|website|magazine|broadcaster|tabloid|"
                 r"television|outlet))?"
                 r"(?:\s*,\s*[^,;:]{1,90},)?")
SUBJECT_RIGHT = re.compile(rf"{_SUBJECT_TAIL}{SUBJECT_VERB}")
SUBJECT_EVAL_RIGHT = re.compile(rf"{_SUBJECT_TAIL}\s*(?:(?:{DE_ADV})\s+){{0,2}}"
                                rf"(?P<cue>{_DE_EVAL_VERB}|(?:hat|hatte|haben|hatten)\b"
                                rf"[^,.;:]{{0,50}}?\b{_DE_EVAL_PARTICIPLE})")
APPOSITION_LEFT = re.compile(rf",\s*(?:{DE_ART}\s+|{_EN_ART}\s+)?(?:{DE_ADJ}\s+){{0,2}}"
                             rf"(?:{DE_HEAD}|{_EN_HEAD})\s+(?:{DE_LINK}|of|at|from)\s+"
                             rf"{ANY_DESC}$")
APPOSITION_RIGHT = re.compile(rf"^[“”\"«»']?(?:\s+(?:des|der|von|vom|of)\s+[^,.;:]{{1,60}}?)?"
                              rf"\s*,{SUBJECT_VERB}")
# Tells an English verb from a German one, to name the rule by language.
EN_VERB_ONLY = re.compile(rf"^{EN_VERB}")

# A capitalised word that describes a name rather than being part of it ("Magazin Stern").
DESCRIPTOR_NOUN = re.compile(rf"{DE_HEAD}|{DE_INFO}|[A-Z](?:{_EN_HEAD})", re.IGNORECASE)
# Dative objects of speech verbs: "sagte dem Sender", "teilte der Zeitung mit" (feminine heads).
_FEMININE = (r"(?:[Zz]eitung|[Aa]gentur|[Zz]eitschrift|[Ww]ebsite|[Ww]ebseite|[Ii]llustrierte|"
             r"Rundschau|Presse|Post|Allgemeine|Welt|Zeit|taz|Bild|Süddeutsche|Stimme|BBC|ARD|"
             r"dpa|AFP|APA)")
DATIVE_LEFT = re.compile(r"\b(?:dem|einem)\s+(?:\w+\s+){0,3}[„\"“»«‚']?$|\b(?:der|einer)\s+"
                         rf"(?:\w+\s+){{0,2}}\w*{_FEMININE}n?\s+[„\"“»«‚']?$")
# "sagte der „Berliner Zeitung“": "der" before a feminine name is a dative.
DATIVE_BEFORE_FEMININE = re.compile(rf"\b(?:der|einer)\s+(?:{_DE_PLACE_ADJ}\s+)?[„\"“»«‚']?$")
FEMININE_NAME = re.compile(rf"{_FEMININE}$")

# A statement given to an outlet in German: the outlet as dative object ("sagte der Minister
# der dpa", "wie er dem Spiegel sagte") or as the venue ("sagte Scholz bei RTL") of a speech verb
# in the same clause.
DE_SPEECH_VERB = re.compile(
    r"\b(?:sagte|sagten|sagt|gesagt|erklärte|erklärten|erklärt|bestätigte|bestätigt|betonte|"
    r"betont|versicherte|versichert|verriet|verraten|erzählte|erzählt|kündigte|angekündigt|"
    r"räumte|eingeräumt|schilderte|geschildert|meinte|warnte|gewarnt|kritisierte|kritisiert|"
    r"bekräftigte|bekräftigt|mitteilte|teilte|mitgeteilt|äußerte|geäußert|sprach|"
    r"gestand|dementierte|bestritt|zeigte\s+sich)\b")
DATIVE_OBJECT = re.compile(rf"(?:^|(?<=\s))(?P<cue>dem|einem|der|einer|den)\s+"
                           rf"(?:(?!(?:dem|einem|der|einer|den)\s)(?:{DE_ADJ}|{_DE_PLACE_ADJ})\s+){{0,2}}"
                           rf"(?:{DE_HEAD}\s+)?{QUOTE_OPEN}$")
# Names in the plural, which "den" makes a dative ("sagte er den Stuttgarter Nachrichten").
PLURAL_NAME = re.compile(r"(?:Nachrichten|Neuesten|Tagesthemen|Informationen)$")
DATIVE_BEFORE_PLURAL = re.compile(rf"\bden\s+(?:{_DE_PLACE_ADJ}\s+)?[„\"“»«‚']?$")
VENUE_OBJECT = re.compile(rf"(?:^|(?<=\s))(?P<cue>[Bb]ei|[Bb]eim|[Ii]m|[Ii]n\s+der)\s+"
                          rf"(?:{DE_ART}\s+)?(?:{DE_ADJ}\s+){{0,2}}"
                          rf"(?:(?:{DE_HEAD}|Sendung|Talkshow|Talk-Show|Show|Talkrunde)\s+)?"
                          rf"{QUOTE_OPEN}$")
# A word before "dem"/"der" that makes it no dative object of the verb: a preposition governs it
# ("aus dem Spiegel"), a role noun makes "der" a genitive ("der Sprecher der dpa").
NOT_DATIVE_BEFORE = re.compile(
    r"(?:\b(?:aus|mit|von|nach|bei|zu|seit|in|an|auf|unter|vor|über|hinter|neben|zwischen|"
    r"gegenüber|entgegen|gemäß|laut|samt|außer|dank|trotz|wegen|während|statt|für|durch|um|"
    r"ohne|gegen)|(?:Sprecher|Sprecherin|Chef|Chefin|Chefredakteur|Chefredakteurin|Redakteur|"
    r"Redakteurin|Korrespondent|Korrespondentin|Reporter|Reporterin|Journalist|Journalistin|"
    r"Intendant|Intendantin|Leiter|Leiterin|Direktor|Direktorin|Moderator|Moderatorin|"
    r"Herausgeber|Herausgeberin|Mitarbeiter|Mitarbeiterin|Kolumnist|Kolumnistin|Autor|"
    r"Autorin|Eigentümer|Gründer|Besitzer|Verleger|Vorsitzende|Vorsitzender)\w{0,2})\s+$")
FEMININE_DATIVE_HEAD = re.compile(rf"\w*{_FEMININE}n?\s+{QUOTE_OPEN}$")

# Coordination carries a cue over to the next name: "laut KCNA und Yonhap", "dpa/AFP".
COORDINATION = re.compile(rf"^\s*(?:(?:,\s*(?:und|and|or|oder|sowie)?|und|and|or|oder|sowie|"
                          rf"as\s+well\s+as|&|/)\s*{ANY_DESC}|(?:,\s*)?(?:et|ou)\s+{FR_DESC}|"
                          rf"(?:,\s*)?(?:y|e|o)\s+(?:{ES_DESC}|{IT_DESC}))$")

# --- quotations ----------------------------------------------------------------------------------
QUOTATION = re.compile(r"„[^“”\"]{3,}[“”\"]|“[^”]{3,}”|\"[^\"]{3,}\"|»[^«]{3,}«|«[^»]{3,}»")
