"""Outlet discovery: outlets an article cites that the registry does not know.

A name becomes a discovered outlet only from evidence in the text itself:

* a media descriptor right before a capitalised name or a quoted title: "the Brazilian
  newspaper O Estado de S. Paulo", "the Swiss broadcaster SRF", "das Nachrichtenportal
  t-online", "the news site The Insider", "die Zeitung „Nordkurier“";
* a run of capitalised words that ends in a media word: "the Lesotho Times", "den Kieler
  Nachrichten", or such a name in quotes: "laut der 'Neuen Zürcher Zeitung'"; or a run of two
  or three that a leading media word opens: "the Daily Maverick".

The kind of the outlet comes from the descriptor (newspaper, broadcaster, ...), its country
from a nationality adjective before it ("Brazilian", "schweizerische"). `find_discovered` only
proposes names; the caller (`attribution`) keeps one only when a citation cue reads it as a
source, so "the newspaper Le Monde" as the subject of the news stays out. Each discovered outlet
has the id ``discovered:<slug>`` and ``origin="discovered"``; `discovered_outlets` gives the
outlets behind a list of citations, for the scan to store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from provenance.citations.prefilter import (
    Literals,
    alternation_literals,
    ascending,
    is_word_char,
    matches_at,
    matches_near,
    token_starts_before,
)
from provenance.records import Citation, Outlet

DISCOVERED_PREFIX = "discovered:"

# --- nationality adjectives ----------------------------------------------------------------------
# country code: English adjectives, German adjective stems (they take -e, -en, -er, -es, -em).
_NATIONALITIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AR": (("Argentine", "Argentinian"), ("argentinisch",)),
    "AT": (("Austrian",), ("österreichisch",)),
    "AU": (("Australian",), ("australisch",)),
    "BE": (("Belgian",), ("belgisch",)),
    "BR": (("Brazilian",), ("brasilianisch",)),
    "BY": (("Belarusian",), ("belarussisch", "weißrussisch")),
    "CA": (("Canadian",), ("kanadisch",)),
    "CH": (("Swiss",), ("schweizerisch", "Schweizer")),
    "CL": (("Chilean",), ("chilenisch",)),
    "CN": (("Chinese",), ("chinesisch",)),
    "CO": (("Colombian",), ("kolumbianisch",)),
    "CZ": (("Czech",), ("tschechisch",)),
    "DE": (("German",), ("deutsch",)),
    "DK": (("Danish",), ("dänisch",)),
    "EG": (("Egyptian",), ("ägyptisch",)),
    "ES": (("Spanish",), ("spanisch",)),
    "FI": (("Finnish",), ("finnisch",)),
    "FR": (("French",), ("französisch",)),
    "GB": (("British", "English", "Scottish", "Welsh"), ("britisch", "englisch", "schottisch")),
    "GR": (("Greek",), ("griechisch",)),
    "HK": (("Hong Kong",), ("Hongkonger",)),
    "HU": (("Hungarian",), ("ungarisch",)),
    "ID": (("Indonesian",), ("indonesisch",)),
    "IE": (("Irish",), ("irisch",)),
    "IL": (("Israeli",), ("israelisch",)),
    "IN": (("Indian",), ("indisch",)),
    "IQ": (("Iraqi",), ("irakisch",)),
    "IR": (("Iranian",), ("iranisch",)),
    "IT": (("Italian",), ("italienisch",)),
    "JP": (("Japanese",), ("japanisch",)),
    "KE": (("Kenyan",), ("kenianisch",)),
    "KP": (("North Korean",), ("nordkoreanisch",)),
    "KR": (("South Korean", "Korean"), ("südkoreanisch",)),
    "LB": (("Lebanese",), ("libanesisch",)),
    "LU": (("Luxembourgish",), ("luxemburgisch",)),
    "MX": (("Mexican",), ("mexikanisch",)),
    "NG": (("Nigerian",), ("nigerianisch",)),
    "NL": (("Dutch",), ("niederländisch", "holländisch")),
    "NO": (("Norwegian",), ("norwegisch",)),
    "NZ": (("New Zealand",), ("neuseeländisch",)),
    "PE": (("Peruvian",), ("peruanisch",)),
    "PH": (("Philippine", "Filipino"), ("philippinisch",)),
    "PK": (("Pakistani",), ("pakistanisch",)),
    "PL": (("Polish",), ("polnisch",)),
    "PT": (("Portuguese",), ("portugiesisch",)),
    "QA": (("Qatari",), ("katarisch",)),
    "RO": (("Romanian",), ("rumänisch",)),
    "RS": (("Serbian",), ("serbisch",)),
    "RU": (("Russian",), ("russisch",)),
    "SA": (("Saudi",), ("saudisch", "saudi-arabisch")),
    "SE": (("Swedish",), ("schwedisch",)),
    "SK": (("Slovak",), ("slowakisch",)),
    "SY": (("Syrian",), ("syrisch",)),
    "TH": (("Thai",), ("thailändisch",)),
    "TR": (("Turkish",), ("türkisch",)),
    "TW": (("Taiwanese",), ("taiwanisch",)),
    "UA": (("Ukrainian",), ("ukrainisch",)),
    "US": (("American", "U.S.", "US"), ("amerikanisch", "US-amerikanisch")),
    "VE": (("Venezuelan",), ("venezolanisch",)),
    "VN": (("Vietnamese",), ("vietnamesisch",)),
    "ZA": (("South African",), ("südafrikanisch",)),
}
_COUNTRY_OF: dict[str, str] = {}
for _code, (_english, _german) in _NATIONALITIES.items():
    _COUNTRY_OF.update({a.lower(): _code for a in _english})
    _COUNTRY_OF.update({g.lower(): _code for g in _german})
_GERMAN_ENDING = re.compile(r"(?:e|en|er|es|em)$")
# "US-Sender", "Schweizer Zeitung": a country prefix compounded onto the descriptor.
_PREFIX_COUNTRY = {"us": "US", "uk": "GB", "eu": None}

# --- descriptors ---------------------------------------------------------------------------------
_EN_HEAD = (r"(?:news\s+agency|press\s+agency|wire\s+service|news\s+service|newspaper|"
            r"newsmagazine|news\s+magazine|magazine|tabloid|broadsheet|daily|weekly|paper|"
            r"public\s+broadcaster|broadcaster|(?:TV|television|news|cable|radio)\s+"
            r"(?:channel|station|network)|radio\s+station|news\s+(?:site|website|portal|"
            r"outlet|platform)|media\s+outlet|online\s+(?:outlet|publication|magazine|"
            r"newspaper)|website|outlet|publication|fact[- ]checking\s+(?:site|website|"
            r"organi[sz]ation|service|platform|outlet)|fact[- ]checker)")
_DE_HEAD = (r"(?:(?:Nachrichten|Presse|Staats|Bild)agentur|"
            r"[A-ZÄÖÜ][\w-]*?[Zz]eitung|Zeitung|(?!Fach)[A-Z][\w-]*?[Zz]eitschrift|Zeitschrift|"
            r"(?:Boulevard|Wochen|Wirtschafts|Fach|Lokal|Revolver|Partei|Sonntags|Skandal)?[Bb]latt"
            r"(?:es|s)?|(?!Absender|Versender)[A-ZÄÖÜ][\w-]*?[Ss]ender[sn]?|Sender[sn]?|"
            r"[A-ZÄÖÜ][\w-]*?[Mm]agazin(?:s|es|e)?|Magazin(?:s|es|e)?|Illustrierten?|"
            r"[A-ZÄÖÜ][\w-]*?[Pp]ortal(?:s|es|e)?|Portal(?:s|es)?|Nachrichten(?:seite|website|plattform)|"
            r"(?:Staats|Privat)?[Ff]ernsehen|Rundfunk|Recherche(?:zentrum|netzwerk))")
_MOD = r"(?:[A-Z][a-z]+(?:-[A-Za-z]+)?|U\.S\.|[a-zäöüß]+(?:-[a-zäöüß]+)*)"
# The head noun is found first; the modifiers are read back from it (a pattern that starts with
# optional modifiers would be tried at every position of the text).
_HEAD = re.compile(rf"(?<![\w-])(?P<head>{_EN_HEAD}|{_DE_HEAD})[ \t\xa0]+(?=\S)")
# A descriptor alone is no name ("Online-Zeitung", "Digitale Zeitung").
_HEAD_ONLY = re.compile(rf"{_EN_HEAD}|{_DE_HEAD}")
# A person named before a media word: "journalist Alex Press", "Mr. Post".
_PERSON_BEFORE = re.compile(
    r"(?:journalist|reporter|writer|columnist|author|editor|correspondent|anchor|host|Mr\.|Ms\.|"
    r"Mrs\.|Dr\.|Journalist(?:in)?|Reporter(?:in)?|Autor(?:in)?|Kolumnist(?:in)?|"
    r"Redakteur(?:in)?|Korrespondent(?:in)?|Moderator(?:in)?|Herr|Frau)\s+$")
_MODS_BEFORE = re.compile(rf"(?<![\w-])(?:{_MOD}\s+){{1,3}}$")
_MODS_WINDOW = 80
# A bare descriptor that needs a nationality or a media qualifier to mean an outlet.
_WEAK_HEAD = re.compile(r"^(?:paper|daily|weekly|outlet|publication|website|Portal\w*|Sender\w*|"
                        r"Blatt\w*)$")

# --- names ---------------------------------------------------------------------------------------
_CONNECTORS = frozenset("de do da dos das di del della la le les el al of the and & für und von "
                        "van der den y e am im on in".split())
_TOKEN = re.compile(r"[A-ZÄÖÜ0-9][\w'’&.+-]*|[a-zäöü][\w]*(?:[-.][\w]+)+|[a-zäöü]+")
_QUOTED = re.compile(r"[„\"“«»‚'‘]([^„\"“”«»‚'‘’\n]{2,60}?)[“”\"«»‘'’](?!\w)")
# Capitalised words that never start an outlet's name after a descriptor.
_NOT_A_NAME = frozenset("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Montag Dienstag Mittwoch Donnerstag Freitag
Samstag Sonntag Januar Februar März Juni Juli Oktober Dezember In On At It He She They We I This
That These Those According After Before While Last Earlier Later Mr Ms Mrs Dr But And Or As When
If Its His Her Their Am Im Der Die Das Den Dem Des Ein Eine Einer Einem Er Sie Es Wie Laut Nach
Auch Und Oder Aber Mit Von Vom Zum Zur Bei Beim Seit Ihre Seine Sein Ihr Als Dass So Also Then
Now Today Yesterday Tuesday's Heute Gestern Zuvor Bereits Jetzt Nun Dabei
""".split())
# Last words of an outlet's name without a descriptor ("Lesotho Times", "Kieler Nachrichten").
_MEDIA_WORD = re.compile(
    r"^(?:Times|Post|News|Herald|Tribune|Gazette|Chronicle|Observer|Telegraph|Courier|"
    r"Mail|Express|Star|Record|Monitor|Bulletin|Examiner|Inquirer|Enquirer|Dispatch|Register|"
    r"Sentinel|Independent|Mirror|Globe|Echo|Press|Advertiser|Insider|Reporter|Daily|Weekly|"
    r"Zeitung|Allgemeinen?|Rundschau|Anzeiger|Kurier|Nachrichten|Tagblatt|Tageblatt|Presse|"
    r"Morgenpost|Abendblatt|Abendzeitung|Volksstimme|Stimme|Boten?|Merkur|Generalanzeiger|"
    r"Wochenblatt|Volksblatt|Tagespost|Landeszeitung|Kreiszeitung|Volkszeitung)$")
