"""The base of every wire model."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    """Base of every wire model: immutable, unknown fields ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def aware(moment: dt.datetime) -> dt.datetime:
    """``moment`` with a time zone (a naive datetime is taken to be UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
