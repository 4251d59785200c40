"""Commands that live outside `provenance.cli`; each module has `register(app)`."""
