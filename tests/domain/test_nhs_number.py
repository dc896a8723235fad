"""NHS number: normalising, the modulus 11 check digit and 3-3-4 formatting."""

from __future__ import annotations

import pytest

from counsellor_app.domain.nhs_number import check_digit, format_nhs_number, is_valid, normalise


@pytest.mark.parametrize("number", ["9990000018", "9990123454", "9997654323"])
def test_valid_number_is_accepted(number: str) -> None:
    assert is_valid(number)
    assert normalise(number) == number


def test_check_digit_of_eleven_becomes_zero() -> None:
    assert check_digit("999222222") == 0
    assert is_valid("9992222220")


def test_wrong_check_digit_is_refused_without_echoing_the_number() -> None:
    with pytest.raises(ValueError, match="check digit does not match") as raised:
        normalise("9990000019")
    assert "9990000019" not in str(raised.value)
    assert "999" not in str(raised.value)


def test_nine_digits_whose_check_digit_would_be_ten_are_never_valid() -> None:
    assert check_digit("999000000") is None
    assert not any(is_valid(f"999000000{last}") for last in "0123456789")
    with pytest.raises(ValueError, match="no NHS number can begin") as raised:
        normalise("9990000000")
    assert "999" not in str(raised.value)


@pytest.mark.parametrize("text", ["999000001", "99900000188", "", "   "])
def test_wrong_length_is_refused(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        normalise(text)
    assert not text.strip() or text.strip() not in str(raised.value)


@pytest.mark.parametrize("text", ["999000001A", "999 000 OO18", "9990000018.", "٩٩٩0000018"])
def test_letters_and_other_characters_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="only digits") as raised:
        normalise(text)
    assert text not in str(raised.value)


@pytest.mark.parametrize(
    "text", ["999 000 0018", "999-000-0018", " 9990000018 ", "999 000-0018", "99 90 00 00 18"]
)
def test_spaces_and_hyphens_are_removed(text: str) -> None:
    assert normalise(text) == "9990000018"


def test_formatted_three_three_four_with_spaces() -> None:
    assert format_nhs_number("9990000018") == "999 000 0018"
    assert format_nhs_number("999-000-0018") == "999 000 0018"


def test_formatting_an_invalid_number_is_refused() -> None:
    with pytest.raises(ValueError):
        format_nhs_number("9990000019")


def test_check_digit_needs_nine_digits() -> None:
    with pytest.raises(ValueError, match="nine digits"):
        check_digit("99900001")
