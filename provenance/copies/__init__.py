"""Copy detection, pure: fingerprints, LSH keys, verification, alignment, direction, stories.

    tokens.py       normalisation, tokens with offsets, token hashes, quotations, tokens_digest
    minhash.py      shingles, MinHash signatures (the only datasketch import, on demand);
                    `sketch` (what the index stores) and `fingerprint` (with token offsets)
    keys.py         LSH keys: signature bands and anchor-shingle pairs; the pairs a bucket
                    of them proposes (every pair, or through representatives)
    alignment.py    passages two texts share, as records.Passage
    verification.py a candidate pair -> CopyMatch (exact, near_duplicate, partial) or None
    batch.py        a chunk's candidate pairs verified (and screened) at once: verify's verdicts
    boilerplate.py  the shingles an outlet repeats under its articles, and the passages
                    that recur across outlets under unrelated stories
    prose.py        which lines are article prose (copy evidence) and which are furniture
    notices.py      legal, wire, consent and paywall notices (never prose), cues found once
    direction.py    which text is the source (publication time, credit lines) -> CopyEdge
    stories.py      copies grouped into records.Story, with a guard against chaining

No database and no I/O: the scan's copy phase (`provenance.scan.copy_phase`) feeds these from
the store, and `provenance.check` uses them on a draft. Tunables are in `provenance.config`.
"""

from provenance.copies.alignment import align
from provenance.copies.boilerplate import learn_boilerplate, learn_recurring, learn_site_template
from provenance.copies.direction import copy_edge, direct, orient, orient_known, published_time
from provenance.copies.keys import anchor_keys, band_keys, bucket_pairs
from provenance.copies.minhash import (
    Fingerprint,
    check_compatible,
    estimate_jaccard,
    fingerprint,
    in_sorted,
    shingle_set,
    sketch,
    to_minhash,
)
from provenance.copies.sites import site_of
from provenance.copies.stories import cluster_stories, is_strong, story_id
from provenance.copies.tokens import normalise_token, tokenise, tokens_digest
from provenance.copies.verification import CopyMatch, no_common_text, verify
from provenance.errors import IncompatibleIndexError

__all__ = [
    "CopyMatch", "Fingerprint", "IncompatibleIndexError", "align", "anchor_keys", "band_keys",
    "bucket_pairs",
    "check_compatible", "cluster_stories", "copy_edge", "direct", "estimate_jaccard",
    "fingerprint", "in_sorted", "is_strong", "learn_boilerplate", "learn_recurring",
    "learn_site_template", "site_of",
    "no_common_text", "normalise_token",
    "orient", "orient_known", "published_time", "shingle_set", "sketch", "story_id",
    "to_minhash", "tokenise", "tokens_digest", "verify",
]
