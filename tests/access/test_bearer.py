"""A token is accepted under either scheme clients send, and a request without credentials is
told which to send."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(admin_user):
    return Token.objects.create(user=admin_user).key


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_a_token_works_under_either_scheme(token, scheme):
    response = APIClient().get("/operations", HTTP_AUTHORIZATION=f"{scheme} {token}")

    assert response.status_code == 200


@pytest.mark.parametrize("authorization", [None, "Basic Og==", "Digest x"])
def test_a_401_without_usable_credentials_names_the_scheme(authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = APIClient().get("/operations", **headers)

    assert response.status_code == 401
    assert "`Authorization: Token <key>`" in response.json()["message"]


def test_a_wrong_bearer_token_is_refused_as_a_wrong_token(token):
    response = APIClient().get("/operations", HTTP_AUTHORIZATION="Bearer nope")

    assert (response.status_code, response.json()) == (401, {"message": "Invalid token."})
    assert response["WWW-Authenticate"] == "Token"
