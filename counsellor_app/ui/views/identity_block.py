"""The identity block of a case record: who this is, how to reach them, who speaks for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counsellor_app.domain.case import Case
from counsellor_app.domain.nhs_number import format_nhs_number
from counsellor_app.domain.participant import CommunicationNeeds, Participant
from counsellor_app.ui.models.labels import day, label


def plain_label(text: str = "", parent: QWidget | None = None, *, name: str = "") -> QLabel:
    """A label that never interprets its text as HTML (patient names can contain ``<b>``)."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        widget.setObjectName(name)
    return widget


def communication_text(needs: CommunicationNeeds) -> str:
    parts = []
    if needs.large_print:
        parts.append("large print")
    if needs.easy_read:
        parts.append("easy read")
    if needs.braille:
        parts.append("braille")
    if needs.interpreter_language:
        parts.append(f"interpreter ({needs.interpreter_language})")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] if text else "None recorded"


class IdentityBlock(QFrame):
    """Name, NHS number, date of birth, deceased marker, flags, GP, needs and representatives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identityBlock")
        self.setAccessibleName("Participant identity")
        outer = QVBoxLayout(self)
        heading = QHBoxLayout()
        self.name = plain_label(name="participantName")
        bigger = self.name.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.4)
        bigger.setBold(True)
        self.name.setFont(bigger)
        self.name.setAccessibleName("Participant name")
        self.deceased = plain_label(name="deceasedMarker")
        self.flags = QHBoxLayout()
        heading.addWidget(self.name)
        heading.addWidget(self.deceased)
        heading.addLayout(self.flags)
        heading.addStretch(1)
        outer.addLayout(heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        outer.addLayout(grid)
        self._values: dict[str, QLabel] = {}
        fields = (
            ("NHS number", 0, 0), ("Date of birth", 0, 1), ("Programme", 0, 2),
            ("Referral", 0, 3),
            ("Address", 2, 0), ("GP", 2, 1), ("Communication needs", 2, 2),
            ("Representatives", 2, 3),
        )
        for title, row, column in fields:
            caption = plain_label(title, name="sectionTitle")
            value = plain_label()
            value.setAccessibleName(title)
            value.setWordWrap(True)
            value.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(caption, row, column)
            grid.addWidget(value, row + 1, column)
            self._values[title] = value
        for column in range(4):
            grid.setColumnStretch(column, 1)
        self._flag_labels: list[QLabel] = []

    def value(self, title: str) -> QLabel:
        return self._values[title]

    def show_participant(
        self,
        participant: Participant,
        cases: Sequence[Case],
        flags: Sequence[str],
        today: dt.date,
    ) -> None:
        p = participant
        self.name.setText(" ".join(part for part in (p.title, p.given_name, p.family_name) if part))
        if p.is_deceased:
            died = f" ({day(p.date_of_death)})" if p.date_of_death else ""
            self.deceased.setText(f"Deceased{died}")
            self.deceased.setAccessibleName("Deceased")
            self.deceased.show()
        else:
            self.deceased.clear()
            self.deceased.hide()
        for old in self._flag_labels:
            self.flags.removeWidget(old)
            old.deleteLater()
        self._flag_labels = []
        for flag in flags:
            badge = plain_label(flag, name="warningBadge")
            badge.setAccessibleName(flag)
            self.flags.addWidget(badge)
            self._flag_labels.append(badge)
        age = "" if p.is_deceased else f" (age {p.age_on(today)})"
        self._values["NHS number"].setText(format_nhs_number(p.nhs_number))
        self._values["Date of birth"].setText(f"{day(p.date_of_birth)}{age}")
        family = f"\nFamily {p.family_id}, {label(p.relationship_to_proband).lower()}" if (
            p.family_id
        ) else ""
        self._values["Programme"].setText(f"{label(p.programme)} · {p.glh}{family}")
        self._values["Referral"].setText(
            "\n".join(
                f"{c.reason} — {label(c.status).lower()}"
                + (", urgent" if c.priority.value == "urgent" else "")
                + (f"\nCounsellor: {c.assigned_counsellor}" if c.assigned_counsellor else "")
                for c in cases
            )
            or "No referral recorded"
        )
        self._values["Address"].setText("\n".join(p.address.as_lines()))
        self._values["GP"].setText(
            "\n".join((p.gp.name, p.gp.practice, *p.gp.address.as_lines()))
            if p.gp is not None
            else "No GP recorded"
        )
        self._values["Communication needs"].setText(communication_text(p.communication))
        self._values["Representatives"].setText(
            "\n".join(
                f"{r.name} ({r.relationship}, {label(r.kind).lower()})" for r in p.representatives
            )
            or "None"
        )
