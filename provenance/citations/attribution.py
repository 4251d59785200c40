"""Citations in article text: which outlets and other sources an article names as the origin of
its information, how (one of `records.CITATION_KINDS`), and the exact evidence.

Pure: no database, no files except the packaged data, no output. The steps:

1. zones: the zone detector (`provenance.extract.zones`) finds the lines and spans that are not
   body text (related-link lists, image credits, source boxes, wire credits); its registry-free
   reading of a plain text comes from extraction (`Extracted.layout`) and only the rules that
   need the registry to tell outlet credits run here; zones read from page markup are passed in;
2. names: outlet names from the registry (`names`) and non-outlet sources (ministries,
   intelligence services, think tanks, international bodies) from ``sources.json`` (`sources`);
3. kinds: a name inside a zone takes the zone's kind; a name in body text is classified by the
   cue rules (`cues`, applied by `classify`) within its sentence ("laut", "zufolge", "according
   to", subject + report verb, ...); an outlet without a cue is a ``mention``, a source without
   one is dropped;
4. relays: "Yonhap, citing KCNA" links the two ("relayed_by"), the innermost is the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice, product
from typing import NamedTuple

from provenance.citations import cues as C
from provenance.citations.classify import (
    BODY,
    MENTION,
    CueSets,
    Draft,
    classify,
    coordinate,
    cues_for,
    quotes_other,
    resolve_relays,
)
from provenance.citations.discovery import discovered_id, find_discovered
from provenance.citations.grammar import DESCRIPTOR_NOUN
from provenance.citations.registry import Registry
from provenance.citations.sentences import (
    SENTENCE_STARTERS,
    Sentence,
    SentenceFinder,
)
from provenance.citations.sources import NameHit, SourceIndex, default_sources
from provenance.config import CUE_WINDOW, MAX_BYLINE_ZONE, MAX_FURNITURE_ZONE, MAX_NAME_FORMS
from provenance.extract.zone_patterns import BIO_LINE, CONF_WIRE_LINE, IMAGE_LABEL, LABEL_COLON
from provenance.extract.zones import Layout, Region, find_regions, read_layout
from provenance.records import COUNTING_KINDS, Citation, Outlet, Zone

# Kinds that say nothing about a name: kept for outlets, dropped for sources and common words.
_NEEDS_CUE = frozenset({MENTION, "related_links"})
# Zone kinds from extraction and the citation kind every name inside them takes.
ZONE_CITATION_KIND = {"caption": "image_credit", "image_credit": "image_credit",
                      "related_links": "related_links", "source_box": "source_box",
                      "byline": "wire_credit", "dateline": "wire_credit",
                      "author_bio": MENTION, "share": "related_links"}
# Furniture zone kinds from markup: a long one is a class on a container, read as body text.
_FURNITURE = frozenset({"author_bio", "share"})
# Kinds of zone in which only outlet names count (not "Bild" the label, not a ministry).
_OUTLETS_ONLY = frozenset({"image_credit", "wire_credit"})
# A capitalised word right before a name, not at a sentence start: "International Business Times".
_GLUED_NAME = re.compile(r"(?<![.!?:\n]\s)(?<=\S\s)([A-Z][\w&'’.-]*)\s+$")
_GLUED_AFTER = re.compile(r" [A-Z][a-z]")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}(?![a-z])")
# German adjective endings of a name's words in the dative or genitive ("Süddeutscher").
_ADJECTIVE_ENDING = re.compile(r"(?<=[a-zäöü]{3})(?:er|en|es|em)$")


def extract_citations(text: str, language: str | None, registry: Registry,
                      zones: Sequence[Zone] = (), publisher_id: str | None = None, *,
                      sources: SourceIndex | None = None,
                      layout: Layout | None = None,
                      country: str | None = None,
                      publisher_names: Sequence[str] = ()) -> list[Citation]:
    """Every outlet and source an article names, with its citation kind and evidence.

    Args:
        text: the article text (NFC, ``\\n`` line ends); offsets refer to it.
        language: "de", "en" or another code; other languages get both cue grammars.
        registry: the outlet registry.
        zones: zones from extraction. The zone detector's zones (those with a ``rule``) are
            found again in `layout`, so they add nothing; markup zones located in `text` take
            precedence over what the detector finds. A zone not found in `text` is read on its
            own; its citations carry offsets into the zone's text.
        publisher_id: the registry id of the publishing outlet; its own name is a mention.
        sources: the non-outlet sources (default: the packaged ``data/sources.json``).
        layout: the zone detector's registry-free reading of `text` (`Extracted.layout`), which
            the outlet-aware rules complete here; read here when not given or of another text.
        country: the publisher's country (ISO 3166 alpha-2; default: the registry's country of
            `publisher_id`); with `language` it chooses among outlets of one name ("RTL").
        publisher_names: names of a publisher the registry lacks (its site name, its host):
            an outlet discovered under one of them is the publisher naming itself.

    Returns:
        The citations of `text` by offset, then those of detached zones in the order given.
        Every outlet name yields one citation (a bare one is a ``mention``); a non-outlet source
        only with a cue. Kinds that count for the graph are `records.COUNTING_KINDS`.
    """
    sources = sources or default_sources()
    given, detached = _given_regions(zones, text)
    if layout is None or layout.text != text:
        layout = read_layout(text)
    regions = given + layout.regions(registry)
    publisher = registry.get(publisher_id) if publisher_id else None
    where = _Where(language, country or (publisher.country if publisher else None),
                   frozenset(discovered_id(n) for n in publisher_names if n))
    out = [_freeze(d) for d in _drafts(text, where, registry, sources, regions, publisher_id)]
    # A credit seen through two views (a caption zone and an image-credit zone, or a zone and
    # the body text) is one citation: a detached zone adds only what is not already recorded
    # for the same name, kind and sentence.
    seen = {_place(c) for c in out}
    for zone in detached:
        zone_regions = [r for r in find_regions(zone.text, registry) if not (
            r.rule == "wire.bare_trailing" and zone.kind in _PICTURE_ZONES)]  # the photo's
        if zone.kind in ZONE_CITATION_KIND:  # the whole zone, after what the detector finds
            zone_regions.append(_markup_region(_markup_kind(zone), 0, len(zone.text)))
        drafts = _drafts(zone.text, where, registry, sources, zone_regions, publisher_id)
        found = [_freeze(d, d.zone if d.zone != BODY else zone.kind) for d in drafts]
        out += [c for c in found if _place(c) not in seen]
        seen.update(_place(c) for c in found)
    return out


def _given_regions(zones: Sequence[Zone], text: str) -> tuple[list[Region], list[Zone]]:
    """Zones passed in: markup zones located in `text` become regions, those not found in it
    are returned apart; zones of the detector (with a rule) are found again by the caller."""
    regions: list[Region] = []
    detached: list[Zone] = []
    for zone in zones:
        if not zone.text:
            continue
        start, end = zone.start, zone.end
        if start is None or end is None or text[start:end] != zone.text:
            start = text.find(zone.text)
            end = start + len(zone.text)
        if start < 0:
            detached.append(zone)
            continue
        if zone.rule is None and not (zone.kind in _FURNITURE
                                      and end - start > MAX_FURNITURE_ZONE):
            regions.append(_markup_region(_markup_kind(zone), start, end))
    return regions, detached


def _markup_kind(zone: Zone) -> str:
    """The kind of a markup zone as read: an author box marked up as a byline that runs to
    sentences ("He's a former Mashable editor") is an author's bio, not a credit."""
    if zone.kind == "byline" and (len(zone.text) > MAX_BYLINE_ZONE
                                  or BIO_LINE.match(zone.text)):
        return "author_bio"
    return zone.kind


