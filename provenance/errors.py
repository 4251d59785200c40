"""The exception family of provenance: every error a user can act on is a ProvenanceError.

The CLI translates these once into ``Error: <message>`` on stderr and exit code 1; library code
raises them with a message that says what happened and what to do next.
"""

from __future__ import annotations


class ProvenanceError(Exception):
    """Something went wrong that the user can fix; the message says how."""


class StoreError(ProvenanceError):
    """The database could not be opened or is not a provenance database."""


class ScanBusyError(StoreError):
    """Another scan holds the database's scan lock."""


class SchemaVersionError(StoreError):
    """The database was written by an incompatible version of provenance."""


class InputError(ProvenanceError):
    """An input path or file could not be used at all."""


class ManifestError(InputError):
    """The --manifest file is malformed."""


class RegistryError(ProvenanceError, ValueError):
    """An outlet registry file is missing or malformed; the message names the file and the fix."""


class NotFoundError(ProvenanceError):
    """A reference (article id, external id, url or path) matched nothing in the database."""


class IncompatibleIndexError(ProvenanceError):
    """Signatures or LSH keys were made with different fingerprint parameters: never mixed."""
