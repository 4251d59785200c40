"""Prose: the parts of a text that may be evidence of copying, and the parts that never are.

An edge stands on shared article prose only. A text's blocks (a line, or the lines of one
wrapped paragraph) are read one by one; a block is prose when it reads like sentences of an
article, not like site furniture:

* a table row (cells joined by ``|``, as extraction writes tables) is read cell by cell: a
  menu row or a data row is not prose, the long article cell of a 2008 layout table is;
* a line shorter than ``PROSE_MIN_WORDS`` words (menu entries, headings, bylines) is not,
  unless it is a short sentence (``PROSE_MIN_SENTENCE_WORDS`` words or more, a full stop);
* a line with less than one sentence mark (full stop, comma, colon, quote ...) in
  ``PROSE_WORDS_PER_MARK`` words (headlines of a "most read" box, a link list) is not;
* a notice is not, however well written: legal and wire notices ("All rights reserved. This
  material may not be published ..."), consent, paywall and newsletter banners, app blurbs,
  editor's notes. They stay in the text: citations read the full text, so a wire notice is
  still credit evidence; they only never count as copied text. In a block longer than a notice
  (a feed that flattens a page into one line puts the banner inside the article's only
  block), the notice sentences are cut out of it, with a sentence or two between them.

Measured on the template crawl (benchmarks/bench_crawl.py) and the syndication benchmark
(benchmarks/bench_match_quality.py). A text with no prose line at all (a list, a poem, a text of
short lines) is taken whole, so that it can still match its own copies.
"""

from __future__ import annotations

import re

import numpy as np

from provenance.config import (
    PROSE_MAX_INSET,
    PROSE_MAX_NOTICE_WORDS,
    PROSE_MIN_SENTENCE_WORDS,
    PROSE_MIN_WORDS,
    PROSE_WORDS_PER_MARK,
    WRAP_MAX_CHARS,
    WRAP_MIN_CHARS,
)

