"""`clip serve`: a read-only web view of the library (library, search, clipping, story, review)."""