def _markup_region(kind: str, start: int, end: int) -> Region:
    """A zone read from markup as a region: names inside take the kind its zone kind gives, or
    are classified by their cues when it gives none (a footer, a title)."""
    mapped = ZONE_CITATION_KIND.get(kind)
    return Region(start, end, mapped, kind, f"zone.{kind}", kind,
                  CONF_WIRE_LINE if mapped else C.CONF_MENTION,
                  outlets_only=mapped in _OUTLETS_ONLY)


class _Where(NamedTuple):
    """The article's language and its publisher's country: they choose among same-name outlets."""

    language: str | None
    country: str | None
    own_discovered: frozenset[str] = frozenset()  # discovered ids that name the publisher


# Zones of a picture: an agency's bare name closing one credits the picture, not the text.
_PICTURE_ZONES = frozenset({"caption", "image_credit"})
# Zone rules that credit agencies only, and the rule a name of another outlet gets there.
_AGENCIES_ONLY = {"wire.copyright": "zone.copyright_owner", "wire.bare_trailing": "zone.bare_name",
                  "wire.dash_after": "zone.bare_name", "wire.paren_lead": "zone.bare_name"}


def _drafts(text: str, where: _Where, registry: Registry, sources: SourceIndex,
            regions: list[Region], publisher_id: str | None) -> list[Draft]:
    """Citations of one text before they are frozen: names read by zone or by cue."""
    sentences = SentenceFinder(text)
    language = where.language
    code = _LANGUAGE_CODE.match((language or "").lower())
    hits = _names(text, registry, sources, publisher_id, code.group() if code else None,
                  where.country)
    for region in regions:
        for credit in region.credits:
            if all(credit.end <= h.start or credit.start >= h.end for h in hits):
                hits.append(NameHit(credit.start, credit.end, credit.name, credit.outlet_id,
                                    None, "outlet"))
    hits.sort(key=lambda h: h.start)
    cue_sets = cues_for(language)
    # The publisher, the network it belongs to and its own brands: naming them is no citation.
    own = (registry.family(publisher_id) or frozenset({publisher_id} if publisher_id else ())
           ) | where.own_discovered
    drafts: list[Draft] = []
    for hit in hits:
        if hit.guarded and IMAGE_LABEL.fullmatch(hit.name) and LABEL_COLON.match(text, hit.end):
            continue  # "Bild: KCNA via AFP": the label of a credit, not the newspaper
        draft = _read(hit, sentences.at(hit.start), regions, cue_sets)
        if draft is None:
            continue
        if hit.outlet_id and hit.outlet_id in own:
            draft.take(MENTION, "self.publisher", None, C.CONF_SELF, C.ROLE_SOURCE)
        elif draft.kind == "wire_credit" and _kind_of(registry, hit.outlet_id) == "photo_agency":
            draft.kind = "image_credit"  # "name - stock.adobe.com" under a byline: a picture
        elif draft.rule in _AGENCIES_ONLY and _kind_of(registry, hit.outlet_id) not in (
                "news_agency", "state_media"):
            # a copyright notice credits the text to an agency, any other name in one is the
            # page's owner ("© 2026 Tamedia" under a Tages-Anzeiger article); a bare name
            # after the last sentence credits it only when it is an agency's
            draft.take(MENTION, _AGENCIES_ONLY[draft.rule], draft.cue, C.CONF_MENTION,
                       C.ROLE_SOURCE)
        drafts.append(draft)
    coordinate(drafts, text)
    for draft in drafts:
        if draft.role == C.ROLE_SPEECH and draft.kind == C.CLAIM and quotes_other(draft):
            draft.kind = C.QUOTE
    resolve_relays(drafts)
    return [d for d in drafts if _keep(d)]


