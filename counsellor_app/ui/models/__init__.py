"""Qt item models over the cache's query results (plain strings only, never rich text)."""
