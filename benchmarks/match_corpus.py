"""The labelled corpus of bench_match_quality.py: real texts, synthetic copies, gold families.

Reads real article bodies from ../shared (never copied into the repository): the seeds, German
Wikinews (SpkAtt 2023), English PolNeAR and multilingual SemEval-2022 task 8 texts. From some of
them it derives copies of each kind (re-wrapped, credited, trimmed, lightly edited, heavily
rewritten, two paragraphs inside another text) with publication times, and gives a few
synthetic outlets a shared footer. Deterministic: every random choice comes from `RNG_SEED`.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

RNG_SEED = 20240611
LIGHT_EDIT_RATE = 0.10
HEAVY_EDIT_RATE = 0.35
HEAVY_SHARE = 0.35
UNDATED_SHARE = 0.08
DATE_ONLY_SHARE = 0.10
FOOTER_OUTLETS = 4
FOOTER_DOCS_PER_OUTLET = 40
COPY_KINDS = ("rewrap", "credit", "trim", "light")
Pair = tuple[int, int]  # indexes of two documents, lower first

# Our own footer prose (one per synthetic outlet), about 45 words each.
FOOTERS = [
    "Abonnieren Sie unseren kostenlosen Newsletter und erhalten Sie jeden Morgen die wichtigsten "
    "Meldungen aus Politik, Wirtschaft und Kultur direkt in Ihr Postfach. Sie können sich "
    "jederzeit mit einem Klick wieder abmelden. Hinweis der Redaktion: Kommentare werden vor der "
    "Veröffentlichung geprüft und erscheinen nicht sofort.",
    "Sign up for our daily briefing to get the top stories of the day delivered to your inbox "
    "every morning before breakfast. Editor's note: this article has been updated to reflect new "
    "information as it became available. Readers can reach the newsroom with corrections at any "
    "time through the contact form.",
    "Unterstützen Sie unabhängigen Journalismus aus der Region: Mit einem Digital-Abo lesen Sie "
    "alle Artikel ohne Werbung auf jedem Gerät und sichern die Arbeit unserer Lokalredaktion. "
    "Alle Rechte vorbehalten, Vervielfältigung nur mit schriftlicher Genehmigung des Verlags "
    "und unter Angabe der Quelle.",
    "This story is part of our ongoing coverage and will be updated as more details emerge from "
    "officials on the ground. Follow our live blog for the latest developments, and download the "
    "mobile app to receive breaking news alerts about the stories that matter most to your "
    "community and family.",
]
CREDITS = {"de": ("(dpa) - ", "Mit Material von AFP und Reuters."),
           "en": ("(AP) — ", "The Associated Press contributed to this report.")}

@dataclass
class Doc:
    """One document of the corpus: its text, outlet, time, and what it is (gold labels)."""

    id: str
    text: str
    source: str
    lang: str
    outlet: str
    published: datetime | None = None
    family: str | None = None  # originals and their copies share a family
    # distractor | original | rewrap | credit | trim | light | heavy | host
    role: str = "distractor"
    extra: dict = field(default_factory=dict)


# --- loading ------------------------------------------------------------------------------------


def detokenize(tokens: list[str]) -> str:
    """Join Wikinews tokens into plain text with conventional spacing."""
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    return re.sub(r"([(\[„]) ", r"\1", text)


def load_wikinews(shared: Path) -> list[tuple[str, str]]:
    """German Wikinews bodies: sentences grouped three to a paragraph."""
    out = []
    for path in sorted((shared / "data/spkatt2023-task2-de-wikinews/train/task2").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sents = [detokenize(s["Tokens"]) for s in data["Sentences"]]
        paras = ["\n".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
        out.append((f"wikinews:{path.name.split(' ')[0]}", "\n\n".join(paras)))
    return out


def load_polnear(shared: Path) -> list[tuple[str, str]]:
    """English PolNeAR bodies (2015-2016 US politics: many same-topic hard negatives)."""
    folder = shared / "data/polnear-attribution/train/text"
    paths = sorted(folder.glob("*.txt"))
    return [(f"polnear:{p.stem}", p.read_text(encoding="utf-8")) for p in paths]


def load_semeval(shared: Path) -> list[dict]:
    """SemEval-2022 task 8 pairs with texts (both files, duplicates removed by pair id)."""
    csv.field_size_limit(1 << 30)
    rows = {}
    for name in ("training_set", "testing_set"):
        path = shared / f"data/semeval2022-task8-news-similarity/hfl-texts/{name}.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                rows[row["pair_id"]] = row
    return [rows[k] for k in sorted(rows)]


def load_semeval_domains(shared: Path) -> dict[str, str]:
    """Article id -> site, from the official SemEval URL files (for per-outlet boilerplate)."""
    domains = {}
    folder = shared / "data/semeval2022-task8-news-similarity/official-labels-urls"
    for path in sorted(folder.glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for article_id, link in zip(row["pair_id"].split("_"), (row["link1"],
                                            row["link2"]), strict=True):
                    host = urlsplit(link).netloc.lower().removeprefix("www.")
                    if host:
                        domains[article_id] = host
    return domains


# --- synthetic copies ---------------------------------------------------------------------------

WORD = re.compile(r"\w+")
SENT = re.compile(r"(?<=[.!?。])\s+")


def random_words(rng: random.Random, vocab: list[str], n: int) -> str:
    """n words drawn from `vocab`."""
    return " ".join(rng.choice(vocab) for _ in range(n))


def edit_words(text: str, rate: float, rng: random.Random, vocab: list[str]) -> str:
    """Substitute (60%), delete (20%) or follow with an inserted word (20%) a share of words."""
    out, pos = [], 0
    for m in WORD.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        r = rng.random()
        if r < rate * 0.6:
            out.append(rng.choice(vocab))
        elif r < rate * 0.8:
            out.append("")
        elif r < rate:
            out.append(m.group() + " " + rng.choice(vocab))
        else:
            out.append(m.group())
    out.append(text[pos:])
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text."""
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def rewrap(text: str) -> str:
    """The same words, wrapped at another width (an exact copy)."""
    return "\n\n".join(textwrap.fill(" ".join(p.split()), 64, break_long_words=False,
                                     break_on_hyphens=False) for p in paragraphs(text))


