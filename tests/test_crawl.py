"""Scans whose results must not depend on the order or batching of the inputs.

Two feeds scanned one after the other must leave the same copy edges as both scanned at once:
an outlet's boilerplate learnt in the second scan applies to the pairs the first scan compared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from provenance.config import ScanConfig
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
