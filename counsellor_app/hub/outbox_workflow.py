"""Result acknowledgements and request responses from a client's outbox, via the domain workflow."""

from __future__ import annotations

import datetime as dt

from counsellor_app.domain.request import RequestStatus
from counsellor_app.domain.workflow import advance_request, advance_result
from counsellor_app.hub.records import Records
from counsellor_app.protocol.entities import ParticipantWire, RequestWire, ResultWire
from counsellor_app.protocol.outbox import RequestResponse, ResultAcknowledgement

Answer = tuple[str, str | None]


def apply_result_acknowledgement(
    records: Records, participant: ParticipantWire, result: ResultWire, ack: ResultAcknowledgement
) -> Answer:
    if result.counsellor_state is ack.state and result.informed_how is ack.informed_how:
        return "duplicate", f"The result is already marked {ack.state.value.replace('_', ' ')}."
    moved = advance_result(result.to_domain(), ack.state, ack.informed_how)
    records.put_result(ResultWire.from_domain(moved), participant.team)
    return "applied", None


def apply_request_response(
    records: Records,
    participant: ParticipantWire,
    request: RequestWire,
    answer: RequestResponse,
    today: dt.date,
) -> Answer:
    text = answer.response.strip() if answer.response else None
    if request.status is answer.status and (text is None or text == request.response):
        return "duplicate", f"The request is already {answer.status.value.replace('_', ' ')}."
    consent = None
    if answer.status is RequestStatus.ACCEPTED:
        consent = records.ledger(participant).may_act_on_request(
            request.request_id,
            request.kind.consent_scope,
            today,
            research_contact=request.kind.is_research_contact,
        )
    moved = advance_request(request.to_domain(), answer.status, text, consent=consent)
    records.put_request(RequestWire.from_domain(moved), participant.team)
    return "applied", None
