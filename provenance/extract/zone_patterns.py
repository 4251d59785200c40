"""The grammar of zones: the patterns that mark related links, source boxes, credits and datelines.

Everything here is data: compiled regular expressions, the confidence of each kind of zone, and
where the matches of the span patterns can start. The detector that applies them to plain text is
`provenance.extract.zones`; `provenance.extract.html` reads zones from page markup with the
`MARKUP_*` patterns. Add a heading ("Mehr zum Thema"), a credit label ("Foto:") or a wire
footer here; the detector and its tests pick it up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

# How sure a zone makes the citation of a name inside it.
CONF_WIRE_DATELINE = 0.98  # "Seoul (dpa) -": the strongest credit there is
CONF_WIRE_LINE = 0.9  # "dpa/AFP", "Mit Material von AFP"
CONF_WIRE_SIGNOFF = 0.7  # Reuters-style "Reporting by ...; Editing by ..." without the name
CONF_SOURCE_BOX = 0.95
CONF_IMAGE = 0.9
CONF_CREDIT_GUESS = 0.7  # an agency alone on a line mid-article: most often a photo credit
CONF_RELATED = 0.9
CONF_FURNITURE = 0.9  # author bios, share buttons, "mehr" links

# ---- lines and spans of plain text ----------------------------------------------------------
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
# (not prose that opens with the word: "Copyright law changed ...")
COPYRIGHT_LINE = re.compile(r"^\s*(?:©|\(c\)|Copyright\b(?!\s+(?-i:[a-zäöüß])))\s*"
                            r"(?P<rest>\S.{0,120})$", re.IGNORECASE)
WIRE_COPYRIGHT = re.compile(r"dpa-infocom|dpa-AFX|\bdpa:\d", re.IGNORECASE)
# A text's own copyright notice, which credits the whole text ("Copyright 2019 The Associated
# Press. All rights reserved. This material may not be published, ..."): the reservation of
# rights, which a photo credit ("© Reuters") lacks, and no photographer before a slash ("Name/
# Copyright 2024 The AP. All rights reserved" is a photo's); a capitalised name unless a year
# precedes it ("© 2024 dpa."; not "Copyright law ..."); on a line of its own, or ending a
# paragraph.
_RIGHTS_RESERVED = (r"(?-i:[Aa]ll [Rr]ights [Rr]eserved|ALL RIGHTS RESERVED|[Aa]lle [Rr]echte "
                    r"[Vv]orbehalten|ALLE RECHTE VORBEHALTEN|[Tt]ous [Dd]roits [Rr][ée]serv[ée]s|"
                    r"TOUS DROITS R[ÉE]SERV[ÉE]S|[Tt]odos [Ll]os [Dd]erechos [Rr]eservados|"
                    r"TODOS LOS DERECHOS RESERVADOS|[Tt]utti [Ii] [Dd]iritti [Rr]iservati|"
                    r"TUTTI I DIRITTI RISERVATI)")
_TEXT_COPYRIGHT = (r"\(?(?:©|\(c\)|Copyright\b)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)"
                   rf"\d\d)?,?\s+)?(?:(?<=\d\s)|(?<=\d,\s)|(?=(?-i:[A-ZÀ-Þ])))"
                   rf"(?P<rest>[^\n./]{{2,80}}?)[.,;]?\s+"
                   rf"{_RIGHTS_RESERVED}\b[^\n]{{0,240}}$")
TEXT_COPYRIGHT_LINE = re.compile(rf"^\s*{_TEXT_COPYRIGHT}", re.IGNORECASE)
TEXT_COPYRIGHT = re.compile(rf"(?:(?<=[.!?\"“”»)])[ \t]+|^[ \t]*){_TEXT_COPYRIGHT}",
                            re.IGNORECASE | re.MULTILINE)
INLINE_IMAGE_CREDIT = re.compile(
    r"\((?:Fotos?|Bild|Photos?|Images?|Picture|Credit|Grafik|Illustration|Bildquelle)\s*:\s*"
    r"[^()\n]{1,100}\)|\((?:AP|AFP|EPA|Reuters|dpa|Getty)\s+(?:Photo|Images|Foto)[^()\n]{0,60}\)|"
    r"(?:(?<=[.!?)“”\"]\s)|(?<=\s[|/]\s)|^)(?:Fotos?|Photos?|Bild|Image|Credit)\s*:\s*[^\n]{1,100}$",
    re.MULTILINE)
# "... gestärkt/GettyImages und Channel 24 Collage": a credit glued to the end of a caption.
# A parenthesised credit after a paragraph's last sentence ("... zurück. (dpa/AFP)"): the text's
# (`TRAILING_CREDIT`), not a caption's slashed tail.
CLOSING_PAREN_CREDIT = re.compile(r"[.!?,\"“”»]\s*\([^()\n]{1,60}\)\s*$")
SLASH_CREDIT_TAIL = re.compile(r"(?<=[^\s\d/:])\s?/\s?(?P<tail>[^/\n]{2,80})$")
CREDIT_WORDS = re.compile(r"Collage|Kollage|Montage|Getty|IMAGO|Imago|picture\s+alliance|"
                          r"Shutterstock|Depositphotos|Unsplash|Pixabay|Foto|Photo|Screenshot|"
                          r"stock\.adobe|Adobe\s+Stock|iStock|Alamy|Dreamstime|123RF|Fotolia|"
                          r"Archiv|Keystone|EPA|Bildmontage", re.IGNORECASE)

# Page furniture that names outlets without citing them.
# An author's bio: "Jane Doe is a bestselling author and writes for the New York Times", "Über
# die Autorin: ...". Names inside are mentions (the author's employers), never sources.
_BIO_ROLE = (r"(?:author|writer|journalist|correspondent|reporter|columnist|editor|contributor|"
             r"freelancer|commentator|novelist|podcaster|host|anchor|(?:writes|wrote|has\s+written)"
             r"\s+for|Autor(?:in)?|Journalist(?:in)?|Korrespondent(?:in)?|Redakteur(?:in)?|"
             r"Kolumnist(?:in)?|Reporter(?:in)?|Moderator(?:in)?|Publizist(?:in)?|Schriftsteller"
             r"(?:in)?|schreibt\s+(?:für|unter\s+anderem\s+für)|arbeitet\s+(?:als|für))")
BIO_LINE = re.compile(
    r"^\s*(?:(?:About\s+the\s+authors?|Über\s+(?:den|die)\s+Autor(?:in|en)?|Zur\s+Person|"
    r"Die\s+Autorin|Der\s+Autor|Author\s+bio)\s*[:\-–]?\s*\S|"
    r"(?:[A-ZÄÖÜ][\w.'’-]+\s+){1,4}(?:is|was|ist|war|has\s+been|writes|schreibt|arbeitet|"
    rf"works)\b[^\n]{{0,160}}?\b{_BIO_ROLE}\b)")
# Share buttons: "Teilen", "Share on Flipboard", "Facebook Twitter WhatsApp E-Mail".
_SHARE_WORD = (r"(?:Teilen|teilen|Share|share|Artikel\s+teilen|Beitrag\s+teilen|Jetzt\s+teilen|"
               r"Auf\s+\w+\s+teilen|Share\s+(?:this|on|via)(?:\s+(?:article|story|page))?|"
               r"Drucken|Print|E-?Mail|Mail|Facebook|Twitter|X|WhatsApp|Whatsapp|Flipboard|"
               r"LinkedIn|Xing|XING|Pinterest|Reddit|Telegram|Pocket|Threads|Bluesky|Mastodon|"
               r"Messenger|Tumblr|Link\s+kopieren|Kopieren|Copy\s+link|Tweet|Kommentare|"
               r"Comments|Merken|Save|Speichern|Vorlesen|Listen|[Vv]ia|per|auf|on|mit|with)")
SHARE_LINE = re.compile(rf"^\s*(?:{_SHARE_WORD}[\s|/·•,:»>•-]*){{1,14}}$")
SHARE_ANCHOR = re.compile(r"Teilen|teilen|Share|share|Flipboard|WhatsApp|Whatsapp|Pinterest|"
                          r"LinkedIn|Xing|XING|Telegram|Pocket|Bluesky|Mastodon")
# A "more" link: "mehr", "Mehr »", "Weiterlesen ›", "more…".
MORE_LINE = re.compile(r"^\s*(?:mehr|Mehr|weiter|Weiter|more|More|Read\s+more|Mehr\s+lesen)"
                       r"\s*[»›>…→.]*\s*$")

SOURCE_HEADING = re.compile(r"^\s*(?:Beste\s+Referenz|Weitere\s+Quellen|Quellen|Quelle|Sources?|"
                            r"Quellenangaben?|Referenzen|References|Quellenverzeichnis|"
                            r"Originalquelle|Original\s+source|Einzelnachweise)\s*:?\s*$",
                            re.IGNORECASE)
SOURCE_LINE = re.compile(r"^\s*(?:Quellen?|Sources?|Sourced\s+from|Originalquelle|Original\s+"
                         r"source|Via|Quellenangaben?|Fuentes?|Fuente\s+de\s+la\s+información|"
                         r"Fonte|Fonti)\s*:\s*(?P<rest>\S.{0,300})$",
                         re.IGNORECASE)

# The footer news aktuell (ots) puts under the press releases it distributes: the text is the
# release of the named body ("Original-Content von: Polizei Hamburg, übermittelt durch news
# aktuell"), a source line wherever it stands.
NEWS_AKTUELL = re.compile(r"\bOriginal-Content\s+von:\s*(?P<credit>[^\n,]{1,100}?),\s*"
                          r"übermittelt\s+durch\s+news\s*aktuell\b")

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
# "Berlin (AFP) Der Hafen ...": a place of one to three words and the credit, no dash.
DATELINE_BARE = re.compile(r"^(?!(?:Der|Die|Das|Den|Dem|Ein|Eine|The|A|An|Le|La|Les|Il|El)\s)"
                           r"[A-ZÄÖÜ][\w.-]+(?: [A-ZÄÖÜ][\w.-]+){0,2},? "
                           r"\((?P<credit>[^()\n]{1,30})\) (?=[A-ZÄÖÜ][a-zäöüß])", re.MULTILINE)
# Inside a line (run-in OCR text, several short items on one line): after a place and date
# ("Rom, 12. Oktober. (AP) Die", "NAPLES, 23 (Reuter). —", "WASHINGTON (Afp-Ap). —"), before
# a dash or the capital that opens the report.
DATELINE_INLINE = re.compile(r"(?:(?<=[.,\d»\"”—–])|(?<=[.,\d»\"”—–]\s)|(?<=[A-ZÄÖÜ]{2}\s))\s*"
                             r"\((?P<credit>[^()\n]{1,60})\)\s*(?:\.?\s*(?=[-–—]|[A-ZÄÖÜ«»\"„])|"
                             r",\s*(?=[-–—]))")
# An agency's credit opening a paragraph, no place, no dash: "(Belga) Un incendie a été ..."
# (agencies only, `citations.attribution`).
LEADING_CREDIT = re.compile(r"^[ \t]*\((?P<credit>[^()\n]{1,40})\)[ \t]+(?=[A-ZÀ-ÝÄÖÜ«»\"„])",
                            re.MULTILINE)
# A title run into its text with the credit between ("création d'une représentation à Genève
# (AFP).-Les firmes ...", "Recours d'Alvaro Baragiola (ATS),-Condamné ..."): the credit, a dash
# and the capital that opens the report; agencies only (`citations.attribution`).
DATELINE_DASHED = re.compile(r"(?<=\w )\((?P<credit>[^()\n]{1,40})\)\s?[.,]?\s?[-–—]{1,2}\s?"
                             r"(?=[A-ZÀ-ÝÄÖÜ«»\"„])")
# A dateline run into the line before it (a title and its text joined by extraction: "Steigt ein
#  Peking (DPA-AFX) - Die ..."; run-in items: "... gefasst. Berlin (dpa) - Die ..."): after two
# spaces or a sentence's end, a place of one to three words, the credit and a dash.
DATELINE_RUNIN = re.compile(r"(?:(?<=\S  )|(?<=[.!?] ))(?!(?:Der|Die|Das|The|Le|La|El)\s)"
                            r"[A-ZÄÖÜ][\w.-]+(?:\s?/\s?[A-ZÄÖÜ][\w.-]+)?(?: [A-ZÄÖÜ][\w.-]+){0,2}"
                            r" \((?P<credit>[^()\n]{1,30})\) ?[-–—] ")
# A dated dateline closed by a colon, as ANI writes them ("New Delhi [India], Jan 2 (ANI): The"),
# also run into a title before it.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATELINE_DATED = re.compile(rf"\b(?:{'|'.join(_MONTHS)})[a-z]{{0,6}}\.? \d{{1,2}},? "
                            r"\((?P<credit>[^()\n]{1,30})\):(?=\s+[A-Z])")
# Deutsche Welle's sign-off: the editors' initials, then the agencies the text draws on
# ("aw/mm (AP, AFP, Reuters)", "ust/kle (dpa, afp)").
INITIALS_CREDIT = re.compile(r"(?<![\w/])[a-z]{1,4}(?:/[a-z]{1,4}){1,3}\s?"
                             r"\((?P<credit>[^()\n]{1,60})\)")
INITIALS_SIGNOFF_END = re.compile(rf"{INITIALS_CREDIT.pattern}\s*$")
# An agency's short name closing a paragraph after its last sentence ("... einstellen. dpa",
# "... gefasst. dpa/lby"); only an agency counts (`citations.attribution`).
BARE_TRAILING_CREDIT = re.compile(r"[.!?\"“”»][ \t]+(?:/[ \t]?)?(?P<credit>[A-Za-z][\w-]{1,12}"
                                  r"(?:/[\w-]{1,12}){0,3})[ \t]*$", re.MULTILINE)
EDITOR_INITIALS = re.compile(r"[a-z]{1,4}")
# A text MENAFN syndicates, with the outlet it comes from: "(MENAFN - Gulf Times)".
MENAFN_CREDIT = re.compile(r"\(MENAFN\s*[-–—]\s*(?P<credit>[^()\n]{1,60}?)\s*\)")
# "LONDRES, 12. — Reuter — Dans": a credit between dashes after the place and date.
DASH_CREDIT = re.compile(r"(?:(?<=[.,\d])|(?<=[.,\d]\s))\s*[—–]\s*"
                         r"(?P<credit>[A-Za-zÄÖÜäöüß][^()\n—–]{1,30}?)\s*\.?\s*[—–]")
# "... werden. (dpa)" or "(dpa)" on its own line: the credit closes the paragraph.
TRAILING_CREDIT = re.compile(r"(?:(?<=[.!?,\"“”»])\s*|^\s*)\((?P<credit>[^()\n]{1,60})\)\s*$",
                             re.MULTILINE)
BYLINE_LINE = re.compile(r"^\s*(?:(?:Von|By|Text|Par|Von\s+unserem\s+\w+)\s+(?:[^,|·•\n]{1,50}?"
                         r"(?:\s*[,|·•–—]|\s-|\s+(?:und|and|et|mit|with))\s*)?)?"
                         r"(?P<credit>[^\n]{1,60}?)\s*$")
# A line that says it is a byline or a credit: then even a common-word name is a credit.
BYLINE_MARKER = re.compile(r"^\s*(?:Von|By|Text|Quelle|Source|Mit\s+Material)\b")
CREDIT_SPLIT = re.compile(r"\s*(?:/|,|;|&|\bund\b|\band\b|\bet\b|\s-\s)\s*")
# "ats-afp", "Afp-Ap": a hyphen joins credits too, when the whole is not one name ("dpa-AFX").
CREDIT_SPLIT_HYPHEN = re.compile(r"\s*(?:/|,|;|&|\bund\b|\band\b|\bet\b|-)\s*")
# "FABRICE COFFRINI/AFP": a photographer's name in capitals marks a picture credit.
PHOTOGRAPHER = re.compile(r"(?:^|/)\s*[A-ZÄÖÜ]{2,}(?:[\s-][A-ZÄÖÜ]{2,})+\s*(?:/|$)")
# A short unknown word may stand beside known agencies in a credit ("Impar.", "bélino AP").
CREDIT_EXTRA = re.compile(r"^[\wÀ-ÿ.]{1,10}(?:\s[\wÀ-ÿ.]{1,10})?$")
INITIALS = re.compile(r"^(?:[a-zäöü]{1,4}|red|Red|Redaktion|Agenturen|agencies|staff|Staff)$")


# Parenthesised and dashed credits: (pattern, rule, zone, confidence).
CREDIT_SPANS = ((DATELINE, "wire.paren_dateline", "dateline", CONF_WIRE_DATELINE),
                (DATELINE_BARE, "wire.paren_dateline", "dateline", CONF_WIRE_LINE),
                (DATELINE_INLINE, "wire.paren_dateline", "dateline", CONF_WIRE_LINE),
                (DATELINE_RUNIN, "wire.paren_dateline", "dateline", CONF_WIRE_LINE),
                (DATELINE_DASHED, "wire.dash_after", "dateline", CONF_WIRE_LINE),
                (LEADING_CREDIT, "wire.paren_lead", "dateline", CONF_WIRE_LINE),
                (DATELINE_DATED, "wire.paren_dateline", "dateline", CONF_WIRE_LINE),
                (MENAFN_CREDIT, "wire.syndicated", "dateline", CONF_WIRE_LINE),
                (BARE_TRAILING_CREDIT, "wire.bare_trailing", "footer", CONF_WIRE_LINE),
                (INITIALS_CREDIT, "wire.initials", "footer", CONF_WIRE_LINE),
                (DASH_CREDIT, "wire.dash_dateline", "dateline", CONF_WIRE_LINE),
                (TRAILING_CREDIT, "wire.paren_trailing", "footer", CONF_WIRE_LINE))


# ---- page markup --------------------------------------------------------------------------
# Class/id fragments that mark zones in real templates (German and English), by zone kind.
MARKUP_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("author_bio", re.compile(r"author-?(?:bio|info|box|description|about|details|profile)|"
                              r"about-?(?:the-?)?author|autor(?:en)?-?(?:info|box|bio|profil)|"
                              r"ueber-?(?:den-?)?autor|(?:^|[-_ ])bio(?:[-_ ]|$)", re.I)),
    ("share", re.compile(r"(?:^|[-_ ])(?:share|sharing|social-?(?:share|links|media|bar|"
                         r"buttons)|teilen|shariff)(?:[-_ ]|$)", re.I)),
    ("image_credit", re.compile(r"credit|copyright|bildquelle|photo-?source|quelle-?bild|"
                                r"image-?source|fotograf", re.I)),
    ("caption", re.compile(r"caption|bildunterschrift|bu-text|figure-?text", re.I)),
    ("related_links", re.compile(r"related|teaser|read-?more|lesen-?sie|mehr-?zum|"
                                 r"recommend|empfehl|weitere-?artikel|aehnliche", re.I)),
    ("byline", re.compile(r"byline|author|autor", re.I)),
    ("dateline", re.compile(r"dateline", re.I)),
    ("source_box", re.compile(r"(^|[-_ ])(source|sources|quelle|quellen)([-_ ]|$)|"
                              r"referenz", re.I)),
)
# The text of a caption that is a photo credit, of a box heading, of a source line.
MARKUP_CREDIT = re.compile(r"^\s*(Foto|Fotos|Bild|Bildquelle|Quelle Bild|Photo|Image|Credit)"
                           r"\s*:|©|\(c\)\s", re.I)
MARKUP_RELATED_HEADING = re.compile(r"^\s*(Lesen Sie auch|Mehr zum Thema|Auch interessant|"
                                    r"Ähnliche Artikel|Weitere Artikel|Read more|Related|"
                                    r"More on this story|Read also)\b", re.I)
MARKUP_SOURCE = re.compile(r"^\s*(Quelle|Quellen|Source|Sources|Beste Referenz)\s*:?", re.I)


# ---- where the span patterns can match -------------------------------------------------------
# Each span pattern begins with lookbehinds or optional spaces, which keeps `re` from skipping
# ahead to a likely start: `finditer` tries every position of the text. Every match of these
# patterns starts at a place found much faster (before a parenthesis, at a word), so
# `find_spans` tries only those places, with the same result.


def find_spans(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern of SPAN_STARTS, tried only where a match can start."""
    end = 0
    for pos in SPAN_STARTS[pattern](text):
        if pos < end:
            continue  # inside the previous match, where finditer does not look either
        m = pattern.match(text, pos)
        if m:
            yield m  # the patterns cannot match the empty string
            end = m.end()