def _read(hit: NameHit, sentence: Sentence, regions: Sequence[Region],
          cue_sets: CueSets) -> Draft | None:
    """A name read by the zone it stands in, else by the cues of its sentence; None when the
    zone counts outlets only and the name is not one."""
    draft = Draft(hit, sentence, MENTION, MENTION, None, C.CONF_MENTION)
    region = next((r for r in regions if r.start <= hit.start and hit.end <= r.end), None)
    if region is not None and region.kind is not None:
        if region.outlets_only and (hit.outlet_id is None or _personal_name(hit, sentence)):
            return None
        if hit.discovered:
            return None  # a zone has no cue: an unknown name in a credit or menu is no outlet
        draft.take(region.kind, region.rule, region.cue, region.confidence, draft.role)
        draft.zone = region.zone
        return draft
    if region is not None:
        draft.zone = region.zone
    classify(draft, cue_sets)
    return draft


def _kind_of(registry: Registry, outlet_id: str | None) -> str | None:
    """The registry kind of an outlet, or None."""
    outlet = registry.get(outlet_id) if outlet_id else None
    return outlet.kind if outlet else None


def _personal_name(hit: NameHit, sentence: Sentence) -> bool:
    """A common-word name glued to another capitalised word in a credit is a person's name:
    "Emma Barnett" in a byline is no magazine Emma."""
    if not hit.guarded or " " in hit.name.strip():
        return False
    return bool(_GLUED_AFTER.match(sentence.text, hit.end - sentence.start))


