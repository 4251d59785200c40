"""Citations: the outlets and other sources an article names, how it cites them, and where.

    registry.py     the outlet registry: loading, shared names, lookups
    registry_files.py  the registry file format (schema 2), read and checked
    names.py        the alias index: outlet names and domains in text (`Registry.find_mentions`)
    sources.py      non-outlet sources (ministries, services, think tanks) in text
    sentences.py    sentences with offsets, the unit a cue is read in
    grammar.py      phrase building blocks (descriptors, report verbs, subjects) of the cues
    grammar_fr.py, grammar_es.py, grammar_it.py   the same for French, Spanish and Italian
    phrases.py      the descriptor shape those three share
    cues.py         the left cue rules ("laut", "according to", "selon", ...) as data
    cues_right.py   the right cue rules (" zufolge", " reported", "-Bericht") as data
    classify.py     the engine that applies the cue rules to a name in its sentence
    discovery.py    outlets the registry lacks, presented as outlets where they are cited
    prefilter.py    exact shortcuts: costly patterns tried only where they can match
    textforms.py    the same-length forms of a text the name lookups search, once per text
    attribution.py  extract_citations: zones, names, kinds and relays put together

The zones of a text (credits, source boxes, related links) come from the one zone detector,
`provenance.extract.zones`. Citations are `records.Citation`s; outlets are `records.Outlet`s.
"""

from provenance.citations.attribution import extract_citations
from provenance.citations.classify import prepare_all as prepare_cues
from provenance.citations.registry import Registry, default_registry
from provenance.citations.sentences import Sentence, split_sentences
from provenance.citations.sources import SourceIndex, default_sources

__all__ = ["Registry", "Sentence", "SourceIndex", "default_registry", "default_sources",
           "extract_citations", "prepare_cues", "split_sentences"]
