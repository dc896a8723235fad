"""The body of a consent-confirmation letter: the decision as recorded, and what it means."""

from __future__ import annotations

from counsellor_app.domain.consent import ConsentDecision, Decision, GivenBy
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.document import Block, BlockKind
from counsellor_app.letters.phrasing import date_words
from counsellor_app.letters.rules import Resolved
from counsellor_app.letters.templates import Wording


def confirmation_blocks(
    record: CaseRecord, resolved: Resolved, wording: Wording, values: dict[str, str]
) -> tuple[Block, ...]:
    decision = resolved.decision
    assert decision is not None
    values = {**values, **_decision_values(record, resolved, decision)}
    values["your_decision_phrase"] = (
        "your decision"
        if resolved.representative is None
        else f"the decision you made for {values['you']}"
    )
    lines = list(wording.lines("opening", values))
    blocks = _to_blocks(lines)
    blocks += _to_blocks(list(wording.lines("record", values)))
    rows = [
        (wording.text("row.scope", values), wording.text(f"scope.{decision.scope.value}", values)),
        (wording.text("row.decision", values), wording.text(_decision_key(decision), values)),
        (
            wording.text("row.given_by", values),
            wording.text(f"given_by.{decision.given_by.value}", values),
        ),
        (
            wording.text("row.method", values),
            wording.text(f"method.{decision.method.value}", values),
        ),
        (wording.text("row.effective", values), date_words(decision.effective_from.date())),
        (wording.text("row.recorded", values), date_words(decision.recorded_at.date())),
        (wording.text("row.recorded_by", values), decision.recorded_by),
    ]
    blocks.append(Block(BlockKind.TABLE, rows=tuple(rows)))
    blocks += _to_blocks(list(wording.lines(_meaning_key(wording, decision), values)))
    blocks += _to_blocks(list(wording.lines("check", values)))
    if resolved.withdrawal_confirmation:
        blocks += _to_blocks(list(wording.lines("withdrawal_last_letter", values)))
    return tuple(blocks)


def _decision_values(
    record: CaseRecord, resolved: Resolved, decision: ConsentDecision
) -> dict[str, str]:
    values: dict[str, str] = {}
    if decision.given_by is not GivenBy.SELF:
        values["given_by_name"] = decision.given_by_name or "name not recorded"
    else:
        values["given_by_name"] = record.participant.full_name
    request = resolved.request
    values.setdefault("requester", request.requester.name if request else "the researcher")
    return values


def _decision_key(decision: ConsentDecision) -> str:
    if decision.decision is Decision.WITHDRAWN and decision.withdrawal_level is not None:
        return f"decision.{decision.withdrawal_level.value}"
    return f"decision.{decision.decision.value}"


def _meaning_key(wording: Wording, decision: ConsentDecision) -> str:
    scope = decision.scope.value
    if decision.decision is Decision.WITHDRAWN and scope == "programme":
        level = decision.withdrawal_level.value if decision.withdrawal_level else None
        return f"meaning.programme.{level or 'no_further_contact'}"
    if decision.decision is Decision.GRANTED:
        return f"meaning.{scope}.granted"
    if decision.decision is Decision.WITHDRAWN and wording.has(f"meaning.{scope}.withdrawn"):
        return f"meaning.{scope}.withdrawn"
    if scope == "programme":
        # A programme "declined" is not a withdrawal: the person does not take part.
        return "meaning.programme.no_further_contact"
    return f"meaning.{scope}.declined"


def _to_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if line.startswith("## "):
            blocks.append(Block(BlockKind.HEADING, line[3:]))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, line))
    return blocks
