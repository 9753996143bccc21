"""Translation and locale formatting.

Messages live in gettext catalogs (`locales/<lang>/LC_MESSAGES/messages.po`), one per language, keyed by
message ids such as `log.saved`. Catalogs are compiled in memory with Babel when first used, so there is
no build step and no binary file to keep in sync.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from babel import Locale
from babel.dates import format_date, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("de", "en")
# Which regional formats each language uses for numbers and dates.
_FORMAT_LOCALE = {"de": "de_DE", "en": "en_US"}


@cache
def catalog(language: str) -> Translations:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        # A malformed catalog must fail loudly, not lose messages with a warning.
        parsed = read_po(po_file, locale=language, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def _format_locale(language: str) -> Locale:
    return Locale.parse(_FORMAT_LOCALE[language])


def language_from_slack_locale(slack_locale: str | None) -> str | None:
    """`de-DE` → `de`, `en-GB` → `en`; None for languages KI-Lotse does not speak."""
    if not slack_locale:
        return None
    language = slack_locale.replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else None


class MissingMessage(KeyError):
    """A message key that is not in the catalog (raised only when `Translator.strict`)."""


class Translator:
    """Everything a user reads passes through one of these, in that user's language."""

    # In production a missing key shows the key rather than failing the request; the test suite turns this on
    # so that a key missing from a catalog fails the test that reaches it.
    strict: ClassVar[bool] = False

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = catalog(language)
        self._locale = _format_locale(language)

    def t(self, key: str, **params: Any) -> str:
        return self._checked(key, self._catalog.gettext(key)).format(**params)

    def tn(self, key: str, count: int, **params: Any) -> str:
        """A message with plural forms; `count` picks the form and fills `{count}`."""
        return self._checked(key, self._catalog.ngettext(key, key, count)).format(count=self.number(count), **params)

    def _checked(self, key: str, text: str) -> str:
        # gettext answers a missing key with the key itself; no translation is ever equal to its key.
        if text == key and Translator.strict:
            raise MissingMessage(f"{key!r} is not in the {self.language} catalog")
        return text

    def number(self, value: float | int, digits: int = 1) -> str:
        if type(value) is int and 0 <= value < 1000:
            # Written alike in every language, without grouping or decimals; most figures a reply shows are
            # such, and Babel's formatting is the larger part of rendering a reply.
            return str(value)
        return format_decimal(round(value, digits), format=None, locale=self._locale)

    def percent(self, ratio: float) -> str:
        return format_percent(ratio, locale=self._locale)

    def money(self, euros: float) -> str:
        return format_currency(round(euros), "EUR", format="#,##0 ¤", locale=self._locale, currency_digits=False)

    def date(self, value: date) -> str:
        return format_date(value, format="medium", locale=self._locale)

    def quarter(self, year: int, number: int) -> str:
        """Quarters are written one way everywhere: "Q4 2026"."""
        return self.t("kpi.period_quarter", quarter=number, year=year)

    def weekday(self, index: int) -> str:
        """0 = Monday … 6 = Sunday, in the member's language ("Donnerstag", "Thursday")."""
        return str(get_day_names("wide", locale=self._locale)[index])

    def duration(self, minutes: int) -> str:
        """45 → "45 Minuten"; 120 → "2 Stunden"; 135 → "2 Stunden 15 Minuten"; from 100 hours on,
        whole hours only ("1.234 Stunden"), since minutes no longer matter at that size."""
        hours, rest = divmod(minutes, 60)
        if hours == 0:
            return self.tn("duration.minutes", rest)
        if hours >= 100:
            return self.tn("duration.hours", round(minutes / 60))
        if rest == 0:
            return self.tn("duration.hours", hours)
        return self.t(
            "duration.hours_and_minutes",
            hours=self.tn("duration.hours", hours),
            minutes=self.tn("duration.minutes", rest),
        )