def _occurrences(text: str, needles: Iterable[str]) -> list[int]:
    """Sorted positions of every occurrence of each needle."""
    found = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1)
    return sorted(set(found))


def _spaced(text: str, chars: Iterable[str]) -> list[int]:
    """Where `\\s*[chars]` can start: each of the characters (or strings) and the spaces right
    before it."""
    starts: list[int] = []
    for at in _occurrences(text, chars):
        first = at
        while first > 0 and text[first - 1].isspace():
            first -= 1
        starts.extend(range(max(first, starts[-1] + 1 if starts else 0), at + 1))
    return starts


# `_RIGHTS_RESERVED` in lower case: a text whose lower case holds none holds no notice.
_RESERVED_PHRASES = ("all rights reserved", "alle rechte vorbehalten", "tous droits r",
                     "todos los derechos reservados", "tutti i diritti riservati")


def _reserves_rights(text: str) -> bool:
    """Whether a text may hold a copyright notice's reservation of rights (`TEXT_COPYRIGHT`)."""
    low = text.lower()
    return any(phrase in low for phrase in _RESERVED_PHRASES)


_RUNIN_CREDIT = re.compile(r" \([^()\n]{1,30}\) ?[-–—] ")
_AFTER_GAP = re.compile(r"(?:(?<=\S  )|(?<=[.!?] ))[A-ZÄÖÜ]")
_RUNIN_PLACE_CHARS = 100  # a place of three words and a "/" is shorter


