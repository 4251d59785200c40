"""The version of provenance (one place, imported by the package and the run records)."""

__version__ = "0.1.0"
