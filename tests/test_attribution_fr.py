"""French citations: prepositions, inverted subjects, statements to outlets, reports, credits.

Every sentence here is written for these tests; each rule has traps beside it (an outlet that is
the subject of the news, a "à" that is a destination, a common word after "du").
"""

from __future__ import annotations

import pytest

from provenance.citations import Registry, extract_citations
from provenance.records import Citation

CLAIM, QUOTE, REPORT = "claim_attribution", "direct_quote", "report_reference"
WIRE, IMAGE = "wire_credit", "image_credit"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def _found(citations: list[Citation]) -> set[tuple[str, str]]:
    """(outlet or source id, kind) of every citation that is more than a bare mention."""
    return {(c.outlet_id or c.source_id or "?", c.kind) for c in citations if c.kind != "mention"}


# (text, expected {(outlet id, kind)} without bare mentions), all in French
CASES: list[tuple[str, set[tuple[str, str]]]] = [
    # prepositions, with the descriptors French puts before and after the noun
    ("Selon l'AFP, le barrage a cédé dans la nuit.", {("afp", CLAIM)}),
    ("D'après l'agence Reuter, le ministre a quitté la capitale.", {("reuters", CLAIM)}),
    ("Selon l'agence de presse officielle nord-coréenne KCNA, deux missiles ont été tirés.",
     {("kcna", CLAIM)}),
    ("La mine a fermé, d'après le correspondant de Reuter à Johannesburg.", {("reuters", CLAIM)}),
    ("Selon nos confrères du Parisien, la piscine rouvrira en mai.", {("le_parisien", CLAIM)}),
    ("Selon une dépêche de l'AFP et l'agence Reuters, le col est fermé.",
     {("afp", CLAIM), ("reuters", CLAIM)}),
    # the subject after the verb, at the end of the reported clause
    ("Le port restera fermé jusqu'à lundi, a indiqué mardi l'agence Belga.", {("belga", CLAIM)}),
    ("« La situation est grave », rapporte Le Monde.", {("le_monde", QUOTE)}),
    ("Le maire démissionnera, écrivait hier le quotidien Le Figaro.", {("le_figaro", CLAIM)}),
    # the outlet as the subject before its report verb
    ("L'AFP rapporte que trois villages ont été évacués.", {("afp", CLAIM)}),
    ("Le quotidien Le Parisien a révélé que le stade serait vendu.", {("le_parisien", CLAIM)}),
    # a statement given to an outlet ("à" and its contractions), an interview
    ("Le ministre a déclaré au Monde qu'il ne se représenterait pas.", {("le_monde", QUOTE)}),
    ("« Nous ne céderons pas », a-t-elle expliqué mercredi à l'AFP.", {("afp", QUOTE)}),
    ("Dans un entretien accordé au Parisien, l'entraîneur confirme son départ.",
     {("le_parisien", QUOTE)}),
    ("Interrogé par franceinfo, le préfet a démenti toute fermeture.",
     {("france_televisions", QUOTE)}),
    ("« Le pont a tenu », a expliqué Claire Martin à l'AFP.", {("afp", QUOTE)}),
    ("Joint dans la soirée par Belga, le porte-parole du parquet a confirmé.", {("belga", QUOTE)}),
    ("Il a détaillé ses projets dans une interview pour le Frankfurter Allgemeine.",
     {("faz", QUOTE)}),
    ("Un reporter d'Al Jazeera rapporte que la frontière est fermée.", {("al_jazeera", CLAIM)}),
    # relays and earlier reports
    ("Le ministre, cité par l'agence Reuters, a démenti.", {("reuters", CLAIM)}),
    ("Comme l'a révélé Le Figaro, le contrat a été signé en mars.", {("le_figaro", REPORT)}),
    ("Comme l'a aussi écrit le « Financial Times », la banque vendra ses parts.",
     {("financial_times", REPORT)}),
    ("Le projet a été dévoilé pour la première fois par le quotidien Le Temps.",
     {("le_temps", REPORT)}),
    ("Dans un article publié par Les Échos, le patron reconnaît ses erreurs.",
     {("les_echos", REPORT)}),
    # traps: the outlet is the subject of the news, or no cue names it as a source
    ("La grève de l'AFP se poursuit et les journalistes de Reuters la soutiennent.", set()),
    ("Le Soir a consacré sa une au Tour de France.", set()),
    ("Le ministre a vendu ses parts à Reuters l'an dernier.", set()),
    ("Il a passé la fin du Monde libre à relire ses notes.", set()),
    ("La journaliste a annoncé son transfert au Figaro pour la rentrée.", set()),
    # a participle's agent is no list: the subject after the comma is not coordinated with it
    ("Contacté par Belga, le ministère de la Justice n'a pas répondu.", {("belga", QUOTE)}),
    # wire credits of French-language papers: a title run into its text, lower-case sign-offs
    ("Représentation à Genève (AFP).-Les firmes japonaises ouvrent un bureau.", {("afp", WIRE)}),
    ("Recours contre le verdict (ATS),-Condamné en novembre, il fait recours.",
     {("keystone_sda", WIRE)}),
    ("Le succès de la CDU au Bade-Wurtemberg BONN (AFP), — L'opposition a gagné.",
     {("afp", WIRE)}),
    ("L'avion transportait 139 passagers. / ats-afp", {("keystone_sda", WIRE), ("afp", WIRE)}),
    ("Les pacifistes se sont désolidarisés. (ATS, Impar.)", {("keystone_sda", WIRE)}),
    ("(Belga) Un incendie a été maîtrisé dans la nuit à Anvers.", {("belga", WIRE)}),
    # traps: a photo's credit after a caption, a newspaper (no agency) before a dash
    ("Le président à l'Élysée. / AFP", {("afp", IMAGE)}),
    ("Le journal de Francfort (FAZ) – un quotidien conservateur – en parle aussi.", set()),
    ("(CNN) Le sénateur a quitté la salle.", set()),
]


@pytest.mark.parametrize(("text", "expected"), CASES,
                         ids=[f"{i:02d}-{c[0][:40]}" for i, c in enumerate(CASES)])
def test_french_citations(registry: Registry, text: str, expected: set[tuple[str, str]]) -> None:
    citations = extract_citations(text, "fr", registry)
    assert _found(citations) == expected, "\n".join(
        f"{c.source_name!r} {c.kind} rule={c.rule} cue={c.cue!r}" for c in citations)


def test_a_contracted_name_covers_the_name_and_keeps_the_alias(registry: Registry) -> None:
    text = "Il l'a confié au Monde et aux Échos."
    hits = {(text[h.start:h.end], h.alias) for h in registry.find_mentions(text)}
    assert hits == {("Monde", "Le Monde"), ("Échos", "Les Échos")}
    # without the contraction the article is part of the name, and a bare "Monde" is no name
    assert [h.alias for h in registry.find_mentions("Le Monde et le Monde entier")] == [
        "Le Monde"]


def test_french_rules_are_named_french(registry: Registry) -> None:
    rules = {c.rule for c in extract_citations(
        "Selon l'AFP, la digue tient. L'agence Belga rapporte que la pluie cesse.", "fr",
        registry) if c.kind != "mention"}
    assert rules == {"fr.selon", "fr.subject_verb"}
