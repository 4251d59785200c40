"""Searching the readers for failures: cut and bit-flipped archives, property tests per format.

The invariant everywhere: reading never raises and never prints, and what a damaged input held
is either read (whole and unchanged) or recorded as a problem naming the file and the place.
The WARC tests run on an archive written here (so they run without ../shared/data) and on real
archives from ../shared/data/warc-samples when present.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from provenance import inputs
from provenance.inputs import RawRecord, SourceFile
from provenance.inputs.files import GZIP_MAGIC
from provenance.records import InputProblem

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pages written for these tests.
PAGES = [
    ("https://www.elbe-echo.example/a", "text/html; charset=utf-8",
     "<html><head><title>Hafen</title></head><body><p>Der Hafen von Rason wird ausgebaut, "
     "meldet die Nachrichtenagentur Yonhap.</p></body></html>"),
    ("https://www.elbe-echo.example/logo.gif", "image/gif", "GIF89a-not-really"),
    ("https://www.harbourtimes.example/b", "text/html",
     "<html><body><p>The bridge over the Tumen river opened on Tuesday, Reuters "
     "reported.</p><p>Trucks will cross from June.</p></body></html>"),
]


def build_warc(path: Path, compress: bool) -> Path:
    """A small WARC: warcinfo, a request, and three responses (two HTML pages, one image)."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        info = b"software: provenance tests\r\n"
        writer.write_record(writer.create_warc_record(
            "", "warcinfo", payload=io.BytesIO(info), length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": "2025-11-20T09:15:00Z"}))
        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "www.elbe-echo.example")],
                                   is_http_request=True)
        writer.write_record(writer.create_warc_record(
            PAGES[0][0], "request", payload=io.BytesIO(b""), length=0, http_headers=request,
            warc_headers_dict={"WARC-Date": "2025-10-28T11:31:04Z"}))
        for url, ctype, body in PAGES:
            data = body.encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype),
                                               ("Content-Length", str(len(data)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(data), length=len(data), http_headers=http,
                warc_headers_dict={"WARC-Date": "2025-10-28T11:31:05Z"}))
    return path


def read_file(path: Path) -> tuple[list, str]:
    """Every outcome of reading `path` as a WARC, and what was written to stderr meanwhile."""
    data_head = path.read_bytes()[:2]
    item = SourceFile(str(path), str(path), "warc", path.stat().st_size, 0,
                      data_head == b"\x1f\x8b")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        outcomes = list(inputs.read(item))
    return outcomes, err.getvalue()


def record_spans(path: Path) -> list[tuple[int, int]]:
    """(start, end) of every record of an undamaged archive, as warcio measures them.

    The newline that ends the header record of an uncompressed ARC file is left out: warcio
    reads that record as lines, so a cut just before its last newline loses nothing.
    """
    spans = []
    arc = path.read_bytes().startswith(b"filedesc://")
    with path.open("rb") as fh:
        records = ArchiveIterator(fh, arc2warc=True)
        for _ in records:
            start = records.get_record_offset()
            spans.append((start, start + records.get_record_length() - (arc and not spans)))
    return spans


def check_cut(whole: dict[str, str], spans: list[tuple[int, int]], outcomes: list, k: int
              ) -> None:
    """The invariant of a cut at byte `k`: whole records before it read unchanged, the record
    it falls in reported by its offset."""
    got = {o.record: o.content for o in outcomes if isinstance(o, RawRecord)}
    errors = [o for o in outcomes if isinstance(o, InputProblem) and o.severity == "error"]
    assert all(whole.get(where) == text for where, text in got.items()), k
    done = {f"offset {start}" for start, end in spans if end <= k} & whole.keys()
    assert done <= got.keys(), k
    inside = [start for start, end in spans if start < k < end]
    if inside:
        assert [e.record for e in errors] == [f"offset {inside[0]}"], (k, errors)
    elif whole.keys() - got.keys() - {f"offset {s}" for s, _ in spans if s >= k}:
        pytest.fail(f"cut at {k}: records lost without a problem")


def cuts(size: int, spans: list[tuple[int, int]], every: int) -> list[int]:
    """Cut points: every `every`-th offset, and every offset within 3 bytes of a record edge."""
    edges = {p + d for span in spans for p in span for d in range(-3, 4)}
    return sorted({k for k in range(1, size, every)} | {k for k in edges if 0 < k < size})


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_a_warc_cut_at_every_offset_keeps_whole_records_and_reports_the_rest(tmp_path,
                                                                               compress):
    source = build_warc(tmp_path / "crawl.warc", compress)
    data = source.read_bytes()
    outcomes, err = read_file(source)
    whole = {o.record: o.content for o in outcomes if isinstance(o, RawRecord)}
    assert len(whole) == 2 and not err
    assert [o.kind for o in outcomes if isinstance(o, InputProblem)] == []
    spans = record_spans(source)
    cut = tmp_path / "cut.warc"
    for k in range(1, len(data)):
        cut.write_bytes(data[:k])
        found, err = read_file(cut)
        assert not err, k
        check_cut(whole, spans, found, k)


