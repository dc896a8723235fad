"""The letters core's refusals in the app's words (it speaks to the command line too)."""

from __future__ import annotations

import re

_CHOOSE_ONE = re.compile(r"^(?P<head>.+): choose one with --(?P<option>result|request)\.$")
_WHERE = {
    "result": "write this letter from the case record's Letters tab and choose the result "
    "it is about.",
    "request": "write this letter from the case record's Letters tab and choose the request "
    "it answers.",
}


def app_sentence(reason: str) -> str:
    """``reason`` with any command-line advice ("choose one with --result") replaced by what
    to do in the app; every other sentence is already plain English and is kept."""
    found = _CHOOSE_ONE.match(reason)
    if found is None:
        return reason
    return f"{found['head']}: {_WHERE[found['option']]}"
