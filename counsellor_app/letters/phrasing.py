"""How a letter speaks of the person it is about: "you", "your child", "the person you care for"."""

from __future__ import annotations

import datetime as dt

from counsellor_app.domain.consent_wording import long_date
from counsellor_app.domain.participant import Participant, Representative, RepresentativeKind


def person_values(representative: Representative | None) -> dict[str, str]:
    """Placeholders for the person the letter is about, as the reader sees them.

    Plain "you" in a template always means the reader; ``{you}`` means the participant.
    """
    if representative is None:
        you, your, has, is_ = "you", "your", "you have", "you are"
    elif representative.kind is RepresentativeKind.PARENT_OR_GUARDIAN:
        you, your, has, is_ = "your child", "your child's", "your child has", "your child is"
    else:
        you, your = "the person you care for", "their"
        has, is_ = "the person you care for has", "the person you care for is"
    return {
        "you": you,
        "You": _capital(you),
        "your": your,
        "Your": _capital(your),
        "you_have": has,
        "You_have": _capital(has),
        "you_are": is_,
        "You_are": _capital(is_),
    }


def participant_name_line(participant: Participant) -> str:
    """The name as printed on the envelope: title (if recorded), given and family name."""
    if participant.title:
        return f"{participant.title} {participant.full_name}"
    return participant.full_name


def participant_salutation_name(participant: Participant) -> str:
    if participant.title:
        return f"{participant.title} {participant.family_name}"
    return participant.full_name


def date_words(day: dt.date) -> str:
    return long_date(day)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