@pytest.mark.parametrize("name", [
    "warcio-test-data/example.warc", "warcio-test-data/example.warc.gz",
    "warcio-test-data/example.arc", "warcio-test-data/example.arc.gz",
    "warcio-test-data/example-iana.org-chunked.warc",
    "ukwa-small-arcs-and-warcs/IAH-20080430204825-00000-blackbook-truncated.warc.gz",
])
def test_real_warcs_cut_anywhere_keep_whole_records_and_report_the_rest(tmp_path, data_dir,
                                                                         name):
    source = data_dir / "warc-samples" / name
    data = source.read_bytes()
    outcomes, _ = read_file(source)
    whole = {o.record: o.content for o in outcomes if isinstance(o, RawRecord)}
    assert whole
    spans = record_spans(source)
    cut = tmp_path / source.name
    for k in cuts(len(data), spans, every=max(7, len(data) // 600)):
        cut.write_bytes(data[:k])
        found, err = read_file(cut)
        assert not err, k
        check_cut(whole, spans, found, k)


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_single_bit_flips_never_raise_print_or_lose_silently(tmp_path, compress):
    source = build_warc(tmp_path / "crawl.warc", compress)
    data = bytearray(source.read_bytes())
    outcomes, _ = read_file(source)
    whole = {o.record: o.content for o in outcomes if isinstance(o, RawRecord)}
    flipped = tmp_path / "flip.warc"
    rng = random.Random(14)
    for _ in range(400):
        at, bit = rng.randrange(len(data)), 1 << rng.randrange(8)
        data[at] ^= bit
        flipped.write_bytes(bytes(data))
        data[at] ^= bit
        found, err = read_file(flipped)
        assert not err, at
        noted = any(isinstance(o, InputProblem) for o in found)
        got = [o for o in found if isinstance(o, RawRecord)]
        changed = [o for o in got if whole.get(o.record) != o.content and not o.warnings]
        lost = whole.keys() - {o.record for o in got}
        assert noted or not (changed or lost), (at, bit, changed, lost)


def test_a_content_length_past_the_end_is_reported(tmp_path):
    data = build_warc(tmp_path / "crawl.warc", compress=False).read_bytes()
    spans = record_spans(tmp_path / "crawl.warc")
    start = spans[-1][0]  # the last page: its Content-Length made enormous
    head, rest = data[:start], data[start:]
    length = rest.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0]
    for value in (b"99999999999999999999999", b"-5", b"12abc"):
        path = tmp_path / "long.warc"
        path.write_bytes(head + rest.replace(b"Content-Length: " + length,
                                             b"Content-Length: " + value, 1))
        found, err = read_file(path)
        assert not err
        assert len([o for o in found if isinstance(o, RawRecord)]) == 1
        [problem] = [o for o in found if isinstance(o, InputProblem)]
        assert problem.record == f"offset {start}" and problem.severity == "error", value


def test_warcio_messages_never_reach_the_user(data_dir, capfd, caplog):
    for name in ("example-space-in-target-uri.warc.gz", "example-bad-non-chunked.warc.gz",
                 "example-wrong-chunks.warc.gz", "example-trunc.warc", "bad.arc"):
        path = data_dir / "warc-samples" / "warcio-test-data" / name
        item = SourceFile(str(path), str(path), "warc", path.stat().st_size, 0,
                          path.read_bytes()[:2] == b"\x1f\x8b")
        list(inputs.read(item))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert not [r for r in caplog.records if r.name.startswith("warcio")]


@pytest.mark.parametrize("payload", [b"W", b"WARC/1.0\r\n", b"hello world\n",
                                     gzip.compress(b"WARC/1.0\r\nWARC-Type: resp"), b"\r\n\r\n"])
def test_tiny_warc_files_are_reported(tmp_path, payload):
    path = tmp_path / "tiny.warc"
    path.write_bytes(payload)
    found, err = read_file(path)
    assert not err
    assert [o.severity for o in found if isinstance(o, InputProblem)] == ["error"]


# -- property tests per reader --------------------------------------------------------------


def outcomes_of(path: Path) -> list:
    """Discover and read one path, as a scan does."""
    found = []
    for item in inputs.discover([path]):
        found.extend([item] if isinstance(item, InputProblem) else inputs.read(item))
    return found


def storable(value: str | None) -> bool:
    """True when SQLite can take the text: it encodes as UTF-8 (no lone surrogates)."""
    if value is None:
        return True
    value.encode("utf-8")
    return True


def assert_clean(found: list) -> None:
    """Every outcome is storable text without control characters."""
    for o in found:
        if isinstance(o, RawRecord):
            assert storable(o.content) and storable(o.path) and storable(o.record)
            assert all(storable(v) for v in o.meta.values())
            assert not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in o.content)
        else:
            assert storable(o.path) and storable(o.message) and storable(o.record)


