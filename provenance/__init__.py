"""provenance: find copies among news articles, read whom they cite, and trace each to its origin.

The public API is small: `scan` a corpus into a `Store` with a `ScanConfig`, then read the store
or build the graph. The command line (`provenance ...`) is a client of this API.

`scan`, `ScanResult` and `Store` load on first use, so that `import provenance.cli` (and
`provenance --help`) does not pay for SQLAlchemy, numpy, trafilatura and the citation grammar.
"""

import sys
import types

from provenance.config import ScanConfig
from provenance.errors import ProvenanceError
from provenance.version import __version__

_LAZY = {"ScanResult": "provenance.scan", "Store": "provenance.store"}


class _Package(types.ModuleType):
    """The package module: `provenance.scan` is the scan function, loaded on first use.

    A property, because importing the subpackage `provenance.scan` binds the name on the package
    to the subpackage: the setter ignores that, as the eager `from provenance.scan import scan`
    did before.
    """

    @property
    def scan(self):  # noqa: D401 - the function, not a description of it
        """The scan function (`provenance.scan.scan`)."""
        from provenance.scan import scan

        return scan

    @scan.setter
    def scan(self, _value: object) -> None:
        """Ignore the import system binding the subpackage to this name."""


def __getattr__(name: str) -> object:
    """`ScanResult` and `Store`, imported when first asked for."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'provenance' has no attribute {name!r}")


def open_store(path: str = ":memory:", create: bool = True):
    """Open (or create) the provenance database at `path`; ':memory:' for a throwaway one."""
    from provenance.store import Store

    return Store(path, create=create)


sys.modules[__name__].__class__ = _Package

__all__ = ["ProvenanceError", "ScanConfig", "ScanResult", "Store", "__version__", "open_store",
           "scan"]
