"""Settings come from the environment; checked in fresh processes, as a deployment starts them."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Connection

ROOT = Path(__file__).parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "perspective.settings",
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "perspective.example.com",
}


def manage(*args, **env):
    inherited = PRODUCTION.keys() | {
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "SECURE_SSL_REDIRECT",
        "LOG_FORMAT",
    }
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
    # Empty rather than unset: manage.py would take the checkout's development .env's.
    env = {**PRODUCTION, "SECRET_KEY": ""}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_malformed_metrics_address_stops_the_start():
    result = manage("check", METRICS_ALLOWED_IPS="10.0.0.0/33", **PRODUCTION)

    assert result.returncode != 0
    assert "METRICS_ALLOWED_IPS" in result.stderr
    assert "10.0.0.0/33" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("", "perspective.sqlite"),
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


LOG_A_WARNING = "import logging; logging.getLogger('perspective').warning('hello')"


def test_logs_are_json_lines_with_debug_off():
    result = manage("shell", "--no-imports", "-c", LOG_A_WARNING, **PRODUCTION)

    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert (record["level"], record["logger"], record["message"]) == (
        "WARNING",
        "perspective",
        "hello",
    )


def test_logs_are_plain_text_with_debug_on():
    env = {"DJANGO_SETTINGS_MODULE": "perspective.settings", "DEBUG": "true"}

    result = manage("shell", "--no-imports", "-c", LOG_A_WARNING, **env)

    assert result.stderr.strip().splitlines()[-1].endswith(" WARNING perspective [-]: hello")


def test_log_format_is_json_or_plain():
    result = manage("check", **PRODUCTION, LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT must be json or plain" in result.stderr


def test_the_default_broker_url_names_a_host_so_kombu_does_not_warn(caplog):
    url = settings.ENVIRONMENT["CELERY_BROKER_URL"].default

    Connection(url).info()

    assert url.startswith("filesystem://")
    assert not [record for record in caplog.records if record.name == "kombu.connection"]


def test_every_variable_read_anywhere_is_declared_with_a_meaning():
    read_elsewhere = [ROOT / "deploy" / "gunicorn.conf.py", *ROOT.glob("apps/**/*.py")]
    names = {
        name
        for path in read_elsewhere
        for name in re.findall(r"os\.environ\.get\(\s*\"(\w+)\"", path.read_text())
    }

    assert names <= settings.ENVIRONMENT.keys()
    assert all(variable.meaning for variable in settings.ENVIRONMENT.values())
