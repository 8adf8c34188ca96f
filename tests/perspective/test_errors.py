import pytest

pytestmark = pytest.mark.django_db


def test_unknown_path_is_a_json_404(client):
    response = client.get("/no/such/thing")

    assert response.status_code == 404
    assert response.json() == {"message": "Nothing at /no/such/thing"}


def test_wrong_method_is_405_with_a_message(api):
    response = api.post("/ping", {}, format="json")

    assert response.status_code == 405
    assert response.json() == {"message": 'Method "POST" not allowed.'}


def test_unacceptable_accept_header_is_406_with_a_message(api):
    response = api.get("/operations", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert "message" in response.json()
