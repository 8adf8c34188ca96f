#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Reads `.env` beside it first (`make dev-env` writes one for development); variables already set
in the environment win over it.
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured


def main():
    environ.Env.read_env(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:  # a setting to set, not a bug: no traceback
        sys.exit(f"Not configured: {exc}")


if __name__ == "__main__":
    main()
