"""Shared synthetic datasets for the demo tests (generated once per session)."""

from __future__ import annotations

import datetime as dt

import pytest

from counsellor_app.demo import Dataset, generate

REFERENCE_DATE = dt.date(2026, 11, 27)


@pytest.fixture(scope="session")
def small() -> Dataset:
    """Fifty participants: the smallest set that must show every special situation."""
    return generate(50, seed=1, reference_date=REFERENCE_DATE)


@pytest.fixture(scope="session")
def medium() -> Dataset:
    """Two thousand participants, for proportions and uniqueness."""
    return generate(2000, seed=7, reference_date=REFERENCE_DATE)
