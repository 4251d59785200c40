"""Reading inputs: formats by name and content, and every class of bad input."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from provenance import inputs
from provenance.errors import InputError, ManifestError
from provenance.inputs import RawRecord, SourceFile
from provenance.records import InputProblem

SEED_TEXT = (
    "Nach Informationen der NHK plant Nordkorea in diesem Jahr mit russischen Technologien "
    "die Produktion von Drohnen zu beginnen.\n"
)


def read_all(path: Path, **kw) -> list:
    out = []
    for item in inputs.discover([path]):
        out.extend([item] if isinstance(item, InputProblem) else inputs.read(item, **kw))
    return out


# JSON nested far deeper than Python's recursion limit: its decoder raises RecursionError.
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def problems(outcomes: list) -> list[tuple[str, str]]:
    return [(p.kind, p.severity) for p in outcomes if isinstance(p, InputProblem)]


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.html", b"<p>x</p>", "html"),
        ("a.HTM", b"<p>x</p>", "html"),
        ("a.html.gz", b"\x1f\x8b", "html"),
        ("a.txt", b"Hallo", "text"),
        ("a.md", b"# Titel", "text"),
        ("a.jsonl", b"{}", "jsonl"),
        ("a.ndjson", b"{}", "jsonl"),
        ("a.warc.gz", b"\x1f\x8b", "warc"),
        ("a.arc.gz", b"\x1f\x8b", "warc"),
        ("noext", b"<!DOCTYPE html><html>", "html"),
        ("noext", b"WARC/1.0\r\n", "warc"),
        ("noext", b'{"text": "x"}\n', "jsonl"),
        ("image.bin", b"\x89PNG\r\n\x1a\n", None),
        ("data.csv", b"a,b,c", None),
        ("expected.json", b'{"a": 1}', "jsonl"),
        ("page.php", b"<html><body>", "html"),
        ("script.py", b"<html>", None),
    ],
)
def test_format_is_detected_from_name_then_content(name, head, fmt):
    assert inputs.detect_format(Path(name), head) == fmt


def test_text_file_is_read_as_one_record(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    [record] = read_all(path)
    assert isinstance(record, RawRecord)
    assert record.content_type == "text" and record.content == SEED_TEXT


def test_jsonl_records_carry_their_metadata(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a1", "url": "https://example.org/a1", "title": "T", "text": SEED_TEXT,
         "published": "2025-02-01T10:00:00+01:00", "outlet": "dpa", "language": "de"},
        {"id": 7, "html": "<html><body><p>" + SEED_TEXT + "</p></body></html>"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second = read_all(path)
    assert first.meta["id"] == "a1" and first.meta["outlet"] == "dpa"
    assert first.record == "line 1" and first.content_type == "text"
    assert second.meta["id"] == "7" and second.content_type == "html"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ('{"id": "x", "text": "unterminated', "truncated"),
        ("not json at all\n", "malformed"),
        ('["a", "list"]\n', "malformed"),
        ('{"id": "x", "title": "no body"}\n', "malformed"),
        ('{"id": "x", "text": "   "}\n', "malformed"),
        ('{"id": "x", "text": "t", "deep": ' + DEEP_JSON + "}\n", "malformed"),
    ],
)
def test_bad_jsonl_lines_are_reported_and_the_rest_is_read(tmp_path, line, kind):
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "text": SEED_TEXT})
    path.write_text(good + "\n" + line, encoding="utf-8")
    outcomes = read_all(path)
    assert [o.meta["id"] for o in outcomes if isinstance(o, RawRecord)] == ["ok"]
    assert problems(outcomes) == [(kind, "error")]
    assert [p.record for p in outcomes if isinstance(p, InputProblem)] == ["line 2"]


def test_jsonl_line_in_wrong_encoding_is_reported(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(json.dumps({"text": "Grüße aus Köln " * 5}, ensure_ascii=False)
                     .encode("latin-1") + b"\n")
    assert problems(read_all(path)) == [("encoding", "error")]


@pytest.mark.parametrize(
    ("name", "payload", "kind"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
        ("picture.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        ("nul.txt", b"abc\x00\x01\x02" * 100, "binary"),
        ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 200, "binary"),
        ("bad-bom.txt", b"\xef\xbb\xbf" + "Köln".encode("latin-1") * 50, "encoding"),
        ("trunc.html.gz", gzip.compress(SEED_TEXT.encode() * 3 + bytes(range(32, 127)) * 40)[:200],
         "truncated"),
        ("broken.html.gz", b"\x1f\x8b\x08\x00garbage-that-is-not-deflate" * 3, "malformed"),
        ("empty.jsonl", b"", "empty"),
        ("empty.warc", b"", "empty"),
    ],
)
def test_bad_files_are_reported_not_raised(tmp_path, name, payload, kind):
    path = tmp_path / name
    path.write_bytes(payload)
    outcomes = read_all(path)
    assert not [o for o in outcomes if isinstance(o, RawRecord)]
    assert problems(outcomes) == [(kind, "error")]


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(SEED_TEXT * 100, encoding="utf-8")
    assert problems(read_all(path, max_document_bytes=1000)) == [("oversized", "error")]


def test_latin1_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "alt.txt"
    path.write_bytes("Grüße aus Köln, sagte der Bürgermeister laut dpa.\n".encode("cp1252"))
    [record] = read_all(path)
    assert "Grüße aus Köln" in record.content
    assert record.warnings == [("encoding", "not valid UTF-8; read as cp1252")]


def test_html_declared_charset_is_honoured(tmp_path):
    path = tmp_path / "page.html"
    body = '<html><head><meta charset="iso-8859-1"></head><body><p>Grüße</p></body></html>'
    path.write_bytes(body.encode("iso-8859-1"))
    [record] = read_all(path)
    assert "Grüße" in record.content
    assert record.warnings == [("encoding", "not valid UTF-8; read as iso-8859-1")]


def test_dangling_link_is_unreadable(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    outcomes = list(inputs.discover([tmp_path]))
    assert [(p.kind, Path(p.path).name) for p in outcomes] == [("unreadable", "gone.txt")]


def test_named_pipe_is_reported_not_opened(tmp_path):
    (tmp_path / "a.txt").write_text("Ein kurzer Text über den Hafen.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would wait for a writer forever
    outcomes = list(inputs.discover([tmp_path]))
    assert [type(o).__name__ for o in outcomes] == ["SourceFile", "InputProblem"]
    assert (outcomes[1].kind, Path(outcomes[1].path).name) == ("unreadable", "pipe.txt")
    assert "not a regular file" in outcomes[1].message


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        list(inputs.discover([tmp_path / "nope"]))


def test_directory_walk_skips_docs_databases_and_hidden_files(tmp_path):
    for name in ("README.md", "LICENSE", "provenance.db", ".hidden.txt", "notes.csv",
                 "expected.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "article.txt").write_text(SEED_TEXT, encoding="utf-8")
    found = list(inputs.discover([tmp_path]))
    assert [Path(i.path).name for i in found if isinstance(i, SourceFile)] == ["article.txt"]
    # Documentation, databases and hidden files are silent; other files are skipped with a word.
    assert [(Path(p.path).name, p.kind, p.severity) for p in found
            if isinstance(p, InputProblem)] == [("expected.json", "skipped", "warning"),
                                                ("notes.csv", "skipped", "warning")]


def test_named_unknown_file_is_reported(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n", encoding="utf-8")
    [problem] = list(inputs.discover([path]))
    assert problem.kind == "unsupported"


def test_manifest_maps_relative_paths(tmp_path):
    (tmp_path / "texts").mkdir()
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,url,outlet,published\ntexts/a.txt,https://x.example/a,dpa,"
                        "2025-01-02\n", encoding="utf-8")
    entries = inputs.load_manifest(manifest)
    key = str((tmp_path / "texts" / "a.txt").resolve())
    assert entries[key] == {"url": "https://x.example/a", "outlet": "dpa",
                            "published": "2025-01-02"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.csv", "file,url\na.txt,x\n", "no 'path' column"),
        ("m.jsonl", '{"path": "a.txt"}\nnot json\n', "line 2: invalid JSON"),
        ("m.csv", "path,url\n,https://x\n", "row 1: no 'path'"),
        ("m.jsonl", '{"path": ' + DEEP_JSON + "}\n", "line 1: JSON nested too deeply"),
    ],
)
def test_malformed_manifest_is_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        inputs.load_manifest(path)


def test_endless_manifest_is_refused_without_reading_it_all():
    with pytest.raises(ManifestError, match="larger than .* MiB"):
        inputs.load_manifest(Path("/dev/zero"))


WARCS = "warc-samples"


@pytest.mark.parametrize(
    ("name", "urls"),
    [
        ("warcio-test-data/example.warc.gz", ["http://example.com/"]),
        ("warcio-test-data/example.warc", ["http://example.com/"]),
        ("warcio-test-data/example.arc.gz", ["http://example.com/"]),
        ("warcio-test-data/example-iana.org-chunked.warc", ["http://www.iana.org/"]),
        ("ukwa-small-arcs-and-warcs/IAH-20080430204825-00000-blackbook-truncated.warc.gz",
         ["http://www.archive.org/", "http://www.archive.org/index.php"]),
        ("ukwa-small-arcs-and-warcs/IAH-20080430204825-00000-blackbook-truncated.arc",
         ["http://www.archive.org/", "http://www.archive.org/index.php"]),
    ],
)
def test_real_warc_and_arc_files_yield_their_html_responses(data_dir, name, urls):
    outcomes = read_all(data_dir / WARCS / name)
    records = [o for o in outcomes if isinstance(o, RawRecord)]
    assert [r.meta["url"] for r in records][: len(urls)] == urls
    assert all(r.content_type == "html" and r.meta.get("warc_date") for r in records)
    assert all(r.record.startswith("offset ") for r in records)


@pytest.mark.parametrize("name", ["example-bad-non-chunked.warc.gz", "example-bad.warc.gz.bad",
                                  "example-wrong-chunks.warc.gz"])
def test_broken_warc_files_are_reported(data_dir, name):
    path = data_dir / WARCS / "warcio-test-data" / name
    item = SourceFile(str(path), str(path), "warc", path.stat().st_size, 0,
                            path.read_bytes()[:2] == b"\x1f\x8b")
    outcomes = list(inputs.read(item))
    assert any(isinstance(o, InputProblem) and o.kind in ("malformed", "truncated", "empty")
               for o in outcomes)


def test_truncated_gzip_warc_is_reported(tmp_path, data_dir):
    source = data_dir / WARCS / "ukwa-small-arcs-and-warcs" / (
        "IAH-20080430204825-00000-blackbook-truncated.warc.gz")
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(source.read_bytes()[:9000])
    outcomes = read_all(path)
    assert isinstance(outcomes[-1], InputProblem)
    assert outcomes[-1].kind in ("truncated", "malformed")


@pytest.mark.parametrize(
    ("raw", "fmt", "content_type", "content"),
    [
        (SEED_TEXT.encode(), "text", "text", SEED_TEXT),
        (b"<html><body><p>x</p></body></html>", "html", "html",
         "<html><body><p>x</p></body></html>"),
        (json.dumps({"id": "d", "text": SEED_TEXT}).encode() + b"\n{second", "jsonl", "text",
         SEED_TEXT),
    ],
)
def test_bytes_on_stdin_are_read_as_one_document(raw, fmt, content_type, content):
    record = inputs.read_bytes(raw, "-")
    assert (record.path, record.format, record.content_type, record.content) == (
        "-", fmt, content_type, content)


def test_binary_bytes_on_stdin_are_a_problem():
    problem = inputs.read_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "-")
    assert isinstance(problem, InputProblem) and problem.kind == "binary"


def test_file_key_changes_with_the_file_and_its_manifest_entry(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    [first] = inputs.discover([path])
    assert inputs.file_key(first, None) == inputs.file_key(first, {})
    assert inputs.file_key(first, None) != inputs.file_key(first, {"outlet": "dpa"})
    path.write_text(SEED_TEXT * 2, encoding="utf-8")
    [second] = inputs.discover([path])
    assert inputs.file_key(first, None) != inputs.file_key(second, None)


# -- decoding per line, control characters ---------------------------------------------------

GERMAN = "Grüße aus Köln, sagte der Bürgermeister der Stadt laut dpa.\n"


def test_one_invalid_byte_does_not_turn_a_utf8_file_into_cp1252(tmp_path):
    path = tmp_path / "a.txt"
    lines = [GERMAN] * 40
    raw = b"".join(line.encode() for line in lines)
    cut = raw.index("Köln".encode(), len(raw) // 2)
    path.write_bytes(raw[:cut] + b"\xff" + raw[cut:])  # one stray byte in line 21
    [record] = read_all(path)
    lines = record.content.splitlines(keepends=True)
    assert lines[20] == GERMAN.replace("Köln", "\ufffdKöln")  # the stray byte, and only it
    assert lines[:20] + lines[21:] == [GERMAN] * 39  # no mojibake anywhere else
    assert record.warnings == [("encoding", "invalid UTF-8 bytes replaced by U+FFFD on 1 of 40 "
                                            "lines (line 21)")]


def test_a_latin1_line_in_a_utf8_file_is_read_as_cp1252_alone(tmp_path):
    path = tmp_path / "a.txt"
    raw = GERMAN.encode() * 3 + "Café Müller in Düsseldorf.\n".encode("cp1252") + GERMAN.encode()
    path.write_bytes(raw)
    [record] = read_all(path)
    assert record.content == GERMAN * 3 + "Café Müller in Düsseldorf.\n" + GERMAN
    assert record.warnings == [("encoding", "not valid UTF-8 on 1 of 5 lines, read as cp1252 "
                                            "(line 4); the rest is UTF-8")]


def test_a_cyrillic_single_byte_text_is_detected(tmp_path):
    path = tmp_path / "ru.txt"
    text = "Агентство ТАСС сообщило, что переговоры в Москве продолжатся завтра.\n" * 3
    path.write_bytes(text.encode("cp1251"))
    [record] = read_all(path)
    assert record.content == text
    assert record.warnings == [("encoding", "not valid UTF-8; read as cp1251")]


def test_control_characters_anywhere_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GERMAN * 500 + "Ende\x01 des\x1b Textes.\n", encoding="utf-8")
    assert len(GERMAN * 500) > 20_000  # past the sample that tells text from binary
    [record] = read_all(path)
    assert record.content.endswith("Ende des Textes.\n")
    assert record.warnings == [("control_characters", "2 control characters removed")]


# -- files read or recorded, never skipped silently --------------------------------------------

WARC_HEAD = b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"


def test_unknown_extensions_are_read_by_content_or_skipped_with_a_word(tmp_path):
    feed_line = json.dumps({"id": "f1", "text": SEED_TEXT}).encode() + b"\n"
    (tmp_path / "feed.data").write_bytes(feed_line)
    (tmp_path / "crawl.bin").write_bytes(WARC_HEAD)
    (tmp_path / "articles.json").write_bytes(feed_line)
    (tmp_path / "config.json").write_text('{\n  "a": 1\n}\n', encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# About this corpus\n", encoding="utf-8")
    found = list(inputs.discover([tmp_path]))
    assert sorted((Path(f.path).name, f.format) for f in found if isinstance(f, SourceFile)) == [
        ("articles.json", "jsonl"), ("crawl.bin", "warc"), ("feed.data", "jsonl")]
    skipped = sorted((Path(p.path).name, p.kind, p.severity) for p in found
                     if isinstance(p, InputProblem))
    assert skipped == [("config.json", "skipped", "warning"), ("notes.csv", "skipped", "warning")]


def test_a_list_of_urls_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("https://www.elbe-echo.example/a\nhttp://harbourtimes.example/b?x=1\n\n"
                    "www.alpenpost.example/c\n", encoding="utf-8")
    assert problems(read_all(path)) == [("skipped", "warning")]


def test_a_warc_without_pages_says_so(tmp_path):
    path = tmp_path / "info.warc"
    path.write_bytes(WARC_HEAD)
    [problem] = read_all(path)
    assert (problem.kind, problem.severity) == ("no_pages", "warning")


@pytest.mark.parametrize(("payload", "expected"), [
    (b"\n\n  \n", [("empty", "error")]),
    (json.dumps({"id": "a", "text": SEED_TEXT}).encode() + b"\n\n\n", [("blank_lines", "warning")]),
])
def test_blank_jsonl_lines_are_counted(tmp_path, payload, expected):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(payload)
    assert problems(read_all(path)) == expected


# -- a repeated id: the later line wins, the earlier is a warning ------------------------------


def test_a_repeated_id_in_one_feed_leaves_one_current_version(tmp_path, store, scan_into):
    path = tmp_path / "feed.jsonl"
    rows = [{"id": "x", "text": SEED_TEXT}, {"id": "y", "text": GERMAN * 3},
            {"id": "x", "text": SEED_TEXT + "Korrigiert am Abend.\n"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = scan_into(store, path)
    current = [a for a in store.articles() if a.external_id == "x"]
    assert len(current) == 1 and current[0].record == "line 3"
    assert [(p.record, p.kind, p.severity) for p in result.errors] == [
        ("line 1", "duplicate_id", "warning")]
    assert len(store.articles(current_only=False)) == 3


@pytest.mark.parametrize(("content", "message"), [
    ('{"path": 5}\n', "row 1: no 'path'"),
    ('{"path": ["a.txt"]}\n', "row 1: no 'path'"),
    ('{"path": "a\\u0000b.txt"}\n', "row 1: 'path' is not a usable file name"),
])
def test_manifest_rows_with_odd_paths_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "m.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        inputs.load_manifest(path)


def test_manifest_values_with_lone_surrogates_are_storable(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text('{"path": "a.txt", "title": "T\\ud800", "outlet": "dpa"}\n', encoding="utf-8")
    [entry] = inputs.load_manifest(path).values()
    assert entry == {"title": "T\ufffd", "outlet": "dpa"}
