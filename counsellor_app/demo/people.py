"""Synthetic identities: names, titles, addresses, GPs and NHS numbers from the 999 range."""

from __future__ import annotations

from random import Random

from counsellor_app.demo.draws import Weighted
from counsellor_app.demo.names import (
    FEMALE_ADULT_TITLES,
    MALE_ADULT_TITLES,
    POOLS,
    REGION_STYLE_WEIGHTS,
    NameStyle,
    family_form,
)
from counsellor_app.demo.places import INWARD_LETTERS, REGIONS, Region, Town
from counsellor_app.domain.participant import Address, GeneralPractitioner

_PRACTICES_PER_TOWN = 5
_PREFIX_SUM = 9 * 10 + 9 * 9 + 9 * 8  # the leading 999 under weights 10, 9, 8
_GPS_PER_PRACTICE = 3


class Identities:
    """Draws names, addresses, GPs and unique NHS numbers from one seeded generator."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._nhs_seen: set[str] = set()
        self._styles = {
            key: Weighted(weights) for key, weights in REGION_STYLE_WEIGHTS.items()
        }
        self._female_titles = Weighted(FEMALE_ADULT_TITLES)
        self._male_titles = Weighted(MALE_ADULT_TITLES)
        self._practices: dict[str, tuple[tuple[GeneralPractitioner, ...], ...]] = {}
        for key in sorted(REGIONS):
            region = REGIONS[key]
            for town in region.towns:
                self._practices[town.name] = tuple(
                    self._practice(region, town) for _ in range(_PRACTICES_PER_TOWN)
                )

    # -- NHS numbers -------------------------------------------------------------------------

    def nhs_number(self) -> str:
        """A valid, never-issued NHS number (999 range) not yet used in this dataset."""
        random = self._rng.random
        seen = self._nhs_seen
        while True:
            tail = int(random() * 1_000_000)  # digits 4 to 9, weighted 7 down to 2
            check = _check_digit_999(tail)
            if check is None:
                continue
            number = f"999{tail:06d}{check}"
            if number not in seen:
                seen.add(number)
                return number

    # -- names -------------------------------------------------------------------------------

    def style(self, region: str) -> NameStyle:
        return self._styles[region](self._rng)

    def given_name(self, style: NameStyle, female: bool) -> str:
        pool = POOLS[style]
        return self._rng.choice(pool.female if female else pool.male)

    def family_entry(self, style: NameStyle) -> str:
        """A family-name entry ("Nowak" or "Kowalski/Kowalska"); see ``family_form``."""
        return self._rng.choice(POOLS[style].family)

    def full_name(self, style: NameStyle, female: bool) -> str:
        return f"{self.given_name(style, female)} {family_form(self.family_entry(style), female)}"

    def adult_title(self, female: bool) -> str:
        return (self._female_titles if female else self._male_titles)(self._rng)

    # -- places ------------------------------------------------------------------------------

    def town(self, region: str) -> Town:
        return self._rng.choice(REGIONS[region].towns)

    def address(self, region: str, town: Town | None = None) -> Address:
        rng = self._rng
        reg = REGIONS[region]
        town = town or rng.choice(reg.towns)
        street = rng.choice(reg.streets)
        roll = rng.random()
        lines: list[str]
        if roll < 0.08:
            lines = [rng.choice(reg.house_names), street]
        else:
            lines = [f"{rng.randint(1, 180)} {street}"]
        lines.append(rng.choice(town.districts))
        lines.append(town.name)
        if town.county:
            lines.append(town.county)
        return Address(tuple(lines), self.postcode(town))

    def postcode(self, town: Town) -> str:
        rng = self._rng
        return (
            f"{rng.choice(town.outward_codes)} {rng.randint(1, 9)}"
            f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        )

    def gp(self, town: Town) -> GeneralPractitioner:
        return self._rng.choice(self._rng.choice(self._practices[town.name]))

    def _practice(self, region: Region, town: Town) -> tuple[GeneralPractitioner, ...]:
        rng = self._rng
        place = rng.choice(town.districts + (rng.choice(region.streets),))
        practice = f"{place} {rng.choice(region.practice_suffixes)}"
        address = Address(
            (f"{rng.randint(1, 120)} {rng.choice(region.streets)}", town.name), self.postcode(town)
        )
        doctors = []
        for _ in range(_GPS_PER_PRACTICE):
            female = rng.random() < 0.55
            style = self.style(region.key)
            given = self.given_name(style, female)
            family = family_form(self.family_entry(style), female)
            doctors.append(GeneralPractitioner(f"Dr {given[0]}. {family}", practice, address))
        return tuple(doctors)


def _check_digit_999(tail: int) -> int | None:
    """The modulus 11 check digit of "999" followed by the six digits of ``tail``.

    The same rule as ``domain.nhs_number.check_digit`` (the tests compare them), in integer
    arithmetic because it runs once for every synthetic participant.
    """
    total = _PREFIX_SUM
    for weight in (2, 3, 4, 5, 6, 7):
        tail, digit = divmod(tail, 10)
        total += weight * digit
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check
