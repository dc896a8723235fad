"""The client sync engine: pulls the team's change feed into the cache and pushes the outbox."""
