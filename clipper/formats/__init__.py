"""Formats: converting clippings to and from documents, one module per format."""
