"""The Spanish phrase grammar under the cue rules: descriptors, report verbs, speech verbs.

Spanish attributions are mostly prepositional ("según la agencia EFE", "según informó el
diario El País", "de acuerdo con Reuters") or an inverted subject after the reported clause
("..., informó la agencia EFE", "..., recoge BBC"); a statement given to an outlet takes "a"
("dijo a CNN", "han informado a Europa Press fuentes del 112", "en declaraciones a la cadena
SER"). Adjectives mostly follow their noun ("el diario estadounidense The New York Times").
Everything here is data for the Spanish rules in `cues`.
"""

from __future__ import annotations

import re

from provenance.citations.phrases import QUOTE_OPEN, adjective, descriptor

# An article or determiner, with the space after it.
_ART = r"(?:(?:[Ee]l|[Ll]a|[Ll]os|[Ll]as|[Uu]n|[Uu]na|[Uu]nos|[Uu]nas|[Ss]us?|[Dd]el|[Aa]l)\s+)"
# "de la", "de los", "del", "de": the genitive link between two nouns.
_LINK = r"(?:de\s+la\s+|de\s+los\s+|de\s+las\s+|del\s+|de\s+)"
# Nouns a descriptor is built on: kinds of outlet, their journalists and their reports.
_HEAD = (r"(?:[Aa]gencias?|diarios?|peri[óo]dicos?|rotativos?|semanarios?|revistas?|cadenas?|"
         r"canal(?:es)?|televisi[óo]n|televisoras?|emisoras?|radios?|radiodifusoras?|sitios?|"
         r"portal(?:es)?|medios?|prensa|corresponsal(?:es)?|enviad[oa]s?\s+especial(?:es)?|"
         r"periodistas?|reporter[oa]s?|redacci[óo]n|redactor(?:es)?|columnistas?|"
         r"portavoz|vocer[oa]s?|despachos?|cables?|notas?|art[íi]culos?|reportajes?|"
         r"informes?|investigaci[óo]n|encuestas?|sondeos?|entrevistas?|edici[óo]n|versi[óo]n|"
         r"publicaci[óo]n|noticieros?|programas?|fuentes?|datos|cifras|informaci[óo]n(?:es)?|"
         r"cuenta|servicio|bolet[íi]n|comunicado|estaci[óo]n|grupo|plataforma|web|blog|"
         r"cabecera|noticias|tabloide|matutino|vespertino)")
# Words that end a descriptor: a source phrase never runs across these.
_STOP = (r"(?:de|del|la|el|los|las|lo|un|una|unos|unas|y|o|e|u|ni|que|quien|quienes|cual|"
         r"donde|cuando|como|a|al|en|con|por|para|sin|sobre|entre|seg[úu]n|se|su|sus|le|les|"
         r"no|pero|m[áa]s|muy|ya|es|son|fue|era|ha|han|hab[íi]a|este|esta|estos|estas|ese|esa|"
         r"dijo|inform[óo]|public[óo]|hoy|ayer)")
_ADJ = adjective(_STOP, "a-záéíóúñü")
# The words between a cue and a name: "la agencia oficial china ", "el diario uruguayo «",
# "una nota del ", "fuentes de ", "".
ES_DESC = descriptor(_ART, _ADJ, _HEAD, _LINK, QUOTE_OPEN)

# Times and adverbs between a verb and its subject ("informó este martes la agencia EFE").
ES_ADV = (r"(?:(?:este|el)\s+(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"
          r"(?:\s+por\s+la\s+(?:mañana|tarde|noche))?|hoy|ayer|anoche|tambi[ée]n|adem[áa]s|"
          r"recientemente|previamente|en\s+exclusiva|a\s+su\s+vez)")
# Report verbs: regular stems with their third-person forms, and the irregular ones.
_AR = (r"inform|public|report|indic|señal|revel|detall|precis|explic|asegur|afirm|agreg|destac|"
       r"apunt|adelant|cit|consign|reseñ|confirm|anunci|subray|divulg|relat|coment|manifest|"
       r"declar|denunci|alert|estim|calcul|document|filtr")
_ER = r"recog|difund|transmit|a[ñn]ad|escrib"
ES_REPORT_VERB = (rf"(?:(?:{_AR})(?:ó|a|aba|an|aron|aban)|(?:{_ER})(?:ió|e|ía|en|ieron|ían)|"
                  r"dijo|dice|dec[íi]a|dijeron|sostuvo|sostiene|advirti[óo]|advierte)")
PERFECT_ES = (rf"(?:ha|han|hab[íi]a|hab[íi]an)\s+(?:{ES_ADV}\s+)?(?:(?:{_AR})ado|(?:{_ER})ido|"
            r"dicho|escrito|sostenido|advertido)")
# A report verb with its subject after it: ", informó", "», publica", ", ha revelado hoy".
ES_VERB_SUBJECT = (rf"(?:[\"”»,]\s*)(?:{PERFECT_ES}|{ES_REPORT_VERB})(?:\s+{ES_ADV}){{0,2}}")
# Words after which "a" is a destination or an object, not the outlet spoken to.
_NOT_SPOKEN = (r"(?:traspaso|fichaje|salida|llegada|venta|regreso|apoyo|que|quien|quienes|y|o|"
               r"pero|mientras|cuando|porque|para)")
# Speech verbs that take the outlet spoken to with "a": "dijo a", "declaró al", "han
# informado a", "contó este martes a", "explicó la ministra a".
_SPEECH_AR = (r"declar|explic|asegur|afirm|cont|confirm|indic|señal|coment|relat|manifest|"
              r"precis|detall|confes|revel|inform|adelant|asever|insist|admit|reconoc|respond")
ES_SPEECH_TO = (rf"(?:(?:ha|han|hab[íi]a|hab[íi]an)\s+(?:{_SPEECH_AR})(?:ado|ido)|"
                rf"(?:{_SPEECH_AR})(?:ó|ió|a|e|aron|ieron)|dijo|dijeron|dice|ha\s+dicho)"
                rf"(?:\s+{ES_ADV}){{0,2}}(?:\s+(?!{_NOT_SPOKEN}\b)[\w.'’-]+){{0,4}}?\s+(?:a|al)")
# A subject-first clause: the Spanish report verb after the name ("Infobae informó").
ES_VERB = (rf"(?:{PERFECT_ES}|(?:{_AR})(?:ó|aron)|(?:{_ER})(?:ió|ieron)|(?:{_AR})a\s+que|dijo|"
           r"dijeron|publica|recoge)\b")
# Tells a Spanish verb from the others, to name the rule by language.
ES_VERB_ONLY = re.compile(rf"^{ES_VERB}")
