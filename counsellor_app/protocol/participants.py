"""Wire models of participants, their addresses, GP, needs and representatives."""

from __future__ import annotations

import datetime as dt

from counsellor_app.domain.participant import (
    Address,
    CommunicationNeeds,
    GeneralPractitioner,
    LifeStatus,
    Participant,
    Programme,
    Relationship,
    Representative,
    RepresentativeKind,
)
from counsellor_app.protocol.wire import WireModel


class AddressWire(WireModel):
    lines: tuple[str, ...]
    postcode: str

    @classmethod
    def from_domain(cls, a: Address) -> AddressWire:
        return cls(lines=a.lines, postcode=a.postcode)

    def to_domain(self) -> Address:
        return Address(lines=self.lines, postcode=self.postcode)


class GeneralPractitionerWire(WireModel):
    name: str
    practice: str
    address: AddressWire

    @classmethod
    def from_domain(cls, gp: GeneralPractitioner) -> GeneralPractitionerWire:
        return cls(name=gp.name, practice=gp.practice, address=AddressWire.from_domain(gp.address))

    def to_domain(self) -> GeneralPractitioner:
        return GeneralPractitioner(self.name, self.practice, self.address.to_domain())


class CommunicationNeedsWire(WireModel):
    large_print: bool = False
    easy_read: bool = False
    braille: bool = False
    interpreter_language: str | None = None

    @classmethod
    def from_domain(cls, c: CommunicationNeeds) -> CommunicationNeedsWire:
        return cls(
            large_print=c.large_print,
            easy_read=c.easy_read,
            braille=c.braille,
            interpreter_language=c.interpreter_language,
        )

    def to_domain(self) -> CommunicationNeeds:
        return CommunicationNeeds(
            self.large_print, self.easy_read, self.braille, self.interpreter_language
        )


class RepresentativeWire(WireModel):
    representative_id: str
    kind: RepresentativeKind
    name: str
    relationship: str
    address: AddressWire

    @classmethod
    def from_domain(cls, r: Representative) -> RepresentativeWire:
        return cls(
            representative_id=r.representative_id,
            kind=r.kind,
            name=r.name,
            relationship=r.relationship,
            address=AddressWire.from_domain(r.address),
        )

    def to_domain(self) -> Representative:
        return Representative(
            self.representative_id, self.kind, self.name, self.relationship,
            self.address.to_domain(),
        )


class ParticipantWire(WireModel):
    participant_id: str
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    life_status: LifeStatus
    address: AddressWire
    gp: GeneralPractitionerWire | None
    team: str
    glh: str
    programme: Programme
    family_id: str | None = None
    relationship_to_proband: Relationship = Relationship.PROBAND
    title: str | None = None
    communication: CommunicationNeedsWire = CommunicationNeedsWire()
    representatives: tuple[RepresentativeWire, ...] = ()
    date_of_death: dt.date | None = None

    @classmethod
    def from_domain(cls, p: Participant) -> ParticipantWire:
        return cls(
            participant_id=p.participant_id,
            nhs_number=p.nhs_number,
            given_name=p.given_name,
            family_name=p.family_name,
            date_of_birth=p.date_of_birth,
            life_status=p.life_status,
            address=AddressWire.from_domain(p.address),
            gp=GeneralPractitionerWire.from_domain(p.gp) if p.gp is not None else None,
            team=p.team,
            glh=p.glh,
            programme=p.programme,
            family_id=p.family_id,
            relationship_to_proband=p.relationship_to_proband,
            title=p.title,
            communication=CommunicationNeedsWire.from_domain(p.communication),
            representatives=tuple(RepresentativeWire.from_domain(r) for r in p.representatives),
            date_of_death=p.date_of_death,
        )

    def to_domain(self) -> Participant:
        return Participant(
            participant_id=self.participant_id,
            nhs_number=self.nhs_number,
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            life_status=self.life_status,
            address=self.address.to_domain(),
            gp=self.gp.to_domain() if self.gp is not None else None,
            team=self.team,
            glh=self.glh,
            programme=self.programme,
            family_id=self.family_id,
            relationship_to_proband=self.relationship_to_proband,
            title=self.title,
            communication=self.communication.to_domain(),
            representatives=tuple(r.to_domain() for r in self.representatives),
            date_of_death=self.date_of_death,
        )
