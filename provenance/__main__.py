"""`python -m provenance` runs the command line."""

from .cli import app

app(prog_name="provenance")
