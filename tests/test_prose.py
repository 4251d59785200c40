"""Copy evidence is article prose only: menus, table rows, headline lists and notices are not.

Texts here are written for the tests (site furniture as extraction leaves it in real pages:
`| |` rows of layout tables, menu lines, "most read" headlines, legal lines, banners) around
real seed articles (fixtures/seeds).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from provenance.copies import fingerprint, sketch, verify
from provenance.copies.prose import blocks, prose_lines
from provenance.extract import extract_html

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

MENU = "Home\nLocal News\nSports\nBusiness\nObituaries\nClassifieds"
TABLE = "| Home | Local News | Sports | Business |\n| Weather | Contact Us | Archives | Letters |"
MOST_READ = ("Most read\nCouncil votes to close two pools after long debate\n"
             "Police search for driver after crash on ring road\n"
             "New bakery opens in former post office building\n"
             "School bus timetable changes from Monday for three villages")
LEGAL = ("© 2008 Harbour Valley Publishing Co. All rights reserved. Reproduction of any material "
         "from this site without written permission is strictly prohibited.")
CONSENT = ("We value your privacy. We and our partners use cookies and similar technologies to "
           "store and access information on your device, to personalise content and advertising "
           "and to measure how our pages are used. You can accept all, reject all or choose in "
           "the settings at any time.")
NEWSLETTER = ("Sign up for our morning newsletter and get the most important stories of the day "
              "delivered to your inbox before breakfast. It is free and you can unsubscribe at "
              "any time with a single click.")
WIRE = ("Copyright 2026 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed without permission.")
NOTE = ("Editor's note: This article is part of our continuing coverage. Our reporters verify "
        "every claim with at least two independent sources before publication, and we correct "
        "errors promptly and transparently.")
CHROME = "\n".join((MENU, TABLE, MOST_READ, CONSENT, NEWSLETTER, NOTE, WIRE, LEGAL))


def _seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _prose_text(text: str) -> str:
    return " ".join(text[a:b] for a, b in prose_lines(text))


def test_furniture_and_notices_are_not_prose_and_sentences_are() -> None:
    body = _seeds()[0]
    text = CHROME + "\n" + body
    kept = _prose_text(text)
    for furniture in ("Local News", "| Home |", "Council votes to close", "cookies",
                      "newsletter", "Editor's note", "Associated Press", "Harbour Valley"):
        assert furniture not in kept, furniture
    first_sentence = body.split("\n")[2][:60]
    assert first_sentence in kept


def test_short_sentences_and_subheads_inside_an_article_stay_prose() -> None:
    text = ("The council approved the new budget on Monday after a long debate about schools.\n"
            "It passed narrowly.\n"
            "Reactions\n"
            "The mayor said the vote showed that the district could still agree on its future.")
    kept = _prose_text(text)
    assert "It passed narrowly." in kept and "Reactions" in kept


def test_a_paragraph_wrapped_at_a_width_is_one_block() -> None:
    paragraph = ("The council approved the new budget on Monday after a long debate about school "
                 "funding, road repairs and the future of the district's two public swimming "
                 "pools, which have been closed since the spring.")
    import textwrap

    wrapped = textwrap.fill(paragraph, 64)
    assert blocks(wrapped) == [(0, len(wrapped))]
    assert _prose_text(wrapped).split() == paragraph.split()


def test_pages_sharing_only_chrome_are_no_copies_and_shared_prose_still_is() -> None:
    seeds = _seeds()
    a = fingerprint(CHROME + "\n" + seeds[0])
    b = fingerprint(CHROME + "\n" + seeds[1])
    assert verify(a, b) is None
    reprint = fingerprint(MENU + "\n" + seeds[0] + "\n" + WIRE)
    found = verify(a, reprint)
    assert found is not None and found.kind == "near_duplicate"
    # the chrome is left out of what a copy must cover: the reprint covers all of the prose
    assert min(found.coverage_a, found.coverage_b) > 0.95


def test_sketch_and_fingerprint_agree_on_prose() -> None:
    text = CHROME + "\n" + _seeds()[2]
    fp, sk = fingerprint(text), sketch(text)
    assert np.array_equal(fp.shingles, sk.shingles)
    assert np.array_equal(fp.signature, sk.signature)
    assert not fp.prose.all() and fp.prose.any()


def test_a_text_of_short_lines_only_is_taken_whole() -> None:
    poem = "Roses are red\nviolets are blue\nthe council met\non Monday too"
    fp = fingerprint(poem)
    assert fp.prose.all() and len(fp.shingles)


def test_an_xml_declaration_with_an_encoding_never_breaks_extraction() -> None:
    body = "".join(f"<p>{line}</p>" for line in _seeds()[3].split("\n") if line.strip())
    for head in ('<?xml version="1.0" encoding="utf-8"?>\n',
                 '\ufeff<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>'):
        page = f"{head}<!DOCTYPE html><html lang='de'><body><article>{body}</article></body></html>"
        assert extract_html(page).text.startswith(_seeds()[3].split("\n")[0][:40])


def test_the_article_cell_of_a_layout_table_is_prose_and_its_menu_row_is_not() -> None:
    article = _seeds()[1].split("\n")[2]
    text = (f"| Harbour Valley Courier | | |\n{TABLE}\n| {article} | Most read | Weather |\n"
            f"| {LEGAL} | |")
    kept = _prose_text(text)
    assert kept == article


def _flat(*parts: str) -> str:
    """A page flattened into one line (feeds often give it so): its lines joined by spaces."""
    return " ".join(line for part in parts for line in part.split("\n")
                    if line.strip() and not line.startswith("!"))


def test_notice_sentences_inside_a_one_line_page_are_cut_out_of_its_prose() -> None:
    body = _seeds()[0]
    text = _flat(body.split("\n")[0], CONSENT, body, NEWSLETTER)
    kept = _prose_text(text)
    assert "cookies" not in kept and "newsletter" not in kept
    assert body.split("\n")[3][:60] in kept
    # two one-line pages of different stories under the same banners share no prose
    other = _seeds()[1]
    assert verify(fingerprint(text), fingerprint(_flat(other.split("\n")[0], CONSENT, other,
                                                       NEWSLETTER))) is None


def test_a_page_of_notices_only_shares_nothing_and_the_same_page_twice_is_exact() -> None:
    page = _flat("Storm closes the harbour road", CONSENT, NEWSLETTER)
    fp = fingerprint(page)
    assert not fp.prose.any() and not len(fp.shingles)
    assert verify(fp, fingerprint(_flat("Council votes on the budget", CONSENT, NEWSLETTER))
                  ) is None
    assert verify(fp, fingerprint(page)).kind == "exact"


def test_sketch_and_fingerprint_agree_on_a_one_line_page_with_notices() -> None:
    text = _flat(_seeds()[3], NEWSLETTER, _seeds()[3][:400])
    fp, sk = fingerprint(text), sketch(text)
    assert np.array_equal(fp.shingles, sk.shingles)


# Notices as sites in other languages phrase them (written for this test), and news sentences
# that speak of cookies, subscriptions, newsletters and videos without being a notice.
NOTICES = (
    # Spanish: consent banner, paywall, video error
    "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Puedes aceptar "
    "todas o cambiar la configuración de privacidad cuando quieras.",
    "¿Ya eres suscriptor? Inicia sesión para seguir leyendo este artículo sin límites.",
    "Lo sentimos, el vídeo no está disponible en este momento. Inténtalo de nuevo más tarde.",
    # French: consent, newsletter, video error
    "Nous et nos partenaires utilisons des cookies pour mesurer l'audience. Vous pouvez tout "
    "accepter ou modifier vos paramètres de confidentialité.",
    "Inscrivez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité.",
    "Votre navigateur ne prend pas en charge la lecture de cette vidéo, mettez-le à jour.",
    # Italian: legal line, newsletter, video error
    "Riproduzione riservata, ogni utilizzo dei contenuti senza autorizzazione è vietato.",
    "Iscriviti alla nostra newsletter e ricevi ogni giorno le notizie più lette.",
    "Siamo spiacenti, questo video non è disponibile nel tuo paese in questo momento.",
    # Polish: consent, legal line, video error
    "Używamy plików cookie, aby zapewnić prawidłowe działanie serwisu. Wyrażasz zgodę na "
    "przetwarzanie danych osobowych zgodnie z polityką prywatności.",
    "Wszelkie prawa zastrzeżone, kopiowanie materiałów bez zgody wydawcy jest zabronione.",
    "Twoja przeglądarka nie obsługuje odtwarzania tego materiału wideo w tej chwili.",
    # Portuguese: consent, paywall
    "Usamos cookies para personalizar anúncios. Ao continuar, você concorda com a nossa "
    "política de privacidade e o consentimento pode ser retirado.",
    "Já é assinante? Faça login para continuar lendo esta reportagem exclusiva.",
    # Russian: consent, newsletter, video error
    "Мы используем файлы cookie для улучшения работы сайта и даём согласие на обработку "
    "персональных данных.",
    "Подпишитесь на нашу рассылку, чтобы первыми узнавать главные новости дня.",
    "К сожалению, видео недоступно в вашем регионе, попробуйте позже снова.",
    # English and German video-player errors
    "Our apologies, this video failed to load. Please refresh the page and try again later.",
    "Your browser does not support the video tag, please update it to watch the report.",
    "Dieses Video ist leider nicht mehr verfügbar, bitte versuchen Sie es später erneut.",
)
NEWS = (
    "Die Bäckerei verkaufte am Samstag mehr als 3000 Cookies an die Besucher des Stadtfestes.",
    "El ayuntamiento aprobó la suscripción de un convenio con la universidad para el nuevo "
    "campus.",
    "Le vidéo de la manifestation a été vue plus d'un million de fois sur les réseaux sociaux.",
    "Il governo ha raggiunto il consenso necessario per approvare la riforma delle pensioni.",
    "Sejm przyjął ustawę o ochronie danych osobowych po długiej debacie w nocy.",
    "Совет директоров дал согласие на продажу завода, сообщили в компании во вторник.",
    "O jornal perdeu metade dos assinantes depois que o preço da assinatura dobrou no ano.",
    "The video showed the suspect leaving the shop, and police said it was not authentic.",
    "Subscriptions to the streaming service rose sharply after the price cut in March.",
    "Der Verein verschickt seinen Newsletter jetzt auch an die Mitglieder im Ausland.",
)


def test_notices_in_other_languages_are_not_prose_and_news_about_them_is() -> None:
    body = _seeds()[0]
    for notice in NOTICES:
        kept = _prose_text(notice + "\n" + body)
        assert notice[:30] not in kept, notice
        # inside a one-line page the sentence holding the cues is cut and the article stays
        flat = _prose_text(_flat(body, notice))
        assert any(sentence[:30] not in flat for sentence in notice.split(". ")), notice
        assert body.split("\n")[3][:60] in flat
    for news in NEWS:
        assert _prose_text(news + "\n" + body).startswith(news), news


def test_notices_found_once_per_text_give_the_spans_of_the_plain_test(monkeypatch) -> None:
    from provenance.copies import notices, prose
    from provenance.copies.tokens import token_spans

    # notices inside a page flattened to one line, after a Turkish capital (its lower case is
    # longer), and in blocks of their own around real seed text
    flat = " ".join(CHROME.split("\n"))
    texts = [CHROME, flat + " " + _seeds()[0].replace("\n", " "),
             "İSTANBUL. " + flat + "\n\n" + _seeds()[1]]
    texts += [seed + "\n" + CHROME + "\n" + seed for seed in _seeds()]
    fast = [prose._prose_spans(text) for text in texts]

    class Plain(notices.Cues):
        """Cues that ask ``is_notice`` span by span (the way before the one-pass search)."""

        def __init__(self, text: str):
            self.text, self.found = text, None

    monkeypatch.setattr(prose, "Cues", Plain)
    assert fast == [prose._prose_spans(text) for text in texts]
    assert any(noticed for _, noticed in fast)
    for text, (spans, _) in zip(texts, fast, strict=True):
        starts = token_spans(text)[1]
        expected = np.zeros(len(starts), dtype=bool)
        for a, b in spans:
            lo, hi = np.searchsorted(starts, [a, b])
            expected[lo:hi] = True
        assert np.array_equal(prose.prose_mask(text, starts), expected)
