"""Letterhead settings: the team, hospital, address and telephone printed on every letter."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from counsellor_app.domain.errors import DomainError
from counsellor_app.letters.resources import letters_dir

LETTERHEAD_FILE = "letterhead.toml"


@dataclass(frozen=True, slots=True)
class Letterhead:
    team: str
    hospital: str
    address: tuple[str, ...]
    postcode: str
    telephone: str
    email: str
    glh: str
    signer_name: str
    signer_role: str

    def contact_lines(self) -> tuple[str, ...]:
        return (*self.address, self.postcode, f"Telephone: {self.telephone}", self.email)


def load_letterhead(profile_dir: Path | None = None) -> Letterhead:
    """The defaults in ``resources/letters/``, overridden by ``letterhead.toml`` in the profile."""
    base = _read(letters_dir() / LETTERHEAD_FILE)
    letterhead = _from_mapping(base, letters_dir() / LETTERHEAD_FILE)
    if profile_dir is not None:
        override_path = profile_dir / LETTERHEAD_FILE
        if override_path.exists():
            override = _read(override_path)
            merged = {**base, **override}
            letterhead = _from_mapping(merged, override_path)
    return letterhead


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DomainError(
            f"The letterhead settings in {path} could not be read ({exc}). "
            "Correct or remove the file and try again."
        ) from exc


def _from_mapping(data: dict[str, object], source: Path) -> Letterhead:
    values: dict[str, object] = {}
    for item in fields(Letterhead):
        raw = data.get(item.name)
        if item.name == "address":
            ok = isinstance(raw, list) and all(isinstance(line, str) for line in raw)
            value: object = tuple(raw) if ok and isinstance(raw, list) else None
        else:
            value = raw if isinstance(raw, str) else None
        if value is None or value == "" or value == ():
            raise DomainError(
                f"The letterhead settings in {source} lack '{item.name}'. Add it and try again."
            )
        values[item.name] = value
    return Letterhead(**values)  # type: ignore[arg-type]
