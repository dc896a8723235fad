"""The hub: the trust's sync server (API, auth, change feed, ingestion, its own tables)."""
