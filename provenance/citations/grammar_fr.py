"""The French phrase grammar under the cue rules: descriptors, report verbs, speech verbs.

French attributions are mostly prepositional ("selon l'AFP", "d'après le correspondant de
Reuter") or an inverted subject after the reported clause ("..., a indiqué l'agence Belga",
"..., rapporte Le Monde"); a statement given to an outlet takes "à" ("a déclaré à l'AFP",
"a confié au Figaro", "dans un entretien accordé au Parisien"). Adjectives mostly follow their
noun ("l'agence officielle nord-coréenne KCNA", "le quotidien britannique The Guardian"), and
the articles elide before a vowel ("l'agence", "d'Associated Press"). Everything here is data for
the French rules in `cues`.
"""

from __future__ import annotations

import re

from provenance.citations.phrases import adjective, descriptor

# An article or determiner, with the space after it (none after an elided "l'", "d'").
_ART = (r"(?:(?:[Ll]es|[Ll]a|[Ll]e|[Uu]ne?|[Dd]es|[Dd]u|[Ss]on|[Ss]a|[Ss]es|[Ll]eurs?|[Cc]e|"
        r"[Cc]ette|[Cc]es|[Nn]os|[Nn]otre|[Vv]os)\s+|[Ll]['’]\s?)")
# "de la", "de l'", "du", "des", "de", "d'": the genitive link between two nouns.
_LINK = r"(?:de\s+la\s+|de\s+l['’]\s?|du\s+|des\s+|de\s+|d['’]\s?)"
# Nouns a descriptor is built on: kinds of outlet, their journalists and their reports.
_HEAD = (r"(?:[Aa]gences?|journal|journaux|quotidiens?|hebdomadaires?|mensuels?|magazines?|"
         r"revues?|cha[iî]nes?|t[ée]l[ée]visions?|t[ée]l[ée]|radios?|stations?|sites?|"
         r"m[ée]dias?|presse|organes?|confr[eè]res?|cons[oœ]urs?|correspondante?s?|"
         r"envoy[ée]e?s?\s+sp[ée]ciale?s?|journalistes?|reporters?|r[ée]dactions?|"
         r"r[ée]dacteurs?(?:\s+en\s+chef)?|[ée]ditorialistes?|chroniqueu(?:r|se)s?|"
         r"porte-parole|d[ée]p[eê]ches?|articles?|reportages?|enqu[eê]tes?|[ée]ditoriaux|"
         r"[ée]ditorial|tribunes?|chroniques?|[ée]ditions?|[ée]missions?|bulletins?|"
         r"informations?|r[ée]v[ée]lations?|sources?|chiffres|donn[ée]es|estimations?|"
         r"sondages?|interviews?|entretiens?|colonnes|pages|compte|service|bureau|antenne|"
         r"version|t[ée]l[ée]grammes?|nouvelles?|communiqu[ée]s?|r[ée]seau|groupe|"
         r"plateforme|newsletter|podcast|blog|fil|(?:radio)?diffuseurs?|titres?)")
# Words that end a descriptor: a source phrase never runs across these.
_STOP = (r"(?:de|du|des|d|la|le|les|l|un|une|et|ou|ni|mais|car|donc|or|qui|que|qu|quoi|dont|"
         r"où|a|à|au|aux|as|ai|est|sont|était|été|être|avait|avaient|ont|aurait|sera|pour|"
         r"par|sur|sous|dans|avec|sans|en|entre|selon|vers|chez|contre|depuis|pendant|après|"
         r"avant|ne|n|se|s|il|elle|ils|elles|on|y|son|sa|ses|leur|leurs|ce|cet|cette|ces|lors|"
         r"si|pas|plus|moins|très|aussi|déjà|encore|toujours|jamais|tout|tous|toute|toutes|"
         r"déclaré|indiqué|affirmé|annoncé|rapporté|écrit|dit|cité|citant)")
# Adjectives after (or before) a noun: "officielle", "nord-coréenne", "britannique".
_ADJ = adjective(_STOP, "a-zàâçéèêëîïôûùüÿœ", elided_tail=True)
# An opening quotation mark, French ones with their space ("« Le Monde »"), or the parenthesis
# around an acronym after the name it stands for.
QUOTE_OPEN_FR = r"(?:[«“\"(„]\s?)?"
# The words between a cue and a name: "l'agence de presse officielle ", "le correspondant de ",
# "une dépêche de l'", "nos confrères du ", "le quotidien britannique ", "".
FR_DESC = descriptor(_ART, _ADJ, _HEAD, _LINK, QUOTE_OPEN_FR)

