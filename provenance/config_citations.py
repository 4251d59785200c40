"""Tunables of citation extraction that do not fit in ``config.py`` (at its size limit).

``NAME_MEMO``: how many distinct (name, language, country) look-ups `Registry.by_name` keeps
answered (credits repeat the same few agency names across an archive); the memo starts
afresh when full, so memory stays bounded whatever the archive.
"""

NAME_MEMO = 1 << 14
