"""clipper: a command-line news-clipping manager."""

__version__ = "0.1.0"
