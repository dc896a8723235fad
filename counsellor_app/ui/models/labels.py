"""Words for enum values as a counsellor reads them ("Likely pathogenic", "Tier 1")."""

from __future__ import annotations

import datetime as dt
import html
from enum import Enum

from counsellor_app.domain.consent_wording import long_date

_SPECIAL: dict[str, str] = {
    "uncertain_significance": "Uncertain significance (VUS)",
    "glh": "GLH",
    "returned_to_glh": "Returned to GLH",
    "glh_assessment": "GLH assessment",
    "no_causative_variant": "No causative variant found",
    "x_linked_dominant": "X-linked dominant",
    "x_linked_recessive": "X-linked recessive",
    "de_novo": "De novo",
    "self": "The participant",
    "gp": "GP",
    "TIERA": "Tier A",
    "TIERB": "Tier B",
    "NONE": "No tier",
    "sample_stored_dna": "Stored DNA sample",
    "sample_fresh": "Fresh sample",
    "large-print": "Large print",
    "easy-read": "Easy read",
}


def label(value: Enum | str | None) -> str:
    """``ResultOutcome.CONFIRMED_DIAGNOSIS`` → "Confirmed diagnosis"; None → ""."""
    if value is None:
        return ""
    raw = str(value.value if isinstance(value, Enum) else value)
    if raw in _SPECIAL:
        return _SPECIAL[raw]
    if raw.startswith("TIER") and raw[4:].isdigit():
        return f"Tier {raw[4:]}"
    words = raw.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def day(value: dt.date | None) -> str:
    """A date as "3 Mar 2019" style long form ("3 March 2019"), or "" when missing."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return long_date(value)


def moment(value: dt.datetime | None) -> str:
    """A time as "3 March 2019 14:05" (local wall clock as stored), or ""."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo is not None else value
    return f"{long_date(local.date())} {local:%H:%M}"


def short_day(value: dt.date | None) -> str:
    """A date for dense tables: 2019-03-03 (sorts and scans well), or ""."""
    return "" if value is None else value.isoformat()


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally.

    Qt guesses whether a tooltip is rich text, so a name like "<b>Llŷr</b>" would turn bold;
    marking it as rich text with everything escaped makes it show exactly as typed.
    """
    return f"<qt>{html.escape(text, quote=False)}</qt>" if text else ""