def credit(text: str, lang: str) -> str:
    """The text with an agency dateline and a credit line (a credited copy)."""
    head, tail = CREDITS.get(lang, CREDITS["en"])
    return head + text.strip() + "\n\n" + tail


def trim(text: str, rng: random.Random) -> str:
    """The first 30-60% of the text, cut at a sentence (a trimmed copy)."""
    words = WORD.findall(text)
    keep = rng.uniform(0.3, 0.6)
    sents = SENT.split(text)
    out, count = [], 0
    for s in sents:
        out.append(s)
        count += len(WORD.findall(s))
        if count >= keep * len(words):
            break
    return " ".join(out)


def light(text: str, rng: random.Random, vocab: list[str]) -> str:
    """New headline, the first sentence replaced by a new lede, 10% of the words edited."""
    sents = SENT.split(text.strip(), maxsplit=1)
    body = sents[1] if len(sents) > 1 else text
    lede = random_words(rng, vocab, 25) + "."
    return random_words(rng, vocab, 8) + "\n\n" + lede + " " + edit_words(
        body, LIGHT_EDIT_RATE, rng, vocab)


def heavy(text: str, rng: random.Random, vocab: list[str]) -> str:
    """Sentences shuffled and 35% of the words edited (a rewrite, not a copy)."""
    sents = SENT.split(" ".join(text.split()))
    rng.shuffle(sents)
    return random_words(rng, vocab, 8) + "\n\n" + edit_words(
        " ".join(sents), HEAVY_EDIT_RATE, rng, vocab)


def passage_of(text: str, rng: random.Random) -> str | None:
    """Two consecutive paragraphs of 40-160 words, else a run of sentences of about 70 words."""
    paras = paragraphs(text)
    pairs = [i for i in range(len(paras) - 1)
             if 40 <= len(WORD.findall(paras[i] + " " + paras[i + 1])) <= 160]
    if pairs:
        i = rng.choice(pairs)
        return paras[i] + "\n\n" + paras[i + 1]
    sents = SENT.split(" ".join(text.split()))
    for start in rng.sample(range(len(sents)), len(sents)):
        chunk, n = [], 0
        for s in sents[start:]:
            chunk.append(s)
            n += len(WORD.findall(s))
            if n >= 60:
                return " ".join(chunk) if n <= 160 else None
    return None


