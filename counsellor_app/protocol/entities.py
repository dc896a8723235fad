"""Wire models of the domain entities, with conversions to and from the domain dataclasses.

Field names follow the domain dataclasses one for one, so a record reads the same on the wire,
in the hub and in the cache. Datetimes travel with their offset; a naive domain datetime is
taken to be UTC. Unknown fields are ignored (a newer hub may add optional fields within v1).
Each model has ``from_domain(obj)`` and ``to_domain()``.
"""

from counsellor_app.protocol.client_records import ConsentDecisionWire, LetterRecordWire
from counsellor_app.protocol.clinical import (
    CaseWire,
    RequesterWire,
    RequestWire,
    ResultWire,
    VariantWire,
)
from counsellor_app.protocol.participants import (
    AddressWire,
    CommunicationNeedsWire,
    GeneralPractitionerWire,
    ParticipantWire,
    RepresentativeWire,
)
from counsellor_app.protocol.wire import WireModel, aware

__all__ = [
    "AddressWire",
    "CaseWire",
    "CommunicationNeedsWire",
    "ConsentDecisionWire",
    "GeneralPractitionerWire",
    "LetterRecordWire",
    "ParticipantWire",
    "RepresentativeWire",
    "RequestWire",
    "RequesterWire",
    "ResultWire",
    "VariantWire",
    "WireModel",
    "aware",
]
