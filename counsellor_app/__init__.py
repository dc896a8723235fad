"""Counsellor Desk: caseload, consent and letters for NHS clinical genetics teams."""

__version__ = "0.1.0"
