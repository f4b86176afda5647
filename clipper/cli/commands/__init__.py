"""One module per group of commands; each has a `register(app)`."""
