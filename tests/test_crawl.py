"""Scans whose results must not depend on the order or batching of the inputs.

Two feeds scanned one after the other must leave the same copy edges as both scanned at once:
an outlet's boilerplate learnt in the second scan applies to the pairs the first scan compared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from provenance.config import ScanConfig
from provenance.copies import site_of
from provenance.scan import scan
from provenance.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
# An outlet's self-description under every one of its articles (text written for this test).
FOOTER = (
    "Der Kreisbote erscheint seit 1948 in sechs Lokalausgaben zwischen Weilheim und Garmisch und "
    "berichtet täglich über Politik, Wirtschaft, Sport und Kultur der Region. Die Redaktion sitzt "
    "in Weilheim, die Geschäftsstelle mit dem Leserservice befindet sich am Marienplatz gleich "
    "neben dem Rathaus."
)


def _seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _record(n: int, text: str, outlet: str, day: int) -> dict:
    return {"id": f"{outlet}-{n}", "text": text, "outlet": outlet,
            "url": f"https://www.{outlet}.example/{n}", "published": f"2025-03-{day:02d}T08:00:00Z"}


def _feeds(tmp_path: Path) -> tuple[Path, Path]:
    """Feed A: two articles of one outlet with its footer; feed B: two more of it, and a
    reprint of a seed by another outlet (a real copy)."""
    seeds = _seeds()
    own = [_record(n, seeds[n] + "\n\n" + FOOTER, "kreisbote", n + 1) for n in range(4)]
    reprint = _record(9, "Berlin (dpa) - " + seeds[0], "rheinblatt", 20)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps(r) + "\n" for r in own[:2]), encoding="utf-8")
    b.write_text("".join(json.dumps(r) + "\n" for r in [*own[2:], reprint]), encoding="utf-8")
    return a, b


def _edges(db: Path) -> set[tuple[str, str, str]]:
    store = Store(str(db))
    try:
        names = {a.id: a.external_id for a in store.articles()}
        return {(names[e.source_id], names[e.copy_id], e.kind) for e in store.copy_edges()}
    finally:
        store.close()


def test_two_feeds_one_after_the_other_give_the_edges_of_both_at_once(tmp_path: Path) -> None:
    a, b = _feeds(tmp_path)
    together = tmp_path / "together"
    together.mkdir()
    for feed in (a, b):
        (together / feed.name).write_text(feed.read_text(encoding="utf-8"), encoding="utf-8")
    at_once, in_turn = tmp_path / "once.db", tmp_path / "turn.db"
    scan(ScanConfig(paths=[together], workers=1), Store(str(at_once)))
    for feed in (a, b):
        scan(ScanConfig(paths=[feed], workers=1), Store(str(in_turn)))
    edges = _edges(at_once)
    assert edges == _edges(in_turn)
    # the reprint is found; the footer makes no edge between the outlet's own articles
    assert any(re.match(r"kreisbote-0", s) and c == "rheinblatt-9" for s, c, _ in edges)
    assert not any(s.startswith("kreisbote") and c.startswith("kreisbote") for s, c, _ in edges)


def test_a_template_of_sister_sites_recurs_and_a_reprinted_story_does_not() -> None:
    import numpy as np

    from provenance.copies import shingle_set
    from provenance.copies.boilerplate import learn_recurring

    seeds = _seeds()
    template = ("Die Heimatzeitungen der Gruppe erscheinen in sechs Landkreisen zwischen Donau und "
                "Alpen, mit Redaktionen in vier Städten und einer gemeinsamen Druckerei am Rand "
                "von Kempten.")
    # five unrelated stories on five sister hosts, one page each, under one template text
    pages = [seed + "\n" + template for seed in seeds]
    # a story reprinted by four more outlets: a family of copies, held by five articles too
    pages += ["Berlin (dpa) - " + seeds[0] for _ in range(4)]
    publishers = ["nord", "sued", "ost", "west", "mitte", "a", "b", "c", "d"]
    learnt, _, _ = learn_recurring([shingle_set(p) for p in pages], publishers)
    assert np.isin(shingle_set(template), learnt).all()
    assert not np.isin(shingle_set(seeds[0]), learnt).any()


@pytest.mark.parametrize(("publisher", "site"), [
    ("web:finance.yahoo.com", "yahoo.com"), ("web:news.yahoo.com", "yahoo.com"),
    ("web:bbc.co.uk", "bbc.co.uk"), ("web:lokal.kreisbote.de", "kreisbote.de"),
    ("spiegel", "spiegel"), ("name:kreisbote", "name:kreisbote"), (None, None)])
def test_a_publisher_s_site_is_its_registrable_domain(publisher: str | None,
                                                      site: str | None) -> None:
    assert site_of(publisher) == site


def _site_record(n: int, host: str, text: str) -> dict:
    return {"id": f"{host}-{n}", "text": text, "url": f"https://{host}/artikel/{n}",
            "published": f"2025-03-{n + 1:02d}T08:00:00Z"}


def test_hosts_of_one_domain_with_a_page_each_share_a_footer_but_no_copy(tmp_path: Path) -> None:
    # one page on each of three hosts of kreisbote.de (a group's local editions), each a
    # different real story under the group's footer; another site reprints one of them
    seeds = _seeds()
    hosts = ["kreisbote.de", "lokal.kreisbote.de", "sport.kreisbote.de"]
    records = [_site_record(n, host, seeds[n] + "\n\n" + FOOTER) for n, host in enumerate(hosts)]
    records.append(_site_record(9, "rheinblatt.de", "Berlin (dpa) - " + seeds[1]))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    scan(ScanConfig(paths=[feed], workers=1), Store(str(tmp_path / "a.db")))
    edges = _edges(tmp_path / "a.db")
    assert {(s, c) for s, c, _ in edges} == {("lokal.kreisbote.de-1", "rheinblatt.de-9")}


def test_a_site_template_needs_three_pages_and_pages_telling_other_stories() -> None:
    from provenance.copies import learn_site_template, shingle_set

    seeds = _seeds()
    pages = [shingle_set(seeds[n] + "\n\n" + FOOTER) for n in range(3)]
    footer = shingle_set(FOOTER)
    assert set(learn_site_template(pages).tolist()) >= set(footer.tolist())
    # two pages sharing a passage may be the site reusing its own text: no template
    assert not len(learn_site_template(pages[:2]))
    # three versions of one story share most of their text: they are no template
    versions = [shingle_set(seeds[0] + extra) for extra in ("", "\n\nNachtrag.", FOOTER)]
    assert not len(learn_site_template(versions))


# A reader appeal under the headline of every page of one site (text written for this test).
APPEAL = (
    "Our reporters have covered the valley for more than forty years and every story here is "
    "written by people who live in it. We depend on readers like you to keep local reporting "
    "going, so please think about supporting our work with a small monthly contribution today."
)


def _one_line(seed: str, insert: str, midway: bool = False) -> str:
    """A page flattened into one line, as many feeds give it: headline, then the inserted
    text and the article (or the inserted text in the middle of the article)."""
    lines = [line for line in seed.split("\n") if line.strip() and not line.startswith("!")]
    if midway:
        half = len(lines) // 2
        return " ".join([*lines[:half], insert, *lines[half:]])
    return " ".join([lines[0], insert, *lines[1:]])


def test_a_banner_under_the_headlines_of_two_pages_of_one_site_is_no_copy() -> None:
    from provenance.copies import fingerprint, verify

    seeds = _seeds()
    a, b = (fingerprint(_one_line(seeds[n], APPEAL)) for n in (0, 2))
    assert verify(a, b) is not None  # between two sites: they share a passage
    assert verify(a, b, same_site=True) is None  # two pages of one site: its template


def test_a_site_reusing_a_paragraph_inside_another_article_is_still_a_copy() -> None:
    from provenance.copies import fingerprint, verify

    seeds = _seeds()
    reused = " ".join(line for line in seeds[0].split("\n") if len(line.split()) >= 12)
    source = fingerprint(seeds[0])
    host = fingerprint(_one_line(seeds[2], " ".join(reused.split()[:80]), midway=True))
    match = verify(source, host, same_site=True)
    assert match is not None and match.kind == "partial"


def test_pages_of_one_domain_sharing_a_banner_make_no_edge_in_a_scan(tmp_path: Path) -> None:
    seeds = _seeds()
    records = [_site_record(0, "lokal.kreisbote.de", _one_line(seeds[0], APPEAL)),
               _site_record(1, "sport.kreisbote.de", _one_line(seeds[2], APPEAL)),
               _site_record(2, "rheinblatt.de", _one_line(seeds[3], APPEAL))]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    scan(ScanConfig(paths=[feed], workers=1), Store(str(tmp_path / "a.db")))
    pairs = {(s, c) for s, c, _ in _edges(tmp_path / "a.db")}
    # one site's two pages share its template; another site printing the same appeal shares
    # a passage with each (a copy of theirs, or a common source: evidence either way)
    assert not any(s.endswith("kreisbote.de-0") and c.endswith("kreisbote.de-1")
                   for s, c in pairs)
    assert len(pairs) == 2


def test_pages_of_one_site_that_share_a_phrase_before_its_footer_still_open_differently(
) -> None:
    """A widget at the foot of two pages of one site (the same reader's question under two
    articles) is the site's, though the articles above it share a stock phrase or two."""
    from provenance.copies import fingerprint, verify

    seeds = _seeds()
    phrase = "sagte ein Sprecher der Polizei am Abend auf Nachfrage"
    pages = []
    for n in (0, 2):
        lines = [line for line in seeds[n].split("\n") if line.strip() and not line.startswith("!")]
        pages.append(" ".join([*lines[:3], f"Das {phrase}.", *lines[3:6], APPEAL]))
    a, b = (fingerprint(page) for page in pages)
    assert verify(a, b) is not None  # between two sites: they share a passage
    assert verify(a, b, same_site=True) is None
    twice = fingerprint(pages[0].replace(phrase, phrase.replace("Abend", "Nachmittag")))
    assert verify(a, twice, same_site=True) is not None  # one page crawled twice
