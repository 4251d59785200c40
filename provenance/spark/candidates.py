"""Candidate pairs as Spark stages (as `scan.candidates` finds them in a local scan).

Every bucket of 2 to `config.MAX_BUCKET` articles proposes its pairs (`copies.bucket_pairs`,
members ranked by publication time as the local scan ranks them), and each group of equal
texts; the proposals are summed by pair (`copies.candidates.proposal`), the strong pairs kept,
and the weaker ones whose two articles are both strong with a third joined to them through the
strong pairs of each article (`copies.candidates`, distributed). A job over an archive compares
again, as the local scan does, the archived articles whose pairs the new ones changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import add

from provenance import config, config_copies
from provenance.copies import bucket_pairs
from provenance.copies.candidates import (
    key_weight,
    needed_weight,
    proposal,
    publication_rank,
    weight_and_keys,
)

Member = tuple[str, str | None]  # a bucket member: article id, publication time


def pair_sums(grouped, current, partitions: int):
    """((a, b), sum of proposals) of every pair a bucket or a group of equal texts proposes
    (a < b). ``grouped`` holds (key, (size, members)), members capped past the hot size."""
    needed = needed_weight(config_copies.CANDIDATE_WEIGHT)

    def proposed(kv) -> Iterator[tuple[tuple[str, str], int]]:
        n, members = kv[1]
        if n < 2 or n > config.MAX_BUCKET:
            return iter(())
        return _proposals(members, proposal(key_weight(n)))

    by_text = current.map(lambda a: (a.text_hash, (a.id, a.published))).groupByKey(
        partitions).flatMap(lambda kv: _proposals(list(kv[1]), proposal(needed))
                            if len(kv[1]) > 1 else ())
    return grouped.flatMap(proposed).union(by_text).reduceByKey(add, partitions)


def _proposals(members: list[Member], value: int) -> Iterator[tuple[tuple[str, str], int]]:
    ids = [article_id for article_id, _ in members]
    rank = None
    if len(ids) > config.PAIR_BUCKET:
        rank = {article_id: publication_rank(article_id, published)
                for article_id, published in members}.get
    for pair in bucket_pairs(ids, None, config.PAIR_BUCKET, config.BUCKET_REPRESENTATIVES,
                             rank):
        yield pair, value


def split(sums, partitions: int):
    """The strong pairs; the weaker pairs whose two articles are both strong with a third,
    each with those thirds (pair, supporters); the other, light, pairs."""
    needed = needed_weight(config_copies.CANDIDATE_WEIGHT)
    keys = config_copies.CANDIDATE_KEYS

    def is_strong(total: int) -> bool:
        weight, count = weight_and_keys(total)
        return weight >= needed or count >= keys

    flagged = sums.mapValues(is_strong)
    strong = flagged.filter(lambda kv: kv[1]).keys()
    neighbours = strong.flatMap(lambda p: ((p[0], p[1]), (p[1], p[0]))).groupByKey(
        partitions).mapValues(frozenset)
    weak = flagged.filter(lambda kv: not kv[1]).keys()
    promoted = (weak.map(lambda p: (p[0], p)).join(neighbours, partitions)
                .map(lambda kv: (kv[1][0][1], kv[1])).join(neighbours, partitions)
                .map(lambda kv: (kv[1][0][0], kv[1][0][1] & kv[1][1]))
                .filter(lambda kv: bool(kv[1])))
    light = weak.map(lambda p: (p, None)).subtractByKey(promoted, partitions).keys()
    return strong, promoted, light


def changed(sc, chosen, promoted, light, old_edges: list[tuple[str, str]], pending: set[str],
            screen) -> set[str]:
    """The archived articles to compare again (`scan.candidates`): both of an edge between
    archived articles that is no longer a candidate (nor a light pair that screening leaves
    to verification: ``screen`` takes an RDD of light pairs to those it leaves), and the first
    of each pair of archived articles, without an edge, that a pending article has made a
    family."""
    archived = {tuple(sorted(e)) for e in old_edges
                if e[0] not in pending and e[1] not in pending}
    known = sc.broadcast(archived)
    lapsed = archived - set(chosen.filter(lambda p: p in known.value).collect())
    if lapsed:
        gone = sc.broadcast(lapsed)
        lapsed -= set(screen(light.filter(lambda p: p in gone.value)).collect())
    again = {a for edge in lapsed for a in edge}
    waiting = sc.broadcast(pending)
    again.update(promoted.filter(
        lambda kv: kv[0][0] not in waiting.value and kv[0][1] not in waiting.value
        and kv[0] not in known.value and not kv[1].isdisjoint(waiting.value)
    ).map(lambda kv: kv[0][0]).distinct().collect())
    return again
