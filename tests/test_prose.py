"""Copy evidence is article prose only: menus, table rows, headline lists and notices are not.

Texts here are written for the tests (site furniture as extraction leaves it in real pages:
`| |` rows of layout tables, menu lines, "most read" headlines, legal lines, banners) around
real seed articles (fixtures/seeds).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from provenance.copies import fingerprint, sketch, verify
from provenance.copies.prose import blocks, prose_lines
from provenance.extract import extract_html

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

MENU = "Home\nLocal News\nSports\nBusiness\nObituaries\nClassifieds"
TABLE = "| Home | Local News | Sports | Business |\n| Weather | Contact Us | Archives | Letters |"
MOST_READ = ("Most read\nCouncil votes to close two pools after long debate\n"
             "Police search for driver after crash on ring road\n"
             "New bakery opens in former post office building\n"
             "School bus timetable changes from Monday for three villages")
LEGAL = ("© 2008 Harbour Valley Publishing Co. All rights reserved. Reproduction of any material "
         "from this site without written permission is strictly prohibited.")
CONSENT = ("We value your privacy. We and our partners use cookies and similar technologies to "
           "store and access information on your device, to personalise content and advertising "
           "and to measure how our pages are used. You can accept all, reject all or choose in "
           "the settings at any time.")
NEWSLETTER = ("Sign up for our morning newsletter and get the most important stories of the day "
              "delivered to your inbox before breakfast. It is free and you can unsubscribe at "
              "any time with a single click.")
WIRE = ("Copyright 2026 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed without permission.")
NOTE = ("Editor's note: This article is part of our continuing coverage. Our reporters verify "
        "every claim with at least two independent sources before publication, and we correct "
        "errors promptly and transparently.")
CHROME = "\n".join((MENU, TABLE, MOST_READ, CONSENT, NEWSLETTER, NOTE, WIRE, LEGAL))


def _seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _prose_text(text: str) -> str:
    return " ".join(text[a:b] for a, b in prose_lines(text))


def test_furniture_and_notices_are_not_prose_and_sentences_are() -> None:
    body = _seeds()[0]
    text = CHROME + "\n" + body
    kept = _prose_text(text)
    for furniture in ("Local News", "| Home |", "Council votes to close", "cookies",
                      "newsletter", "Editor's note", "Associated Press", "Harbour Valley"):
        assert furniture not in kept, furniture
    first_sentence = body.split("\n")[2][:60]
    assert first_sentence in kept


def test_short_sentences_and_subheads_inside_an_article_stay_prose() -> None:
    text = ("The council approved the new budget on Monday after a long debate about schools.\n"
            "It passed narrowly.\n"
            "Reactions\n"
            "The mayor said the vote showed that the district could still agree on its future.")
    kept = _prose_text(text)
    assert "It passed narrowly." in kept and "Reactions" in kept


def test_a_paragraph_wrapped_at_a_width_is_one_block() -> None:
    paragraph = ("The council approved the new budget on Monday after a long debate about school "
                 "funding, road repairs and the future of the district's two public swimming "
                 "pools, which have been closed since the spring.")
    import textwrap

    wrapped = textwrap.fill(paragraph, 64)
    assert blocks(wrapped) == [(0, len(wrapped))]
    assert _prose_text(wrapped).split() == paragraph.split()


def test_pages_sharing_only_chrome_are_no_copies_and_shared_prose_still_is() -> None:
    seeds = _seeds()
    a = fingerprint(CHROME + "\n" + seeds[0])
    b = fingerprint(CHROME + "\n" + seeds[1])
    assert verify(a, b) is None
    reprint = fingerprint(MENU + "\n" + seeds[0] + "\n" + WIRE)
    found = verify(a, reprint)
    assert found is not None and found.kind == "near_duplicate"
    # the chrome is left out of what a copy must cover: the reprint covers all of the prose
    assert min(found.coverage_a, found.coverage_b) > 0.95


def test_sketch_and_fingerprint_agree_on_prose() -> None:
    text = CHROME + "\n" + _seeds()[2]
    fp, sk = fingerprint(text), sketch(text)
    assert np.array_equal(fp.shingles, sk.shingles)
    assert np.array_equal(fp.signature, sk.signature)
    assert not fp.prose.all() and fp.prose.any()


def test_a_text_of_short_lines_only_is_taken_whole() -> None:
    poem = "Roses are red\nviolets are blue\nthe council met\non Monday too"
    fp = fingerprint(poem)
    assert fp.prose.all() and len(fp.shingles)


def test_an_xml_declaration_with_an_encoding_never_breaks_extraction() -> None:
    body = "".join(f"<p>{line}</p>" for line in _seeds()[3].split("\n") if line.strip())
    for head in ('<?xml version="1.0" encoding="utf-8"?>\n',
                 '\ufeff<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>'):
        page = f"{head}<!DOCTYPE html><html lang='de'><body><article>{body}</article></body></html>"
        assert extract_html(page).text.startswith(_seeds()[3].split("\n")[0][:40])


def test_the_article_cell_of_a_layout_table_is_prose_and_its_menu_row_is_not() -> None:
    article = _seeds()[1].split("\n")[2]
    text = (f"| Harbour Valley Courier | | |\n{TABLE}\n| {article} | Most read | Weather |\n"
            f"| {LEGAL} | |")
    kept = _prose_text(text)
    assert kept == article


def _flat(*parts: str) -> str:
    """A page flattened into one line (feeds often give it so): its lines joined by spaces."""
    return " ".join(line for part in parts for line in part.split("\n")
                    if line.strip() and not line.startswith("!"))


def test_notice_sentences_inside_a_one_line_page_are_cut_out_of_its_prose() -> None:
    body = _seeds()[0]
    text = _flat(body.split("\n")[0], CONSENT, body, NEWSLETTER)
    kept = _prose_text(text)
    assert "cookies" not in kept and "newsletter" not in kept
    assert body.split("\n")[3][:60] in kept
    # two one-line pages of different stories under the same banners share no prose
    other = _seeds()[1]
    assert verify(fingerprint(text), fingerprint(_flat(other.split("\n")[0], CONSENT, other,
                                                       NEWSLETTER))) is None


def test_a_page_of_notices_only_shares_nothing_and_the_same_page_twice_is_exact() -> None:
    page = _flat("Storm closes the harbour road", CONSENT, NEWSLETTER)
    fp = fingerprint(page)
    assert not fp.prose.any() and not len(fp.shingles)
    assert verify(fp, fingerprint(_flat("Council votes on the budget", CONSENT, NEWSLETTER))
                  ) is None
    assert verify(fp, fingerprint(page)).kind == "exact"


def test_sketch_and_fingerprint_agree_on_a_one_line_page_with_notices() -> None:
    text = _flat(_seeds()[3], NEWSLETTER, _seeds()[3][:400])
    fp, sk = fingerprint(text), sketch(text)
    assert np.array_equal(fp.shingles, sk.shingles)
