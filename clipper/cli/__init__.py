"""The command line: parses arguments, calls the library, hands results to rendering."""
