import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_creates_a_superuser_with_a_printed_password_that_works(capsys):
    call_command("ensure_admin")

    password = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert authenticate(username="admin", password=password).is_superuser


def test_says_how_to_get_a_new_password_when_a_superuser_exists(capsys, admin_user):
    call_command("ensure_admin")

    assert get_user_model().objects.count() == 1
    assert "manage.py ensure_admin --reset-password" in capsys.readouterr().out


def test_reset_password_gives_the_superuser_a_new_printed_password(capsys, admin_user):
    call_command("ensure_admin", "--reset-password")

    password = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert authenticate(username=admin_user.username, password=password) == admin_user


def test_prints_a_token_that_authenticates(capsys, admin_user, anonymous):
    call_command("ensure_admin")
    token = re.search(r"API token of admin: (\S+)", capsys.readouterr().out).group(1)

    response = anonymous.get("/operations", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200


def test_prints_the_port_it_runs_on_in_a_frame(capsys, admin_user, monkeypatch):
    monkeypatch.setenv("PORT", "8301")
    call_command("ensure_admin")

    lines = capsys.readouterr().out.splitlines()
    assert "http://127.0.0.1:8301/operations" in "\n".join(lines)
    assert lines[0].startswith("+--") and lines[-1] == lines[0]
    assert all(line.startswith("| ") and len(line) == len(lines[0]) for line in lines[1:-1])
