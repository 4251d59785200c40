"""The corpus of the scale benchmarks (bench_scale, bench_scan, bench_check): N JSONL articles.

Built from real texts read at run time from ../shared/data (PolNeAR, German Wikinews, SemEval-2022
task 8 de/en) and the fixtures; nothing is copied into the repository. The real pool holds only
a few thousand texts, so most articles are *distinct* texts made by recombining sentences of
different real articles (each sentence lightly re-worded so that no two distinct articles share
a passage); a minority are synthetic syndicated copies of earlier articles (verbatim, trimmed,
credited, lightly edited, a paragraph or two inside a new text). Some outlets carry a footer
under every article (boilerplate). Deterministic from `SEED`.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
FIXTURES = REPO / "fixtures"

SEED = 20261123
# Share of the corpus that is a synthetic copy of an earlier article.
COPY_SHARE = 0.15
# Copy kinds and their weights: verbatim, credited, trimmed, lightly edited, partial reuse.
COPY_KINDS = {"verbatim": 0.2, "credited": 0.2, "trimmed": 0.2, "edited": 0.25,
              "partial": 0.15}
# Words re-worded in every sentence of a distinct article. The pool has about 60,000 sentences,
# so at 100,000 articles each is drawn some 40 times: re-worded at 0.5, two distinct articles
# that drew the same sentence share almost no 5-shingle (at 0.3 they share a few, never a
# passage, but LSH proposes about 8 candidate pairs per article: a heavier verification load
# than a real archive gives). The corpus check after the scan counts edges between them.
REWORD_RATE = 0.5
# Words changed in a lightly edited copy (real syndication: about 10% plus a new lede).
EDIT_RATE = 0.10
OUTLETS = 400
FOOTER_OUTLET_SHARE = 0.2
# Copies are drawn from this many most recent distinct articles (bounds the generator's memory).
RECENT_SOURCES = 3000
MAX_SENTENCES = 60
MIN_SENTENCE_WORDS = 4
MAX_SENTENCE_WORDS = 60
MIN_PROSE_SHARE = 0.6
MAX_PARAGRAPH_SENTENCES = 4
AGENCIES = {"de": ["dpa", "AFP", "Reuters", "APA"], "en": ["Reuters", "AP", "AFP"]}
START = datetime(2024, 1, 1, 6, 0)

_SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"“”»«’')\]]))\s+"
                             r"(?=[\"„“»«‘'(]?[A-ZÄÖÜ0-9])")
_WORD = re.compile(r"[^\W\d_]{3,}")
_DETOKENIZE = re.compile(r" ([.,;:!?)“”](?:\s|$))|([(„]) ")


def _is_prose(sentence: str) -> bool:
    """A sentence worth reusing: not a scraped archive list, photo gallery or menu (long runs
    of dates and numbers that re-wording would leave intact)."""
    words = sentence.split()
    return (MIN_SENTENCE_WORDS <= len(words) <= MAX_SENTENCE_WORDS
            and sum(w.isalpha() for w in words) >= MIN_PROSE_SHARE * len(words))


# ---- the real pool ------------------------------------------------------------------------------

@dataclass
class Pool:
    """Real sentences and vocabulary per language, and paragraph shapes to imitate."""

    sentences: dict[str, list[str]] = field(default_factory=dict)
    shapes: dict[str, list[list[int]]] = field(default_factory=dict)  # sentences per paragraph
    lower: dict[str, list[str]] = field(default_factory=dict)
    upper: dict[str, list[str]] = field(default_factory=dict)
    documents: int = 0

    def add(self, language: str, text: str) -> None:
        """One real article: its paragraphs split into sentences."""
        shape = []
        for para in re.split(r"\n\s*\n|\n(?=\S)", text):
            sentences = [s.strip() for s in _SENTENCE_SPLIT.split(" ".join(para.split()))]
            sentences = [s for s in sentences if _is_prose(s)]
            self.sentences.setdefault(language, []).extend(sentences)
            for i in range(0, len(sentences), MAX_PARAGRAPH_SENTENCES):
                shape.append(len(sentences[i:i + MAX_PARAGRAPH_SENTENCES]))
        if sum(shape) >= 3:
            self.shapes.setdefault(language, []).append(shape)
            self.documents += 1
        for word in _WORD.findall(text):
            table = self.upper if word[0].isupper() else self.lower
            table.setdefault(language, []).append(word)


def real_pool() -> Pool:
    """PolNeAR (en), German Wikinews (de), SemEval de/en texts and the fixtures' texts."""
    pool = Pool()
    for path in sorted((DATA / "polnear-attribution" / "train" / "text").glob("*.txt")):
        pool.add("en", path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((DATA / "spkatt2023-task2-de-wikinews" / "train" / "task2").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        lines = [_DETOKENIZE.sub(lambda m: m.group(1) or m.group(2), " ".join(s["Tokens"]))
                 for s in doc["Sentences"]]
        pool.add("de", "\n\n".join(lines))
    seen: set[str] = set()
    for path in sorted((DATA / "semeval2022-task8-news-similarity" / "hfl-texts").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for lang, text in ((row["lang1"], row["text1"]), (row["lang2"], row["text2"])):
                    if lang in ("de", "en") and text and text not in seen:
                        seen.add(text)
                        pool.add(lang, text.replace("  ", "\n\n"))
    for path in sorted([*(SHARED / "seeds").glob("*.txt"), *(FIXTURES / "texts").glob("*.*")]):
        pool.add("de" if "harbour" not in path.name else "en", path.read_text(encoding="utf-8"))
    for line in (FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("text"):
            pool.add(record.get("language") or "de", record["text"])
    return pool


# ---- the synthetic corpus -----------------------------------------------------------------------

@dataclass
class Article:
    """One generated article and the family of texts it belongs to (for the corpus check)."""

    id: str
    language: str
    outlet: int
    published: datetime
    title: str
    paragraphs: list[str]
    family: str


class Corpus:
    """Generates distinct articles and syndicated copies, deterministically from `SEED`."""

    def __init__(self, pool: Pool, seed: int = SEED, reword: float = REWORD_RATE):
        self.pool, self.reword = pool, reword
        self.rng = random.Random(seed)
        languages = sorted(pool.shapes)
        self.languages = languages
        self.weights = [len(pool.sentences[lang]) for lang in languages]
        self.footers = {}
        for outlet in range(OUTLETS):
            if self.rng.random() < FOOTER_OUTLET_SHARE:
                lang = self.rng.choice(languages)
                self.footers[outlet] = " ".join(self.rng.choice(pool.sentences[lang])
                                                for _ in range(2))
        self.recent: list[Article] = []
        self.clock = START

    def _reword(self, sentence: str, language: str, rate: float) -> str:
        rng, pool = self.rng, self.pool

        def swap(m: re.Match[str]) -> str:
            if rng.random() >= rate:
                return m.group()
            table = pool.upper if m.group()[0].isupper() else pool.lower
            return rng.choice(table[language])

        return _WORD.sub(swap, sentence)

    def _paragraphs(self, language: str, limit: int = MAX_SENTENCES) -> list[str]:
        shape = self.rng.choice(self.pool.shapes[language])
        sentences = self.pool.sentences[language]
        paragraphs, used = [], 0
        for count in shape:
            if used >= limit:
                break
            count = min(count, limit - used)
            used += count
            paragraphs.append(" ".join(self._reword(self.rng.choice(sentences), language,
                                                    self.reword) for _ in range(count)))
        return paragraphs

    def _tick(self) -> datetime:
        self.clock += timedelta(minutes=self.rng.randint(1, 9))
        return self.clock

    def distinct(self, number: int) -> Article:
        """A new text made of re-worded sentences from different real articles."""
        language = self.rng.choices(self.languages, self.weights)[0]
        paragraphs = self._paragraphs(language)
        title = " ".join(paragraphs[0].split()[:10]).rstrip(".,;:")
        art = Article(f"a{number:07d}", language, self.rng.randrange(OUTLETS), self._tick(),
                      title, paragraphs, f"a{number:07d}")
        self.recent.append(art)
        if len(self.recent) > RECENT_SOURCES:
            self.recent.pop(0)
        return art

    def copy(self, number: int) -> tuple[Article, str]:
        """A syndicated copy of a recent article, and its kind."""
        rng = self.rng
        source = rng.choice(self.recent)
        kind = rng.choices(list(COPY_KINDS), list(COPY_KINDS.values()))[0]
        paragraphs = list(source.paragraphs)
        lang = source.language
        agency = rng.choice(AGENCIES.get(lang, AGENCIES["en"]))
        if kind == "credited":
            if rng.random() < 0.5:
                paragraphs[0] = f"Berlin ({agency}) - {paragraphs[0]}" if lang == "de" \
                    else f"WASHINGTON ({agency}) - {paragraphs[0]}"
            else:
                paragraphs.append(f"Mit Material von {agency}" if lang == "de"
                                  else f"Additional reporting by {agency}.")
        elif kind == "trimmed" and len(paragraphs) > 1:
            keep = max(1, round(len(paragraphs) * rng.uniform(0.5, 0.8)))
            paragraphs = paragraphs[:keep]
        elif kind == "edited":
            paragraphs = [self._reword(p, lang, EDIT_RATE) for p in paragraphs]
            paragraphs.insert(0, self._reword(rng.choice(self.pool.sentences[lang]), lang,
                                              self.reword))
        elif kind == "partial":
            host = self._paragraphs(lang, MAX_SENTENCES // 2)
            start = rng.randrange(len(paragraphs))
            borrowed = paragraphs[start:start + rng.randint(1, 2)]
            at = rng.randint(1, max(1, len(host)))
            paragraphs = host[:at] + borrowed + host[at:]
        published = source.published + timedelta(minutes=rng.randint(20, 2880))
        title = source.title if kind != "edited" else " ".join(paragraphs[0].split()[:10])
        return Article(f"c{number:07d}", lang, rng.randrange(OUTLETS), published, title,
                       paragraphs, source.family), kind

    def articles(self, n: int) -> Iterator[tuple[Article, str]]:
        """n articles, copies interleaved with the distinct texts they copy."""
        for number in range(n):
            if number > 20 and self.rng.random() < COPY_SHARE:
                yield self.copy(number)
            else:
                yield self.distinct(number), "distinct"

    def record(self, art: Article) -> dict:
        """The JSONL record of an article (its outlet's footer appended)."""
        paragraphs = list(art.paragraphs)
        if art.outlet in self.footers:
            paragraphs.append(self.footers[art.outlet])
        return {"id": art.id, "url": f"https://www.outlet{art.outlet:03d}.example/{art.id}",
                "title": art.title, "published": art.published.strftime("%Y-%m-%dT%H:%M:00Z"),
                "language": art.language, "text": "\n\n".join(paragraphs)}


def write_corpus(path: Path, n: int, pool: Pool, reword: float = REWORD_RATE
                 ) -> tuple[dict[str, str], dict[str, int]]:
    """Write n articles to a JSONL file; returns each article's family and the kinds' counts."""
    corpus = Corpus(pool, reword=reword)
    families: dict[str, str] = {}
    kinds: dict[str, int] = {}
    with path.open("w", encoding="utf-8") as fh:
        for art, kind in corpus.articles(n):
            families[art.id] = art.family
            kinds[kind] = kinds.get(kind, 0) + 1
            fh.write(json.dumps(corpus.record(art), ensure_ascii=False) + "\n")
    return families, kinds
