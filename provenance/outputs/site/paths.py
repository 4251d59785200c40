"""Where each page of the report site lives, relative to the site's folder.

One place for the file names, shared by the pages that link to each other and by `serve`
(Datasette links rows to these pages). Names are built from ids only through `safe_name`, so
no id can climb out of the site's folder or need escaping in a URL.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^a-z0-9._-]+")
MAX_NAME = 60


def safe_name(key: str) -> str:
    """A file name for `key`: lower-case letters, digits, `.`, `_`, `-`; a short digest of the
    key is appended whenever the name had to change (so two keys never share a name)."""
    name = _UNSAFE.sub("_", key.lower()).strip("._")[:MAX_NAME]
    if name == key and name:
        return name
    return f"{name or 'x'}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def article_page(article_id: str) -> str:
    """The page of one article."""
    name = safe_name(article_id)
    return f"a/{name[:2]}/{name}.html"


def story_page(story_id: str) -> str:
    """The page of one story."""
    return f"s/{safe_name(story_id)}.html"


def outlet_page(outlet_id: str, page: int = 1) -> str:
    """The page of one outlet (its article list continues on numbered pages)."""
    suffix = "" if page == 1 else f"-{page}"
    return f"o/{safe_name(outlet_id)}{suffix}.html"


def list_page(kind: str, page: int = 1) -> str:
    """Page `page` of a long list: stories, outlets, uncredited, problems."""
    return f"{kind}/index.html" if page == 1 else f"{kind}/page-{page}.html"


def depth_prefix(path: str) -> str:
    """The relative prefix from the page at `path` back to the site's root."""
    return "../" * path.count("/")
