import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_creates_a_superuser_with_a_printed_password_that_works(capsys):
    call_command("ensure_admin")

    password = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert authenticate(username="admin", password=password).is_superuser


def test_does_nothing_when_a_superuser_exists(capsys, admin_user):
    call_command("ensure_admin")

    assert get_user_model().objects.count() == 1
    assert "exists already" in capsys.readouterr().out


def test_prints_a_token_that_authenticates(capsys, admin_user, anonymous):
    call_command("ensure_admin")
    token = re.search(r"API token of admin: (\S+)", capsys.readouterr().out).group(1)

    response = anonymous.get("/operations", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