# Media words that also lead an outlet's name ("Daily Maverick", "Weekly Standard").
_LEADING_MEDIA_WORD = re.compile(r"^(?:Daily|Weekly)$")
_MAX_TOKENS = 6
_CAPITAL_RUN = re.compile(r"(?<![\w'’.-])(?:[A-ZÄÖÜ][\w'’.-]*\s){0,4}[A-ZÄÖÜ][\w-]*[a-zäöüß]\b")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_CUE_THEN_TITLE = re.compile(
    r"\b(?:[Ll]aut|[Gg]egenüber|[Bb]ei|[Bb]eim|[Zz]ufolge)\s+"
    r"(?:(?:der|dem|den|des|die|das)\s+)?[„\"“«»‚'‘](?P<title>[^„\"“”«»‚'‘’\n]{2,40}?)"
    r"[“”\"«»‘'’](?!\w)")
# A news site named by its domain: "laut bildblog.de" (public bodies' domains are left out).
_DOMAIN = re.compile(r"(?<![\w.@/-])[a-z0-9][a-z0-9-]{1,40}\.(?:de|at|ch|com|net|info|eu|fr|it|"
                     r"es|nl|co\.uk|news|tv|fm|ru|ua|pl)(?![\w.-])")
_SLUG = re.compile(r"[^a-z0-9]+")
# Where the patterns above can match (`prefilter`): every descriptor holds one of these pieces
# of words, with this case, in its first two words (so it starts where that word or the one
# before starts); every media-word name ends in a media word; every domain in a domain ending.
_HEAD_KEY = re.compile(r"agen|servi|paper|agazin|tabloid|broadsheet|daily|weekly|broadcaster|"
                       r"channel|station|network|site|ortal|outlet|platform|publication|fact|"
                       r"eitung|eitschrift|latt|ender|llustrierte|Nachrichten|ernsehen|"
                       r"Rundfunk|Recherche")
