"""Capture: turn what the user gives (text, a file, standard input) into a draft clipping."""
