"""Domain errors: plain-English messages for people, never a patient identifier."""


class DomainError(Exception):
    """A failure a user can understand and act on (not a bug)."""


class InvalidTransition(DomainError):
    """A workflow state change that the workflow does not allow."""


class ConsentRefused(DomainError):
    """An action that the participant's consent (or life status) does not permit."""
