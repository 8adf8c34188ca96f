"""The driver's errors: what is worth retrying (Keystone's and the services' 5xx, connection
failures, 429) and how long the cloud asks to wait (Retry-After, in seconds or as a date)."""

from datetime import UTC, datetime

import pytest

from apps.clouds import drivers
from apps.clouds.drivers.base import AuthFailed, RateLimited, Unavailable
from apps.clouds.drivers.openstack import parse_retry_after

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=2, projects=1)]


@pytest.fixture
def driver(cloud):
    return drivers.for_cloud(cloud)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_keystone_failing_at_login_is_unavailable_with_its_retry_after(driver, simulator, status):
    # Version discovery passes (keystoneauth shrugs off its failures), the login fails.
    simulator.control.set_faults(
        services=["identity"], error_status=status, error_after=1, error_count=1, retry_after=7
    )

    with pytest.raises(Unavailable) as raised:
        driver.regions()

    assert str(raised.value).startswith(f"Keystone at {simulator.auth_url}: {status}: ")
    assert raised.value.retry_after == (7.0 if status == 503 else None)
    assert driver.regions() == ["RegionOne", "RegionTwo"]  # the next try logs in


def test_keystone_failing_when_a_token_is_renewed_is_unavailable(driver, simulator):
    list(driver.servers("RegionOne"))
    simulator.control.revoke_tokens()
    simulator.control.set_faults(services=["identity"], error_status=503, error_count=5)

    with pytest.raises(Unavailable, match=r"^503: "):
        list(driver.servers("RegionOne"))


def test_keystone_refusing_the_password_is_not_worth_retrying(driver, cloud):
    cloud.password = "wrong"

    with pytest.raises(AuthFailed):
        drivers.for_cloud(cloud).regions()


def test_a_service_answering_503_with_retry_after_says_how_long_to_wait(driver, simulator):
    list(driver.servers("RegionOne"))
    simulator.control.set_faults(
        services=["compute"], error_status=503, error_count=1, retry_after=7
    )

    with pytest.raises(Unavailable) as raised:
        list(driver.servers("RegionOne"))

    assert not isinstance(raised.value, RateLimited)
    assert raised.value.retry_after == 7.0


def test_a_service_that_closes_the_connection_is_unavailable(driver, simulator):
    list(driver.servers("RegionOne"))
    simulator.control.set_faults(down=["compute"], down_mode="close")

    with pytest.raises(Unavailable, match="Cannot reach the cloud"):
        list(driver.servers("RegionOne"))


NOW = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        ("Thu, 26 Nov 2026 10:01:30 GMT", 90.0),
        ("Thu, 26 Nov 2026 09:59:00 GMT", 0.0),  # a date passed: at once
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", 0.0),
        ("nan", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_as_an_http_date(header, seconds):
    assert parse_retry_after(header, now=NOW) == seconds


def test_a_version_document_that_cannot_be_read_fails_the_listing(driver, simulator):
    driver.regions()
    simulator.control.set_faults(services=["compute"], error_status=503, error_count=1)

    with pytest.raises(Unavailable):
        list(driver.servers("RegionOne"))

    servers = list(driver.servers("RegionOne"))  # with the microversion's fields
    assert servers
    assert all(server.fqdn for server in servers)