def insert_passage(host: str, passage: str) -> tuple[str, int, int]:
    """The host text with the passage inserted midway, and where it stands."""
    paras = paragraphs(host)
    cut = max(1, len(paras) // 2)
    before = "\n\n".join(paras[:cut]) + "\n\n"
    text = before + passage + "\n\n" + "\n\n".join(paras[cut:])
    return text, len(before), len(before) + len(passage)


# --- corpus -------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """The documents, the SemEval rows, the partial insertions and the base texts by id."""

    docs: list[Doc]
    semeval: list[dict]
    partials: list[dict]
    base_texts: dict[str, str]


def lang_of(doc_id: str) -> str:
    """The language of a base text (German for the seeds and Wikinews)."""
    return "de" if doc_id.startswith(("wikinews", "seed")) else "en"


def build_corpus(shared: Path, n_originals: int) -> Corpus:
    """Base texts plus synthetic copies, with publication times and shared footers."""
    rng = random.Random(RNG_SEED)
    semeval = load_semeval(shared)
    domains = load_semeval_domains(shared)
    base = base_texts(shared, semeval)
    vocab_by_lang = defaultdict(list)
    for doc_id, text in base:
        if doc_id.startswith(("wikinews", "polnear")):
            vocab_by_lang[lang_of(doc_id)].extend(WORD.findall(text))
    vocab = {k: sorted(set(v)) for k, v in vocab_by_lang.items()}
    originals, hosts, distractors = split_roles(rng, base, n_originals)
    t0 = datetime(2024, 1, 1, 6, 0)
    docs: list[Doc] = []
    partials: list[dict] = []
    for i in distractors:
        doc_id, text = base[i]
        docs.append(Doc(doc_id, text, doc_id.split(":")[0], lang_of(doc_id),
                        outlet_of(doc_id, domains), t0 + timedelta(minutes=rng.randrange(500_000))))
    for n, i in enumerate(originals):
        when = t0 + timedelta(minutes=rng.randrange(500_000))
        host = base[hosts[n]] if n < len(hosts) else None
        add_family(docs, partials, rng, (base[i], f"fam{n:04d}", when), host, vocab, domains)
    add_footers(docs, rng)
    for d in docs:
        d.extra["bases"] = {"copy": [d.id.split("#")[0]], "host": [d.id.split("#")[0],
                            d.extra.get("of", "")]}.get(d.source, [d.id])
        if d.published and rng.random() < DATE_ONLY_SHARE:
            d.published = d.published.replace(hour=0, minute=0)
            d.extra["date_only"] = True  # stored as a date, as a scan stores a date-only page
        if d.role not in ("original", "distractor") and rng.random() < UNDATED_SHARE:
            d.published = None
    one_time_per_article(docs)
    return Corpus(docs, semeval, partials, dict(base))


def base_texts(shared: Path, semeval: list[dict]) -> list[tuple[str, str]]:
    """(id, text) of every real text of at least 80 words, exact duplicates dropped."""
    seeds = [(f"seed:{p.stem}", p.read_text(encoding="utf-8"))
             for p in sorted((shared / "seeds").glob("*.txt"))]
    sem_texts = {}
    for row in semeval:
        for side in ("1", "2"):
            sem_texts.setdefault(row[f"text{side}"], (row["pair_id"].split("_")[int(side) - 1],
                                                      row[f"lang{side}"]))
    sem_docs = [(f"semeval:{sid}:{lang}", text) for text, (sid, lang) in sorted(sem_texts.items())]
    pool = seeds + load_wikinews(shared) + load_polnear(shared) + sem_docs
    # Drop exact duplicates among the base texts (the same article crawled twice).
    seen, base = set(), []
    for doc_id, text in pool:
        key = " ".join(WORD.findall(text.lower()))
        if key and key not in seen and len(WORD.findall(text)) >= 80:
            seen.add(key)
            base.append((doc_id, text))
    return base


def split_roles(rng: random.Random, base: list[tuple[str, str]], n_originals: int
                ) -> tuple[list[int], list[int], list[int]]:
    """Which base texts are originals (all seeds among them), hosts of a partial copy, and
    distractors (indexes into `base`)."""
    order = list(range(len(base)))
    rng.shuffle(order)
    candidates = [i for i in order if not base[i][0].startswith("semeval")]
    originals = [i for i in order if base[i][0].startswith("seed")]
    originals += [i for i in candidates if i not in originals][: n_originals - len(originals)]
    original_set = set(originals)
    rest = [i for i in order if i not in original_set]
    hosts = [i for i in rest if not base[i][0].startswith("semeval")][: n_originals // 2]
    host_set = set(hosts)
    return originals, hosts, [i for i in rest if i not in host_set]


def add_family(docs: list[Doc], partials: list[dict], rng: random.Random,
               original: tuple[tuple[str, str], str, datetime], host: tuple[str, str] | None,
               vocab: dict[str, list[str]], domains: dict[str, str]) -> None:
    """An original with its copies (some kinds), maybe a heavy rewrite, and maybe a host text
    with two of its paragraphs inserted."""
    (doc_id, text), fam, when = original
    lang = lang_of(doc_id)
    words = vocab[lang]
    docs.append(Doc(doc_id, text, doc_id.split(":")[0], lang, outlet_of(doc_id, domains), when,
                    fam, "original"))
    kinds = rng.sample(COPY_KINDS, rng.randint(1, len(COPY_KINDS)))
    for kind in sorted(kinds):
        copy_text = {
            "rewrap": lambda t: rewrap(t),
            "credit": lambda t: credit(t, lang),
            "trim": lambda t: trim(t, rng),
            "light": lambda t: light(t, rng, words),
        }[kind](text)
        docs.append(Doc(f"{doc_id}#{kind}", copy_text, "copy", lang, f"copier-{kind}",
                        copy_time(rng, when), fam, kind))
    if rng.random() < HEAVY_SHARE:
        docs.append(Doc(f"{doc_id}#heavy", heavy(text, rng, words), "copy", lang, "rewriter",
                        copy_time(rng, when), None, "heavy", extra={"of": doc_id}))
    if host is None:
        return
    passage = passage_of(text, rng)
    if passage:
        host_id, host_text = host
        new_text, start, end = insert_passage(host_text, passage)
        docs.append(Doc(f"{host_id}#with-{doc_id}", new_text, "host", lang_of(host_id),
                        outlet_of(host_id, domains), copy_time(rng, when), None, "host",
                        extra={"of": doc_id, "span": (start, end)}))
        partials.append({"original": doc_id, "host": docs[-1].id, "span": (start, end),
                         "source_span": (text.find(passage), text.find(passage)
                                         + len(passage))})


def one_time_per_article(docs: list[Doc]) -> None:
    """Give the texts of one SemEval article (two crawls share an id) one publication time, the
    earliest drawn: a page crawled twice was published once."""
    first: dict[str, datetime] = {}
    for d in docs:
        if d.role == "distractor" and d.published:
            first[d.id] = min(first.get(d.id, d.published), d.published)
    for d in docs:
        if d.role == "distractor" and d.id in first:
            d.published = first[d.id]


def outlet_of(doc_id: str, domains: dict[str, str]) -> str:
    """The outlet of a base text: PolNeAR's source, a SemEval article's site when known."""
    if doc_id.startswith("polnear:"):
        return "polnear:" + doc_id.split(":")[1].split("_")[0]
    if doc_id.startswith("semeval:"):
        article = re.sub(r"[a-z]+$", "", doc_id.split(":")[1])
        return domains.get(article, doc_id)
    return doc_id.split(":")[0]


def copy_time(rng: random.Random, when: datetime) -> datetime:
    """When a copy appears: 5 minutes to 2 days after its original (sometimes the same time)."""
    if rng.random() < 0.03:
        return when
    return when + timedelta(minutes=rng.randint(5, 48 * 60))


def add_footers(docs: list[Doc], rng: random.Random) -> None:
    """Move some documents to synthetic outlets that print the same footer under everything."""
    eligible = [d for d in docs if d.role in ("distractor", "credit", "light")]
    chosen = rng.sample(eligible, FOOTER_OUTLETS * FOOTER_DOCS_PER_OUTLET)
    for k, d in enumerate(chosen):
        n = k % FOOTER_OUTLETS
        d.outlet = f"footer-outlet-{n}"
        d.text = d.text.rstrip() + "\n\n" + FOOTERS[n]