_TABLE_ROW = re.compile(r"(^\s*\|)|(\S\s*\|\s*\S.*\|)|(\s\|\s)")
_SENTENCE_MARKS = tuple(".!?;:,…»«“”\"')")
_FULL_STOP = re.compile(r"\w[.!?…][\"”“»«')]?$")
_ENDS_SENTENCE = re.compile(r"[.!?:;…\"”“»«')\]]\s*$")
# Notices: legal lines, wire notices, consent, paywall, newsletter, donation and app banners,
# video-player errors, editor's notes (lower-cased text is searched). A strong cue is a notice
# by itself: phrases that a notice uses and news prose does not.
_STRONG_CUES = (
    # English and German
    r"all rights reserved", r"may not be (?:published|reproduced|redistributed)",
    r"rewritten or redistributed", r"alle rechte vorbehalten", r"nachdruck (?:nur|und|oder)",
    r"editor'?s note", r"anmerkung der redaktion", r"already a subscriber",
    r"(?:accept|reject) all", r"sign up for our", r"in your inbox", r"ihr postfach",
    r"unsubscribe", r"registered users", r"once registered",
    r"your browser (?:does not|doesn't|can ?not|can't) (?:support|play)",
    r"(?:video|player) (?:failed to|could not|couldn't|can ?not|can't) "
    r"(?:load|be (?:played|loaded))",
    r"(?:error|problem|trouble) (?:loading|playing) (?:this|the) video",
    r"this video is (?:no longer |not |currently not |currently un)available",
    r"enable javascript", r"javascript (?:aktivieren|einschalten)", r"enable cookies",
    r"cookies (?:must|need to|should) be enabled", r"cookies (?:aktivieren|zulassen)",
    r"ihr browser unterstützt", r"video (?:konnte|kann) (?:derzeit |leider )*nicht "
    r"(?:geladen|abgespielt)", r"dieses video (?:ist|kann) (?:derzeit |leider )*nicht (?:mehr )?"
    r"(?:verfügbar|abgespielt)",
    # Spanish
    r"todos los derechos reservados", r"queda prohibida (?:la|su) reproducción",
    r"ya eres suscriptor", r"¿ya eres suscript",
    r"suscríbete (?:a|al) (?:nuestr|boletín|newsletter)", r"date de baja",
    r"en tu (?:bandeja de entrada|correo electrónico)",
    r"tu navegador no (?:admite|soporta|es compatible)",
    r"(?:vídeo|video) no (?:está|se encuentra) disponible",
    r"no se (?:ha )?(?:pudo|puede) (?:cargar|reproducir) (?:el|este) (?:vídeo|video)",
    # French
    r"tous droits réservés", r"reproduction interdite", r"déjà abonnée? ?\?",
    r"inscrivez-vous à (?:notre|la) (?:newsletter|lettre)",
    r"dans votre boîte (?:mail|e-mail|aux lettres|de réception)", r"vous désinscrire",
    r"votre navigateur ne (?:prend pas en charge|supporte pas|permet pas)",
    r"(?:cette|la) vidéo (?:n'est (?:pas|plus) disponible|est indisponible)",
    r"impossible de (?:lire|charger) (?:la|cette) vidéo",
    # Italian
    r"tutti i diritti riservati", r"riproduzione riservata",
    r"sei già abbonato", r"iscriviti alla (?:nostra )?newsletter", r"nella tua casella",
    r"annulla(?:re)? l'iscrizione", r"il tuo browser non (?:supporta|è compatibile)",
    r"(?:questo|il) video non è (?:disponibile|più disponibile)",
    r"impossibile (?:riprodurre|caricare) (?:il|questo) video",
    # Polish
    r"wszelkie prawa zastrzeżone",
    r"zapisz się (?:do|na) (?:naszego )?newslett", r"na twoją skrzynkę",
    r"twoja przeglądarka nie obsługuje", r"(?:ten film|to wideo|wideo) jest niedostępn",
    r"nie (?:można|udało się) (?:odtworzyć|załadować) (?:filmu|wideo)",
    # Portuguese
    r"todos os direitos reservados", r"já é assinante ?\?",
    r"(?:assine|inscreva-se n?a) (?:a )?(?:nossa )?newsletter",
    r"na sua caixa de (?:entrada|correio)", r"(?:seu|o seu) navegador não (?:suporta|é compatível)",
    r"(?:este|o) vídeo não está disponível",
    r"não (?:foi possível|é possível) (?:carregar|reproduzir) (?:o|este) vídeo",
    # Russian
    r"все права защищены", r"подпишитесь на (?:нашу|наш) рассылк",
    r"вы уже подписаны", r"ваш браузер не поддерживает", r"видео (?:недоступно|не доступно)",
    r"не удалось (?:загрузить|воспроизвести) видео",
    r"видео не удалось (?:загрузить|воспроизвести)",
)
_STRONG = re.compile("|".join(_STRONG_CUES))
# Weak cues: a line is a notice when it holds two different ones ("cookies" alone may be news).
# Forms of one word match the same text (a lookahead): "assinante" and "assinatura" are one cue.
_WEAK_CUES = (
    # English and German
    r"weiterverbreitung", r"ohne (?:vorherige |schriftliche )?(?:zustimmung|genehmigung)",
    r"\bcookies?\b", r"privacy", r"einwilligung", r"datenschutz", r"personali[sz]",
    r"free articles?", r"subscri(?:be|ption)", r"log in", r"keep reading", r"abonn",
    r"weiterlesen", r"newsletter", r"sign up", r"postfach", r"inbox", r"abbestellen",
    r"\bapp\b", r"your device", r"ihrem gerät", r"\bpartner", r"einstellungen", r"settings",
    r"werbung", r"weiterzulesen", r"continue reading", r"donat(?:e|ion)",
    r"spende", r"zustimmung", r"widerruf", r"akzeptier", r"persönliche(?:n)? daten",
    r"personal data", r"consent", r"by clicking", r"klicken sie auf",
    # Spanish
    r"privacidad", r"consentimiento", r"suscri(?=b|p)", r"boletín", r"inicia(?=r? sesión)",
    r"(?:aceptar|rechazar) todas", r"seguir leyendo", r"sigue leyendo", r"donaci[oó]n",
    r"datos personales", r"configuraci[oó]n",
    r"nuestros socios", r"(?:al )?hacer cli(?:c|ck) en",
    # French
    r"tout (?:accepter|refuser)", r"confidentialité", r"consentement", r"données personnelles",
    r"paramètres",
    r"partenaires", r"lire la suite", r"connectez-vous", r"faire un don", r"en cliquant sur",
    # Italian
    r"(?:accetta|rifiuta) tutti", r"riservatezza", r"consenso", r"abbona(?=t|ment|rti)",
    r"dati personali",
    r"impostazioni", r"continua a leggere", r"accedi", r"donazione", r"cliccando su",
    # Polish
    r"(?:akceptuj|odrzuć) wszystk", r"prywatności", r"zgod(?=[ęya] na)", r"subskrypcj",
    r"prenumerat", r"danych osobowych", r"ustawie(?=[nń])", r"czytaj dalej", r"zaloguj",
    r"wesprzyj", r"klikając",
    # Portuguese
    r"(?:aceitar|rejeitar|recusar) tod(?=[oa]s)", r"privacidade", r"consentimento",
    r"assina(?=nte|tura)", r"dados pessoais",
    r"configurações", r"definições", r"parceiros", r"continuar (?:lendo|a ler)",
    r"faça login", r"iniciar sessão", r"doação", r"ao clicar em",
    # Russian
    r"(?:принять|отклонить) все", r"куки", r"конфиденциальност",
    r"согласие", r"подпи(?=ск|ш)",
    r"рассылк", r"персональн(?=ых данных|ые данные)", r"настройк", r"партн(?=[её]р)",
    r"читать далее", r"авторизуйтесь", r"войдите", r"пожертвован", r"поддержите",
    r"нажимая",
)
_WEAK = re.compile("|".join(_WEAK_CUES))


