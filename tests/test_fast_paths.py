"""The scan's fast paths give exactly the results of the plain computations they replace."""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
from collections import Counter, OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from provenance import ScanConfig, Store, config, scan
from provenance.citations import sources as source_names
from provenance.config import KEY_BYTES, MINHASH_CHUNK, FingerprintParams
from provenance.copies import (
    batch,
    bucket_pairs,
    fingerprint,
    no_common_text,
    notices,
    shingle_set,
    sketch,
    tokens,
    verify,
)
from provenance.copies.direction import copy_edge, directed_edge, orient
from provenance.copies.keys import ANCHOR_PREFIX, _digests, anchor_positions, lsh_keys
from provenance.copies.minhash import (  # the fast path and the plain computation
    _affine32,
    _affine32_signature,
    _datasketch_signature,
    _fmix,
    _signatures,
    _template,
    shingle_hashes,
)
from provenance.copies.prose import _SENTENCE_END, blocks
from provenance.copies.retold import content_keys
from provenance.extract import zone_patterns
from provenance.records import Article
from provenance.scan import copy_phase, pairs
from provenance.scan.candidates import find_candidates
from provenance.scan.prints import Prints
from provenance.scan.reuse import ReusePlan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Texts that exercise the edges of the span patterns and of tokenisation.
TRICKY = [
    "", "x", "(dpa)", "Berlin (dpa) - Der Bundestag", "  (AFP) - Paris", "Ende. (dpa)\n",
    "Seoul, 3. Nov. (Reuters) Die", "a —Reuter— b", "LONDRES, 12. — Reuter — Dans",
    "Foto: dpa", "(Foto: Getty Images)", "Bild: picture alliance/dpa", "x. Photo: AP\n",
    "Reporting by Jane Doe; Editing by John Roe", "(Reporting by A; Writing by B; Editing by C)",
    "Mit Material von dpa und AFP", "Text: dpa\nMaterial: AFP", "  Mit Material: Reuters",
    "With additional reporting by Anna Lee in Kyiv", "Staff contributed to this report.",
    "((dpa))", "a\u00a0(dpa) Der", "x,\u2003 (AP) Die", "Nr. 5 (AP/dpa)\n(afp)", "snake_case (dpa)",
    "Приве́т (ТАСС) - Москва", "北京 (新华社) 电", "हिन्दी (PTI) भाषा", "UN-Sicherheitsrat",
    "US-Außenministerium und Pentagon. Das Pentagon teilte mit", "Kremls Sprecher Peskow",
    "Titel  Frankfurt / Main (DPA-AFX) - Der", "a.  B (dpa) - C", "x  Der Rat (AP) - y",
    "Ende. Rom (dpa) – Der Papst", "  Berlin (dpa) - ", "x   Y (dpa) - z",
    "plate.” Copyright © The Associated Press. All rights reserved. This material may not",
    "(Copyright 2020 The AP. All rights reserved.)\nx", "© 2024 dpa. Alle Rechte vorbehalten.",
    "Copyright law: All rights reserved", "x. COPYRIGHT 2019 REUTERS. ALL RIGHTS RESERVED.",
    "Original-Content von: Polizei Hamburg, übermittelt durch news aktuell",
    "New Delhi [India], Jan 2 (ANI): The", "Jan 2 (ANI): the", "x Sept. 12, (KUNA): Y",
    "aw/mm (AP, AFP)", "x/y/z/w/v (dpa)", "und/oder (ARD)", "(MENAFN - Gulf Times) x", "(MENAFN-)",
    "Ende. dpa", "Ende.  dpa/lby\nx", "x.\tRND/epd/cl \n", "x. a/b/c/d/e", "“Ja.” AP", ". dpa.",
    "x Original-Content von:ZDF,übermittelt durch newsaktuell", "Original-Content von: a",
]


