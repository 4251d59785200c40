"""Scores for clusterings and pairs: adjusted Rand index, precision/recall/F1, components."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

Pair = tuple[int, int]


def ari(labels_true: list, labels_pred: list) -> float:
    """Adjusted Rand index from the contingency table (Hubert and Arabie, 1985)."""
    _, t = np.unique(np.asarray(labels_true, dtype=object).astype(str), return_inverse=True)
    _, p = np.unique(np.asarray(labels_pred, dtype=object).astype(str), return_inverse=True)
    table = np.zeros((t.max() + 1, p.max() + 1), dtype=np.int64)
    np.add.at(table, (t, p), 1)

    def comb2(x):
        x = np.asarray(x, dtype=np.float64)
        return (x * (x - 1) / 2).sum()

    index = comb2(table)
    rows, cols = comb2(table.sum(axis=1)), comb2(table.sum(axis=0))
    expected = rows * cols / comb2([len(t)])
    maximum = (rows + cols) / 2
    return float((index - expected) / (maximum - expected)) if maximum != expected else 1.0


def prf(predicted: set, gold: set, ignore: set = frozenset()) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted pairs against gold pairs, `ignore` left out."""
    predicted = predicted - ignore
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster_pairs(labels: list) -> set[Pair]:
    """The pairs of items that share a label."""
    groups = defaultdict(list)
    for i, lab in enumerate(labels):
        groups[lab].append(i)
    return {pair for g in groups.values() for pair in itertools.combinations(sorted(g), 2)}


def components(n: int, pairs) -> list[int]:
    """The connected component of each of n items joined by `pairs` (union-find)."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return [find(i) for i in range(n)]
