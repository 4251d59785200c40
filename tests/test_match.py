"""Verification, passages, boilerplate, direction and stories on the real seeds and their copies
(copies.verification, .alignment, .boilerplate, .direction, .stories)."""

from __future__ import annotations

import itertools
import random
import re
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from provenance.config import MIN_PASSAGE_TOKENS, FingerprintParams
from provenance.copies import (
    CopyMatch,
    Fingerprint,
    align,
    cluster_stories,
    copy_edge,
    direct,
    fingerprint,
    learn_boilerplate,
    orient,
    orient_known,
    published_time,
    story_id,
    verify,
)
from provenance.errors import IncompatibleIndexError
from provenance.records import Article, Passage

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
FOOTER = (  # an outlet's self-description under every article (a notice would not be prose)
    "Der Kreisbote erscheint seit 1948 in sechs Lokalausgaben zwischen Weilheim und Garmisch und "
    "berichtet täglich über Politik, Wirtschaft, Sport und Kultur der Region. Die Redaktion "
    "sitzt in Weilheim, die Geschäftsstelle mit dem Leserservice befindet sich am Marienplatz "
    "gleich neben dem Rathaus."
)
T0 = datetime(2025, 2, 14, 9, 30, tzinfo=UTC)


def seed_texts() -> list[str]:
    """The five real seed articles (fixtures/seeds)."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def edit_words(text: str, rate: float, seed: int) -> str:
    """Replace, drop or double a share of the words (deterministic, vocabulary of seed 2)."""
    rng = random.Random(seed)
    vocab = sorted(set(re.findall(r"\w+", seed_texts()[2])))

    def change(m: re.Match) -> str:
        r = rng.random()
        if r >= rate:
            return m.group()
        return rng.choice(vocab) if r < rate * 0.6 else "" if r < rate * 0.8 else m.group() + " x"

    return re.sub(r"\w+", change, text)


def rewrap(text: str) -> str:
    return "\n\n".join(
        textwrap.fill(" ".join(p.split()), 60, break_long_words=False, break_on_hyphens=False)
        for p in paragraphs(text)
    )


def credited(text: str) -> str:
    return "Wladiwostok (dpa) - " + text.strip() + "\n\nMit Material von AFP und Reuters."


def trimmed(text: str) -> str:
    return text[: len(text) * 4 // 10]


def lightly_edited(text: str) -> str:
    body = text.split("\n", 1)[1]
    lede = "Pjöngjang baut seine Zusammenarbeit mit Moskau offenbar weiter aus, heißt es aus Seoul."
    return "Neue Schlagzeile über Kim und Putin\n\n" + lede + "\n" + edit_words(body, 0.1, seed=7)


def heavily_rewritten(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    random.Random(5).shuffle(sentences)
    return edit_words(" ".join(sentences), 0.35, seed=9)


def doc(text: str, params: FingerprintParams | None = None) -> Fingerprint:
    return fingerprint(text, params)


def fake_match(kind: str = "near_duplicate", coverage: float = 0.9) -> CopyMatch:
    return CopyMatch(kind, coverage, coverage, coverage, coverage, coverage, coverage, (), "r")


def article(article_id: str, published: str | None = None,
            publisher: str | None = None) -> Article:
    return Article(id=article_id, source_key=article_id, external_id=article_id, path="",
                   record=None, format="text", text="", text_hash="", n_chars=0,
                   published=published, publisher_id=publisher)


# --- kinds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("derive", "kinds"),
    [
        (rewrap, {"exact"}),
        (lambda t: t.upper(), {"exact"}),
        (credited, {"near_duplicate"}),
        (trimmed, {"near_duplicate"}),
        (lightly_edited, {"near_duplicate"}),
        (heavily_rewritten, {None, "partial"}),
    ],
    ids=["rewrap", "upper-case", "credit-line", "trimmed-40%", "light-edit", "heavy-rewrite"],
)
@pytest.mark.parametrize("seed", range(5))
def test_derived_copies_get_the_right_kind(derive, kinds: set, seed: int) -> None:
    text = seed_texts()[seed]
    match = verify(doc(text), doc(derive(text)))
    assert (match.kind if match else None) in kinds


def test_light_edit_keeps_low_jaccard_but_high_coverage() -> None:
    text = seed_texts()[4]
    match = verify(doc(text), doc(lightly_edited(text)))
    assert match.kind == "near_duplicate"
    assert match.jaccard < 0.5
    assert min(match.coverage_a, match.coverage_b) > 0.6


def test_trimmed_copy_is_contained_in_its_source() -> None:
    text = seed_texts()[4]
    match = verify(doc(text), doc(trimmed(text)))
    assert match.containment_b_in_a > 0.95
    assert match.containment_a_in_b < 0.5
    assert match.coverage_b > 0.95


def test_exact_copy_spans_both_texts() -> None:
    text = seed_texts()[0]
    copy = rewrap(text)
    match = verify(doc(text), doc(copy))
    assert match.kind == "exact"
    (passage,) = match.passages
    assert text[passage.a_start : passage.a_end].startswith("Nordkorea und Russland")
    last_word = re.findall(r"\w+", text)[-1]
    assert copy[passage.b_start : passage.b_end].endswith(last_word)
    assert passage.b_end == max(m.end() for m in re.finditer(r"\w+", copy))


@pytest.mark.parametrize(("i", "j"), list(itertools.combinations(range(5), 2)))
def test_independent_articles_on_the_same_topic_do_not_match(i: int, j: int) -> None:
    texts = seed_texts()
    assert verify(doc(texts[i]), doc(texts[j])) is None


def test_two_paragraphs_inside_another_text_are_a_partial_match_with_offsets() -> None:
    texts = seed_texts()
    source, host = texts[4], texts[1]
    paras = paragraphs(source)
    reused = paras[5] + "\n\n" + paras[6]
    cut = host.index("\n\nWaffenlieferungen und tiefere Beziehungen")
    copy = host[:cut] + "\n\n" + reused + host[cut:]
    match = verify(doc(source), doc(copy))
    assert match.kind == "partial"
    (passage,) = match.passages
    start = source.index(reused)
    last_word_end = start + max(m.end() for m in re.finditer(r"\w+", reused))
    assert (passage.a_start, passage.a_end) == (start, last_word_end)
    b_start = cut + 2
    assert (passage.b_start, passage.b_end) == (b_start, b_start + last_word_end - start)
    assert source[passage.a_start : passage.a_end] == copy[passage.b_start : passage.b_end]
    assert match.jaccard < 0.3


def test_passages_bridge_small_edits() -> None:
    text = seed_texts()[4]
    body = text[text.index("Am Samstag") :]
    edited = body.replace("inspizierte", "besichtigte").replace("Aufklärungsdrohne", "Drohne")
    passages = align(doc(body), doc(edited))
    assert len(passages) == 1
    assert passages[0].tokens > 100


def test_verify_is_symmetric() -> None:
    text = seed_texts()[4]
    a, b = doc(text), doc(trimmed(text))
    ab, ba = verify(a, b), verify(b, a)
    assert ab.kind == ba.kind
    assert ab.containment_a_in_b == ba.containment_b_in_a
    assert ab.coverage_a == ba.coverage_b
    flipped = [Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.tokens) for p in ba.passages]
    assert sorted(flipped) == list(ab.passages)


def test_shared_quotation_alone_is_not_copying() -> None:
    texts = seed_texts()
    quote = " ".join((paragraphs(texts[4])[6] + " " + paragraphs(texts[4])[7]).split())
    a = texts[0] + "\n\nEin Sprecher sagte: „" + quote + "“"
    b = texts[2] + "\n\nIn der Mitteilung hieß es: „" + quote + "“"
    assert verify(doc(a), doc(b)) is None
    unquoted = verify(doc(texts[0] + "\n\n" + quote), doc(texts[2] + "\n\n" + quote))
    assert unquoted is not None and unquoted.kind == "partial"


QUOTE = ("“We will open the new bridge to traffic in the spring, once the last inspections of "
         "the steel cables are done, and we will keep the ferry running until every lane is "
         "safe for lorries as well as cars,” ")
FRAMING = ("the harbour commissioner told reporters on Tuesday as she walked along the unfinished "
           "eastern ramp with two engineers from the city council.")


def test_a_copied_quote_with_its_framing_is_a_partial_copy() -> None:
    texts = seed_texts()
    paragraph = QUOTE + FRAMING
    copied = verify(doc(texts[0] + "\n\n" + paragraph), doc(texts[2] + "\n\n" + paragraph))
    assert copied is not None and copied.kind == "partial"
    # the same statement quoted by two reports, each in its own words, is not a copy
    a = texts[0] + "\n\n" + QUOTE + "the commissioner said."
    b = texts[2] + "\n\n" + QUOTE + "she told a local radio station."
    assert verify(doc(a), doc(b)) is None


def test_short_common_phrases_make_no_passage() -> None:
    a = "Der nordkoreanische Führer Kim Jong Un besuchte am Montag eine Fabrik in Pjöngjang."
    b = "Auch der nordkoreanische Führer Kim Jong Un äußerte sich am Dienstag zu den Plänen."
    assert align(doc(a), doc(b)) == []
    assert verify(doc(a), doc(b)) is None
    assert MIN_PASSAGE_TOKENS >= 10


def test_cjk_copy_is_found() -> None:
    text = "".join(seed_texts()[0:1]) and (
        "朝鲜与俄罗斯签署了关于无人机生产的秘密协议。据日本广播协会报道，朝鲜计划今年开始生产无人机。"
        "朝俄两国去年签署了全面战略伙伴关系条约，此次协议表明两国军事关系进一步加深。"
        "国际消息人士称，该协议是对朝鲜支持俄罗斯军队的补偿。"
    )
    copy = text.replace("日本广播协会", "共同社")
    match = verify(doc(text), doc(copy))
    assert match.kind == "near_duplicate"


def test_different_recipes_cannot_be_verified() -> None:
    text = seed_texts()[0]
    with pytest.raises(IncompatibleIndexError, match="same"):
        verify(doc(text), doc(text, FingerprintParams(shingle_size=4)))


def test_empty_text_matches_nothing() -> None:
    assert verify(doc(""), doc("")) is None


# --- boilerplate --------------------------------------------------------------------------------


def test_shared_footer_makes_a_match_without_the_boilerplate_discount() -> None:
    texts = seed_texts()
    a, b = doc(texts[0] + "\n\n" + FOOTER), doc(texts[2] + "\n\n" + FOOTER)
    assert verify(a, b).kind == "partial"


def test_learned_footer_neither_creates_nor_inflates_matches() -> None:
    texts = seed_texts()
    outlet = [doc(t + "\n\n" + FOOTER) for t in texts[:4]]
    boilerplate = learn_boilerplate([d.shingles for d in outlet])
    assert len(boilerplate)
    for a, b in itertools.combinations(outlet, 2):
        assert verify(a, b, boilerplate) is None
    original, copy = doc(texts[4]), doc(trimmed(texts[4]) + "\n\n" + FOOTER)
    plain = verify(original, copy)
    discounted = verify(original, copy, boilerplate)
    assert discounted.kind == "near_duplicate"
    assert discounted.coverage_b > plain.coverage_b
    assert discounted.jaccard > plain.jaccard


def test_versions_of_one_story_are_not_boilerplate() -> None:
    texts = seed_texts()
    story = texts[4]
    versions = [story, edit_words(story, 0.03, seed=1), edit_words(story, 0.03, seed=2)]
    sets = [fingerprint(t).shingles for t in versions + texts[:3]]
    assert not len(learn_boilerplate(sets))


def seed_lines() -> list[str]:
    """The lines of the seeds with at least 12 words (short independent texts)."""
    return [line for text in seed_texts() for line in text.splitlines()
            if len(re.findall(r"\w+", line)) >= 12]


@pytest.mark.parametrize(
    ("n_docs", "with_footer", "min_fraction", "learned"),
    [
        (2, 2, 0.1, False),
        (3, 3, 0.1, True),
        (12, 2, 0.1, False),
        (12, 3, 0.1, True),
        (12, 5, 0.5, False),
        (12, 6, 0.5, True),
    ],
)
def test_boilerplate_needs_enough_articles(
    n_docs: int, with_footer: int, min_fraction: float, learned: bool
) -> None:
    lines = seed_lines()
    texts = ["\n".join(lines[3 * k : 3 * k + 3]) for k in range(n_docs)]
    sets = [fingerprint(t + ("\n" + FOOTER if k < with_footer else "")).shingles
            for k, t in enumerate(texts)]
    footer = set(fingerprint(FOOTER).shingles.tolist())
    found = set(learn_boilerplate(sets, min_fraction=min_fraction).tolist())
    assert (footer <= found) is learned
    assert not found - footer


# --- direction ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_a", "published_b", "direction", "source"),
    [
        (T0, T0 + timedelta(hours=2), "a_to_b", "a"),
        (T0 + timedelta(minutes=1), T0, "b_to_a", "b"),
        (T0, T0, "similar", None),
        (T0, None, "similar", None),
        (None, None, "similar", None),
        (datetime(2025, 2, 14, 9, 0), T0, "a_to_b", "a"),
        (date(2025, 2, 13), T0, "a_to_b", "a"),
        (date(2025, 2, 14), T0, "similar", None),
        (T0, date(2025, 2, 14), "similar", None),
        (T0, date(2025, 2, 15), "a_to_b", "a"),
    ],
    ids=["a-earlier", "b-earlier", "tie", "b-undated", "undated", "naive-is-utc", "bare-date",
         "date-on-the-same-day", "same-day-date-later", "next-day-date"],
)
def test_later_text_derives_from_earlier(published_a, published_b, direction, source) -> None:
    directed = direct(fake_match(), published_a, published_b)
    assert directed.direction == direction
    assert directed.source_side == source
    assert not directed.backdated


def test_known_copy_dated_before_its_source_is_flagged() -> None:
    match = fake_match()
    flagged = orient_known(match, "a", T0, T0 + timedelta(hours=1))
    assert flagged.direction == "b_to_a" and flagged.backdated
    fine = orient_known(match, "b", T0, T0 + timedelta(hours=1))
    assert fine.direction == "a_to_b" and not fine.backdated
    assert not orient_known(match, "b", None, T0).backdated
    # a copy dated to the day of its source (no time) may have come out after it
    assert not orient_known(match, "a", date(2025, 2, 14), T0 + timedelta(hours=1)).backdated


@pytest.mark.parametrize(
    ("a", "b", "cites_a", "direction", "backdated"),
    [
        (article("a", "2025-02-14", "x"), article("b", "2025-02-15", "y"), set(), "a_to_b", False),
        (article("a", None, "x"), article("b", None, "y"), {"y"}, "b_to_a", False),
        (article("a", "2025-02-14", "x"), article("b", "2025-02-15", "y"), {"y"}, "b_to_a", True),
        (article("a", None, "x"), article("b", None, "x"), {"x"}, "similar", False),
    ],
    ids=["by-time", "credit-undated", "credit-against-time", "same-publisher"],
)
def test_a_credit_line_naming_the_other_publisher_directs_the_match(
        a: Article, b: Article, cites_a: set, direction: str, backdated: bool) -> None:
    oriented = orient(fake_match(), a, b, cites_a, set())
    assert (oriented.direction, oriented.backdated) == (direction, backdated)


def test_copy_edge_puts_the_source_first_with_its_passages_and_measures() -> None:
    text = seed_texts()[4]
    match = verify(doc(trimmed(text)), doc(text))
    edge = copy_edge(article("copy", "2025-02-15T10:00:00Z"), article("wire", "2025-02-14"),
                     direct(match, published_time("2025-02-15T10:00:00Z"),
                            published_time("2025-02-14")))
    assert (edge.source_id, edge.copy_id, edge.relation) == ("wire", "copy", "derived_from")
    assert edge.direction_basis == "published"
    assert edge.coverage_copy == round(match.coverage_a, 4) > 0.95
    assert edge.containment_copy_in_source == round(match.containment_a_in_b, 4)
    assert [(p.a_start, p.b_start) for p in edge.passages] == [
        (p.b_start, p.a_start) for p in match.passages]
    undated = copy_edge(article("copy"), article("wire"), direct(match, None, None))
    assert (undated.source_id, undated.relation, undated.direction_basis) == (
        "copy", "similar", "undated")


def test_published_time_reads_dates_and_utc_datetimes() -> None:
    assert published_time("2025-02-14") == date(2025, 2, 14)
    assert published_time("2025-02-14T09:30:00Z") == T0
    assert published_time(None) is None and published_time("") is None


def test_direction_of_a_real_wire_copy() -> None:
    text = seed_texts()[4]
    match = verify(doc(credited(text)), doc(text))
    directed = direct(match, T0 + timedelta(hours=3), T0)
    assert directed.direction == "b_to_a"


# --- stories ------------------------------------------------------------------------------------


def test_story_groups_copies_and_names_the_earliest_as_origin() -> None:
    texts = seed_texts()
    docs = {
        "wire": doc(texts[4]),
        "copy-credit": doc(credited(texts[4])),
        "copy-trim": doc(trimmed(texts[4])),
        "copy-edit": doc(lightly_edited(texts[4])),
        "other": doc(texts[1]),
    }
    published = {"wire": T0, "copy-credit": T0 + timedelta(hours=1), "copy-trim": None,
                 "copy-edit": T0 + timedelta(hours=5), "other": T0 - timedelta(days=1)}
    edges = []
    for (x, dx), (y, dy) in itertools.combinations(sorted(docs.items()), 2):
        match = verify(dx, dy)
        if match:
            edges.append(copy_edge(article(x), article(y), direct(match, published[x],
                                                                  published[y])))
    stories = cluster_stories(docs, edges, published)
    assert [s.members for s in stories] == [
        ("copy-credit", "copy-edit", "copy-trim", "wire"),
        ("other",),
    ]
    assert stories[0].origin_article_id == "wire"
    assert stories[0].id == story_id("wire")


def test_alignment_of_unique_shingles_takes_the_short_way_with_the_same_runs() -> None:
    # texts whose shared shingles each stand once are aligned from where each shingle stands;
    # a shared paragraph printed twice in one text goes the general way (every position pair)
    from provenance.copies import alignment

    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    paragraphs = [[p for p in s.split("\n") if len(p.split()) >= 15] for s in seeds]
    mixed = "\n".join([paragraphs[1][0], paragraphs[0][1], paragraphs[2][0], paragraphs[0][2]])
    twice = "\n".join([paragraphs[0][1], paragraphs[3][0], paragraphs[0][1]])
    fa = fingerprint(seeds[0])
    for other, short_way in ((fingerprint(mixed), True), (fingerprint(twice), False)):
        common = np.intersect1d(fa.shingles, other.shingles)
        general = alignment._runs(*alignment._matching_positions(fa, other, common))
        at_a, at_b = (alignment.unique_positions(f, common) for f in (fa, other))
        assert (at_a is not None and at_b is not None) is short_way
        if short_way:
            assert alignment._unique_runs(at_a, at_b) == general
            assert len(general) >= 2
        found, runs = alignment.passages(fa, other, common)
        assert len(found) == 2 and runs
        assert alignment.covered_tokens(runs, 0, fa.token_count) == int(np.count_nonzero(
            alignment.matched_tokens(runs, 0, fa.token_count)))
