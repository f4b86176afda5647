"""Search: the query language, and the SQLite FTS5 index derived from the store."""
