"""Compose a letter from one case record and the wording files into a LetterDocument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from counsellor_app.domain.letter import LetterKind, Recipient
from counsellor_app.domain.participant import LetterFormat, Participant
from counsellor_app.domain.result import Result, Variant
from counsellor_app.letters.case_record import CaseRecord
from counsellor_app.letters.confirmation import confirmation_blocks
from counsellor_app.letters.document import (
    Addressee,
    Block,
    BlockKind,
    IdentityBlock,
    Labels,
    LetterDocument,
    LetterPart,
)
from counsellor_app.letters.letterhead import Letterhead
from counsellor_app.letters.phrasing import (
    date_words,
    participant_name_line,
    participant_salutation_name,
    person_values,
)
from counsellor_app.letters.rules import Resolved
from counsellor_app.letters.templates import TemplateSet, Wording

_REPLY_KINDS = frozenset({LetterKind.COLLABORATION, LetterKind.TRIAL})


def compose(
    record: CaseRecord,
    resolved: Resolved,
    *,
    templates: TemplateSet,
    letterhead: Letterhead,
    letter_date: dt.date,
    signer_name: str | None = None,
    signer_role: str | None = None,
    language: str = "en",
) -> LetterDocument:
    """Everything the letter will say, as plain data; nothing here draws."""
    participant = record.participant
    fmt = resolved.letter_format
    common = templates.wording("common", fmt)
    values = _values(record, resolved, letterhead)
    body_wording = templates.wording(resolved.kind.value, fmt)
    if resolved.kind is LetterKind.TRIAL and resolved.request is not None:
        values["study_words"] = body_wording.text(
            f"study_words.{resolved.request.kind.value}", values
        )
    subject = body_wording.text("subject", values)
    blocks = _body(record, resolved, body_wording, templates, values)
    blocks += tuple(_paragraphs(common.lines("closing", values)))
    if resolved.kind in _REPLY_KINDS:
        blocks += (_reply_slip(common, body_wording, values),)

    addressee = _patient_side_addressee(participant, resolved)
    copy_to = _copy_to(participant, templates, values)
    letter = LetterPart(
        addressee=addressee,
        salutation=common.text("salutation", {"addressee": _salutation_name(resolved, record)}),
        subject=subject,
        blocks=blocks,
        copy_to=copy_to,
    )
    parts: tuple[LetterPart, ...] = (letter,)
    if resolved.recipient is Recipient.GP:
        parts = (
            _gp_cover(record, resolved, templates, values, subject),
            _as_gp_copy(letter, common),
        )
    identity = IdentityBlock(
        name=participant.full_name,
        nhs_number=participant.nhs_number,
        date_of_birth=participant.date_of_birth,
        address=participant.address.as_lines(),
    )
    labels = Labels(
        name=common.text("label_name", values),
        nhs_number=common.text("label_nhs_number", values),
        date_of_birth=common.text("label_date_of_birth", values),
        address=common.text("label_address", values),
        date=common.text("label_date", values),
        reference=common.text("label_our_reference", values),
        copy_to=common.text("label_copy_to", values),
        sign_off=common.text("sign_off", values),
        footer=common.raw("footer"),
        page=common.raw("page"),
    )
    return LetterDocument(
        case_id=record.case.case_id,
        participant_id=participant.participant_id,
        kind=resolved.kind,
        recipient=resolved.recipient,
        letter_format=fmt,
        language=language,
        letter_date=letter_date,
        reference=values["reference"],
        letterhead=letterhead,
        signer_name=signer_name or letterhead.signer_name,
        signer_role=signer_role or letterhead.signer_role,
        identity=identity,
        labels=labels,
        parts=parts,
        result_id=resolved.result.result_id if resolved.result else None,
        request_id=resolved.request.request_id if resolved.request else None,
        decision_id=resolved.decision.decision_id if resolved.decision else None,
        title=subject,
    )


# ----------------------------------------------------------------------------- values


def _values(record: CaseRecord, resolved: Resolved, letterhead: Letterhead) -> dict[str, str]:
    participant = record.participant
    subject_id = (
        (resolved.result and resolved.result.result_id)
        or (resolved.request and resolved.request.request_id)
        or (resolved.decision and resolved.decision.decision_id)
    )
    values = {
        "name": participant.full_name,
        "given_name": participant.given_name,
        "team": letterhead.team,
        "hospital": letterhead.hospital,
        "telephone": letterhead.telephone,
        "team_address": ", ".join((*letterhead.address, letterhead.postcode)),
        "reason": record.case.reason,
        "reference": f"{record.case.case_id}/{subject_id}" if subject_id else record.case.case_id,
        **person_values(resolved.representative),
    }
    gp = participant.gp
    if gp is not None:
        values |= {
            "gp_name": gp.name,
            "gp_practice": gp.practice,
            "gp_address": ", ".join(gp.address.as_lines()),
        }
    request = resolved.request
    if request is not None:
        values |= {
            "requester": request.requester.name,
            "institution": request.requester.institution,
            "research_domain": request.requester.research_domain,
            "asked": request.asked,
            "study_title": request.study_title or request.asked,
            "due_on": date_words(request.due_on) if request.due_on else "",
        }
    rep = resolved.representative
    if rep is not None:
        values |= {"representative_name": rep.name, "representative_relationship": rep.relationship}
    return values


# ----------------------------------------------------------------------------- bodies


def _body(
    record: CaseRecord,
    resolved: Resolved,
    wording: Wording,
    templates: TemplateSet,
    values: dict[str, str],
) -> tuple[Block, ...]:
    kind = resolved.kind
    if kind is LetterKind.RESULT:
        return _result_body(resolved, wording, templates, values)
    if kind is LetterKind.ADDITIONAL_FINDINGS:
        return _additional_body(resolved, wording, templates, values)
    if kind is LetterKind.CONSENT_CONFIRMATION:
        return confirmation_blocks(record, resolved, wording, values)
    request = resolved.request
    assert request is not None
    lines: list[str] = []
    if kind is LetterKind.COLLABORATION:
        lines += wording.lines("opening", values)
        lines += wording.lines(f"what_is_asked.{request.kind.value}", values)
        lines += wording.lines("request_words", values)
        lines += wording.lines("what_is_shared", values)
        lines += wording.lines("your_choice", values)
        lines += wording.lines("how_to_answer", values)
    elif kind is LetterKind.TRIAL:
        lines += wording.lines("opening", values)
        lines += wording.lines(f"about.{request.kind.value}", values)
        lines += wording.lines("study", values)
        lines += wording.lines("your_choice", values)
        lines += wording.lines("how_to_answer", values)
    else:  # sample
        lines += wording.lines("opening", values)
        lines += wording.lines(f"sample.{request.kind.value}", values)
        lines += wording.lines("change_mind", values)
    if kind in _REPLY_KINDS and request.due_on is not None:
        lines += wording.lines("due", values)
    return tuple(_paragraphs(lines))


def _result_body(
    resolved: Resolved, wording: Wording, templates: TemplateSet, values: dict[str, str]
) -> tuple[Block, ...]:
    result = resolved.result
    assert result is not None
    outcome = result.outcome.value
    values = {
        **values,
        "report_version": str(result.report_version),
        "issued_on": date_words(result.issued_on),
        "outcome_short": wording.text(f"outcome_short.{outcome}", values),
    }
    lines: list[str] = list(wording.lines(f"opening.{result.kind.value}", values))
    if result.supersedes:
        previous = resolved.previous_result
        if previous is not None:
            values["previous_issued_on"] = date_words(previous.issued_on)
            values["previous_outcome_short"] = wording.text(
                f"outcome_short.{previous.outcome.value}", values
            )
            lines += wording.lines("changed", values)
        else:
            lines += wording.lines("changed_without_previous", values)
    lines += wording.lines(f"outcome.{outcome}", values)
    blocks = list(_paragraphs(lines))
    if result.variants and result.outcome.value != "no_causative_variant":
        blocks += _paragraphs(wording.lines("variants", values))
        blocks += _variant_tables(result, templates)
    for key in (f"family.{outcome}", f"next_steps.{outcome}"):
        if wording.has(key):
            blocks += _paragraphs(wording.lines(key, values))
    return tuple(blocks)


def _additional_body(
    resolved: Resolved, wording: Wording, templates: TemplateSet, values: dict[str, str]
) -> tuple[Block, ...]:
    result = resolved.result
    assert result is not None
    variant_words = templates.wording("common", LetterFormat.STANDARD)
    genes = sorted({v.gene for v in result.variants})
    conditions = sorted({v.condition for v in result.variants if v.condition})
    values = {
        **values,
        "genes": " and ".join(genes) if genes else variant_words.text("variant.no_condition", {}),
        "conditions": " and ".join(conditions) if conditions else result.summary,
    }
    blocks = list(_paragraphs(wording.lines("opening", values)))
    blocks += _paragraphs(wording.lines("finding", values))
    if result.variants:
        blocks += _paragraphs(wording.lines("variants", values))
        blocks += _variant_tables(result, templates)
    blocks += _paragraphs(wording.lines("family", values))
    blocks += _paragraphs(wording.lines("next_steps", values))
    return tuple(blocks)


def _variant_tables(result: Result, templates: TemplateSet) -> list[Block]:
    words = templates.wording("common", LetterFormat.STANDARD)
    return [Block(BlockKind.TABLE, rows=_variant_rows(v, words)) for v in result.variants]


def _variant_rows(variant: Variant, words: Wording) -> tuple[tuple[str, ...], ...]:
    change = f"{variant.transcript}:{variant.hgvs_c}"
    if variant.hgvs_p:
        change += f", {variant.hgvs_p}"
    return (
        (words.text("variant.gene", {}), variant.gene),
        (words.text("variant.change", {}), change),
        (words.text("variant.copies", {}), words.text(f"zygosity.{variant.zygosity.value}", {})),
        (
            words.text("variant.inheritance", {}),
            words.text(f"inheritance.{variant.inheritance.value}", {}),
        ),
        (
            words.text("variant.classification", {}),
            words.text(f"acmg.{variant.acmg_class.value}", {}),
        ),
        (
            words.text("variant.condition", {}),
            variant.condition or words.text("variant.no_condition", {}),
        ),
    )


# ----------------------------------------------------------------------------- parts


def _patient_side_addressee(participant: Participant, resolved: Resolved) -> Addressee:
    rep = resolved.representative
    if rep is not None:
        return Addressee(
            Recipient.REPRESENTATIVE, rep.name, rep.address.as_lines(), rep.representative_id
        )
    return Addressee(
        Recipient.PARTICIPANT, participant_name_line(participant), participant.address.as_lines()
    )


def _salutation_name(resolved: Resolved, record: CaseRecord) -> str:
    if resolved.representative is not None:
        return resolved.representative.name
    return participant_salutation_name(record.participant)


def _copy_to(
    participant: Participant, templates: TemplateSet, values: Mapping[str, str]
) -> tuple[str, ...]:
    if participant.gp is None:
        return ()
    words = templates.wording("common", LetterFormat.STANDARD)
    return (words.text("copy_to.gp", values),)


def _gp_cover(
    record: CaseRecord,
    resolved: Resolved,
    templates: TemplateSet,
    values: dict[str, str],
    letter_subject: str,
) -> LetterPart:
    gp = record.participant.gp
    assert gp is not None
    fmt = resolved.letter_format
    wording = templates.wording("gp-cover", fmt)
    common = templates.wording("common", fmt)
    side = "representative" if resolved.representative is not None else "participant"
    values = {**values, "letter_subject": letter_subject}
    values["sent_to_words"] = wording.text(f"sent_to.{side}", values)
    return LetterPart(
        addressee=Addressee(Recipient.GP, gp.name, (gp.practice, *gp.address.as_lines())),
        salutation=common.text("salutation", {"addressee": gp.name}),
        subject=wording.text("subject", values),
        blocks=tuple(_paragraphs(wording.lines("body", values))),
    )


def _as_gp_copy(letter: LetterPart, common: Wording) -> LetterPart:
    return LetterPart(
        addressee=letter.addressee,
        salutation=letter.salutation,
        subject=letter.subject,
        blocks=letter.blocks,
        copy_to=letter.copy_to,
        banner=common.text("label_gp_copy", {}),
    )


def _reply_slip(common: Wording, wording: Wording, values: Mapping[str, str]) -> Block:
    return Block(
        BlockKind.REPLY_SLIP,
        text=common.text("reply_slip.heading", values),
        options=(wording.text("reply.yes", values), wording.text("reply.no", values)),
        labels=(
            common.text("reply_slip.cut_line", values),
            common.text("reply_slip.instructions", values),
            common.text("reply_slip.reference", values),
            common.text("reply_slip.signed", values),
            common.text("reply_slip.printed_name", values),
            common.text("reply_slip.relationship", values),
            common.text("reply_slip.date", values),
        ),
    )


def _paragraphs(lines: tuple[str, ...] | list[str]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if line.startswith("## "):
            blocks.append(Block(BlockKind.HEADING, line[3:]))
        elif line.startswith("- "):
            blocks.append(Block(BlockKind.BULLET, line[2:]))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, line))
    return blocks
