"""Settings come from the environment; checked in fresh processes, as a deployment starts them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "perspective.settings",
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "perspective.example.com",
}


def manage(*args, **env):
    inherited = PRODUCTION.keys() | {"DATABASE_URL", "CELERY_BROKER_URL", "SECURE_SSL_REDIRECT"}
    base = {key: value for key, value in os.environ.items() if key not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_with_debug_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_with_debug_off():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("", "django.db.backends.sqlite3"),
        ("postgres://perspective@db.example:5432/perspective", "django.db.backends.postgresql"),
    ],
)
def test_database_url_chooses_the_engine(url, engine):
    env = {"DJANGO_SETTINGS_MODULE": "perspective.settings", "DEBUG": "true"}
    if url:
        env["DATABASE_URL"] = url
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"

    result = manage("shell", "--no-imports", "-c", code, **env)

    assert result.stdout.strip() == engine, result.stderr
