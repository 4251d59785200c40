"""Notices: legal and wire notices, consent, paywall and newsletter banners, app blurbs,
editor's notes. Prose that reads well but is never evidence of copying (``copies.prose``).

A line is a notice when it holds a strong cue, or two different weak ones (lower-cased text
is searched), and always holds one of the cue stems. Two ways to ask:

* ``is_notice(line)``: the plain test of one line;
* ``Cues(text).notice(start, end)``: the same answer for ``text[start:end]``. The stems and
  the literals one of which every cue's match holds (``required_literals``) are found in one
  Aho-Corasick pass over the whole text; a span is searched only with the cues whose literal
  lies inside it (none, for nearly every span of news prose). Leaving out of an alternation the
  alternatives that cannot match in a string changes none of its matches.

Pure: no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

import ahocorasick

# Notices: legal lines, wire notices, consent, paywall, newsletter, donation and app banners,
# video-player errors, editor's notes (lower-cased text is searched). A strong cue is a notice
# by itself: phrases that a notice uses and news prose does not.
STRONG_CUES = (
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
    # sign-up and trial forms, in the languages above
    r"enter your (?:details|e-?mail)", r"(?:must|should) (?:be|contain) at least \d+ characters",
    r"mindestens \d+ zeichen", r"al menos \d+ caracteres", r"au moins \d+ caract[eè]res",
    r"almeno \d+ caratteri", r"co najmniej \d+ znak", r"pelo menos \d+ caracteres",
    r"не менее \d+ символов", r"минимум \d+ символ",
)
_STRONG = re.compile("|".join(STRONG_CUES))
# Weak cues: a line is a notice when it holds two different ones ("cookies" alone may be news).
# Forms of one word match the same text (a lookahead): "assinante" and "assinatura" are one cue.
WEAK_CUES = (
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
    # sign-up and trial forms
    r"(?:free|full|kostenlose[nm]?) (?:trial|testphase|probeabo)",
    r"(?:request|registration|trial) form", r"e-?mail address",
)
_WEAK = re.compile("|".join(WEAK_CUES))


# Every cue above holds one of these: most blocks hold none and are no notice (cheap test).
CUE_STEMS = ("reserv", "redistribut", "published", "rechte", "nachdruck", "weiterverbreit",
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
              "iscrizione", "donaz", "sessão", "clic", "cliqu", "klick", "klik", "нажим",
              "your details", "your e", "at least", "mindestens", "al menos", "au moins",
              "almeno", "najmniej", "pelo menos", "не менее", "минимум", "trial", "testphase",
              "probeabo", " form", "mail address")


def is_notice(line: str) -> bool:
    """A legal or wire notice, a consent, paywall or newsletter banner, an editor's note."""
    low = line.lower()
    # substring tests run in C and beat one regex alternation of the stems by 2.5x
    if not any(stem in low for stem in CUE_STEMS):
        return False
    if _STRONG.search(low):
        return True
    return len({m.group() for m in _WEAK.finditer(low)}) >= 2


