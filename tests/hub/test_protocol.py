"""The wire schema: every synthetic entity survives domain → JSON → domain unchanged."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from counsellor_app.demo.synthetic import generate
from counsellor_app.hub.database import Database
from counsellor_app.protocol.changes import ChangePage
from counsellor_app.protocol.entities import (
    CaseWire,
    ConsentDecisionWire,
    ParticipantWire,
    RequestWire,
    ResultWire,
)


@pytest.fixture(scope="module")
def dataset():
    return generate(150, seed=3, reference_date=dt.date(2026, 11, 20))


@pytest.mark.parametrize(("field", "wire"), [
    ("participants", ParticipantWire), ("cases", CaseWire), ("results", ResultWire),
    ("requests", RequestWire), ("decisions", ConsentDecisionWire),
])
def test_every_synthetic_entity_round_trips_exactly(dataset, field: str, wire) -> None:
    items = getattr(dataset, field)
    assert items
    for item in items:
        text = wire.from_domain(item).model_dump_json(exclude_defaults=True)
        assert wire.model_validate_json(text).to_domain() == item


def test_a_naive_domain_datetime_travels_as_utc(dataset) -> None:
    decision = dataset.decisions[0]
    naive = decision.__class__(**{**{f: getattr(decision, f) for f in decision.__slots__},
                                  "recorded_at": dt.datetime(2026, 1, 2, 3, 4)})
    back = ConsentDecisionWire.from_domain(naive).to_domain()
    assert back.recorded_at == dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)


def test_a_page_with_a_wrong_type_in_one_record_is_refused_whole() -> None:
    page = ('{"protocol":1,"changes":[{"kind":"case","data":{"case_id":"C1","participant_id":'
            '"P1","reason":"x","status":"open","priority":"routine","assigned_counsellor":null,'
            '"opened_on":"not a date"}}],"next_cursor":5,"more":false}')
    with pytest.raises(ValidationError):
        ChangePage.model_validate_json(page)


def test_the_sqlite_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "hub.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    db.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_database_errors_never_show_the_values_written(tmp_path: Path) -> None:
    """H8: an error that reaches a log names no patient data."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from counsellor_app.hub.tables import ParticipantRow

    db = Database(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    db.migrate()
    with pytest.raises(IntegrityError) as caught, db.writing() as s:
        s.execute(insert(ParticipantRow), [{"participant_id": "P1", "team": "no-such-team",
                                            "body": '{"family_name":"Secretname"}'}])
    assert "Secretname" not in str(caught.value)
    db.dispose()
