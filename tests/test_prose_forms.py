"""Sign-up and trial forms flattened into an article's only block are no copy evidence.

A paywalled page often comes out of extraction as one line: the headline, a trial banner, the
sign-up form's instructions and its field names and drop-down lists run together. Two pages of
one site that show only that form are no copies of each other. The texts here are written for
the tests; the news sentences around them are real seed articles (fixtures/seeds).
"""

from __future__ import annotations

from pathlib import Path

from provenance.copies import fingerprint, verify
from provenance.copies.prose import prose_lines

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

FORM = (
    "START YOUR FREE TRIAL Registered readers can open up to five briefings a month. Enter "
    "your details below to get access straight away. To ask for a full trial for your whole "
    "team, please use the trial request form instead. We only accept company e-mail addresses "
    "(no webmail). Your password must be at least 10 characters long and hold one digit and "
    "one capital letter. Email Address First Name Last Name Company Job Title Phone Country "
    "Select Austria Belgium Bulgaria Croatia Cyprus Czechia Denmark Estonia Finland France "
    "Germany Greece Hungary Ireland Italy Latvia Lithuania Luxembourg Malta Netherlands Poland "
    "Portugal Romania Slovakia Slovenia Spain Sweden Sector Of Interest Energy Metals Shipping "
    "Agriculture Currencies")
PASSWORD_NEWS = (
    "Security researchers said on Tuesday that millions of accounts were exposed after a "
    "breach at a large retailer. They urged customers to change every password they had reused "
    "elsewhere, to check their statements for unusual charges, and to use a password manager "
    "that creates a unique password for every site. The company said it had informed the "
    "regulator and would contact all customers affected by the breach within the next week.")
GUESTS = (
    "The guest list at the gala in Vienna included Anna Berger, Clara Hofmann, Jonas Weber, "
    "Lena Fischer, Paul Wagner, Sophie Becker, Felix Schulz, Marie Koch, Lukas Richter and Emma "
    "Klein, and the organisers said the evening raised more money than any year before.")


def _prose_text(text: str) -> str:
    return " ".join(text[a:b] for a, b in prose_lines(text))


def test_a_flattened_trial_form_is_not_prose() -> None:
    page = "Oil prices to outperform metals " + FORM
    kept = _prose_text(page)
    for part in ("Enter your details", "trial request form", "at least 10 characters",
                 "Email Address First Name", "Austria Belgium"):
        assert part not in kept, part


def test_two_pages_showing_only_the_form_are_no_copy() -> None:
    one = fingerprint("Oil prices to outperform metals " + FORM)
    other = fingerprint("Slower growth expected for next year " + FORM)
    assert verify(one, other, same_site=True) is None
    assert verify(one, other) is None


def test_news_about_passwords_and_lists_of_names_stay_prose() -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    for sentence in (PASSWORD_NEWS, GUESTS):
        # flattened into one block with a consent notice, as a feed writes a page
        page = ("We and our partners use cookies to personalise content and ads; accept all or "
                "change your privacy settings. " + sentence + " " + seed.replace("\n", " "))
        kept = _prose_text(page)
        assert sentence[:80] in kept
        assert sentence[-60:] in kept


def test_an_article_reprinted_under_the_form_is_still_a_copy() -> None:
    seed = " ".join(sorted(SEEDS.glob("*.txt"))[1].read_text(encoding="utf-8").split())
    one = fingerprint("Oil prices to outperform metals " + FORM + "\n\n" + seed)
    other = fingerprint("Slower growth expected for next year " + FORM + "\n\n" + seed)
    match = verify(one, other, same_site=True)
    assert match is not None and match.kind in ("near_duplicate", "exact")
