"""A composed letter as plain data: what the renderer draws, nothing reportlab-specific."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.letters.letterhead import Letterhead


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BULLET = "bullet"
    TABLE = "table"  # two-column label/value rows (a variant, a consent record)
    REPLY_SLIP = "reply_slip"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    # reply slip only: instructions, the two choices, the signature labels
    options: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IdentityBlock:
    """Who the letter is about, copied from the one case record it is built from."""

    name: str
    nhs_number: str  # ten digits, as stored
    date_of_birth: dt.date
    address: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Addressee:
    """Who a part of the letter is posted to (printed in the envelope window)."""

    role: Recipient
    name: str
    address: tuple[str, ...]
    representative_id: str | None = None


@dataclass(frozen=True, slots=True)
class LetterPart:
    """One letter within the PDF: the GP copy is a cover note followed by the letter."""

    addressee: Addressee
    salutation: str
    subject: str
    blocks: tuple[Block, ...]
    copy_to: tuple[str, ...] = ()
    banner: str | None = None  # e.g. "Copy for the GP" across the copied letter


@dataclass(frozen=True, slots=True)
class Labels:
    """Fixed wording the layout needs (from common.toml, already filled)."""

    name: str
    nhs_number: str
    date_of_birth: str
    address: str
    date: str
    reference: str
    copy_to: str
    sign_off: str
    footer: str  # on every page: still holds {name} and {nhs_number} for the layout
    page: str  # "Page {page} of {pages}", filled by the layout once the count is known


@dataclass(frozen=True, slots=True)
class LetterDocument:
    case_id: str
    participant_id: str
    kind: LetterKind
    recipient: Recipient
    letter_format: LetterFormat
    language: str
    letter_date: dt.date
    reference: str
    letterhead: Letterhead
    signer_name: str
    signer_role: str
    identity: IdentityBlock
    labels: Labels
    parts: tuple[LetterPart, ...]
    result_id: str | None = None
    request_id: str | None = None
    decision_id: str | None = None
    title: str = field(default="")
