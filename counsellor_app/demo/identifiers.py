"""Every patient identifier in a synthetic dataset, for tests that prove none of them leaks."""

from __future__ import annotations

import datetime as dt

from counsellor_app.demo.synthetic import Dataset

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def long_date(day: dt.date) -> str:
    """A date as letters write it: "3 March 2019"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def identifying_strings(dataset: Dataset) -> set[str]:
    """Names, NHS numbers, dates of birth and postcodes of everyone in ``dataset``.

    Names are whole names ("Siân Evans", and with a title "Ms Siân Evans"), since a single
    given or family name ("Mark", "Hill") is also an ordinary word; representatives' names
    and postcodes are included. NHS numbers come raw ("9991234560") and spaced
    ("999 123 4560"); dates of birth as ISO ("2019-03-03"), "3 March 2019" and "03/03/2019".
    In a large dataset almost every recent date is somebody's date of birth: check dates only
    against small datasets.
    """
    found: set[str] = set()
    add = found.add
    for person in dataset.participants:
        full = f"{person.given_name} {person.family_name}"
        add(full)
        if person.title:
            add(f"{person.title} {full}")
        number = person.nhs_number
        add(number)
        add(f"{number[:3]} {number[3:6]} {number[6:]}")
        born = person.date_of_birth
        add(born.isoformat())
        add(long_date(born))
        add(born.strftime("%d/%m/%Y"))
        add(person.address.postcode)
        for representative in person.representatives:
            add(representative.name)
            add(representative.address.postcode)
    return found
