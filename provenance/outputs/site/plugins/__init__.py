"""Datasette plugins of `provenance serve`, loaded with `datasette --plugins-dir` (one module
per file; this package file holds no hook)."""