@FUZZ
@given(lines=st.lists(st.binary(max_size=80), min_size=1, max_size=6))
def test_jsonl_lines_of_arbitrary_bytes_are_records_or_problems(tmp_path_factory, lines):
    assume(not lines[0].startswith(GZIP_MAGIC[:len(lines[0]) or 1]))  # that is a gzip file
    path = tmp_path_factory.mktemp("j") / "feed.jsonl"
    path.write_bytes(b"\n".join(lines))
    found = outcomes_of(path)
    assert_clean(found)
    readable = [ln for ln in b"\n".join(lines).split(b"\n") if ln.strip()]
    records = [o for o in found if isinstance(o, RawRecord)]
    line_problems = [o for o in found if isinstance(o, InputProblem)
                     and o.kind not in ("blank_lines", "duplicate_id")]
    assert len(records) + len(line_problems) == max(len(readable), 1) or (
        not readable and [p.kind for p in line_problems] == ["empty"])


@FUZZ
@given(meta=st.dictionaries(st.sampled_from(["id", "title", "url", "author", "outlet"]),
                            st.text(max_size=20), max_size=5),
       body=st.text(min_size=1, max_size=200))
def test_any_unicode_in_jsonl_fields_comes_out_storable(tmp_path_factory, meta, body):
    path = tmp_path_factory.mktemp("j") / "feed.jsonl"
    # ensure_ascii keeps lone surrogates as \\udxxx escapes, as a real feed may hold them
    path.write_text(json.dumps({**meta, "text": body + " Text."}) + "\n", encoding="utf-8")
    found = outcomes_of(path)
    assert_clean(found)
    assert len(found) == 1


def test_lone_surrogates_in_metadata_become_warnings(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a\\ud800", "title": "T\\udfff", "text": "Ein Text \\ud83d."}\n',
                    encoding="utf-8")
    [record] = outcomes_of(path)
    assert record.meta == {"id": "a\ufffd", "title": "T\ufffd"}
    assert record.content == "Ein Text \ufffd."
    assert sorted(k for k, _ in record.warnings) == ["encoding"] * 3


