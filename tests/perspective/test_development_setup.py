"""The development setup: `make dev-env` and manage.py without settings."""

import os
import subprocess
import sys

from django.conf import settings


def test_make_dev_env_writes_debug_and_a_generated_secret_key_once(tmp_path):
    make = ["make", "--no-print-directory", "-C", str(tmp_path), "-f"]
    make.append(str(settings.BASE_DIR / "Makefile"))
    subprocess.run([*make, "dev-env"], check=True, capture_output=True)
    first = (tmp_path / ".env").read_text()
    subprocess.run([*make, "dev-env"], check=True, capture_output=True)

    values = dict(line.split("=", 1) for line in first.splitlines() if "=" in line)
    assert values["DEBUG"] == "true"
    assert len(values["SECRET_KEY"]) >= 50
    assert (tmp_path / ".env").read_text() == first


def test_manage_py_without_a_secret_key_says_what_to_set_in_one_line():
    # Set but empty: manage.py's .env does not override what the environment says.
    env = {**os.environ, "SECRET_KEY": "", "DEBUG": "false"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Not configured: SECRET_KEY must be set when DEBUG is off (for development, "
        "`make dev-env` writes a .env with DEBUG=true and a generated SECRET_KEY)"
    ]
