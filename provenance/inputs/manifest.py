"""The manifest: a CSV or JSONL sidecar that gives plain files their url, outlet and date.

Paths in a manifest are relative to the manifest's own folder (or absolute); each row becomes the
metadata hints of the file it names, as a JSONL record's fields would be.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from provenance.config import MAX_MANIFEST_BYTES
from provenance.errors import ManifestError
from provenance.inputs.decode import scrub
from provenance.inputs.files import shorten
from provenance.inputs.jsonl import META_FIELDS

_JSONL_NAMES = (".jsonl", ".ndjson")


def load_manifest(path: Path) -> dict[str, dict]:
    """A CSV or JSONL manifest as {resolved path: {url, outlet, published, ...}}.

    Raises:
        ManifestError: the file is unreadable, not UTF-8, or a row names no path.
    """
    shown = shorten(str(path))
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise ManifestError(
            f"cannot read manifest {shown}: {exc.strerror} (check --manifest)") from exc
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(
            f"manifest {shown} is larger than {MAX_MANIFEST_BYTES // 2**20} MiB (check "
            "--manifest; split a larger corpus into several scans)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"manifest {shown} is not UTF-8 (save it as UTF-8)") from exc
    base = path.resolve().parent
    entries: dict[str, dict] = {}
    for n, row in enumerate(_rows(path, text), start=1):
        relative = row.get("path")
        if not isinstance(relative, str) or not relative.strip():
            raise ManifestError(f"manifest {shown}, row {n}: no 'path' (every row names a file)")
        try:
            target = str((base / relative.strip()).resolve())
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long
            raise ManifestError(f"manifest {shown}, row {n}: 'path' is not a usable file name "
                                f"({exc})") from exc
        # scrub: a JSON row may hold lone surrogates ("\ud800"), which no database can store
        entries[target] = {
            key: scrub(str(value).strip())[0] for key, value in row.items()
            if key in META_FIELDS and value not in (None, "")
        }
    return entries


def _rows(path: Path, text: str) -> list[dict]:
    """The manifest's rows as dicts, from JSON lines or a CSV with a header."""
    shown = shorten(str(path))
    if path.name.lower().endswith(_JSONL_NAMES):
        return _json_rows(shown, text)
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames or "path" not in reader.fieldnames:
            raise ManifestError(
                f"manifest {shown} has no 'path' column (expected a CSV header like "
                "path,url,outlet,published)"
            )
        return list(reader)
    except csv.Error as exc:  # a NUL byte, a field over csv's size limit, a stray quote
        raise ManifestError(f"manifest {shown}, near line {reader.line_num + 1}: not a "
                            f"readable CSV row ({exc}); check --manifest") from None


def _json_rows(shown: str, text: str) -> list[dict]:
    """One JSON object per non-blank line (`shown`: the manifest's name in messages)."""
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestError(f"manifest {shown}, line {n}: invalid JSON ({exc.msg})") from exc
        except RecursionError:
            raise ManifestError(f"manifest {shown}, line {n}: JSON nested too deeply "
                                "(arrays or objects inside one another by the thousand)") from None
        if not isinstance(obj, dict):
            raise ManifestError(f"manifest {shown}, line {n}: expected a JSON object")
        rows.append(obj)
    return rows