# Every cue above holds one of these: most blocks hold none and are no notice (cheap test).
_CUE_STEMS = ("reserv", "redistribut", "published", "rechte", "nachdruck", "weiterverbreit",
              "zustimmung", "genehmigung", "editor", "redaktion", "subscri", "accept", "reject",
              "sign", "inbox", "postfach", "registered", "cookie", "privacy", "einwilligung",
              "datenschutz", "personali", "free article", "log in", "keep reading", "abonn",
              "weiterlesen", "newsletter", "abbestellen", " app", "device", "gerät", "partner",
              "einstellungen", "settings", "werbung", "weiterzulesen",
              "continue reading", "donat", "spende", "widerruf", "akzeptier", "persönliche",
              "personal data", "consent", "browser", "video", "vídeo", "vidéo", "видео",
              "javascript", "derech", "prohibida", "aceptar", "rechazar", "suscri", "baja",
              "bandeja", "correo", "navega", "privacidad", "consentimiento", "boletín", "sesión",
              "leyendo", "donaci", "datos", "configura", "dispositiv", "socios", "droits",
              "interdite", "accepter", "refuser", "inscri", "boîte", "confidentialité",
              "données", "paramètres", "partenaires", "lire la suite", "connectez", "un don",
              "appareil", "diritti", "riprodu", "accetta", "rifiuta", "abbona", "casella",
              "riservatezza", "consenso", "dati personali", "impostazioni", "continua a leggere",
              "accedi", "prawa", "akceptuj", "odrzuć", "zapisz", "skrzynk", "przeglądark",
              "niedostępn", "odtworzy", "prywatności", "zgod", "subskrypcj", "prenumerat",
              "osobowych", "ustawie", "czytaj dalej", "zaloguj", "wesprzyj", "urządzeniu",
              "direitos", "aceitar", "rejeitar", "recusar", "assina", "assine", "caixa de",
              "privacidade", "dados pessoais", "configurações", "definições", "parceiros",
              "continuar", "login", "doação", "права", "принять", "отклонить", "подпи",
              "браузер", "cookie", "куки", "конфиденциальност", "согласие", "рассылк",
              "персональн", "настройк", "партн", "читать далее", "авторизуйтесь", "войдите",
              "пожертвован", "поддержите", "устройстве", "player", "załadować", "navigateur",
              "iscrizione", "donaz", "sessão", "clic", "cliqu", "klick", "klik", "нажим")
