"""The encrypted local cache: key handling, engine, tables and the repositories on top."""
