"""Dialogs: sign-in, consent recording, request responses, result progress, settings."""