# Sentence ends inside a long block (a flattened page): the mark, closing quotes, then space.
_SENTENCE_END = re.compile(r"[.!?…][\"”“»«')\]]*\s+")


def _is_notice(line: str) -> bool:
    """A legal or wire notice, a consent, paywall or newsletter banner, an editor's note."""
    low = line.lower()
    # substring tests run in C and beat one regex alternation of the stems by 2.5x
    if not any(stem in low for stem in _CUE_STEMS):
        return False
    if _STRONG.search(low):
        return True
    return len({m.group() for m in _WEAK.finditer(low)}) >= 2


def prose_lines(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the prose blocks of ``text`` (see ``blocks``).

    A run of at most ``PROSE_MAX_INSET`` short blocks between two prose blocks (a subhead, a
    sentence broken over lines) is prose too: it is part of the article around it.
    """
    return _prose_spans(text)[0]


def _prose_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """The prose spans of ``text`` (``prose_lines``), and whether a notice was left out."""
    cells = [span for block in blocks(text) for span in _cells(text, *block) if span[1] > span[0]]
    spans = [part for span in cells for part in _without_notices(text, *span)]
    kinds = [_kind(text[start:end]) for start, end in spans]
    noticed = spans != cells or any(
        kind == "other" and _is_notice(text[start:end])
        for (start, end), kind in zip(spans, kinds, strict=True))
    for n, kind in enumerate(kinds):
        if kind != "short" or (n and kinds[n - 1] == "short"):
            continue
        end = n
        while end < len(kinds) and kinds[end] == "short":
            end += 1
        if (end - n <= PROSE_MAX_INSET and n and kinds[n - 1] == "prose"
                and end < len(kinds) and kinds[end] == "prose"):
            kinds[n:end] = ["inset"] * (end - n)
    return ([span for span, kind in zip(spans, kinds, strict=True) if kind in ("prose", "inset")],
            noticed)


def _without_notices(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A block longer than a notice, less its notice sentences and up to ``PROSE_MAX_INSET``
    sentences between two of them (a banner's sentences without a cue of their own)."""
    block = text[start:end]
    if block.count(" ") < PROSE_MAX_NOTICE_WORDS:
        return [(start, end)]
    low = block.lower()
    if not any(stem in low for stem in _CUE_STEMS):
        return [(start, end)]
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(block)), len(block)]
    sentences = list(zip(cuts, cuts[1:], strict=False))
    notice = [_is_notice(block[a:b]) for a, b in sentences]
    if not any(notice):
        return [(start, end)]
    marked = [n for n, is_notice in enumerate(notice) if is_notice]
    for first, last in zip(marked, marked[1:], strict=False):
        if last - first - 1 <= PROSE_MAX_INSET:
            notice[first:last] = [True] * (last - first)
    kept: list[tuple[int, int]] = []
    for (a, b), is_notice in zip(sentences, notice, strict=True):
        if is_notice:
            continue
        if kept and kept[-1][1] == start + a:
            kept[-1] = (kept[-1][0], start + b)
        else:
            kept.append((start + a, start + b))
    return [(a, a + len(text[a:b].rstrip())) for a, b in kept if text[a:b].strip()]