def corpus_texts() -> list[str]:
    """The fixtures' plain texts and feed bodies, plus the tricky strings."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "texts").glob("*"))]
    for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts += [record[k] for k in ("text", "html") if record.get(k)]
    return texts + TRICKY


@pytest.mark.parametrize("pattern", list(zone_patterns.SPAN_STARTS), ids=lambda p: p.pattern[:24])
def test_span_scan_finds_what_finditer_finds(pattern) -> None:
    for text in corpus_texts():
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        found = zone_patterns.find_spans(pattern, text)
        assert [(m.span(), m.groupdict()) for m in found] == expected


def test_source_matcher_finds_what_a_loop_over_alias_patterns_finds() -> None:
    sources = source_names.SourceIndex.load()
    for text in corpus_texts():
        expected, done = [], 0
        for token in source_names._TOKEN.finditer(text):
            if token.start() < done:
                continue
            for _, pattern, source_id in sources._candidates(token.group()[:3].lower()):
                m = pattern.match(text, token.start())
                if m:
                    expected.append((m.start(), m.end(), source_id))
                    done = m.end()
                    break
        assert [(h.start, h.end, h.source_id) for h in sources.find(text)] == expected


def test_sketch_and_shingle_set_agree_with_the_full_fingerprint() -> None:
    params = FingerprintParams()
    for text in corpus_texts():
        full = fingerprint(text, params)
        short = sketch(text, params)
        assert np.array_equal(short.signature, full.signature)
        assert short.band_keys == full.band_keys and short.n_shingles == len(full.shingles)
        assert np.array_equal(shingle_set(text, params), full.shingles)
        assert all(len(key) == KEY_BYTES for key in full.band_keys)
        again = fingerprint(text, params, full.signature)
        assert again.band_keys == [] and np.array_equal(again.shingle_seq, full.shingle_seq)


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 42), (256, 7)])
def test_affine32_signatures_are_datasketch_update_batch(num_perm: int, seed: int) -> None:
    """The permutations drawn without datasketch are datasketch's own, and the signatures of
    the array paths (one set; many sets at once) are those of its ``update_batch``."""
    params = FingerprintParams(num_perm=num_perm, seed=seed, scheme="affine32", bands=1,
                               rows=num_perm)
    ours, theirs = _affine32(num_perm, seed), _template(num_perm, seed, "affine32")
    assert np.array_equal(np.array([ours.a, ours.b]), theirs.permutations)
    assert ours.a.dtype == theirs.permutations.dtype == np.uint32
    assert np.array_equal(ours.empty, theirs.hashvalues)
    rng = np.random.default_rng(seed)
    sets = [np.unique(rng.integers(0, 2**63, size, dtype=np.uint64))
            for size in (0, 1, 5, 300, MINHASH_CHUNK + 17, 40)]
    expected = [_datasketch_signature(shingles, params) for shingles in sets]
    for shingles, signature in zip(sets, expected, strict=True):
        assert np.array_equal(_affine32_signature(shingles, ours), signature)
    assert all(np.array_equal(a, b) for a, b in zip(_signatures(sets, params), expected,
                                                    strict=True))


def test_a_text_is_analysed_without_datasketch_or_trafilatura() -> None:
    """Analysing a text (what `check` does to a draft) with the default scheme loads neither
    datasketch (whose package imports SciPy: a third of a second at the start of every
    command) nor trafilatura; its signature is datasketch's all the same."""
    import subprocess
    import sys

    code = ("import sys; from provenance.analyse import analyse; "
            "from provenance.citations import Registry; from provenance.inputs import RawRecord; "
            "text = 'Die Agentur Yonhap meldete am Dienstag einen neuen Test der Rakete. ' * 3; "
            "from provenance.config import FingerprintParams; "
            "found = analyse(RawRecord('d.txt', 'd.txt', None, 'text', 'text', text), "
            "Registry.load(), FingerprintParams()); "
            "print(*(name in sys.modules for name in ('datasketch', 'scipy', 'trafilatura'))); "
            "print(*found.article.sketch.signature.tolist())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded, signature = done.stdout.splitlines()
    assert loaded.split() == ["False", "False", "False"]
    text = "Die Agentur Yonhap meldete am Dienstag einen neuen Test der Rakete. " * 3
    assert [int(v) for v in signature.split()] == sketch(text).signature.tolist()


def test_screening_never_rules_out_a_match() -> None:
    params = FingerprintParams()
    texts = corpus_texts()
    prints = [fingerprint(t, params) for t in texts]
    noise = prints[0].shingles[::3]
    for (i, a), (j, b) in itertools.combinations(enumerate(prints), 2):
        # the scan's screening is the same test computed the other way round
        for cut in (noise, noise[:0], a.shingles):
            assert pairs.may_share_text(a.shingles, b.shingles, cut) == (
                not no_common_text(a.shingles, b.shingles, cut))
        if no_common_text(a.shingles, b.shingles, noise):
            assert verify(a, b, boilerplate=noise) is None, (texts[i][:40], texts[j][:40])


def test_pairs_verified_at_once_get_the_verdicts_of_verify() -> None:
    """`copies.batch`: a chunk's pairs verified together (and screened together) get, pair by
    pair, what `verify` (and `no_common_text`) say: outlets' own noise, pages of one site with
    their template, shingles repeated in a text, exact copies, pairs in either order."""
    params = FingerprintParams()
    texts = corpus_texts()
    texts += [texts[0] + "\n\n" + texts[0], texts[1][: len(texts[1]) // 2], texts[2]]
    prints = [fingerprint(t, params) for t in texts]
    empty = np.zeros(0, dtype=np.uint64)
    outlets = [prints[0].shingles[::5], prints[3].shingles[1::4], empty]
    own = [np.union1d(outlets[k % 3], prints[5].shingles[::9]) for k in range(len(prints))]
    template = prints[1].shingles[::2]
    pairs = list(itertools.combinations(range(len(prints)), 2))
    pairs += [(j, i) for i, j in pairs[::7]]
    sites = [(i + j) % 4 == 0 for i, j in pairs]
    noises = [np.union1d(np.union1d(own[i], own[j]), template if site else empty)
              for (i, j), site in zip(pairs, sites, strict=True)]
    expected = [verify(prints[i], prints[j], noise, same_site=site)
                for (i, j), noise, site in zip(pairs, noises, sites, strict=True)]
    assert sum(m is not None for m in expected) >= 10  # copies among the fixtures
    for _ in range(2):  # and again, from what the fingerprints' memos kept
        assert batch.verify_many(prints, own, pairs, noises, sites) == expected
    sets = [fp.shingles for fp in prints]
    assert batch.share_text(sets, pairs, noises) == [
        not no_common_text(sets[i], sets[j], noise)
        for (i, j), noise in zip(pairs, noises, strict=True)]
    # screened and verified in one pass: light pairs (a third) must share 100 shingles
    least = [100 if p % 3 == 0 else 1 for p in range(len(pairs))]
    screened = batch.share_text(sets, pairs, noises, least)
    light = [m for p, m in enumerate(expected) if m and p % 3 == 0]
    kept = [m for p, m in enumerate(expected) if m and p % 3 == 0 and screened[p]]
    assert 0 < len(kept) < len(light)  # copies sharing fewer shingles are ruled out
    assert batch.screen_and_verify(prints, own, pairs, noises, sites, least) == (
        [m if kept else None for m, kept in zip(expected, screened, strict=True)], screened)


def dense_articles(count: int, seed: int) -> list[str]:
    """Articles of 2-5 whole paragraphs of the seeds, drawn so that each paragraph recurs in a
    few of them (dense reuse: most pairs share one paragraph, one run of shingles); some
    paragraphs quoted, some opened by a site's short header line."""
    paragraphs = [p.strip() for path in sorted((FIXTURES / "seeds").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = np.random.default_rng(seed)
    articles = []
    for n in range(count):
        chosen = rng.choice(len(paragraphs), size=int(rng.integers(2, 6)), replace=False)
        body = [paragraphs[k] if k % 5 else f"„{paragraphs[k]}“" for k in chosen.tolist()]
        if n % 4 == 0:  # a site's header before the article
            body.insert(0, "Nachrichten aus aller Welt, jeden Tag neu für unsere Leser")
        articles.append("\n\n".join(body))
    return articles


def test_pairs_sharing_one_run_get_the_verdicts_of_verify() -> None:
    """`copies.one_run`: pairs that share one run of text (a paragraph, a header line, a few
    words) are judged in columns; pair by pair, the verdict is that of `verify`, with the
    outlets' own noise, and pages of one site that share only their template slots."""
    params = FingerprintParams()
    prints = [fingerprint(t, params) for t in dense_articles(60, seed=7)]
    empty = np.zeros(0, dtype=np.uint64)
    outlets = [prints[1].shingles[::4], prints[2].shingles[1::3], empty]
    own = [outlets[k % 3] for k in range(len(prints))]
    pairs = list(itertools.combinations(range(len(prints)), 2))
    sites = [i % 3 == j % 3 for i, j in pairs]
    noises = [np.union1d(own[i], own[j]) for i, j in pairs]
    expected = [verify(prints[i], prints[j], noise, same_site=site)
                for (i, j), noise, site in zip(pairs, noises, sites, strict=True)]
    kinds = Counter(m.kind if m else None for m in expected)
    assert kinds["partial"] >= 10 and kinds["near_duplicate"] >= 1 and kinds[None] >= 100
    # pages of one site that share text outside their template are copies, their header is not
    shared_header = [verify(prints[i], prints[j], noise) is not None and m is None
                     for (i, j), noise, m, site in zip(pairs, noises, expected, sites,
                                                       strict=True) if site]
    assert any(shared_header)
    for _ in range(2):  # and again, from what the fingerprints' memos kept
        assert batch.verify_many(prints, own, pairs, noises, sites) == expected
    # a chunk none of whose pairs is a copy
    none = [p for p, m in enumerate(expected) if m is None]
    assert batch.verify_many(prints, own, [pairs[p] for p in none], [noises[p] for p in none],
                             [sites[p] for p in none]) == [None] * len(none)


def edges_by_name(db: Store) -> list[tuple]:
    names = {a.id: a.external_id for a in db.articles()}
    return sorted((names[e.source_id], names[e.copy_id], e.kind, e.relation, e.jaccard,
                   e.passages) for e in db.copy_edges())


def test_workers_find_the_copies_one_process_finds(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(config, "MATCH_CHUNK", 3)  # several chunks, so that workers verify
    monkeypatch.setattr(config, "MIN_OUTLETS_FOR_POOL", 1)
    found = []
    # one process; workers reading their tasks' shingle sets and articles from the database;
    # workers given them with the tasks (as for a database only the scan's process sees)
    for workers, reads in ((1, True), (2, True), (2, False)):
        with monkeypatch.context() as m:
            if not reads:
                m.setattr(pairs, "shared_file", lambda store: None)
            with Store(tmp_path / f"w{workers}{reads}.db") as db:
                result = scan(ScanConfig(paths=[FIXTURES], manifest=FIXTURES / "manifest.csv",
                                         outlets_files=[FIXTURES / "outlets.json"],
                                         workers=workers), db)
                assert result.counts["timings"]["workers"] == (2 if workers == 2 else 0)
                # the stories too: clustered by a worker beside the resolution where it reads
                # the database, else in the scan's process
                found.append((edges_by_name(db), db.query("SELECT * FROM boilerplate"),
                              db.query("SELECT a.external_id, s.origin_article_id = a.id "
                                       "FROM story_member m JOIN story s ON s.id = m.story_id "
                                       "JOIN article a ON a.id = m.article_id "
                                       "ORDER BY a.external_id")))
    assert found[0] == found[1] == found[2] and found[0][0] and found[0][2]


def test_tasks_for_workers_run_in_the_scan_process_read_and_close_the_database(
        tmp_path, monkeypatch) -> None:
    """Two workers asked for, but too few chunks for the pool: the tasks, built for workers
    that read the database, run in the scan's process, which opens the database for each and
    keeps no connection that a worker forked later would inherit."""
    monkeypatch.setattr(config, "MATCH_CHUNK", 3)
    opened, real = [], pairs.reading
    monkeypatch.setattr(pairs, "reading",
                        lambda database: opened.append(database) or real(database))
    found = []
    for workers, chunks_for_pool in ((1, 2), (2, 10**6)):
        monkeypatch.setattr(config, "MIN_CHUNKS_FOR_POOL", chunks_for_pool)
        with Store(tmp_path / f"p{workers}.db") as db:
            scan(ScanConfig(paths=[FIXTURES], manifest=FIXTURES / "manifest.csv",
                            outlets_files=[FIXTURES / "outlets.json"], workers=workers), db)
            found.append(edges_by_name(db))
    assert found[0] == found[1] and found[0]
    assert opened and not pairs._READERS  # read through the database, nothing kept open


def test_the_cache_keeps_an_article_s_metadata_and_citations_with_its_fingerprint() -> None:
    params = FingerprintParams()
    text = (FIXTURES / "seeds" / "000_91de5c1d8bb5a62d.txt").read_text(encoding="utf-8")
    article = Article(id="a1", source_key="id:a1", external_id="a1", path="feed.jsonl",
                      record="1", format="jsonl", n_chars=len(text), text_hash="h", text=text,
                      publisher_id="nhk", published="2025-02-01")
    cache = Prints(1 << 30)
    made = cache.fingerprint(article, params, {"kcna"})
    assert cache.known(["a1", "b2"], params) == {"a1": made}
    (held, cited), = cache.held(["a1", "b2"], params).values()
    assert (held.id, held.publisher_id, held.published, held.text, held.sketch) == (
        "a1", "nhk", "2025-02-01", "", None)
    assert cited == {"kcna"}
    cache.budget = 1  # the next fingerprint drops this one, and what it kept with it
    cache.fingerprint(replace(article, id="b2", text="Ganz andere Worte hier."), params)
    assert cache.held(["a1", "b2"], params).keys() == {"b2"}


def test_a_chunk_is_verified_with_what_its_screening_read(tmp_path, monkeypatch) -> None:
    """The publishers and boilerplate read to screen a chunk serve its verification: the same
    task as one read afresh, with no second reading."""
    with Store(tmp_path / "p.db") as db:
        monkeypatch.setattr(importlib.import_module("provenance.scan"), "find_copies",
                            lambda *a, **k: copy_phase.CopyCounts())
        scan(ScanConfig(paths=[FIXTURES / "feeds"], workers=1), db)
        new_ids = db.pending_matches()
        db.index_pending_keys(KEY_BYTES)
        by_chunk, names, new_ids = find_candidates(db, new_ids, copy_phase.CopyCounts())
        params, thresholds = FingerprintParams(), config.DEFAULT_THRESHOLDS
        # in this process; in workers given the data (a database only this process sees)
        for local in (True, False):
            monkeypatch.setattr(pairs, "shared_file", lambda store: None)
            read = pairs.ChunkReads()
            tasks = list(pairs.screen_tasks(db, new_ids, dict(by_chunk), names,
                                            (params, thresholds), local, read))
            screened = [pairs.screen_task(task) for task in tasks]
            assert any(s.pairs for s in screened)
            afresh = [pairs.verify_task_of(db, s, params, thresholds, local,
                                           pairs.ChunkReads()) for s in screened]
            asked = []
            for name in ("publishers", "boilerplate"):
                monkeypatch.setattr(db, name,
                                    lambda *a, name=name, asked=asked: asked.append(name))
            kept = [pairs.verify_task_of(db, s, params, thresholds, local, read)
                    for s in screened]
            monkeypatch.undo()
            assert not asked and not read.chunks
            for one, other in zip(afresh, kept, strict=True):
                assert one.boilerplate.keys() == other.boilerplate.keys()
                assert all(np.array_equal(one.boilerplate[k], other.boilerplate[k])
                           for k in one.boilerplate)
                assert one.cited == other.cited
                assert {a.id: (a.publisher_id, a.published, a.text) for a in
                        one.articles.values()} == {a.id: (a.publisher_id, a.published, a.text)
                                                   for a in other.articles.values()}


def test_a_chunk_screened_and_verified_in_one_task_gets_what_two_passes_give(
        tmp_path, monkeypatch) -> None:
    """A worker that reads the database screens and verifies a chunk in one task
    (`pairs.match_task`): the pairs screening leaves, the light ones among them, and the edges
    are those of screening the stored shingle sets first and verifying the pairs left; also
    with every pair light (each must share `LIGHT_MIN_SHINGLES` shingles), and with every pair
    of the chunk's articles (most share nothing)."""
    with Store(tmp_path / "p.db") as db:
        monkeypatch.setattr(importlib.import_module("provenance.scan"), "find_copies",
                            lambda *a, **k: copy_phase.CopyCounts())
        scan(ScanConfig(paths=[FIXTURES / "feeds", FIXTURES / "seeds"], workers=1), db)
        new_ids = db.pending_matches()
        db.index_pending_keys(KEY_BYTES)
        by_chunk, names, new_ids = find_candidates(db, new_ids, copy_phase.CopyCounts())
        settings = FingerprintParams(), config.DEFAULT_THRESHOLDS
        tasks = [t for t in pairs.screen_tasks(db, new_ids, dict(by_chunk), names, settings,
                                               False, pairs.ChunkReads()) if t.pairs]
        assert tasks and all(t.database and t.thresholds for t in tasks)
        found = Counter()
        for task in tasks:
            ids = sorted({i for pair in task.pairs for i in pair})
            every = list(itertools.combinations(ids[:40], 2))
            for chosen, light in ((task.pairs, task.light), (task.pairs, frozenset(task.pairs)),
                                  (every, frozenset(every[::2]))):
                one = pairs.match_task(replace(task, pairs=chosen, light=light))
                carried = replace(task, pairs=chosen, shingles=db.shingle_sets(ids),
                                  database=None, light=light)
                two = pairs.verify_task(pairs.verify_task_of(
                    db, pairs.screen_task(carried), *settings, True, pairs.ChunkReads()))
                assert one == two
                found["edges"] += len(one[1])
                found["ruled out"] += len(chosen) - len(one[0].pairs)
                found["light kept"] += one[0].light
        assert found["edges"] and found["ruled out"] and found["light kept"]


def test_the_union_of_noises_is_numpy_s() -> None:
    """`union_sorted` (an outlet's few shingles merged into the archive's many) is
    `np.union1d` of the arrays, whatever their sizes, overlaps and order."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from provenance.scan.boilerplate import union_sorted

    values = st.one_of(st.integers(0, 40), st.integers(0, 2**64 - 1))
    arrays = st.lists(st.lists(values, max_size=120).map(
        lambda v: np.unique(np.array(v, dtype=np.uint64))), min_size=1, max_size=5)

    @settings(max_examples=300, deadline=None)
    @given(arrays)
    def check(parts: list[np.ndarray]) -> None:
        expected = parts[0]
        for part in parts[1:]:
            expected = np.union1d(expected, part)
        found = union_sorted(parts)
        assert found.dtype == np.uint64 and np.array_equal(found, expected)

    check()


def test_the_copy_phase_reads_a_publisher_or_a_boilerplate_once(tmp_path) -> None:
    """`ChunkReads` answers as the store does and asks the store only for what it has not
    read (an article of dense reuse is in many chunks); past its limit it reads afresh."""
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[FIXTURES / "feeds"], workers=1), db)
        ids = sorted(a.id for a in db.articles())
        keys = sorted({"*archive*", *(p for p in db.publishers(ids).values() if p)})
        asked: list[int] = []
        real_publishers, real_boilerplate = db.publishers, db.boilerplate
        db.publishers = lambda wanted: asked.append(len(wanted)) or real_publishers(wanted)
        db.boilerplate = lambda wanted: asked.append(len(wanted)) or real_boilerplate(wanted)
        read = pairs.ChunkReads(limit=len(ids) + len(keys))
        for half in (ids[: len(ids) // 2], ids, ids):
            assert read.publishers(db, half) == real_publishers(half)
        for some in (keys[:1], keys, keys):
            found = read.boilerplate(db, some)
            expected = real_boilerplate(some)
            assert found.keys() == expected.keys()
            assert all(np.array_equal(found[k], expected[k]) for k in found)
        assert asked == [len(ids) // 2, len(ids) - len(ids) // 2, 1, len(keys) - 1]
        small = pairs.ChunkReads(limit=len(ids) - 1)
        for _ in range(2):
            assert small.publishers(db, ids) == real_publishers(ids)
        assert asked[4:] == [len(ids), len(ids)]


def test_a_changed_article_takes_its_keys_out_of_the_index(tmp_path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [json.loads(line) for line in
               (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines()]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        scan(ScanConfig(paths=[feed], workers=1), db)
        records[0]["text"] = "Eine ganz neue Fassung des Textes. " * 20
        feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        result = scan(ScanConfig(paths=[feed], workers=1), db)
        assert result.counts["updated"] == 1
        stale = db.query("SELECT count(*) AS n FROM lsh_key k JOIN article a "
                         "ON a.id = k.article_id WHERE NOT a.is_current")
        assert stale[0]["n"] == 0
        indexed = db.query("SELECT count(DISTINCT article_id) AS n FROM lsh_key")[0]["n"]
        assert indexed == db.count("articles")


def test_a_small_bucket_proposes_every_pair_a_large_one_its_representatives() -> None:
    members = [f"art-{i:02d}" for i in range(40)]
    new = set(members[1::2])
    small = list(bucket_pairs(members[:6], new.__contains__, pair_bucket=16, representatives=2))
    assert sorted(small) == [(a, b) for a, b in itertools.combinations(members[:6], 2)
                             if a in new or b in new]
    large = list(bucket_pairs(list(reversed(members)), new.__contains__, 16, 2))
    # linear in the bucket: every member is joined to the representatives (the smallest ids)
    assert len(large) == len(set(large)) < 2 * len(members)
    assert all(a < b and (a in new or b in new) and a in members[:2] for a, b in large)
    assert {m for pair in large for m in pair} == set(members)


def test_a_syndication_family_is_joined_through_representatives(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(config, "PAIR_BUCKET", 16)  # the option is off by default
    text = (FIXTURES / "seeds" / "000_91de5c1d8bb5a62d.txt").read_text(encoding="utf-8")
    family = 24  # more than config.PAIR_BUCKET copies of one story
    feed = tmp_path / "wire.jsonl"
    feed.write_text("".join(json.dumps({
        "id": f"copy-{i:02d}", "outlet": f"outlet-{i}.example",
        "published": f"2025-03-01T{i % 24:02d}:00:00Z",
        "text": f"Stand {i}: aktualisierte Fassung Nummer {i}.\n\n{text}"}) + "\n"
        for i in range(family)), encoding="utf-8")
    with Store(tmp_path / "p.db") as db:
        counts = scan(ScanConfig(paths=[feed], workers=1), db).counts["copies"]
        edges = db.copy_edges()
        stories = db.stories()
    assert family > config.PAIR_BUCKET and counts["represented_buckets"] > 0
    assert counts["candidate_pairs"] < family * (family - 1) // 2
    assert len(stories) == 1 and len(stories[0].members) == family
    assert {e.source_id for e in edges} | {e.copy_id for e in edges} == set(stories[0].members)


# --- the fingerprint stage's fast paths (issue 17) ------------------------------------------------

# Pieces of text that reach every branch: notice cues (strong, weak, forms that a lookahead or a
# word boundary decides), characters whose lower case is longer or depends on context (Turkish
# dotted I, Greek sigma), combining marks, underscores, space-less scripts, quotes, table cells.
PIECES = [
    "All rights reserved.", "This material may not be published", "sign up for our newsletter",
    "Sign up", " cookies ", "cookie", "privacy", "Datenschutz", "Zustimmung", "subscribe",
    "subscription", " app ", "apps", "happen", "editor's note", "accept all", "video could not "
    "be loaded", "Your browser does not support", "suscribirse", "inicia sesión", "zgoda na",
    "abbonati", "подпишитесь на нашу рассылку", "İSTANBUL", "ΟΔΟΣ Σ", "e\u0301t\u0301e",
    "snake_case", "北京新华社", "„Zitat“", "\"quoted words\"", "«guillemets»", " | ", "\n", "\n\n",
    ". ", ", ", "; ", " ", " and the council said ", "Die Regierung teilte mit, ", "2025",
]


def _piece_texts():
    from hypothesis import strategies as st

    words = st.text(alphabet="abcxyzABCÄäöüßéİıΣσςЖжё0123456789 .,!?\"'«»“”-_\n\u0301",
                    max_size=14)
    return st.lists(st.one_of(st.sampled_from(PIECES), words), max_size=60).map("".join)


def _check_notices(text: str, extra: list[tuple[int, int]]) -> None:
    cues = notices.Cues(text)
    spans = list(blocks(text)) + extra + [(0, len(text))]
    for start, end in list(spans):
        cuts = [start, *(start + m.end() for m in _SENTENCE_END.finditer(text[start:end])), end]
        spans += list(zip(cuts, cuts[1:], strict=False))
    for start, end in spans:
        assert cues.notice(start, end) == notices.is_notice(text[start:end]), text[start:end]
        low = text[start:end].lower()
        assert cues.any_stem(start, end) == any(s in low for s in notices.CUE_STEMS)


def test_notice_cues_found_once_per_text_answer_as_the_plain_test() -> None:
    for text in corpus_texts() + PIECES + [" ".join(PIECES), "".join(PIECES) * 3]:
        _check_notices(text, [])


def test_notice_cues_on_generated_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(_piece_texts(), st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)),
                                    max_size=8))
    def check(text, cuts):
        _check_notices(text, [(min(a, b), max(a, b)) for a, b in cuts])

    check()


def test_every_cue_holds_one_of_its_literals() -> None:
    required_literals = notices.required_literals
    for cue in notices.STRONG_CUES + notices.WEAK_CUES:
        literals = required_literals(cue)
        assert literals and all(literals)
        if not any(c in cue for c in "\\[(?*+"):  # a plain phrase is its own literal
            assert literals == (cue,)
    assert required_literals(r"(?:accept|reject) all") == ("accept", "reject")
    assert required_literals(r"déjà abonnée? ?\?") == ("déjà abonné",)
    with pytest.raises(ValueError):
        required_literals(r"a|b")


def _plain_token_hash(token: str) -> int:
    digest = hashlib.blake2b(tokens.normalise_token(token).encode("utf-8"), digest_size=8,
                             person=b"prov-tok")
    return int.from_bytes(digest.digest(), "little")


def _check_tokens(text: str) -> None:
    words, starts, _ = tokens.token_spans(text)
    assert tokens.token_hashes(words).tolist() == [_plain_token_hash(w) for w in words]
    assert tokens.words_digest(words) == tokens.tokens_digest(
        [tokens.normalise_token(w) for w in words])
    expected = np.zeros(len(starts), dtype=bool)
    for m in tokens._QUOTE_RE.finditer(text):
        lo, hi = np.searchsorted(starts, [m.start(), m.end()])
        expected[lo:hi] = True
    assert np.array_equal(tokens.quoted_mask(text, starts), expected)


def test_token_vocabulary_and_joined_digest_are_the_plain_computations(monkeypatch) -> None:
    texts = corpus_texts() + PIECES
    for text in texts:
        _check_tokens(text)
    # a vocabulary emptied again and again gives the same values
    monkeypatch.setattr(tokens, "VOCABULARY", tokens.Vocabulary(50))
    for text in texts:
        _check_tokens(text)


def test_token_fast_paths_on_generated_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(_piece_texts(), st.text(max_size=80)))
    def check(text):
        _check_tokens(text)

    check()


def _check_array_tokens(text: str, monkeypatch) -> None:
    """The array tokeniser gives the regexes' tokens and offsets (or leaves the text to them)."""
    words, starts, ends = tokens.token_spans(text)
    raw = tokens.raw_tokens(text)
    with monkeypatch.context() as m:
        m.setattr(tokens, "_array_tokens", lambda text, offsets: None)
        plain_words, plain_starts, plain_ends = tokens.token_spans(text)
        assert raw == tokens.raw_tokens(text) == plain_words
    assert words == plain_words
    assert starts.tolist() == plain_starts.tolist() and ends.tolist() == plain_ends.tolist()


def test_array_tokeniser_is_the_regex_tokeniser(monkeypatch) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    for text in corpus_texts() + PIECES + ["a\u00ad b", "x\u200by", "\ud800 lone", "😀 x_y"]:
        _check_array_tokens(text, monkeypatch)
    # every character of the plane, in runs, next to letters, marks, spaces and punctuation
    plane = "".join(map(chr, range(0x10000)))
    for at in range(0, 0x10000, 512):
        _check_array_tokens(" a".join(plane[at:at + 512]), monkeypatch)
        _check_array_tokens(plane[at:at + 512], monkeypatch)

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(_piece_texts(), st.text(max_size=80)))
    def check(text):
        _check_array_tokens(text, monkeypatch)

    check()


def _plain_shingles(hashes: np.ndarray, size: int) -> np.ndarray:
    """shingle_hashes as first written: a new array at every step."""
    width = min(size, len(hashes))
    count = len(hashes) - width + 1
    h = np.full(count, np.uint64(width), dtype=np.uint64)
    for j in range(width):
        h = _fmix(h ^ hashes[j: j + count], 64)
    return h


def test_sketch_parts_are_their_plain_computations() -> None:
    params = FingerprintParams()
    for text in corpus_texts() + PIECES:
        fp = fingerprint(text, params)
        kept = fp.shingle_seq[fp.shingle_seq != np.uint64(2**64 - 1)]
        anchors = kept[anchor_positions(kept, params)]
        pairs = np.stack([anchors[:-1], anchors[1:]], axis=1).astype("<u8")
        keys = lsh_keys(fp.signature, kept, params)
        expected = sorted(set(_digests(ANCHOR_PREFIX, pairs.tobytes(), 16))) if len(
            anchors) > 1 else []
        assert [k for k in keys if k[0] == ANCHOR_PREFIX] == expected
        hashes = np.array([_plain_token_hash(w) for w in tokens.token_spans(text)[0]],
                          dtype=np.uint64)
        if len(hashes):
            assert np.array_equal(shingle_hashes(hashes, params.shingle_size),
                                  _plain_shingles(hashes, params.shingle_size))
        with_content = sketch(text, params, content=True)
        assert with_content.band_keys == sketch(text, params).band_keys + content_keys(text)


def _article(name: str, text: str, publisher: str | None, published: str | None) -> Article:
    return Article(id=name, source_key=name, external_id=name, path="", record=None,
                   format="text", text=text, text_hash=name, n_chars=len(text),
                   publisher_id=publisher, published=published)


def test_directed_edge_is_copy_edge_of_the_oriented_match() -> None:
    """`copies.direction.directed_edge` (memoised times, no directed match in between) is
    `copy_edge(orient(...))` for every kind of date, tie, credit and contradiction."""
    params = FingerprintParams()
    texts = corpus_texts()
    a_text, b_text = texts[0], texts[0] + "\n\nA closing paragraph of the copy, written here."
    match = verify(fingerprint(a_text, params), fingerprint(b_text, params))
    assert match is not None
    times = [None, "2024-05-01", "2024-05-02", "2024-05-01T10:00:00Z", "2024-05-01T10:30:00Z",
             "2024-05-01T18:00:00Z", "2024-05-03T00:00:00Z"]
    credits = [(set(), set()), ({"b"}, set()), (set(), {"a"}), ({"b"}, {"a"})]
    seen = set()
    for when_a, when_b in itertools.product(times, times):
        for (cites_a, cites_b), same in itertools.product(credits, (False, True)):
            a = _article("A", a_text, "a", when_a)
            b = _article("B", b_text, "a" if same else "b", when_b)
            expected = copy_edge(a, b, orient(match, a, b, cites_a, cites_b))
            assert directed_edge(a, b, match, cites_a, cites_b) == expected
            seen.add((expected.relation, expected.direction_basis, expected.backdated,
                      expected.source_id))
    assert {("derived_from", "published", True, "B"), ("similar", "tie", False, "A"),
            ("similar", "undated", False, "A"), ("derived_from", "published", False, "B")} <= seen


def test_reuse_plan_drops_what_is_needed_latest() -> None:
    """`scan.reuse.ReusePlan`: the next chunk that needs each article, and a full cache drops
    the entries never needed again first, then those needed latest (not the least recent)."""
    names = ["a", "b", "c", "d"]
    code = {n: k for k, n in enumerate(names)}

    def codes(*pairs):
        return np.array(sorted(code[x] << 32 | code[y] for x, y in pairs), dtype=np.uint64)

    plan = ReusePlan([(0, codes(("a", "b"), ("a", "c"))), (1, codes(("b", "c"))),
                      (3, codes(("a", "b"))), (4, codes(("c", "d")))], names)
    assert plan.next_uses(["a", "b", "c", "d", "zz"]).tolist()[:4] == [3, 1, 1, 4]
    plan.now = 1
    assert plan.next_uses(["a", "b", "c", "d"]).tolist() == [3, 3, 4, 4]
    plan.now = 4
    assert (plan.next_uses(["a", "d"]) == np.iinfo(np.int64).max).all()
    plan.now = 0
    entries = OrderedDict(((n, "r"), (None, 100, True)) for n in ["c", "d", "b", "a"])
    freed = plan.evict(entries, 150)  # d (chunk 4) and a (chunk 3) go; b, c (chunk 1) stay
    assert freed == 200 and [k[0] for k in entries] == ["c", "b"]


def test_a_small_fingerprint_cache_finds_the_same_edges(tmp_path, monkeypatch) -> None:
    """Fingerprints dropped and made again (a cache far smaller than the archive, dropping by
    the plan) change no edge, nor its id."""
    monkeypatch.setattr(config, "MATCH_CHUNK", 3)
    found, made = [], []
    real = Prints.fingerprint
    monkeypatch.setattr(Prints, "fingerprint",
                        lambda self, a, p, cited=frozenset(): made.append(a.id)
                        or real(self, a, p, cited))
    for budget in (1 << 30, 40_000):
        monkeypatch.setattr(config, "VERIFY_CACHE_BYTES", budget)
        monkeypatch.setattr(pairs.PRINTS, "budget", budget)
        made.clear()
        with Store(tmp_path / f"c{budget}.db") as db:
            scan(ScanConfig(paths=[FIXTURES], manifest=FIXTURES / "manifest.csv",
                            outlets_files=[FIXTURES / "outlets.json"], workers=1), db)
            found.append((db.query("SELECT * FROM copy_edge ORDER BY id"), len(made)))
    assert found[0][0] == found[1][0] and found[0][0]
    assert found[1][1] > found[0][1]  # the small cache made fingerprints again
