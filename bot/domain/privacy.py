"""Personal data that must not be typed into notes and tips: e-mail addresses, phone numbers, IBANs; and
characters that no stored or posted text may carry."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from bot.domain.errors import UserError

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# Candidates only; schwifty decides by country format and check digits.
_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", re.IGNORECASE)


def find_personal_data(text: str) -> str | None:
    """`email`, `phone` or `iban` for the first kind found, else None."""
    if _EMAIL.search(text):
        return "email"
    for candidate in _IBAN_CANDIDATE.finditer(text):
        try:
            IBAN(candidate.group(0))
            return "iban"
        except SchwiftyException:
            continue
    if any(True for _ in phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID)):
        return "phone"
    return None


def check_no_personal_data(text: str, field: str | None = None) -> None:
    """`field`: the form field `text` was typed into."""
    kind = find_personal_data(text)
    if kind is not None:
        raise UserError(f"privacy.error.{kind}", field=field)


def clean_text(text: str) -> str:
    """`text` without control characters (NUL and the like, which PostgreSQL cannot store and Slack does
    not show) and without unpaired surrogates (which cannot be encoded); a tab becomes a space, line
    breaks stay."""
    if text.isprintable():
        return text
    return "".join(
        " " if char == "\t" else char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")
    )
