"""Run clip as ``python -m clipper``."""

from clipper.cli.app import main

main()
