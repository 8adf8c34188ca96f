"""The SQLite that Perspective runs on (see base.py), wired in as a Django database backend:
settings.py names this package as the ENGINE of every SQLite database."""