_MEDIA_WORD_ANYWHERE = re.compile(_MEDIA_WORD.pattern[1:-1])
# A cue word, where a cue before a quoted title (`_CUE_THEN_TITLE`) can start.
_TITLE_CUES = ("Laut", "laut", "Gegenüber", "gegenüber", "Bei", "bei", "Zufolge", "zufolge")
# The words of the three patterns above, found in one pass.
_LITERALS = Literals({"head": alternation_literals(_HEAD_KEY.pattern),
                      "media": alternation_literals(_MEDIA_WORD_ANYWHERE.pattern),
                      "cue": _TITLE_CUES})
_DOMAIN_END = re.compile(r"\.(?:de|at|ch|com|net|info|eu|fr|it|es|nl|co\.uk|news|tv|fm|ru|ua|pl)"
                         r"(?![\w.-])")
_RUN_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ")
_DOMAIN_LABEL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_MAX_LABEL = 41  # the longest name before the dot that `_DOMAIN` takes
_LEADING_ARTICLE = re.compile(r"^(?:the|die|der|das|den|dem|des)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Discovered:
    """A name the text presents as an outlet's, with the outlet it makes."""

    start: int
    end: int
    name: str
    outlet: Outlet


def discovered_id(name: str) -> str:
    """The id of a discovered outlet: ``discovered:`` and a slug of its name."""
    bare = _LEADING_ARTICLE.sub("", name.strip())
    folded = bare.lower()
    if folded.isascii():  # no accent to strip (the common case: a character at a time is slow)
        ascii_name = folded
    else:
        folded = unicodedata.normalize("NFKD", folded)
        ascii_name = "".join(c for c in folded if not unicodedata.combining(c)).replace("ß", "ss")
    return DISCOVERED_PREFIX + (_SLUG.sub("-", ascii_name).strip("-") or "outlet")


def is_discovered(outlet_id: str | None) -> bool:
    """Whether an outlet id names a discovered outlet."""
    return bool(outlet_id) and outlet_id.startswith(DISCOVERED_PREFIX)


def find_discovered(text: str) -> list[Discovered]:
    """Names `text` presents as outlets' (descriptor + name, or a media-word name), by start."""
    found: dict[int, Discovered] = {}
    heads: list[tuple[int, int]] = []
    words = _LITERALS.find(text)
    for m in _heads(text, words["head"]):
        before = _MODS_BEFORE.search(text, max(0, m.start() - _MODS_WINDOW), m.start())
        head, mods = m.group("head"), before.group().split() if before else []
        span = _name_after(text, m.end())
        if span is None:
            continue
        country = _country(mods, head)
        if _WEAK_HEAD.match(head) and country is None and not any(
                w.lower() in ("news", "online", "daily", "weekly", "national", "regional",
                              "local", "state", "public", "private", "independent") for w in mods):
            continue
        start, end = span
        heads.append((m.start(), m.end()))  # the descriptor of a name is not a name itself
        name = text[start:end]
        outlet = Outlet(id=discovered_id(name), name=name, kind=_kind(head), country=country,
                        origin="discovered")
        found.setdefault(start, Discovered(start, end, name, outlet))
    for spans, kind in ((_media_word_names(text, words["media"]), _media_kind),
                        (_quoted_or_domain_names(text, words["cue"]), _domain_kind)):
        for start, end in spans:
            if not any(d.start <= start < d.end or start <= d.start < end
                       for d in found.values()) and not any(
                    s < end and start < e for s, e in heads) and not _HEAD_ONLY.fullmatch(
                    text[start:end]) and not _PERSON_BEFORE.search(text, max(0, start - 20),
                                                                   start):
                name = text[start:end]
                outlet = Outlet(id=discovered_id(name), name=name, kind=kind(name),
                                origin="discovered")
                found[start] = Discovered(start, end, name, outlet)
    return [found[k] for k in sorted(found)]


def discovered_outlets(citations: Iterable[Citation]) -> list[Outlet]:
    """The discovered outlets behind `citations`, each once, read again from their sentences."""
    wanted = {c.outlet_id: c for c in citations if is_discovered(c.outlet_id)}
    outlets: dict[str, Outlet] = {}
    for outlet_id, citation in wanted.items():
        at = citation.start - citation.sentence_start
        for d in find_discovered(citation.sentence):
            if d.outlet.id == outlet_id and (d.start == at or outlet_id not in outlets):
                outlets[outlet_id] = d.outlet
        outlets.setdefault(outlet_id, Outlet(id=outlet_id, name=citation.source_name,
                                             origin="discovered"))
    return [outlets[k] for k in sorted(outlets)]


def _name_after(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the capitalised name or quoted title at `pos`, or None."""
    quoted = _QUOTED.match(text, pos)
    if quoted:
        inner = quoted.group(1).strip()
        if inner and len(inner.split()) <= _MAX_TOKENS:
            start = quoted.start(1) + quoted.group(1).index(inner)
            return start, start + len(inner)
        return None
    tokens: list[re.Match[str]] = []
    at = pos
    while len(tokens) < _MAX_TOKENS:
        m = _TOKEN.match(text, at)
        if m is None:
            break
        word = m.group()
        if not tokens and (word in _NOT_A_NAME or (word == "The" and not _capital_next(text,
                                                                                       m.end()))):
            return None
        if word[0].islower() and "-" not in word and "." not in word and (
                word not in _CONNECTORS or not tokens):
            break
        tokens.append(m)
        gap = re.match(r" (?=\S)", text[m.end():m.end() + 2])
        if gap is None:
            break
        at = m.end() + 1
    while tokens and (tokens[-1].group() in _CONNECTORS or tokens[-1].group() in _NOT_A_NAME):
        tokens.pop()
    if not tokens:
        return None
    start, end = tokens[0].start(), tokens[-1].end()
    last = tokens[-1].group()
    if last.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", last):
        end -= 1  # the full stop ends the sentence, not the name
    return (start, end) if end > start else None


def _capital_next(text: str, end: int) -> bool:
    """Whether a capitalised word follows `end` after one space ("The Insider")."""
    return text[end:end + 1] == " " and text[end + 1:end + 2].isupper()


def _media_word_names(text: str, media: list[int]) -> Iterable[tuple[int, int]]:
    """Runs of two to five capitalised words whose last is a media word ("Lesotho Times"), and
    hyphenated ones ("Weser-Kurier"); a run stops at a full stop ("17. April. Die Gazette").
    `media`: where a media word occurs (`_LITERALS`)."""
    anchors = (h.start() for h in matches_at(_MEDIA_WORD_ANYWHERE, text, media))
    for m in matches_near(_CAPITAL_RUN, text, anchors, _run_breaks):
        if text[m.end():m.end() + 2].strip()[:1].isupper():
            continue  # the run goes on: "Post Office", "Times Square"
        words = m.group().split()
        for i, word in enumerate(words[:-1]):
            if word.endswith(".") and not _INITIALS.fullmatch(word):
                words = words[i + 1:]  # a sentence ends inside the run
                break
        while words and words[0] in _NOT_A_NAME | {"The", "A", "An"}:
            words = words[1:]
        last = words[-1].rsplit("-", 1)[-1] if words else ""
        # "the Daily Haymaker", "the Weekly Standard": the media word leads
        led = (2 <= len(words) <= 3 and _LEADING_MEDIA_WORD.match(words[0]) is not None
               and not _MEDIA_WORD.match(last))
        if not led and (not _MEDIA_WORD.match(last) or _MEDIA_WORD.match(words[0]) or (
                len(words) < 2 and "-" not in words[0])):
            continue
        yield m.end() - len(" ".join(words)), m.end()


def _quoted_or_domain_names(text: str, cues: list[int]) -> Iterable[tuple[int, int]]:
    """A quoted title or a domain right after a citation preposition ("laut „Capital“",
    "bei „Capital“ erschienen", "laut bildblog.de"): the cue rules decide whether it is cited.
    `cues`: where a cue word occurs (`_LITERALS`), where every title's cue starts."""
    for m in matches_at(_CUE_THEN_TITLE, text, cues):
        inner = m.group("title").strip()
        if inner and (inner[:1].isupper() or inner[:1].isdigit()):
            start = m.start("title") + m.group("title").index(inner)
            yield start, start + len(inner)
    for m in matches_at(_DOMAIN, text, _domain_starts(text)):
        yield m.start(), m.end()


def _heads(text: str, keys: list[int]) -> Iterable[re.Match[str]]:
    """The matches of `_HEAD` in `text`, tried only around the words a descriptor holds
    (`keys`: where the pieces of `_HEAD_KEY` occur)."""
    return matches_at(_HEAD, text, ascending(token_starts_before(text, k, 2) for k in keys))


def _run_breaks(text: str, i: int) -> bool:
    """Whether no run of capitalised words (`_CAPITAL_RUN`) can hold or start at `text[i]`: a
    character that is neither white space nor part of a word, or a space before no capital."""
    char = text[i]
    if char.isspace():
        return i + 1 == len(text) or text[i + 1] not in _RUN_CAPITALS
    return not (is_word_char(char) or char in "'’.-")


def _domain_starts(text: str) -> Iterable[int]:
    """Where a domain (`_DOMAIN`) can start: the start of the name before each domain ending."""
    for end in _DOMAIN_END.finditer(text):
        dot = end.start()
        start = dot
        while start > 0 and dot - start <= _MAX_LABEL and text[start - 1] in _DOMAIN_LABEL:
            start -= 1
        if dot - start <= _MAX_LABEL:
            yield start


def _country(mods: list[str], head: str) -> str | None:
    """The country a nationality adjective among the modifiers (or a prefix) names."""
    for i, word in enumerate(mods):
        pair = f"{word} {mods[i + 1]}".lower() if i + 1 < len(mods) else ""
        for key in (pair, word.lower(), _GERMAN_ENDING.sub("", word.lower())):
            if key and key in _COUNTRY_OF:
                return _COUNTRY_OF[key]
        if word.lower() == "schweizer":
            return "CH"
    prefix = head.split("-", 1)[0].lower() if "-" in head else ""
    return _PREFIX_COUNTRY.get(prefix)


def _kind(head: str) -> str:
    """The outlet kind a descriptor names."""
    low = head.lower()
    if "fact" in low or "faktencheck" in low:
        return "fact_checker"
    if "agen" in low or "wire" in low or "news service" in low:
        return "news_agency"
    if any(w in low for w in ("zeitung", "newspaper", "daily", "tabloid", "paper", "blatt",
                              "broadsheet")):
        return "newspaper"
    if any(w in low for w in ("magazin", "zeitschrift", "illustrierte", "weekly")):
        return "magazine"
    if any(w in low for w in ("sender", "broadcaster", "channel", "station", "network", "radio",
                              "tv", "television", "fernsehen", "rundfunk")):
        return "broadcaster"
    return "online"


def _media_kind(name: str) -> str:
    """The kind a media word in a name suggests ("Kieler Nachrichten": a newspaper)."""
    last = name.split()[-1].rsplit("-", 1)[-1]
    return "magazine" if last in ("Weekly",) else "online" if last == "Insider" else "newspaper"


def _domain_kind(name: str) -> str | None:
    """A site named by its domain is an online outlet; a quoted title says nothing."""
    return "online" if _DOMAIN.fullmatch(name) else None