def _names(text: str, registry: Registry, sources: SourceIndex, publisher_id: str | None = None,
           language: str | None = None, country: str | None = None) -> list[NameHit]:
    """Outlet and source names, longest first where they overlap, sorted by start; then the
    outlets the registry lacks that the text presents as outlets (`discovery`), where no known
    name stands."""
    hits = []
    for h in registry.find_mentions(text, include_ambiguous=True, language=language,
                                    country=country):
        outlet = registry.get(h.outlet_id)
        guarded = outlet is not None and h.alias in outlet.ambiguous
        hits.append(NameHit(h.start, h.end, text[h.start:h.end], h.outlet_id, None, "outlet",
                            guarded))
    hits += sources.find(text)
    hits = _resolve_short_names(text, hits, registry, publisher_id)
    kept: list[NameHit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start, h.outlet_id is None)):
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            kept.append(hit)
            taken.append((hit.start, hit.end))
    for found in find_discovered(text):
        if any(found.start < e and s < found.end for s, e in taken):
            continue
        known = _known_form(registry, found.name)
        kept.append(NameHit(found.start, found.end, found.name,
                            known.id if known else found.outlet.id, None, "outlet",
                            discovered=known is None))
    return sorted(kept, key=lambda h: h.start)


def _known_form(registry: Registry, name: str) -> Outlet | None:
    """The registry outlet a presented name is an inflected form of ("laut Süddeutscher
    Zeitung" is the Süddeutsche Zeitung), or None: then it is a discovered outlet."""
    words = name.split()
    options = [(w, _ADJECTIVE_ENDING.sub("e", w)) if i < len(words) - 1 else (w,)
               for i, w in enumerate(words)]
    for form in islice(product(*options), MAX_NAME_FORMS):
        found = registry.by_name(" ".join(form))
        if found is not None:
            return found
    return None


def _resolve_short_names(text: str, hits: list[NameHit], registry: Registry,
                         publisher_id: str | None) -> list[NameHit]:
    """Common-word names ("the Times", "Guardian") refer to an outlet whose full name ends in
    them when the text names one ("The New York Times ... the Times") or the publisher has one;
    glued to a capitalised word they are part of a name the registry lacks ("Military Times")."""
    last_word: dict[str, str] = {}
    for outlet in [registry.get(publisher_id)] if publisher_id else []:
        for name in (outlet.name, *outlet.aliases) if outlet else ():
            last_word.setdefault(name.split()[-1].lower(), outlet.id)
    for hit in hits:
        if hit.outlet_id and not hit.guarded and " " in hit.name:
            last_word[hit.name.split()[-1].lower()] = hit.outlet_id
    out = []
    for hit in hits:
        if hit.guarded:
            word = hit.name.split()[-1].lower()
            if word in last_word:
                hit = NameHit(hit.start, hit.end, hit.name, last_word[word], None, "outlet")
            elif (m := _GLUED_NAME.search(text, max(0, hit.start - CUE_WINDOW), hit.start)) \
                    and m.group(1) not in SENTENCE_STARTERS \
                    and not DESCRIPTOR_NOUN.fullmatch(m.group(1)):
                continue
            elif hit.name.startswith("The ") and _GLUED_AFTER.match(text, hit.end):
                continue  # "The National Rifle Association", "The Times Square crowd"
        out.append(hit)
    return out


def _keep(draft: Draft) -> bool:
    """A source without a cue is no evidence; an outlet without one is a mention, unless its
    name is also a common word ("Die Welt", "Das Erste"). Related links list both."""
    if draft.hit.discovered:
        return draft.kind in COUNTING_KINDS
    if draft.hit.guarded:
        return draft.kind not in _NEEDS_CUE
    return draft.kind != MENTION or draft.hit.outlet_id is not None


def _freeze(draft: Draft, zone: str | None = None) -> Citation:
    """The draft as a citation record (`zone` overrides the draft's zone)."""
    hit = draft.hit
    return Citation(outlet_id=hit.outlet_id, source_name=hit.name, source_type=hit.source_type,
                    kind=draft.kind, cue=draft.cue, start=hit.start, end=hit.end,
                    sentence=draft.sentence.text, sentence_start=draft.sentence.start,
                    zone=zone or draft.zone, rule=draft.rule, confidence=draft.confidence,
                    relayed_by=draft.relayed_by,
                    original=bool(draft.relayed_by) and not draft.relays,
                    source_id=hit.source_id)


def _place(citation: Citation) -> tuple[str | None, str | None, str, str, str]:
    """What makes two citations the same: source, kind and the sentence they stand in."""
    return (citation.outlet_id, citation.source_id, citation.kind, citation.source_name,
            " ".join(citation.sentence.split()))
