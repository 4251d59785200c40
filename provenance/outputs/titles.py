"""Titles and names as people read them: page titles without the site's mark, never `None`.

The stored title stays as the page gave it (`article.title`, what a search or an audit sees);
outputs show `display_title`, which drops what a site appends to every headline:

* the rule: split the title at its last separator (`` | ``, `` - ``, `` – ``, `` — ``,
  `` :: ``, `` · ``); the tail is dropped when it is a *site mark* of the publisher (its name,
  an alias or acronym, a domain, or the host of the article's URL: "| SPIEGEL" for DER SPIEGEL,
  " - Reuters", " | MDR.DE", " - Golem.de") or a date ("| 28.04.2023"); after such a drop, a
  one-word section before it goes too (" - National | Globalnews.ca"). Repeat while that
  holds. A tail that names no site stays ("Kawasaki steigt aus! - und doch wieder nicht").
* what is left must keep at least `MIN_TITLE_WORDS` words, else the title is shown whole.

Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from provenance.records import Article, Outlet

SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
MIN_TITLE_WORDS = 2
# A tail longer than this is a headline's second half, never a site mark.
MAX_MARK_WORDS = 5
# Marks shorter than this match a tail only exactly ("DW"), never as a part of it.
MIN_PARTIAL_MARK = 3
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_NOT_ALNUM = re.compile(r"[\W_]+")
UNKNOWN_OUTLET = "unknown outlet"
UNDATED = "undated"


def _norm(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def site_marks(outlet: Outlet | None, url: str | None = None,
               also: Iterable[str] = ()) -> frozenset[str]:
    """What a site appends to its titles, normalised: the outlet's names and domains, the host
    of the article's URL (for publishers the registry does not know), and `also` (names)."""
    names: list[str] = [n for n in also if n]
    if outlet is not None:
        names += [outlet.name, *outlet.aliases, *outlet.acronyms]
        names += [d for domain in outlet.domains for d in (domain, domain.split(".")[0])]
    host = urlsplit(url).hostname if url and "//" in url else None
    if host:
        host = host.removeprefix("www.")
        names += [host, host.split(".")[0]]
    return frozenset(n for n in map(_norm, names) if n)


def _is_mark(tail: str, marks: frozenset[str]) -> bool:
    if _DATE.match(tail.strip()):
        return True
    if len(tail.split()) > MAX_MARK_WORDS:
        return False
    key = _norm(tail)
    if not key:
        return False
    if key in marks:
        return True
    return len(key) >= MIN_PARTIAL_MARK and any(
        len(mark) >= MIN_PARTIAL_MARK and (mark in key or key in mark) for mark in marks)


def display_title(title: str | None, marks: Iterable[str] = (), fallback: str = "") -> str:
    """`title` without the site marks it ends with (see the module's rule); `fallback` when
    there is no title."""
    if not title or not title.strip():
        return fallback
    marks = frozenset(marks)
    shown, dropped = title.strip(), False
    while True:
        cut = max(((shown.rfind(sep), sep) for sep in SEPARATORS), key=lambda c: c[0])
        at, sep = cut
        if at <= 0:
            return shown
        head, tail = shown[:at].rstrip(), shown[at + len(sep):].strip()
        section = dropped and len(tail.split()) == 1
        if not (_is_mark(tail, marks) or section) or len(head.split()) < MIN_TITLE_WORDS:
            return shown
        shown, dropped = head, True


def article_title(article: Article, outlet: Outlet | None = None) -> str:
    """The title to show for an article: without site marks, else its external id or id."""
    return display_title(article.title, site_marks(outlet, article.url),
                         article.external_id or article.id)


def outlet_label(names: dict[str, str], outlet_id: str | None) -> str:
    """An outlet's name for people: its registry name, else its id, else "unknown outlet"."""
    if not outlet_id:
        return UNKNOWN_OUTLET
    return names.get(outlet_id) or outlet_id


def date_label(published: str | None) -> str:
    """A publication date for people, or "undated"."""
    return published or UNDATED


def shown_title(article: dict) -> str:
    """An article given as a dict (`check`'s matches: title, url, outlet_name, external_id,
    id) titled for people: without its site's mark, else its external id or id."""
    marks = site_marks(None, article.get("url"), [article.get("outlet_name") or ""])
    return display_title(article.get("title"), marks,
                         article.get("external_id") or article.get("id") or "")


def shown_outlet(article: dict) -> str:
    """The publisher of an article given as a dict: its name, its id, or "unknown outlet"."""
    return article.get("outlet_name") or article.get("publisher_id") or UNKNOWN_OUTLET
