"""The provenance database: the only package that writes SQL or names a column.

    database  open a file or memory, pragmas, migration; `Store`, composed of:
    runs      runs, input problems, the fingerprint recipe, outlets
    articles  input files, articles and their versions, citations
    index     LSH keys, stored fingerprints, boilerplate, pending articles
    copies    copy edges and verdicts, stories, original sources, resolution problems
    rows      records <-> table rows (the one mapping)
    schema    the sqlmodel tables;  views  the SQL views;  base  what the parts share

`Store` takes and returns the records of `provenance.records`; `Store.query` (plain SQL, dicts)
is for auditors and tests only.
"""

from provenance.store.base import DATABASE_FAULTS, describe_fault
from provenance.store.database import MEMORY, Store
from provenance.store.schema import SCHEMA_VERSION

__all__ = ["DATABASE_FAULTS", "MEMORY", "SCHEMA_VERSION", "Store", "describe_fault"]
