"""Patient letters: kinds, templates, consent and identity checks, PDF rendering (no Qt)."""
