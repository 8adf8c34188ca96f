"""Errors in one line with exit codes a script can rely on: 401 says how to log in, 403 what is
not permitted, 429 is waited out (and said), an unreachable server is named."""

import json
import socket

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

from apps.inventory.models import Instance
from tests.clients import granted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1),
]


def test_a_refused_token_says_how_to_log_in(cli, live_server, fleet):
    ran = cli("tables", PERSPECTIVE_TOKEN="not-a-token")

    assert ran.exit_code == 3
    assert ran.stderr == (
        f"Error: {live_server.url} refused the token (Invalid token.): log in again with "
        f"`perspective login {live_server.url}` or set PERSPECTIVE_TOKEN\n"
    )
    assert "Traceback" not in ran.stderr


def test_not_logged_in(cli):
    ran = cli("tables", PERSPECTIVE_URL=None, PERSPECTIVE_TOKEN=None)

    assert ran.exit_code == 3
    assert ran.stderr == (
        "Error: Not logged in: run `perspective login URL` "
        "(or set PERSPECTIVE_URL and PERSPECTIVE_TOKEN)\n"
    )


def test_an_unreachable_server_is_named(cli):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}"

    ran = cli("query", "select 1", PERSPECTIVE_URL=url)

    assert ran.exit_code == 4
    assert ran.stderr.startswith(f"Error: Cannot reach the server at {url}: ")
    assert "Connection refused" in ran.stderr
    assert len(ran.stderr.splitlines()) == 1


def test_not_permitted_is_exit_3(cli, fleet):
    viewer = granted("viewer", viewer=fleet.projects.get(region="RegionOne"))
    web_1 = Instance.objects.get(name="web-1")

    ran = cli("reboot", str(web_1.id), PERSPECTIVE_TOKEN=Token.objects.create(user=viewer).key)

    assert ran.exit_code == 3
    assert ran.stderr == (
        "Error: Not permitted: Your grants let you view, not act: an operator role is needed\n"
    )


def test_what_the_server_calls_malformed_is_exit_2_and_unknown_ids_exit_1(cli, fleet):
    malformed = cli("reboot", "")
    unknown = cli("reboot", "00000000-0000-4000-8000-000000000000")

    assert malformed.exit_code == 2
    assert malformed.stderr.startswith("Error: Ids are non-empty strings")
    assert unknown.exit_code == 1
    assert unknown.stderr == (
        "Error: Instance 00000000-0000-4000-8000-000000000000 does not exist; nothing was queued\n"
    )


@pytest.fixture
def one_query_a_second(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"query": "1/s", "actions": "1/s"})
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("one_query_a_second")
def test_429_waits_as_retry_after_asks_and_says_so(cli, fleet, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("name: x\nproject: sim_RegionOne\nflavor: m1.tiny\nimage: cirros-0.6.2\n")

    # Two queries at once: the projects, then the flavor and image in them.
    ran = cli("launch", "-f", str(spec), "--dry-run")

    assert ran.exit_code == 0
    assert json.loads(ran.stdout)[0]["name"] == "x"
    assert "is rate limiting requests (429): waiting 1 s, as its Retry-After asks" in ran.stderr
