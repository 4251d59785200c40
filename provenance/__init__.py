"""provenance: find copies among news articles, read whom they cite, and trace each to its origin.

The public API is small: `scan` a corpus into a `Store` with a `ScanConfig`, then read the store
or build the graph. The command line (`provenance ...`) is a client of this API.
"""

from provenance.config import ScanConfig
from provenance.errors import ProvenanceError
from provenance.scan import ScanResult, scan
from provenance.store import Store
from provenance.version import __version__


def open_store(path: str = ":memory:", create: bool = True) -> Store:
    """Open (or create) the provenance database at `path`; ':memory:' for a throwaway one."""
    return Store(path, create=create)


__all__ = ["ProvenanceError", "ScanConfig", "ScanResult", "Store", "__version__", "open_store",
           "scan"]