@FUZZ
@given(raw=st.binary(max_size=400))
def test_any_bytes_as_a_text_file_are_text_or_one_problem(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("t") / "a.txt"
    path.write_bytes(raw)
    found = outcomes_of(path)
    assert_clean(found)
    assert len(found) == 1


@FUZZ
@given(raw=st.binary(max_size=600))
def test_any_bytes_as_a_warc_never_raise_or_print(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("w") / "a.warc"
    path.write_bytes(b"WARC/1.0\r\n" + raw)
    found, err = read_file(path)
    assert not err
    assert_clean(found)
    assert found


def test_a_file_name_that_is_not_utf8_is_a_clean_problem(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as fh:
        fh.write("Ein kurzer Text über den Hafen von Rason.".encode())
    (tmp_path / "ok.txt").write_text("Ein anderer Text über die Brücke.", encoding="utf-8")
    found = outcomes_of(tmp_path)
    assert_clean(found)
    problems = [o for o in found if isinstance(o, InputProblem)]
    assert [(Path(p.path).name, p.kind) for p in problems] == [("caf\\xe9.txt", "unreadable")]
    assert [Path(o.path).name for o in found if isinstance(o, RawRecord)] == ["ok.txt"]


def test_a_jsonl_feed_cut_at_every_offset_keeps_whole_lines_and_reports_the_cut(tmp_path):
    rows = [{"id": f"a{i}", "title": "Hafen", "text": f"Der Hafen von Rason, Absatz {i}. " * 3}
            for i in range(3)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    ends = [i + 1 for i, b in enumerate(data) if b == ord("\n")]
    path = tmp_path / "feed.jsonl"
    for k in range(1, len(data)):
        path.write_bytes(data[:k])
        found = outcomes_of(path)
        whole = [e for e in ends if e <= k]
        # the cut line is a problem with its line number, unless it is whole but for "\n"
        cut_line_whole = data[:k].endswith(b"}") and k + 1 in ends
        assert [o.meta["id"] for o in found if isinstance(o, RawRecord)] == [
            f"a{i}" for i in range(len(whole) + cut_line_whole)], k
        errors = [(o.record, o.kind) for o in found if isinstance(o, InputProblem)]
        if k in ends or cut_line_whole:
            assert errors == []
        else:
            assert errors == [(f"line {len(whole) + 1}", "truncated")], k


def test_a_scan_of_a_cut_warc_stores_whole_records_and_the_problem(tmp_path, store, scan_into):
    source = build_warc(tmp_path / "crawl.warc", compress=True)
    spans = record_spans(source)
    last = spans[-1][0]  # cut inside the last page
    (tmp_path / "in").mkdir()
    cut = tmp_path / "in" / "crawl.warc.gz"
    cut.write_bytes(source.read_bytes()[: last + 40])
    result = scan_into(store, tmp_path / "in")
    assert result.counts["read"] == 1 and result.status == "completed"
    assert [(Path(p.path).name, p.record, p.kind) for p in store.errors(result.run_id)] == [
        ("crawl.warc.gz", f"offset {last}", "truncated")]


@FUZZ
@given(raw=st.binary(max_size=300), charset=st.sampled_from(
    ["", "utf-8", "utf-16", "iso-8859-1", "windows-1251", "shift_jis", "x-nonsense"]))
def test_any_bytes_on_stdin_are_clean_text_or_a_problem(raw, charset):
    head = f'<html><head><meta charset="{charset}"></head><body>'.encode() if charset else b""
    outcome = inputs.read_bytes(head + raw, "-")
    assert_clean([outcome])
    data = head + raw
    if isinstance(outcome, RawRecord) and charset in ("", "utf-8", "utf-16") and not (
            data.startswith((b"\xff\xfe", b"\xfe\xff"))):  # a UTF-16 byte-order mark rules
        # UTF-8 bytes stay exactly UTF-8 (less a leading byte-order mark); elsewhere only the
        # invalid lines change
        data = data.removeprefix(b"\xef\xbb\xbf")
        valid = [ln for ln in data.splitlines(keepends=True) if ln.isascii() or _utf8(ln)]
        assert all(ln.decode() in outcome.content or _controls(ln) for ln in valid)


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _controls(line: bytes) -> bool:
    return any(b < 32 and b not in b"\t\n\r\f" or 0x7F <= b <= 0x9F for b in line) or any(
        0x80 <= ord(ch) <= 0x9F for ch in line.decode("utf-8", "replace"))


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_reading_goes_on_after_a_damaged_record(tmp_path, compress):
    source = build_warc(tmp_path / "crawl.warc", compress)
    data = bytearray(source.read_bytes())
    outcomes, _ = read_file(source)
    first, last = [o.record for o in outcomes if isinstance(o, RawRecord)]
    start = int(first.split()[1])
    # damage the first page: its compressed bytes, or its Content-Length, overwritten
    at = start + 30 if compress else data.index(b"Content-Length: ", start) + 16
    data[at : at + 4] = b"\x00\x00\x00\x00" if compress else b"xxxx"
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(bytes(data))
    found, err = read_file(damaged)
    assert not err
    assert [o.record for o in found if isinstance(o, RawRecord)] == [last]
    [problem] = [o for o in found if isinstance(o, InputProblem)]
    assert problem.record == first and "reading went on at offset" in problem.message


# -- fuzz targets per format: HTML pages and manifests (text, JSONL, WARC: above) ----------

_TAGS = ["p", "div", "article", "figcaption", "aside", "h2", "span", "br", "script", "li"]
_WORDS = ["Der", "Hafen", "von", "Rason", "meldet", "Yonhap", "Reuters", "berichtete", "Foto:",
          "dpa", "Mehr zum Thema", "Quelle:", "&amp;", "&#x0;", "<!--", "-->", "\u00e4", "\ud800"]


@st.composite
def markup(draw) -> str:
    """A page of random tags, classes, words, entities and broken pieces of markup."""
    parts = ["<html><body>"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 40))):
        choice = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(_TAGS))
        if choice == 0:
            cls = draw(st.sampled_from(["", "byline", "credit", "related", "caption", "source"]))
            parts.append(f'<{tag} class="{cls}">')
        elif choice == 1:
            parts.append(f"</{tag}>")
        elif choice == 2:
            parts.append(" ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=12))))
        else:
            parts.append(draw(st.text(max_size=30)))
    return "".join(parts)


@FUZZ
@given(page=markup())
def test_any_markup_is_an_article_with_offsets_in_its_text_or_a_problem(page):
    from provenance.citations import Registry
    from provenance.config import FingerprintParams
    from provenance.scan import workers

    if "registry" not in workers._STATE:
        workers.prime(Registry.load(), FingerprintParams())
    record = RawRecord("page.html", "page.html", None, "html", "html", page)
    outcome = workers.analyse_item((record, None))
    if isinstance(outcome, InputProblem):
        assert outcome.kind != "extraction_failed", outcome.message  # a crash, not a verdict
        return
    article = outcome.article
    assert_clean([RawRecord("p", "p", None, "html", "text", article.text)])
    for zone in article.zones:
        assert zone.start is None or article.text[zone.start:zone.end] == zone.text
    for citation in article.citations:
        if citation.zone == "body":
            assert 0 <= citation.start <= citation.end <= len(article.text)
    again = workers.analyse_item((record, None))
    assert again.article.text == article.text and again.article.citations == article.citations


@FUZZ
@given(raw=st.binary(max_size=300), name=st.sampled_from(["m.csv", "m.jsonl"]),
       header=st.sampled_from([b"", b"path,url,outlet,published\n", b'{"path": "a.txt"}\n']))
def test_any_bytes_as_a_manifest_are_entries_or_one_manifest_error(tmp_path_factory, raw, name,
                                                                   header):
    from provenance.errors import ManifestError

    path = tmp_path_factory.mktemp("m") / name
    path.write_bytes(header + raw)
    try:
        entries = inputs.load_manifest(path)
    except ManifestError as exc:
        assert str(exc).startswith(("manifest ", "cannot read manifest "))
        return
    for target, meta in entries.items():
        assert storable(target) and all(storable(v) for v in meta.values())


# -- truncation through a whole scan: records stored + errors recorded = records readable ---

SCAN_CUTS = 8  # cut points spread over a file and scanned (every offset: readers above)


def _scan_cut(tmp_path: Path, name: str, data: bytes) -> tuple[int, list[InputProblem]]:
    """Scan `data` as file `name` into a new in-memory store: articles stored, error problems."""
    from provenance import ScanConfig, Store, scan

    folder = tmp_path / f"cut{len(data)}"
    folder.mkdir()
    (folder / name).write_bytes(data)
    with Store() as store:
        result = scan(ScanConfig(paths=[folder], workers=1), store)
        return store.count("article"), [e for e in store.errors(result.run_id)
                                        if e.severity == "error"]


def _cut_points(size: int, edges: list[int]) -> list[int]:
    """SCAN_CUTS offsets spread over the file, and the offsets at and after each record edge."""
    spread = {1 + i * (size - 2) // (SCAN_CUTS - 1) for i in range(SCAN_CUTS)}
    return sorted(spread | {e + d for e in edges for d in (0, 1) if 0 < e + d < size})


def test_a_jsonl_feed_cut_anywhere_stores_or_records_every_line_begun(tmp_path):
    rows = [{"id": f"a{i}", "title": "Hafen", "text": f"Der Hafen von Rason, Absatz {i}. " * 3}
            for i in range(3)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    ends = [i + 1 for i, b in enumerate(data) if b == ord("\n")]
    for k in _cut_points(len(data), ends):
        stored, errors = _scan_cut(tmp_path, "feed.jsonl", data[:k])
        begun = sum(1 for line in data[:k].split(b"\n") if line.strip())
        assert stored + len(errors) == begun, (k, stored, errors)
        assert stored >= len([e for e in ends if e <= k]), k


def test_a_warc_cut_anywhere_stores_whole_pages_and_records_the_cut(tmp_path):
    source = build_warc(tmp_path / "crawl.warc.gz", compress=True)
    data = source.read_bytes()
    spans = record_spans(source)
    responses = spans[-3:]  # three responses; the first and the last are HTML pages
    pages = [responses[0], responses[2]]
    for k in _cut_points(len(data), [edge for span in pages for edge in span]):
        stored, errors = _scan_cut(tmp_path, "crawl.warc.gz", data[:k])
        whole = [s for s, e in pages if e <= k]
        inside = [s for s, e in spans if s < k < e]
        # a page whose gzip trailer alone is cut is read whole (and the cut still recorded)
        assert len(whole) <= stored <= len(whole) + len({s for s, _ in pages} & set(inside)), k
        assert [e.record for e in errors] == [f"offset {s}" for s in inside] or (
            not stored and [e.kind for e in errors] in (["empty"], ["truncated"])), (k, errors)
