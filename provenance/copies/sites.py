"""Sites: the registrable domain a publisher's pages are served under (the only tldextract home).

Pages of one site share its template whatever their host: ``finance.yahoo.com`` and
``news.yahoo.com`` are one site, ``yahoo.com``; ``bbc.co.uk`` is a site of its own, not ``co.uk``.
The public suffix list is tldextract's bundled snapshot: nothing is fetched, nothing is cached on
disk. A publisher from the registry (an id without a host) is a site of its own: the registry
already gathers all its domains under one id.
"""

from __future__ import annotations

from functools import lru_cache

# The prefix of publisher ids made from a page's host (`analyse.resolve_publisher`).
_HOST_PREFIX = "web:"
# Outlet ids that are hosts carry a dot and no space, colon or slash.
_NOT_HOST = (" ", ":", "/")


def site_of(publisher: str | None) -> str | None:
    """The site of a publisher id: the registrable domain of a host (``web:news.yahoo.com`` ->
    ``yahoo.com``), else the id itself; None for no publisher."""
    if not publisher:
        return None
    host = publisher.removeprefix(_HOST_PREFIX).lower()
    if "." not in host or any(c in host for c in _NOT_HOST):
        return publisher
    return _registrable(host) or host


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    """The registrable domain of a host ("" when it has none, e.g. an IP address)."""
    parts = _extractor()(host)
    if hasattr(parts, "top_domain_under_public_suffix"):  # tldextract >= 5.3
        return parts.top_domain_under_public_suffix
    return parts.registered_domain


@lru_cache(maxsize=1)
def _extractor():
    """tldextract with its bundled public suffix list: offline, no disk cache."""
    import tldextract  # imported on first use: a scan needs it, `provenance --help` does not

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
