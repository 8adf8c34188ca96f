import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"query": "2/min", "actions": "1/min"}
    )
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("tight_rates")
def test_queries_over_the_rate_are_429_with_retry_after(api):
    body = [{"sql": "select 1"}]
    statuses = [api.post("/query", body, format="json").status_code for _ in range(2)]

    refused = api.post("/query", body, format="json")

    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["message"]


@pytest.mark.usefixtures("tight_rates")
def test_actions_have_their_own_rate(api):
    api.put("/instances/reboot", ["00000000-0000-0000-0000-000000000000"], format="json")

    refused = api.put("/instances/reboot", ["00000000-0000-0000-0000-000000000000"], format="json")

    assert refused.status_code == 429
    assert api.post("/query", [{"sql": "select 1"}], format="json").status_code == 200


@pytest.mark.usefixtures("tight_rates")
def test_query_rate_counts_statements_not_requests(api):
    """A body of many statements cost what one request did."""
    answered = api.post("/query", [{"sql": "select 1; select 2"}], format="json")

    assert answered.status_code == 200
    assert api.post("/query", [{"sql": "select 1"}], format="json").status_code == 429


@pytest.mark.usefixtures("tight_rates")
def test_a_body_of_more_statements_than_the_rate_is_answered_and_the_next_waits(api):
    answered = api.post(
        "/query", [{"sql": "select 1; select 2"}, {"sql": "select 3"}], format="json"
    )

    refused = api.post("/query", [{"sql": "select 1"}], format="json")

    assert answered.status_code == 200
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
