"""Tokens, shingles, MinHash signatures, LSH keys and recipes (copies.tokens, .sketch, .keys)."""

from __future__ import annotations

import random
import re
import textwrap
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from provenance.config import ANCHOR_PREFIX, KEY_DIGEST_BYTES, SINGLE_PREFIX, FingerprintParams
from provenance.copies import estimate_jaccard, fingerprint, sketch, to_minhash
from provenance.copies.keys import anchor_keys, band_keys
from provenance.copies.tokens import normalise_token, tokenise, tokens_digest
from provenance.errors import IncompatibleIndexError

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


CHINESE = (
    "朝鲜与俄罗斯签署了关于无人机生产的秘密协议。"
    "据日本广播协会报道，朝鲜计划今年开始生产无人机。"
)


def seed_texts() -> list[str]:
    """The five real seed articles (fixtures/seeds)."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def edit_words(text: str, rate: float, seed: int) -> str:
    """Replace a share of the words with words of another seed (deterministic)."""
    rng = random.Random(seed)
    vocab = sorted(set(re.findall(r"\w+", seed_texts()[2])))
    return re.sub(r"\w+", lambda m: rng.choice(vocab) if rng.random() < rate else m.group(), text)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Drohnenproduktion in Nordkorea", ["drohnenproduktion", "in", "nordkorea"]),
        ("Kamikaze-Drohne", ["kamikaze", "drohne"]),
        ("STRASSE Straße", ["strasse", "strasse"]),
        ("Über Äußerungen", ["über", "äusserungen"]),
        ("Приве́т, Пхеньян!", ["приве́т", "пхеньян"]),
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),
        ("北京市政府", ["北京", "京市", "市政", "政府"]),
        ("iPhone手机", ["iphone", "手机"]),
        ("ภาษาไทย", ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย"]),
        ("１２３ ＡＢＣ", ["123", "abc"]),
        ("snake_case", ["snake", "case"]),
        ("", []),
    ],
)
def test_tokens_are_normalised_words_or_bigrams(text: str, tokens: list[str]) -> None:
    assert [t for t, _, _ in tokenise(text)] == tokens


def test_token_offsets_point_into_the_original_text() -> None:
    for text in seed_texts():
        for token, start, end in tokenise(text):
            assert normalise_token(text[start:end]) == token


def test_normalisation_is_nfkc_and_casefold() -> None:
    decomposed = unicodedata.normalize("NFD", "Äußerung")
    assert normalise_token(decomposed) == normalise_token("ÄUSSERUNG") == "äusserung"


def test_cjk_text_without_spaces_gets_many_shingles() -> None:
    text = CHINESE
    fp = fingerprint(text)
    # Three runs between punctuation (21, 8 and 14 characters) give 20 + 7 + 13 bigrams.
    assert fp.token_count == 40
    assert len(fp.shingles) > 30
    assert fp.band_keys


def test_digest_ignores_layout_and_case_but_not_words() -> None:
    text = seed_texts()[4]
    wrapped = textwrap.fill(" ".join(text.split()), 50, break_long_words=False).upper()
    assert fingerprint(wrapped).digest == fingerprint(text).digest
    changed = text.replace("Wladiwostok", "Moskau")
    assert fingerprint(changed).digest != fingerprint(text).digest
    assert fingerprint(text).digest == tokens_digest([t for t, _, _ in tokenise(text)])


def test_text_digest_collapses_every_whitespace_run_as_the_regex_does() -> None:
    """The text hash (article ids, exact-copy groups) splits on what ``\\s`` matches: no-break
    spaces, ideographic spaces and the information separators too."""
    import hashlib

    from provenance.extract import text_digest
    spaced = " \tKim\u00a0Jong\u3000Un\x1cbesucht\n\n eine  Fabrik\u2028 \x1f"
    assert text_digest(spaced) == hashlib.sha256(
        re.sub(r"\s+", " ", spaced).strip().encode("utf-8")).hexdigest()
    assert text_digest(spaced) == text_digest("Kim Jong Un besucht eine Fabrik")
    assert text_digest("Kim Jong Un") != text_digest("Kim Jong-Un")


def test_fingerprint_is_deterministic_and_sketch_agrees_with_it() -> None:
    params = FingerprintParams()
    for text in seed_texts():
        one, again, short = fingerprint(text), fingerprint(text), sketch(text, params)
        assert np.array_equal(one.signature, again.signature)
        assert one.band_keys == again.band_keys and one.digest == again.digest
        assert np.array_equal(short.signature, one.signature)
        assert np.array_equal(short.shingles, one.shingles)
        assert short.band_keys == one.band_keys
        assert short.n_shingles == len(one.shingles) and short.recipe == params.recipe


def test_signature_is_a_datasketch_minhash_of_the_shingles() -> None:
    params = FingerprintParams()
    fp = fingerprint(seed_texts()[0], params)
    assert fp.signature.dtype == np.uint64
    assert len(fp.signature) == params.num_perm
    mh = to_minhash(fp.signature, params)
    assert mh.scheme == params.scheme == "affine32"
    assert mh.jaccard(to_minhash(fp.signature, params)) == 1.0
    assert np.array_equal(mh.hashvalues.astype(np.uint64), fp.signature)


def test_estimated_jaccard_tracks_exact_jaccard_for_an_edited_copy() -> None:
    text = seed_texts()[4]
    a, b = fingerprint(text), fingerprint(edit_words(text, 0.1, seed=3))
    common = len(np.intersect1d(a.shingles, b.shingles))
    exact = common / (len(a.shingles) + len(b.shingles) - common)
    assert 0.25 < exact < 0.6
    assert abs(estimate_jaccard(a, b) - exact) < 0.15


def test_band_keys_are_prefixed_by_band_and_compact() -> None:
    params = FingerprintParams()
    fp = fingerprint(seed_texts()[1], params)
    keys = band_keys(fp.signature, params)
    assert len(keys) == params.bands
    assert [k[0] for k in keys] == list(range(params.bands))
    assert all(len(k) == 1 + KEY_DIGEST_BYTES for k in keys)
    assert fp.band_keys[: params.bands] == keys
    rest = fp.band_keys[params.bands :]
    anchors = [k for k in rest if k[0] == ANCHOR_PREFIX]
    singles = [k for k in rest if k[0] == SINGLE_PREFIX]
    assert anchors and singles and rest == anchors + singles
    assert anchors == sorted(set(anchors)) and singles == sorted(set(singles))
    assert all(len(k) == 1 + KEY_DIGEST_BYTES for k in rest)


def test_anchor_keys_skip_excluded_shingles() -> None:
    params = FingerprintParams()
    fp = fingerprint(seed_texts()[4], params)
    assert anchor_keys(fp.shingle_seq, params, exclude=fp.shingles.tolist()) == []


def test_empty_text_has_no_keys() -> None:
    fp = fingerprint("  \n ... \n")
    assert fp.token_count == 0
    assert fp.band_keys == []
    assert estimate_jaccard(fp, fingerprint("")) == 0.0


@pytest.mark.parametrize(
    ("name", "derive"),
    [
        ("light edit", lambda t: edit_words(t, 0.1, seed=1)),
        ("trimmed 30%", lambda t: t[: len(t) * 3 // 10]),
        ("inside another text", lambda t: seed_texts()[1] + "\n\n" + t[: len(t) // 4]),
    ],
)
def test_copies_share_lsh_keys(name: str, derive) -> None:
    text = seed_texts()[4]
    original, copy = fingerprint(text), fingerprint(derive(text))
    assert set(original.band_keys) & set(copy.band_keys), name


def test_independent_seeds_share_no_lsh_key() -> None:
    fps = [fingerprint(text) for text in seed_texts()]
    singles = 0
    for i, a in enumerate(fps):
        for b in fps[i + 1 :]:
            shared = set(a.band_keys) & set(b.band_keys)
            # single-anchor keys (one 5-word shingle each) may be shared by independent
            # texts on one topic; the scan never pairs articles by them, a check verifies
            assert all(k[0] == SINGLE_PREFIX for k in shared)
            singles += len(shared)
    assert singles <= 2


def test_recipe_names_every_parameter() -> None:
    recipe = FingerprintParams().recipe
    for part in ("w5", "affine32", "p128", "s1", "lsh64x2", "nfkc"):
        assert part in recipe
    assert FingerprintParams(seed=2).recipe != recipe
    assert FingerprintParams(scheme="affine64").recipe != recipe


def test_different_recipes_are_refused_with_advice() -> None:
    text = seed_texts()[0]
    a = fingerprint(text)
    b = fingerprint(text, FingerprintParams(num_perm=64, bands=32))
    with pytest.raises(IncompatibleIndexError, match="--db"):
        estimate_jaccard(a, b)


def test_affine64_scheme_works() -> None:
    params = FingerprintParams(scheme="affine64")
    fp = fingerprint(seed_texts()[0], params)
    assert fp.signature.dtype == np.uint64 and len(fp.signature) == params.num_perm
    assert fp.signature.max() > 2**32  # 64-bit values, unlike affine32
    assert fp.band_keys[: params.bands] == band_keys(fp.signature, params)


def test_a_signature_of_other_parameters_makes_no_keys() -> None:
    fp = fingerprint(seed_texts()[0])
    with pytest.raises(IncompatibleIndexError, match="--db"):
        band_keys(fp.signature[:64], FingerprintParams())


@pytest.mark.parametrize(
    "kwargs",
    [{"bands": 65, "rows": 2}, {"shingle_size": 0}, {"scheme": "sha1"}, {"bands": 255, "rows": 0}],
)
def test_invalid_parameters_are_rejected(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        FingerprintParams(**kwargs)


# --- the token layout: a text fingerprinted once, at analysis ---------------------------------

LAYOUT_TEXTS = [*seed_texts(), CHINESE, "", "x", "„Wir bleiben“, sagte sie. " * 3,
                "Kurz.\n| Menü | Sport | Politik |\n" + seed_texts()[0]]


@pytest.mark.parametrize("text", LAYOUT_TEXTS, ids=range(len(LAYOUT_TEXTS)))
def test_the_stored_layout_gives_the_fingerprint_of_the_text(text) -> None:
    from provenance.copies.layout import unpack
    from provenance.copies.minhash import shingle_places

    params = FingerprintParams()
    made, stored = fingerprint(text, params), sketch(text, params)
    back = unpack(stored.layout, stored.shingles, stored.signature, params)
    assert back.digest == made.digest and stored.band_keys == made.band_keys
    for name in ("signature", "shingles", "shingle_seq", "token_starts", "token_ends",
                 "quoted", "prose"):
        assert np.array_equal(getattr(back, name), getattr(made, name)), name
    assert len(stored.layout) <= 6 * made.token_count + 64  # compact: about 5 bytes a token
    # where each shingle stands, which the layout holds: as a search of the text's finds it
    for found, expected in zip(shingle_places(back), shingle_places(made), strict=True):
        assert np.array_equal(found, expected)
    narrow = unpack(stored.layout, stored.shingles, stored.signature, params, np.int32)
    assert narrow.token_starts.dtype == np.int32
    assert np.array_equal(narrow.token_ends, made.token_ends)


def test_verifying_stored_articles_tokenises_no_text(tmp_path) -> None:
    from provenance import ScanConfig, Store, scan
    from provenance.config import Thresholds
    from provenance.copies.tokens import Tokenised
    from provenance.scan import copy_phase, pairs

    feeds = SEEDS.parent / "feeds"
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feeds], workers=1), db)
        first = {(e.source_id, e.copy_id, e.kind) for e in db.copy_edges()}
        ids = [a.id for a in db.articles()]
        found = {}
        for layouts in (True, False):
            if not layouts:
                with db.engine.begin() as conn:  # as in a database made before layouts
                    conn.exec_driver_sql("DELETE FROM token_layout")
            db.requeue_matches(ids)
            pairs.PRINTS.clear()
            before = Tokenised.texts
            copy_phase.find_copies(db, 1, FingerprintParams(), Thresholds())
            found[layouts] = ({(e.source_id, e.copy_id, e.kind) for e in db.copy_edges()},
                              Tokenised.texts - before)
    assert first and found[True][0] == first == found[False][0]
    assert found[True][1] == 0 < found[False][1]