def _skip_group(pattern: str, at: int) -> int:
    """The index after the group that opens at ``pattern[at]`` (nested groups, escapes and
    character classes inside it are skipped whole)."""
    depth = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 1
        elif char == "[":
            at = pattern.index("]", at + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if not depth:
                return at + 1
        at += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def required_literals(pattern: str) -> tuple[str, ...]:
    """Plain strings one of which every match of ``pattern`` holds, the most selective choice:
    a run of characters outside groups, classes and escapes, none made optional or repeated by
    a quantifier, or the alternatives of a group that every match goes through (``(?:a|b)``).
    Raises ValueError for a pattern without one (or with a top-level alternation)."""
    options, run, at = [], "", 0
    while at < len(pattern):
        char = pattern[at]
        if char in "?*+{":  # a quantified character (or group) is no part of a run
            options.append((run[:-1],))
            run, at = "", (pattern.index("}", at) if char == "{" else at) + 1
            at += pattern[at:at + 1] == "?"  # a lazy quantifier
            continue
        if char not in "\\[(.^$|":
            run += char
            at += 1
            continue
        if char == "|":
            raise ValueError(f"top-level alternation in {pattern!r}")
        options.append((run,))
        run = ""
        if char == "(":
            stop = _skip_group(pattern, at)
            alternatives = tuple(pattern[at + 3:stop - 1].split("|"))
            if (pattern.startswith("(?:", at) and pattern[stop:stop + 1] not in ("?", "*", "+", "{")
                    and not any(c in _SPECIAL for c in "".join(alternatives))):
                options.append(alternatives)
        at = (at + 2 if char == "\\" else pattern.index("]", at + 2) + 1 if char == "["
              else _skip_group(pattern, at) if char == "(" else at + 1)
    options.append((run,))
    best = max(options, key=lambda strings: min(map(len, strings)))
    if not min(map(len, best)):
        raise ValueError(f"no literal that every match of {pattern!r} holds")
    return best


_SPECIAL = set("\\[](){}?*+.^$|")


def _automaton() -> ahocorasick.Automaton:
    """One automaton over the cue stems and the cues' literals. The value of a key: its
    length, whether it is a stem, and the strong and the weak cues (indices) holding it."""
    keys: dict[str, tuple[bool, set[int], set[int]]] = {}
    for stem in CUE_STEMS:
        keys[stem] = (True, set(), set())
    for strong, cues in ((True, STRONG_CUES), (False, WEAK_CUES)):
        for n, cue in enumerate(cues):
            for literal in required_literals(cue):
                entry = keys.setdefault(literal, (False, set(), set()))
                entry[1 if strong else 2].add(n)
    automaton = ahocorasick.Automaton()
    for key, (stem, strong, weak) in keys.items():
        if "σ" in key or "ς" in key:  # the one context-dependent lower-casing (see Cues)
            raise ValueError(f"a cue key with a Greek sigma: {key!r}")
        automaton.add_word(key, (len(key), stem, tuple(sorted(strong)), tuple(sorted(weak))))
    automaton.make_automaton()
    return automaton


_KEYS = _automaton()


@lru_cache(maxsize=4096)
def _alternation(strong: bool, indices: tuple[int, ...]) -> re.Pattern:
    """The strong or weak cues of ``indices`` as one pattern, in their order in the list."""
    return re.compile("|".join((STRONG_CUES if strong else WEAK_CUES)[n] for n in indices))


class Cues:
    """Where the cue stems and literals occur in one text (found in one pass), to tell which
    of its spans are notices.

    ``text.lower()`` keeps every character in its place unless a character lower-cases to two
    (Turkish dotted I): such a text is asked span by span with ``is_notice``. The one
    lower-casing that depends on context (a final Greek sigma) is in no key.
    """

    def __init__(self, text: str):
        self.text = text
        low = text.lower()
        self.found: list[tuple[int, tuple]] | None = None
        if len(low) == len(text):
            # every occurrence (overlapping ones too) by its end, in text order
            self.found = [(end + 1, value) for end, value in _KEYS.iter(low)]
            self.ends = [end for end, _ in self.found]
            # the latest start of a stem among the first i + 1 occurrences
            reach, latest = [], -1
            for end, (size, stem, _, _) in self.found:
                latest = max(latest, end - size) if stem else latest
                reach.append(latest)
            self.reach = reach

    def any_stem(self, start: int, end: int) -> bool:
        """Whether a cue stem lies wholly inside ``text[start:end]`` (lower-cased)."""
        if self.found is None:
            low = self.text[start:end].lower()
            return any(stem in low for stem in CUE_STEMS)
        last = bisect_right(self.ends, end)
        return bool(last) and self.reach[last - 1] >= start

    def notice(self, start: int, end: int) -> bool:
        """``is_notice(text[start:end])``."""
        if self.found is None:
            return is_notice(self.text[start:end])
        if not self.any_stem(start, end):
            return False
        strong: set[int] = set()
        weak: set[int] = set()
        for at in range(bisect_left(self.ends, start), bisect_right(self.ends, end)):
            stop, (size, _, strong_cues, weak_cues) = self.found[at]
            if stop - size >= start:
                strong.update(strong_cues)
                weak.update(weak_cues)
        if not strong and not weak:
            return False
        low = self.text[start:end].lower()
        if strong and _alternation(True, tuple(sorted(strong))).search(low):
            return True
        return bool(weak) and len({m.group() for m in _alternation(
            False, tuple(sorted(weak))).finditer(low)}) >= 2
