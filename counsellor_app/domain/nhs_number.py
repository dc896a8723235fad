"""NHS numbers: normalise, validate (modulus 11 check digit) and format as 3-3-4."""

from __future__ import annotations

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_SEPARATORS = str.maketrans("", "", " -")


def check_digit(nine_digits: str) -> int | None:
    """The modulus 11 check digit for the first nine digits, or None where none can exist.

    Weights 10 down to 2; check = 11 - (sum mod 11); 11 becomes 0; 10 means no NHS number can
    be made from these nine digits.
    """
    if len(nine_digits) != 9 or not (nine_digits.isascii() and nine_digits.isdigit()):
        raise ValueError("A check digit needs exactly nine digits.")
    total = sum(int(digit) * weight for digit, weight in zip(nine_digits, _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise(text: str) -> str:
    """The ten digits of an NHS number typed with or without spaces or hyphens.

    Raises ValueError with a message that never repeats the number itself.
    """
    digits = text.strip().translate(_SEPARATORS)
    if not digits:
        raise ValueError("No NHS number was given: type the ten digits.")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(
            "An NHS number contains only digits (spaces and hyphens are allowed between them)."
        )
    if len(digits) != 10:
        raise ValueError(
            f"An NHS number has ten digits; the one given has {len(digits)}. Check it and type "
            "it again."
        )
    expected = check_digit(digits[:9])
    if expected is None:
        raise ValueError(
            "That is not a valid NHS number: no NHS number can begin with those nine digits. "
            "Check it and type it again."
        )
    if expected != int(digits[9]):
        raise ValueError(
            "That is not a valid NHS number: its check digit does not match. "
            "Check it for a mistyped digit and type it again."
        )
    return digits


def is_valid(text: str) -> bool:
    """Whether ``text`` is a valid NHS number (spaces and hyphens allowed)."""
    try:
        normalise(text)
    except ValueError:
        return False
    return True


def format_nhs_number(text: str) -> str:
    """The NHS number as people read it: "999 123 4560" (3-3-4, spaces)."""
    digits = normalise(text)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
