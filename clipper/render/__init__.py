"""Rendering: the only layer that knows rich; tables on a terminal, plain lines in a pipe."""
