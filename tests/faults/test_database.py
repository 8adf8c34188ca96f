"""The database goes away in the middle of a batch (its proxy is killed) and comes back: the web
process answers 503 with a JSON message and Retry-After meanwhile, its health checks name the
database without saying where it is, and the workers carry the batch on once it is back."""

import time

import pytest

from .checks import assert_done_once
from .conftest import needs_real_servers

pytestmark = [*needs_real_servers(), pytest.mark.stack(servers=40, simulator=["--delay", "1"])]

DOWN_FOR = 4


def test_the_database_going_away_mid_batch(stack, report):
    action = stack.batch_under_way()

    stack.database_proxy.kill()
    down = time.monotonic()
    answers = {path: stack.http("GET", path) for path in ("/api/instances/", "/ping", "/live")}
    time.sleep(max(0.0, DOWN_FOR - (time.monotonic() - down)))
    stack.database_proxy.start()

    for path, response in answers.items():
        assert response.status_code == 503, (path, response.text)
        assert response.headers["Retry-After"] == "10"
        assert (
            "127.0.0.1" not in response.text and str(stack.database_proxy.port) not in response.text
        )
    assert answers["/api/instances/"].json() == {
        "message": "The database is unavailable; try again shortly"
    }
    assert answers["/ping"].json().get("failed") == {"database": "does not answer"}, answers[
        "/ping"
    ].text
    seconds = stack.settle(down)
    report(f"database away for {DOWN_FOR} s mid-batch", seconds, assert_done_once(stack, action))
    assert stack.http("GET", "/live").status_code == 200