# Times and adverbs that may stand between a verb and its subject ("a indiqué mardi l'AFP").
FR_ADV = (r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?:\s+(?:matin|soir|"
          r"après-midi))?|hier(?:\s+soir)?|ce\s+(?:matin|soir)|aujourd['’]hui|également|aussi|"
          r"encore|notamment|déjà|pour\s+sa\s+part|de\s+son\s+côté|récemment)")
# A pronoun a French inversion puts after the verb ("a-t-il déclaré", "confie-t-elle").
_INVERTED = r"(?:-t-(?:il|elle|on)|-(?:il|elle|ils|elles|on))?"
_AUX = rf"(?:(?:a|avait|ont|avaient|aurait|auraient){_INVERTED}\s+)"
# Report verbs: present, imperfect and past participle ("rapporte", "rapportait", "rapporté").
_REPORT_STEMS = (r"rapport|indiqu|annon[cç]|affirm|r[ée]v[ée]l|pr[ée]cis|soulign|rel[eè]v|"
                 r"signal|assur|expliqu|ajout|estim|d[ée]clar|confirm|not|observ|constat|racont|"
                 r"comment|titr|publi|cit|mand|t[ée]l[ée]graphi|d[ée]voil|[ée]voqu|poursuiv|"
                 r"martel|d[ée]menti?|conclu|diffus")
FR_REPORT_VERB = (rf"(?:(?:{_REPORT_STEMS})(?:e|ent|ait|aient|é|ée|és|ées){_INVERTED}|"
                  r"[ée]cri(?:t|vait|vent|vaient)|di(?:t|sait)|poursuit|conclut|d[ée]ment|"
                  r"croit\s+savoir|fai(?:t|sait)\s+état|apprend|appris)")
# A report verb with its subject after it: ", a indiqué", "», rapporte", ", écrivait mardi".
FR_VERB_SUBJECT = (rf"(?:[\"”»,]\s*)(?:{_AUX})?{FR_REPORT_VERB}(?:\s+{FR_ADV}){{0,2}}")
# Words after which "à" is a destination, not the outlet spoken to ("a annoncé son transfert au
# Figaro": a journalist's move), or that close the clause.
_NOT_SPOKEN = (r"(?:transferts?|départ|arrivée|passage|retour|vente|cession|rachat|offre|don|"
               r"mutation|nomination|candidature|adhésion|soutien|que|qu|qui|dont|et|ou|mais|"
               r"de|du|des|pour|par|sur|dans|avec|en)")
# Speech verbs that take the outlet spoken to with "à": "a déclaré à", "confie au", "a-t-il
# expliqué mardi aux".
_SPEECH_STEMS = (r"d[ée]clar|indiqu|confi|affirm|expliqu|pr[ée]cis|assur|racont|annon[cç]|"
                 r"confirm|soulign|estim|r[ée]v[ée]l|r[ée]pond|d[ée]menti?|martel|insist|signal|"
                 r"d[ée]taill|avou|gliss|lan[cç]|rappel|ajout|reconn|certifi|l[âa]ch|t[ée]moign|"
                 r"parl|d[ée]plor|regrett")
FR_SPEECH_TO = (rf"(?:{_AUX})?(?:(?:{_SPEECH_STEMS})(?:e|ent|ait|aient|é|ée|és|ées|is|it|u|ue|"
                rf"us){_INVERTED}|di(?:t|sait|sent){_INVERTED})(?:\s+{FR_ADV}){{0,2}}"
                rf"(?:\s+(?!{_NOT_SPOKEN}\b)[\w.'’-]+){{0,4}}?\s+(?:à|au|aux)")
# A subject-first clause: the French report verb after the name ("L'AFP rapporte que").
FR_VERB = (rf"(?:(?:a|avait|ont|avaient)\s+(?:{FR_ADV}\s+)?(?:{_REPORT_STEMS})(?:é|ée|és|ées)|"
           rf"(?:{_REPORT_STEMS})(?:e|ent|ait|aient)|[ée]cri(?:t|vait|vent)|croit\s+savoir|"
           r"fai(?:t|sait)\s+état|a\s+appris|d[ée]ment)\b")
# Tells a French verb from an English or German one, to name the rule by language.
FR_VERB_ONLY = re.compile(rf"^{FR_VERB}")
