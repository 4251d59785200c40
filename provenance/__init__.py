"""provenance: find copies among news articles, read whom they cite, and trace each to its origin.

The public API is small: `scan` a corpus into a `Store` with a `ScanConfig`, then read the store
or build the graph. The command line (`provenance ...`) is a client of this API.
"""

__version__ = "0.1.0"

from .config import ScanConfig  # noqa: E402
from .errors import ProvenanceError  # noqa: E402
from .pipeline import ScanResult, scan  # noqa: E402
from .store import Store  # noqa: E402


def open_store(path: str = ":memory:", create: bool = True) -> Store:
    """Open (or create) the provenance database at `path`; ':memory:' for a throwaway one."""
    return Store(path, create=create)


__all__ = ["ProvenanceError", "ScanConfig", "ScanResult", "Store", "__version__", "open_store",
           "scan"]
