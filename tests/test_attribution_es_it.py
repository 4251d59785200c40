"""Spanish and Italian citations: prepositions, inverted subjects, statements to outlets, reports.

Every sentence here is written for these tests; each rule has traps beside it (an outlet that is
the subject of the news, an "a" that is a destination, a common word spelt like an agency).
"""

from __future__ import annotations

import pytest

from provenance.citations import Registry, extract_citations
from provenance.records import Citation

CLAIM, QUOTE, REPORT = "claim_attribution", "direct_quote", "report_reference"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def _found(citations: list[Citation]) -> set[tuple[str, str]]:
    """(outlet or source id, kind) of every citation that is more than a bare mention."""
    return {(c.outlet_id or c.source_id or "?", c.kind) for c in citations if c.kind != "mention"}


# (text, language, expected {(outlet id, kind)} without bare mentions)
CASES: list[tuple[str, str, set[tuple[str, str]]]] = [
    # Spanish
    ("Según el diario Kansas City Star, la detenida tiene 38 años.", "es",
     {("kansas_city_star", CLAIM)}),
    ("Según informó este martes la agencia EFE, el puerto sigue cerrado.", "es", {("efe", CLAIM)}),
    ("De acuerdo con el diario Excélsior, los contagios se duplicaron.", "es",
     {("excelsior", CLAIM)}),
    ("La marcha reunió a miles de personas, informó la cadena RTHK.", "es", {("rthk", CLAIM)}),
    ("Las negociaciones siguen abiertas, recoge BBC.", "es", {("bbc", CLAIM)}),
    ("Infobae informó que el boxeador fue agredido.", "es", {("infobae", CLAIM)}),
    ("«Es un momento difícil», dijo la alcaldesa a CNN.", "es", {("cnn", QUOTE)}),
    ("Según han informado a Europa Press fuentes de la Guardia Civil, no hubo heridos.", "es",
     {("europa_press", QUOTE)}),
    ("En declaraciones a la cadena SER, el ministro defendió la reforma.", "es",
     {("cadena_ser", QUOTE)}),
    ("El ministro, citado por la agencia Reuters, negó la noticia.", "es", {("reuters", CLAIM)}),
    ("Como publicó El País, el contrato se firmó en marzo.", "es", {("el_pais", REPORT)}),
    ("El relato apareció en The New York Times treinta años después.", "es", {("nyt", REPORT)}),
    ("La huelga de la agencia EFE continúa y los periodistas de Reuters la apoyan.", "es", set()),
    ("El club anunció el fichaje del delantero a Reuters.", "es", set()),
    # Italian
    ("Secondo l'agenzia Ansa, il ponte resterà chiuso fino a lunedì.", "it", {("ansa", CLAIM)}),
    ("Stando a Reuters, l'accordo è vicino.", "it", {("reuters", CLAIM)}),
    ("Il presidente ha annunciato il piano, riporta l'agenzia di stampa Yonhap.", "it",
     {("yonhap", CLAIM)}),
    ("Il partito ha celebrato l'anniversario, ha riferito l'Agenzia centrale di stampa coreana "
     "(KCNA).", "it", {("kcna", CLAIM)}),
    ("Politico osserva che la Casa Bianca minimizza la minaccia.", "it", {("politico", CLAIM)}),
    ("«Non ci fermeremo», ha detto il ministro all'Ansa.", "it", {("ansa", QUOTE)}),
    ("Il sindaco, intervistato dal Corriere della Sera, ha confermato le dimissioni.", "it",
     {("corriere_della_sera", QUOTE)}),
    ("Un rapporto, pubblicato dalla CNN a Capodanno, cita fonti della Casa Bianca.", "it",
     {("cnn", REPORT)}),
    ("Lo sciopero dell'Ansa continua e i giornalisti di Reuters lo sostengono.", "it", set()),
    ("Il fiume forma un'ansa stretta vicino al paese.", "it", set()),
]


@pytest.mark.parametrize(("text", "language", "expected"), CASES,
                         ids=[f"{i:02d}-{c[1]}-{c[0][:36]}" for i, c in enumerate(CASES)])
def test_spanish_and_italian_citations(registry: Registry, text: str, language: str,
                                        expected: set[tuple[str, str]]) -> None:
    citations = extract_citations(text, language, registry)
    assert _found(citations) == expected, "\n".join(
        f"{c.source_name!r} {c.kind} rule={c.rule} cue={c.cue!r}" for c in citations)


def test_rules_are_named_by_language(registry: Registry) -> None:
    spanish = extract_citations("Infobae informó que llueve. Según la agencia EFE, nieva.", "es",
                                registry)
    italian = extract_citations("Politico osserva che piove. Secondo Reuters, nevica.", "it",
                                registry)
    assert {c.rule for c in spanish if c.kind != "mention"} == {"es.subject_verb", "es.segun"}
    assert {c.rule for c in italian if c.kind != "mention"} == {"it.subject_verb", "it.secondo"}


def test_languages_without_a_grammar_share_one_cue_set_and_prepare_compiles_all() -> None:
    from provenance.citations import cues as C
    from provenance.citations import prepare_cues
    from provenance.citations.classify import _cue_words, cues_for

    assert cues_for("pl") is cues_for("zh")  # one set, so its cue words are indexed once
    assert _cue_words(cues_for("pl")) is _cue_words(cues_for("tr"))
    assert {c.rule.split(".")[0] for c in cues_for("it")[0]} == {"it"}
    prepare_cues()
    assert all(c.pattern._compiled is not None for c in (*C.LEFT_CUES, *C.WEAK_LEFT_CUES))
