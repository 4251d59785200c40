"""The Italian phrase grammar under the cue rules: descriptors, report verbs, speech verbs.

Italian attributions are mostly prepositional ("secondo l'agenzia Ansa", "secondo quanto
riferisce il Corriere", "stando a Reuters") or an inverted subject after the reported clause
("..., riporta l'agenzia di stampa Yonhap", "..., ha riferito Indian Express"); a statement
given to an outlet takes "a" and its contractions ("ha detto all'Ansa", "ha dichiarato al
Corriere della Sera", "ai microfoni di Rai News"). Everything here is data for the Italian rules
in `cues`.
"""

from __future__ import annotations

import re

from provenance.citations.phrases import QUOTE_OPEN, adjective, descriptor

# An article or determiner (also joined to a preposition), with the space after it (none after
# an elided "l'", "dell'").
_ART = (r"(?:(?:[Ii]l|[Ll]o|[Ll]a|[Ii]|[Gg]li|[Ll]e|[Uu]n|[Uu]no|[Uu]na|[Dd]el|[Dd]ello|[Dd]ella|"
        r"[Dd]ei|[Dd]egli|[Dd]elle|[Aa]l|[Aa]llo|[Aa]lla|[Aa]i|[Aa]gli|[Aa]lle|[Dd]al|[Dd]allo|"
        r"[Dd]alla|[Ss]ul|[Ss]ulla|[Nn]el|[Nn]ella)\s+|(?:[Ll]|[Uu]n|[Dd]ell|[Aa]ll|[Dd]all|"
        r"[Ss]ull|[Nn]ell)['’]\s?)")
# "della", "dell'", "del", "di": the genitive link between two nouns.
_LINK = r"(?:della\s+|dello\s+|dell['’]\s?|del\s+|dei\s+|degli\s+|delle\s+|di\s+|d['’]\s?)"
# Nouns a descriptor is built on: kinds of outlet, their journalists and their reports.
_HEAD = (r"(?:[Aa]genzi[ae]|quotidian[oi]|giornal[ei]|settimanal[ei]|mensil[ei]|rivist[ae]|"
         r"periodic[oi]|testat[ae]|emittent[ei]|ret[ei]|canal[ei]|televisione|tv|radio|sit[oi]|"
         r"portal[ei]|media|stampa|corrispondent[ei]|inviat[oa]|giornalist[ai]|cronist[ai]|"
         r"reporter|redazione|direttore|portavoce|dispacci?o?|articol[oi]|servizi?o?|reportage|"
         r"inchiest[ae]|rapport[oi]|sondaggi?o?|intervist[ae]|edizion[ei]|notizi[ae]|font[ei]|"
         r"dati|cifre|informazion[ei]|not[ae]|comunicat[oi]|programm[ai]|trasmission[ei]|tg|"
         r"telegiornale|blog|microfoni|pagine|colonne)")
_STOP = (r"(?:di|del|della|dei|il|lo|la|i|gli|le|un|uno|una|e|ed|o|che|chi|cui|dove|quando|come|"
         r"a|al|alla|in|con|per|su|tra|fra|da|dal|secondo|si|suo|sua|non|ma|più|molto|già|è|"
         r"sono|era|ha|hanno|aveva|questo|questa|oggi|ieri)")
_ADJ = adjective(_STOP, "a-zàèéìòù")
# The words between a cue and a name: "l'agenzia di stampa ", "il quotidiano britannico ".
IT_DESC = descriptor(_ART, _ADJ, _HEAD, _LINK, QUOTE_OPEN)

# A preposition (alone or joined to an article) and the descriptor after it: what a cue that ends
# in "a", "da", "di", "su" or "con" is followed by ("all'", "dal quotidiano ", "di ").
_PREP = (r"(?:(?:[Aa]|[Dd]a|[Dd]i|[Cc]on|[Ss]u|[Ii]n)\s+|(?:[Aa]l|[Aa]llo|[Aa]lla|[Aa]i|[Aa]gli|"
         r"[Aa]lle|[Dd]al|[Dd]allo|[Dd]alla|[Dd]ai|[Dd]agli|[Dd]alle|[Dd]el|[Dd]ella|[Dd]ei|"
         r"[Ss]ul|[Ss]ulla|[Nn]el|[Nn]ella)\s+|(?:[Aa]ll|[Dd]all|[Dd]ell|[Ss]ull|[Nn]ell)['’]\s?)")
IT_PDESC = rf"{_PREP}{IT_DESC}"

IT_ADV = (r"(?:oggi|ieri|(?:lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica)"
          r"(?:\s+(?:mattina|sera|pomeriggio))?|anche|inoltre|recentemente|in\s+esclusiva)")
# Report verbs: regular stems with their third-person forms, and the irregular ones.
_ARE = (r"riport|afferm|annunci|rivel|spieg|precis|sottoline|osserv|segnal|inform|pubblic|"
        r"conferm|cit|dichiar|anticip|titol|raccont|denunci|ricord|evidenzi|comunic")
IT_REPORT_VERB = (rf"(?:(?:{_ARE})(?:a|ava|ano|avano)|riferisc[eo]no|riferisce|riferiva|"
                  r"scrive|scriveva|scrivono|dice|diceva|aggiunge|diffonde|rende\s+noto|"
                  r"fa\s+sapere)")
PERFECT_IT = (rf"(?:ha|hanno|aveva|avevano)\s+(?:{IT_ADV}\s+)?(?:(?:{_ARE})ato|riferito|scritto|"
              r"detto|aggiunto|diffuso|reso\s+noto|fatto\s+sapere)")
# A report verb with its subject after it: ", riporta", "», ha riferito ieri".
IT_VERB_SUBJECT = rf"(?:[\"”»,]\s*)(?:{PERFECT_IT}|{IT_REPORT_VERB})(?:\s+{IT_ADV}){{0,2}}"
_NOT_SPOKEN = r"(?:trasferimento|cessione|vendita|passaggio|ritorno|che|chi|e|o|ma|mentre|per)"
# Speech verbs that take the outlet spoken to with "a" ("ha detto all'", "ha dichiarato al"; the
# preposition is the descriptor's, `IT_PDESC`), perhaps after the speaker's name.
_SPEECH_ARE = (r"dichiar|spieg|raccont|conferm|afferm|precis|rivel|annunci|sottoline|"
               r"ricord|assicur|confid|comunic")
IT_SPEECH_TO = (rf"(?:(?:ha|hanno|aveva|avevano)\s+(?:(?:{_SPEECH_ARE})ato|detto|riferito|"
                rf"ammesso|confidato)|(?:{_SPEECH_ARE})a|dice|riferisce)(?:\s+{IT_ADV}){{0,2}}"
                rf"(?:\s+(?!{_NOT_SPOKEN}\b)[\w.'’-]+){{0,4}}?")
# A subject-first clause: the Italian report verb after the name ("Politico osserva").
IT_VERB = (rf"(?:{PERFECT_IT}|(?:{_ARE})a\s+che|riferisce|riporta|scrive|osserva|rivela|"
           r"annuncia|pubblica|titola|fa\s+sapere|rende\s+noto)\b")
IT_VERB_ONLY = re.compile(rf"^{IT_VERB}")