def blocks(text: str) -> list[tuple[int, int]]:
    """The text's blocks as character spans: a line, or lines that wrap one paragraph.

    Lines join when a line stops mid-sentence and the next goes on in lower case, and a
    paragraph wrapped at a fixed width (between blank lines, most lines of similar length and
    ending without a full stop) is one block, however it is wrapped.
    """
    found: list[tuple[int, int]] = []
    at = 0
    for chunk in text.split("\n\n"):
        lines = chunk.split("\n")
        if len(lines) > 1 and _wrapped(lines):
            found.append((at, at + len(chunk)))
        else:
            pos = at
            for n, line in enumerate(lines):
                if (n and found and found[-1][1] == pos - 1 and line[:1].islower()
                        and not _ENDS_SENTENCE.search(text[found[-1][0]:found[-1][1]])):
                    found[-1] = (found[-1][0], pos + len(line))
                else:
                    found.append((pos, pos + len(line)))
                pos += len(line) + 1
        at += len(chunk) + 2
    return found


def _wrapped(lines: list[str]) -> bool:
    """Whether the lines of one paragraph are a text wrapped at a width (not a list)."""
    body = lines[:-1]
    long = sum(WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS for line in body)
    open_ended = sum(not _ENDS_SENTENCE.search(line) for line in body)
    return long >= 0.8 * len(body) and open_ended >= 0.5 * len(body)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A block, or the cells of a table row, each a block of its own: an article set in a
    2008-style layout table comes out of extraction as one cell of a long ``| |`` row."""
    block = text[start:end]
    if "|" not in block or not _TABLE_ROW.search(block):
        return [(start, end)]
    cells, at = [], start
    for part in block.split("|"):
        inner = part.strip()
        if inner:
            lead = at + part.index(inner)
            cells.append((lead, lead + len(inner)))
        at += len(part) + 1
    return cells


def _kind(block: str) -> str:
    """What one block is: "prose" (article sentences), "short" (a heading, a menu entry, a
    sentence fragment, a table cell) or "other" (a list of headlines, a notice)."""
    words = block.count(" ") + block.count("\n") + 1  # single-spaced (normalised) text
    if words < PROSE_MIN_WORDS:
        # a short sentence, not a heading or a menu entry: it ends with a full stop
        if words >= PROSE_MIN_SENTENCE_WORDS and _FULL_STOP.search(block):
            return "prose"
        return "short"
    if sum(map(block.count, _SENTENCE_MARKS)) < max(1, words // PROSE_WORDS_PER_MARK):
        return "other"
    if words <= PROSE_MAX_NOTICE_WORDS and _is_notice(block):
        return "other"
    return "prose"


def all_prose(text: str) -> bool:
    """Whether every line of ``text`` is one whole prose block (then no token is masked)."""
    at, lines = 0, []
    for line in text.split("\n"):
        lines.append((at, at + len(line)))
        at += len(line) + 1
    return prose_lines(text) == lines


def prose_mask(text: str, starts: np.ndarray) -> np.ndarray:
    """For each token (by its start offset), whether it lies in a prose line of ``text``.

    All True when the text has no prose line: a text of short lines is taken whole (but not
    a text of notices and short lines: a page that holds only a banner shares no article).
    """
    spans, noticed = _prose_spans(text)
    if not spans:
        return np.full(len(starts), not noticed, dtype=bool)
    mask = np.zeros(len(starts), dtype=bool)
    for start, end in spans:
        lo, hi = np.searchsorted(starts, [start, end])
        mask[lo:hi] = True
    return mask


def shingle_mask(prose: np.ndarray, count: int, size: int) -> np.ndarray:
    """For each of ``count`` shingle positions, whether all its ``size`` tokens are prose."""
    if prose.all():
        return np.ones(count, dtype=bool)
    width = min(size, len(prose))
    outside = np.concatenate(([0], np.cumsum(~prose)))
    return (outside[width:width + count] - outside[:count]) == 0
