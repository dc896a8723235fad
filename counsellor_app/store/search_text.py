"""Folded search text: lower case, no accents, letters and digits only ("Siân" → "sian")."""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters with no Unicode decomposition into a base letter plus accents.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ı": "i",
    }
)
_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_WORD = re.compile(r"[^0-9a-z\u00c0-\uffff]+")
_SPACES = re.compile(r"\s+")
_NHS_QUERY = re.compile(r"^[\d\s-]+$")


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Fold for searching: case, accents and punctuation go; apostrophes join (D'Arcy → darcy)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = _APOSTROPHES.sub("", bare.casefold().translate(_SPECIAL))
    words = [w for w in _NOT_WORD.split(bare) if w and not w.isspace()]
    return _SPACES.sub(" ", " ".join(words)).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a query, each to be found somewhere in the search text."""
    folded = fold(text)
    return folded.split(" ") if folded else []


def nhs_digits(text: str) -> str | None:
    """The digits of a query typed as (part of) an NHS number ("943 476", "943-476-5919")."""
    stripped = text.strip()
    if not stripped or not _NHS_QUERY.match(stripped):
        return None
    digits = re.sub(r"\D", "", stripped)
    return digits or None


def participant_search_text(
    participant_id: str, nhs_number: str, given_name: str, family_name: str
) -> str:
    """What the case list's text search looks in for one participant."""
    given, family = fold(given_name), fold(family_name)
    parts = [given, family]
    # "osuilleabhain" finds "Ó Súilleabháin", "annemarie" finds "Anne-Marie".
    parts += [name.replace(" ", "") for name in (given, family) if " " in name]
    parts += [nhs_number, fold(participant_id)]
    return " ".join(part for part in parts if part)


def sort_name(given_name: str, family_name: str) -> str:
    """The key the case list sorts names by: family name, then given name, folded."""
    return f"{fold(family_name)}\x1f{fold(given_name)}"
