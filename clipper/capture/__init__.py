"""Capture: turn what the user gives (text, a text or HTML file, standard input, a web address)
into a draft clipping with its metadata. Never touches storage; `sources.py` is the entry point."""
