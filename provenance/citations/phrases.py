"""The shapes the French, Spanish and Italian grammars share, built from each language's words.

A descriptor between a cue and a name is an optional article and adjective, then perhaps a head
noun with its adjectives after it ("l'agence officielle nord-coréenne ", "el diario uruguayo "),
perhaps linked to a second one ("le correspondant de ", "l'agenzia di stampa "), and an
opening quotation mark. Everything here is data.
"""

from __future__ import annotations

# An opening quotation mark ("el diario «", "il quotidiano “"), or the parenthesis around an
# acronym after the name it stands for ("l'Agenzia centrale di stampa coreana (KCNA)").
QUOTE_OPEN = r"(?:[«“\"(]\s?)?"


def adjective(stop: str, letters: str, elided_tail: bool = False) -> str:
    """A lower-case word (of `letters`) that is none of the `stop` words, with the space after
    it: an adjective before or after its noun; with `elided_tail`, a French word may end in an
    elided one ("aujourd'hui")."""
    tail = rf"(?:['’][{letters}]+)?" if elided_tail else ""
    return rf"(?:(?!{stop}\b)[{letters}][{letters}-]*{tail}\s+)"


def descriptor(article: str, adj: str, head: str, link: str, quote: str) -> str:
    """The words between a cue and a name, of one language's parts (each with the space after
    it, or none after an elided article): "", "l'", "la agencia oficial china ", "une dépêche de
    l'", "il quotidiano britannico «"."""
    return (rf"{article}?{adj}?(?:{head}\s*{adj}{{0,3}}(?:{link}{article}?{adj}?"
            rf"(?:{head}\s*{adj}{{0,3}})?)?)?{quote}")
