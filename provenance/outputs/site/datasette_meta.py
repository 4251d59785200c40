"""Datasette's metadata for a provenance database: table descriptions and canned queries.

Datasette 0.65 reads table descriptions only under the database's own name (the file name
without `.db`), never under a wildcard, so the metadata is made for the database being served:
`metadata_for("fixtures")` is what docs/datasette-metadata.json holds (a test keeps the two
equal). The descriptions and the canned queries (the audit questions of docs/audit.md) live in
`provenance/data/datasette.json`, shipped with the package.
"""

from __future__ import annotations

import json
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "data" / "datasette.json"
# The Datasette plugin (plugins/provenance_links.py) reads its settings under this name.
PLUGIN = "provenance-links"


def database_name(db: Path) -> str:
    """The name Datasette gives a database file: its name without the suffix."""
    return db.stem


def metadata_for(name: str, report_url: str | None = None,
                 report_folder: Path | None = None) -> dict:
    """Datasette metadata describing the database served as `name`; with `report_url`, the
    links plugin's settings (rows link to that report site's story, article, outlet pages)."""
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    meta = {"title": data["title"], "description": data["description"],
            "databases": {name: {"tables": data["tables"], "queries": data["queries"]}}}
    if report_url is not None:
        meta["plugins"] = {PLUGIN: {"url": report_url,
                                    "folder": str(report_folder) if report_folder else None}}
    return meta


def canned_queries() -> dict[str, dict]:
    """The canned queries: name -> title, description, sql."""
    return json.loads(SOURCE.read_text(encoding="utf-8"))["queries"]


def plugins_folder() -> Path:
    """The folder Datasette loads the links plugin from (`--plugins-dir`)."""
    return Path(__file__).resolve().parent / "plugins"