def _after_gaps(text: str) -> list[int]:
    """Where a capital follows two spaces or a sentence's end and a space, shortly before a
    parenthesis and a dash (`DATELINE_RUNIN`)."""
    starts: set[int] = set()
    for credit in _RUNIN_CREDIT.finditer(text):
        window = max(0, credit.start() - _RUNIN_PLACE_CHARS)
        starts.update(m.start() for m in _AFTER_GAP.finditer(text, window, credit.start()))
    return sorted(starts)


def _before_slashes(text: str) -> list[int]:
    """Where a run of lower-case letters before a slash starts (`INITIALS_CREDIT`)."""
    starts = set()
    for at in _occurrences(text, "/"):
        first = at
        while first > 0 and "a" <= text[first - 1] <= "z":
            first -= 1
        starts.add(first)
    return sorted(starts)


def _line_starts(text: str) -> list[int]:
    """The offset of every line."""
    return [0] + [at + 1 for at in _occurrences(text, "\n")]


# pattern -> the positions where its matches can start (a superset, sorted), from its shape.
SPAN_STARTS: dict[re.Pattern[str], Callable[[str], list[int]]] = {
    DATELINE: lambda t: _line_starts(t) if "(" in t else [],
    DATELINE_BARE: lambda t: _line_starts(t) if "(" in t else [],
    DATELINE_INLINE: lambda t: _spaced(t, "("),
    DASH_CREDIT: lambda t: _spaced(t, "—–"),
    DATELINE_RUNIN: lambda t: _after_gaps(t) if ") " in t else [],
    DATELINE_DASHED: lambda t: _occurrences(t, ("(",)),
    LEADING_CREDIT: lambda t: _line_starts(t) if "(" in t else [],
    TRAILING_CREDIT: lambda t: _spaced(t, "("),
    INLINE_IMAGE_CREDIT: lambda t: _occurrences(t, ("(", "Foto", "Photo", "Bild", "Image",
                                                    "Credit")),
    WIRE_MATERIAL: lambda t: sorted(set(_occurrences(t, ("Mit", "mit")) + _line_starts(t))),
    WIRE_CONTRIBUTED: lambda t: _occurrences(t, ("contribut", "With", "with")),
    SIGNOFF: lambda t: _occurrences(t, ("(", "Additional", "Reporting", "reporting"))
    if "diting" in t else [],
    DATELINE_DATED: lambda t: _occurrences(t, _MONTHS) if "):" in t else [],
    # the pattern opens with a set of characters, which `re` finds without trying every place
    BARE_TRAILING_CREDIT: lambda t: [m.start() for m in BARE_TRAILING_CREDIT.finditer(t)],
    INITIALS_CREDIT: lambda t: _before_slashes(t) if "(" in t else [],
    MENAFN_CREDIT: lambda t: _occurrences(t, ("(MENAFN",)),
    NEWS_AKTUELL: lambda t: _occurrences(t, ("Original-Content",)),
    TEXT_COPYRIGHT: lambda t: sorted(set(_line_starts(t)) | set(_spaced(
        t, ("(", "©", "Copyright", "copyright", "COPYRIGHT"))))
    if _reserves_rights(t) else [],
}
