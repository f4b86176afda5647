"""A team library: the same clippings, search and commands, kept in PostgreSQL."""
