"""Helpers of the candidate-pair tests of the local scan and of Spark (`test_candidates`,
`test_spark`): the keys of a text, and weights set between two of its pairs' weights."""

from __future__ import annotations

from provenance import config_copies
from provenance.config import CONTENT_PREFIX, SINGLE_PREFIX, FingerprintParams
from provenance.copies import sketch


def scan_keys(text: str) -> set[bytes]:
    """The keys of a text that the scan's buckets hold (not those only `check` reads)."""
    return {k for k in sketch(text, FingerprintParams()).band_keys
            if k[0] not in (CONTENT_PREFIX, SINGLE_PREFIX)}


def weigh_between(monkeypatch, a: str, b: str, c: str, light_min: int | None = None) -> None:
    """Make the pair of ``a`` and ``b`` strong while they alone hold their shared keys, and
    light once ``c`` holds some of them too (the keys' count left out; light pairs screened
    with ``light_min`` shared shingles when given)."""
    ka, kb, kc = scan_keys(a), scan_keys(b), scan_keys(c)
    alone, with_third = len(ka & kb), len((ka & kb) - kc) + len(ka & kb & kc) / 2
    assert with_third < alone
    monkeypatch.setattr(config_copies, "CANDIDATE_WEIGHT", (alone + with_third) / 2)
    monkeypatch.setattr(config_copies, "CANDIDATE_KEYS", 10_000)
    if light_min:
        monkeypatch.setattr(config_copies, "LIGHT_MIN_SHINGLES", light_min)
