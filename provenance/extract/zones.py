"""The zone detector: the parts of a plain text that are not body prose, and what they credit.

One detector serves both stages that need zones. Extraction (`extract_plain`) reports the zones
of a plain text as `records.Zone`s; citation extraction completes the same reading with the
outlet registry and reads every name inside a zone as the zone says (a name in an image credit
is no citation, a name in a source box is). It finds

- whole lines: related-links lists ("Lesen Sie auch" and the list below), source boxes
  ("Quellen:" and a name per line, or "Quelle: dpa"), image credits ("Foto: ...", "© ...",
  "caption/Getty"), and lines that name only agencies ("dpa/AFP": a byline at the edges of the
  text, a photo credit elsewhere);
- spans inside lines: datelines ("Seoul (dpa) -"), closing credits ("... werden. (dpa)"), inline
  photo credits ("(Foto: AP)"), wire footers ("Mit Material von AFP", "Reporting by ...").

Rules that must know whether a word is an outlet ("dpa/AFP", "(afp)") need `outlets`. So the
detector reads a text in two steps: `read_layout` applies every rule that needs no registry, once,
and keeps the lines the registry may still make a zone (`OpenLine`); `Layout.regions(outlets)`
adds the outlet-aware rules to that reading. Extraction (no registry) reports `Layout.zones()`
and passes the layout on (`Extracted.layout`), so citation extraction does not read the text
again. The patterns are in `zone_patterns`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from provenance import config
from provenance.extract import zone_patterns as P
from provenance.records import Outlet, Zone

IMAGE, WIRE, BOX, RELATED = "image_credit", "wire_credit", "source_box", "related_links"
# Furniture zones, and the kind of the names inside an author's bio.
BIO, SHARE, MENTION = "author_bio", "share", "mention"
# Lines of a text: (start, end, line).
Lines = list[tuple[int, int, str]]


class _Mention(Protocol):
    @property
    def end(self) -> int: ...

    @property
    def outlet_id(self) -> str: ...


class OutletLookup(Protocol):
    """What the detector asks of the outlet registry (`provenance.citations.Registry`)."""

    def get(self, outlet_id: str) -> Outlet | None:
        """The outlet with this id, or None."""

    def by_name(self, text: str) -> Outlet | None:
        """The outlet with exactly this name (alias, acronym or domain), or None."""

    def find_mentions(self, text: str) -> Sequence[_Mention]:
        """Every outlet name in `text`, sorted by start."""


@dataclass(frozen=True)
class Credit:
    """An outlet named by a credit in a way a name matcher cannot see ("afp" in "(ats-afp)")."""

    start: int
    end: int
    name: str
    outlet_id: str


@dataclass(frozen=True)
class Region:
    """A span that is not body prose, and how a name inside it is cited.

    `kind` is the citation kind of every name inside (`image_credit`, `wire_credit`,
    `source_box`, `related_links`, `mention` for an author's bio), or None: "classify the name
    by the cue grammar, and label it with the zone". `rule` names the rule that found the
    region, as in `Citation.rule`.
    """

    start: int
    end: int
    kind: str | None
    zone: str  # the zone kind (records.Zone.kind)
    rule: str
    cue: str | None
    confidence: float
    outlets_only: bool = False  # only outlet names count inside (a ministry in a credit does not)
    credits: tuple[Credit, ...] = ()

    def as_zone(self, text: str) -> Zone:
        """The region as the zone record of extraction."""
        return Zone(self.zone, text[self.start:self.end], self.start, self.end, self.rule)


@dataclass(frozen=True)
class OpenLine:
    """A line only the registry can settle: a short line may be an agency credit ("dpa/AFP"), a
    slash tail without a credit word may name an outlet ("... Kim/KCNA").

    `found` is the line's zone without the registry (a caption tail with a credit word) or the
    one an outlet name in `tail` would make.
    """

    start: int
    end: int
    line: str
    edge: bool  # among the first or last filled lines of the text, where a credit is a byline
    credit: tuple[str, int] | None  # what a byline would credit, and where it starts
    found: Region | None
    tail: str | None  # the slash tail `found` needs an outlet name in (None: it needs none)

    def read(self, outlets: OutletLookup | None) -> Region | None:
        """The line's zone: the outlet-aware rules first, then `found` when it holds."""
        if outlets is None:
            return self.found if self.tail is None else None
        credits = credit_of(*self.credit, outlets) if self.credit else None
        if credits and not P.BYLINE_MARKER.match(self.line) and all(
                _common_word(c, outlets) for c in credits):
            credits = None  # "Bild", "Panorama" alone on a line: a label or a menu, no credit
        if credits and self.edge:
            return Region(self.start, self.end, WIRE, "byline", "wire.byline", self.line.strip(),
                          P.CONF_WIRE_LINE, outlets_only=True, credits=credits)
        if credits:  # an agency alone on a line mid-article credits the photo above it
            return Region(self.start, self.end, IMAGE, IMAGE, "image.credit_line",
                          self.line.strip(), P.CONF_CREDIT_GUESS, outlets_only=True,
                          credits=credits)
        if self.tail is None or outlets.find_mentions(self.tail):
            return self.found
        return None


@dataclass(frozen=True)
class Layout:
    """The detector's reading of one text without the registry, to be completed with it.

    `lines` are the whole-line zones in text order, with the lines the registry may make a zone
    (`OpenLine`) in their place; `spans` are the zones inside lines that need no registry.
    """

    text: str
    lines: tuple[Region | OpenLine, ...]
    spans: tuple[Region, ...]

    def zones(self) -> tuple[Zone, ...]:
        """The zones that show without an outlet registry, each once, by position."""
        zones: dict[tuple[str, int, int], Zone] = {}
        for region in self.regions():
            zones.setdefault((region.zone, region.start, region.end), region.as_zone(self.text))
        return tuple(sorted(zones.values(), key=lambda z: (z.start, z.end)))

    def regions(self, outlets: OutletLookup | None = None) -> list[Region]:
        """Every zone: whole lines first, then spans inside lines (the first that holds a name
        decides how it is read); with `outlets`, the outlet-aware rules too."""
        regions: list[Region] = []
        for entry in self.lines:
            region = entry.read(outlets) if isinstance(entry, OpenLine) else entry
            if region is not None:
                regions.append(region)
        if outlets is None:
            return regions + list(self.spans)
        return (regions + _credit_spans(self.text, outlets) + list(self.spans)
                + _signoff_spans(self.text, outlets))


def read_layout(text: str) -> Layout:
    """Apply every rule that needs no outlet registry to `text`, once."""
    return Layout(text, tuple(_line_entries(text)), tuple(_free_spans(text)))


def find_zones(text: str) -> tuple[Zone, ...]:
    """The zones of a plain text that show without an outlet registry, each once, by position."""
    return read_layout(text).zones()


def find_regions(text: str, outlets: OutletLookup | None = None) -> list[Region]:
    """Every zone of `text`: whole lines first, then spans inside lines (the first that holds a
    name decides how it is read)."""
    return read_layout(text).regions(outlets)


# ---- whole lines ----------------------------------------------------------------------------


def _lines(text: str) -> Lines:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _line_entries(text: str) -> list[Region | OpenLine]:
    """Zones made of whole lines (related-link lists, source boxes, credit lines), and the lines
    only the registry can settle."""
    entries: list[Region | OpenLine] = []
    lines = _lines(text)
    filled = [n for n, (_, _, line) in enumerate(lines) if line.strip()]
    edges = set(filled[:config.BYLINE_HEAD_LINES] + filled[-config.BYLINE_TAIL_LINES:])
    i = 0
    while i < len(lines):
        start, end, line = lines[i]
        i += 1
        if not line.strip():
            continue
        related = P.RELATED_HEADING.match(line)
        if related and len(line) <= config.MAX_RELATED_LINE:
            cue = line.strip().split(":")[0].strip()
            if not (related.group("rest") or "").strip():
                i, end = _related_block(lines, i, end)
            entries.append(Region(start, end, RELATED, RELATED, "zone.related_links", cue,
                                  P.CONF_RELATED))
        elif P.SOURCE_HEADING.match(line):
            i, box = _source_box(lines, i, start, line)
            entries += box
        else:
            entry = _read_line(start, end, line, i - 1 in edges)
            if entry is not None:
                entries.append(entry)
    return entries


def _related_block(lines: Lines, i: int, end: int) -> tuple[int, int]:
    """Extend a related-links heading over the list that follows it."""
    items = 0
    while i < len(lines):
        _, line_end, line = lines[i]
        if not line.strip():
            if items:
                break
            i += 1  # one blank line may separate the heading from its list
            continue
        if P.LIST_ITEM.match(line) or (len(line) <= config.MAX_RELATED_LINE
                                       and not P.TERMINAL_PUNCT.search(line)):
            end, items, i = line_end, items + 1, i + 1
            continue
        break
    return i, end


def _source_box(lines: Lines, i: int, start: int, heading: str) -> tuple[int, list[Region]]:
    """A "Quellen" heading and the short lines below it (none: no box); the next line to read."""
    j, box_end = i, start
    while (j < len(lines) and j - i < config.MAX_SOURCE_BOX_LINES and lines[j][2].strip()
           and len(lines[j][2]) <= config.MAX_SOURCE_BOX_LINE
           and not P.RELATED_HEADING.match(lines[j][2])):
        box_end = lines[j][1]
        j += 1
    if j == i:
        return j, []
    return j, [Region(start, box_end, BOX, BOX, "box.heading", heading.strip(),
                      P.CONF_SOURCE_BOX)]


def _read_line(start: int, end: int, line: str, edge: bool) -> Region | OpenLine | None:
    """A one-line zone ("Quelle: dpa", "Foto: ...", "© ...", "caption/Getty"; ". / afp" credits
    a text), or the line open for the registry when it may be an agency credit ("dpa/AFP")."""
    m = P.SOURCE_LINE.match(line)
    if m:
        return Region(start + m.start("rest"), end, BOX, BOX, "box.quelle",
                      line[:m.start("rest")].strip(" :"), P.CONF_SOURCE_BOX)
    m = P.IMAGE_CREDIT_LINE.match(line)
    if m:
        return Region(start, end, IMAGE, IMAGE, "image.line",
                      line[:m.start("rest")].strip(" :"), P.CONF_IMAGE, outlets_only=True)
    text_notice = P.TEXT_COPYRIGHT_LINE.match(line)  # the text's own: an agency's credit
    if text_notice or P.COPYRIGHT_LINE.match(line):
        if text_notice or P.WIRE_COPYRIGHT.search(line):
            return Region(start, end, WIRE, "footer", "wire.copyright", "©", P.CONF_WIRE_LINE,
                          outlets_only=True)
        return Region(start, end, IMAGE, IMAGE, "image.copyright", "©", P.CONF_IMAGE,
                      outlets_only=True)
    furniture = _furniture_line(start, end, line)
    if furniture is not None:
        return furniture
    m = P.BYLINE_LINE.match(line) if len(line) <= config.MAX_BYLINE_LINE else None
    credit = (m.group("credit"), start + m.start("credit")) if m else None
    found, tail = None, None
    if not P.TERMINAL_PUNCT.search(line) and not (  # a sign-off "ust/kle (dpa)", a closing
            "/" in line and "(" in line and (  # credit "(dpa/AFP)": spans of the text
                P.INITIALS_SIGNOFF_END.search(line) or P.CLOSING_PAREN_CREDIT.search(line))):
        m = P.SLASH_CREDIT_TAIL.search(line)
        if m and not (m.group("tail").islower() and P.BARE_TRAILING_CREDIT.search(line)):
            found = Region(start + m.start("tail"), end, IMAGE, IMAGE, "image.caption_tail",
                           "/", P.CONF_IMAGE, outlets_only=True)
            tail = None if P.CREDIT_WORDS.search(m.group("tail")) else m.group("tail")
    if credit is None and tail is None:
        return found
    return OpenLine(start, end, line, edge, credit, found, tail)


def _furniture_line(start: int, end: int, line: str) -> Region | None:
    """Page furniture on a line of its own: an author's bio (its outlets are mentions), share
    buttons and "mehr" links (never citations)."""
    if len(line) <= config.MAX_BIO_LINE and P.BIO_LINE.match(line):
        return Region(start, end, MENTION, BIO, "zone.author_bio", line.split()[0],
                      P.CONF_FURNITURE)
    if len(line) <= config.MAX_SHARE_LINE and P.SHARE_LINE.match(line) and (
            P.SHARE_ANCHOR.search(line) or len(line.split()) > 1):
        return Region(start, end, RELATED, SHARE, "zone.share", line.split()[0],
                      P.CONF_FURNITURE)
    if P.MORE_LINE.match(line):
        return Region(start, end, RELATED, RELATED, "zone.more_link", line.strip(),
                      P.CONF_FURNITURE)
    return None


# ---- spans inside lines ---------------------------------------------------------------------

def _free_spans(text: str) -> list[Region]:
    """Zones inside lines that need no registry: inline photo credits, wire footers."""
    regions = []
    for m in P.find_spans(P.INLINE_IMAGE_CREDIT, text):
        regions.append(Region(m.start(), m.end(), IMAGE, IMAGE, "image.inline",
                              m.group().split(":")[0].strip("( "), P.CONF_IMAGE,
                              outlets_only=True))
    regions += [Region(m.start("credit"), m.end("credit"), BOX, BOX, "box.news_aktuell",
                       "Original-Content von", P.CONF_SOURCE_BOX)
                for m in P.find_spans(P.NEWS_AKTUELL, text)]
    regions += [Region(m.start(), m.end(), WIRE, "footer", "wire.copyright", "©",  # ending a
                       P.CONF_WIRE_LINE, outlets_only=True)  # paragraph, or on its own line
                for m in P.find_spans(P.TEXT_COPYRIGHT, text)]
    for pattern, rule in ((P.WIRE_MATERIAL, "wire.material"),
                          (P.WIRE_CONTRIBUTED, "wire.contributed")):
        for m in P.find_spans(pattern, text):
            # "X contributed to this report": the credited names stand before the cue
            start = m.start()
            if rule == "wire.contributed":
                start = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
            cue = m.group().strip()[:config.WIRE_FOOTER_CUE_CHARS]
            regions.append(Region(start, m.end(), WIRE, "footer", rule, cue, P.CONF_WIRE_LINE,
                                  outlets_only=True))
    return regions


def _signoff_spans(text: str, outlets: OutletLookup) -> list[Region]:
    """Reuters signs its copy "Reporting by ...; Editing by ..." without naming itself."""
    signer = outlets.get(P.SIGNOFF_OUTLET)
    if signer is None:
        return []
    return [Region(m.start(), m.end(), WIRE, "footer", "wire.signoff", "Editing by",
                   P.CONF_WIRE_SIGNOFF, outlets_only=True,
                   credits=(Credit(m.start(), m.end(), signer.name, signer.id),))
            for m in P.find_spans(P.SIGNOFF, text)]


def _credit_spans(text: str, outlets: OutletLookup) -> list[Region]:
    """Datelines and closing credits whose parenthesis or dashes name only outlets (the first
    pattern to read a credit makes its one region)."""
    regions, taken = list[Region](), set[int]()
    for pattern, rule, zone, confidence in P.CREDIT_SPANS:
        for m in P.find_spans(pattern, text):
            credits = None if m.start("credit") in taken else credit_of(
                m.group("credit"), m.start("credit"), outlets)
            if not credits or _expands_name(text, m.start("credit") - 1, credits, outlets):
                continue
            taken.add(m.start("credit"))
            if rule == "wire.bare_trailing" and not _names_or_initials(m.group("credit"), credits):
                continue  # "Uncredited/AP/dpa" closing a caption: a photographer's credit
            span = (m.start("credit") - 1, m.end("credit") + 1)
            cue = f"({m.group('credit')})"
            if _is_photo_credit(m.group("credit"), credits, outlets):
                # "(FABRICE COFFRINI/AFP/Getty Images)": the photographer and picture agencies
                regions.append(Region(*span, IMAGE, IMAGE, "image.paren", cue, P.CONF_IMAGE,
                                      outlets_only=True, credits=credits))
            else:
                regions.append(Region(*span, WIRE, zone, rule, cue, confidence,
                                      outlets_only=True, credits=credits))
    return regions


# ---- credits --------------------------------------------------------------------------------


def credit_of(content: str, offset: int, outlets: OutletLookup) -> tuple[Credit, ...] | None:
    """The outlets a credit such as "dpa/AFP", "afp" or "ats-afp" names (offsets from `offset`);
    None if a part is not an outlet (then it is no credit)."""
    tried: list[list[str]] = []
    for splitter in (None, P.CREDIT_SPLIT, P.CREDIT_SPLIT_HYPHEN):
        parts = [content] if splitter is None else splitter.split(content)
        if parts in tried:
            continue  # no separator of this kind: the same parts, the same answer
        tried.append(parts)
        found = _credit_parts(parts, content, offset, outlets)
        if found:
            return found
    return None


def _credit_parts(parts: list[str], content: str, offset: int, outlets: OutletLookup
                  ) -> tuple[Credit, ...] | None:
    """The outlets of a split credit, if known outlets outnumber short unknown words."""
    found: list[Credit] = []
    unknown = 0
    pos = 0
    for part in parts:
        at = content.find(part, pos) if part else pos
        pos = at + len(part)
        name = part.strip(" .")
        if not name:
            continue
        # "afp", "United Preß": credits are often lower-cased or in old spelling (each distinct
        # spelling looked up once, in this order)
        spellings = dict.fromkeys((name, name.upper(), name.replace("ß", "ss")))
        outlet = next(filter(None, map(outlets.by_name, spellings)), None)
        if outlet is None:
            if P.INITIALS.match(name):  # an editor's initials: "dpa/jm"
                continue
            if not P.CREDIT_EXTRA.match(name):
                return None
            # "(UPI, Reuter, Impar.)": the publisher's own short name (counted unless a full
            # stop marks it as an abbreviation, "(ATS, Impar.)"), which outlets must outnumber
            unknown += not (part.rstrip().endswith(".") and name[:1].isupper())
            continue
        start = offset + at + part.find(name)
        found.append(Credit(start, start + len(name), name, outlet.id))
    return tuple(found) if len(found) > unknown else None


def _common_word(credit: Credit, outlets: OutletLookup) -> bool:
    """Whether a credit names its outlet by a common word ("Bild", "Panorama")."""
    outlet = outlets.get(credit.outlet_id)
    return outlet is not None and credit.name.casefold() in {
        a.casefold() for a in outlet.ambiguous}


def _is_photo_credit(content: str, credits: tuple[Credit, ...], outlets: OutletLookup) -> bool:
    """A credit that names a picture agency or a photographer in capitals (outside the names
    of its outlets: "(DPA-AFX)" is an agency's dateline, not a photographer's name)."""
    kinds = {getattr(outlets.get(c.outlet_id), "kind", None) for c in credits}
    for credit in credits:
        content = content.replace(credit.name, " ")
    return "photo_agency" in kinds or bool(P.PHOTOGRAPHER.search(content))


def _names_or_initials(content: str, credits: tuple[Credit, ...]) -> bool:
    """Whether each part of a slashed credit is an outlet's name or an editor's lower-case
    initials ("RND/epd/cl", "ats-afp"), as in a sign-off, and no other word (a photographer's)."""
    names = {c.name for c in credits}
    return all(p in names or all(q in names or P.EDITOR_INITIALS.fullmatch(q)
                                 for q in p.split("-")) for p in content.split("/"))


def _expands_name(text: str, paren: int, credits: tuple[Credit, ...],
                  outlets: OutletLookup) -> bool:
    """Whether "(ORF)" spells out the name just before it: "Österreichischer Rundfunk (ORF)"."""
    before = text[max(0, paren - config.EXPANDED_NAME_WINDOW):paren].rstrip()
    names = outlets.find_mentions(before)
    return bool(names) and names[-1].end == len(before) and names[-1].outlet_id in {
        c.outlet_id for c in credits}
