"""Writing many rows at once, without SQLAlchemy's per-row statement work: values bound as the
column types store them, INSERTs and upserts by ``executemany`` or as multi-row statements (a
demo cache, the benchmark floor and a first sync write hundreds of thousands of rows)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Column, Date, Dialect, Table, inspect
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from counsellor_app.store.tables import UtcDateTime, utc_text

_SQLITE = sqlite.dialect()


def _converter(column: Any) -> Callable[[Any], Any] | None:
    """How a non-empty Python value becomes what SQLite stores (as SQLAlchemy would); None
    where the driver takes the value as it is (text, numbers, booleans)."""
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return utc_text
    if isinstance(kind, JSON):
        return json.dumps
    if isinstance(kind, Date):
        return _isoformat
    return None


def _isoformat(value: dt.date) -> str:
    return value.isoformat()


def bind_rows(
    columns: Sequence[Any], keys: Sequence[str], rows: Iterable[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` (dicts keyed by ``keys``, the attribute names of ``columns``) as the tuples the
    driver binds, each value converted the way the column's type stores it (None stays NULL).
    The fast path of bulk writes: no per-row statement work."""
    pick = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    converters = [
        (index, convert)
        for index, convert in enumerate(_converter(column) for column in columns)
        if convert is not None
    ]
    if not converters:
        return [pick(row) for row in rows]
    out = []
    for row in rows:
        values = list(pick(row))
        for index, convert in converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        out.append(tuple(values))
    return out



class OnConflict(Enum):
    UPDATE = "update"  # upsert: the listed columns take the new values
    NOTHING = "nothing"  # keep what is there (any unique constraint)
    FAIL = "fail"  # a plain insert


@dataclass(frozen=True)
class _Plan:
    sql: str
    attrs: tuple[str, ...]
    columns: tuple[Column[Any], ...]


def write_rows(
    session: Session,
    row_class: Any,
    rows: Sequence[dict[str, Any]],
    *,
    on_conflict: OnConflict = OnConflict.FAIL,
    key: str | None = None,
    keep: frozenset[str] = frozenset(),
) -> None:
    """INSERT ``rows`` (dicts keyed by mapped attribute name, all with the same keys).

    With ``OnConflict.UPDATE``, a row whose ``key`` exists updates every column but ``key``
    and ``keep``. Values are converted as ``bind_rows`` does (dates, JSON, aware
    datetimes as UTC text; None stays NULL).
    """
    if not rows:
        return
    connection = session.connection()
    connection.exec_driver_sql(*statement(row_class, rows, on_conflict=on_conflict, key=key,
                                          keep=keep))


def statement(
    row_class: Any,
    rows: Sequence[dict[str, Any]],
    *,
    on_conflict: OnConflict = OnConflict.FAIL,
    key: str | None = None,
    keep: frozenset[str] = frozenset(),
) -> tuple[str, list[tuple[Any, ...]]]:
    """What ``write_rows`` executes: the SQL and its rows of parameters, ready for the driver
    (built anywhere, executed later on the cache's connection)."""
    plan = _plan(row_class, tuple(rows[0]), on_conflict, key, keep, _SQLITE)
    return plan.sql, bind_rows(plan.columns, plan.attrs, rows)


MAX_PARAMETERS = 32_000  # SQLite allows 32,766 bound parameters in one statement
MAX_ROWS_PER_STATEMENT = 2000


def multi_row_statements(
    row_class: Any,
    rows: Sequence[dict[str, Any]],
    *,
    on_conflict: OnConflict = OnConflict.FAIL,
    key: str | None = None,
    keep: frozenset[str] = frozenset(),
) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The same writes as ``statement``, as INSERTs of up to 2,000 rows each (one ``VALUES`` list,
    one parameter tuple): SQLite then inserts thousands of rows per call without Python, and
    another thread keeps the interpreter meanwhile (row by row, each row would wait for it).
    Rows keep their order, so a key sent twice ends as its last row, as with ``statement``."""
    if not rows:
        return []
    plan = _plan(row_class, tuple(rows[0]), on_conflict, key, keep, _SQLITE)
    bound = bind_rows(plan.columns, plan.attrs, rows)
    per = max(1, min(MAX_ROWS_PER_STATEMENT, MAX_PARAMETERS // len(plan.attrs)))
    out = []
    for start in range(0, len(bound), per):
        chunk = bound[start : start + per]
        out.append((_multi_row_sql(plan, len(chunk)), [tuple(chain.from_iterable(chunk))]))
    return out


@lru_cache(maxsize=256)
def _multi_row_sql(plan: _Plan, rows: int) -> str:
    head, _, rest = plan.sql.partition(" VALUES (")
    marks, _, tail = rest.partition(")")
    return f"{head} VALUES {', '.join([f'({marks})'] * rows)}{tail}"


@lru_cache(maxsize=64)
def _plan(
    row_class: Any,
    attrs: tuple[str, ...],
    on_conflict: OnConflict,
    key: str | None,
    keep: frozenset[str],
    dialect: Dialect,
) -> _Plan:
    if dialect.name != "sqlite":
        raise ValueError("bulk_sql writes the SQLite cache only")
    mapper = inspect(row_class)
    table = mapper.local_table
    assert isinstance(table, Table)
    columns: list[Column[Any]] = [mapper.attrs[a].columns[0] for a in attrs]
    names = [f'"{c.name}"' for c in columns]
    sql = (
        f'INSERT INTO "{table.name}" ({", ".join(names)}) '
        f'VALUES ({", ".join("?" for _ in names)})'
    )
    if on_conflict is OnConflict.NOTHING:
        sql += " ON CONFLICT DO NOTHING"
    elif on_conflict is OnConflict.UPDATE:
        assert key is not None
        key_column = mapper.attrs[key].columns[0].name
        updated = [
            f'"{c.name}" = excluded."{c.name}"'
            for a, c in zip(attrs, columns, strict=True)
            if a != key and a not in keep
        ]
        sql += f' ON CONFLICT ("{key_column}") DO UPDATE SET {", ".join(updated)}'
    return _Plan(sql, attrs, tuple(columns))
