"""perspective: the command-line client of Perspective, on its public HTTP API only."""

__version__ = "0.1.0"
