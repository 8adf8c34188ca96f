"""GET /metrics: what Prometheus reads after requests, queries, syncs and batch actions, and
who may read it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from apps.service.metrics.processes import on_starting
from perspective.celery import app
from tests.operations.helpers import instances

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
QUEUES = ("actions", "default", "sync")


def scrape(client, **headers) -> dict:
    """{(sample name, frozenset of labels): value} of one scrape."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    """A sample's value; 0 for a series not exposed (yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.simulator(servers=0, projects=1)
def test_sync_runs_are_counted_by_cloud_kind_and_outcome_with_their_duration(
    client,
    cloud,
    sync,
):
    succeeded = sync("catalog")
    cloud.password = "wrong"
    cloud.save()
    failed = sync("catalog")

    samples = scrape(client)

    catalog = {"cloud": "sim", "kind": "catalog"}
    assert (succeeded.status, failed.status) == ("succeeded", "failed")
    assert value(samples, "perspective_sync_runs_total", **catalog, outcome="succeeded") == 1
    assert value(samples, "perspective_sync_runs_total", **catalog, outcome="failed") == 1
    duration = "perspective_sync_duration_seconds"
    for run in (succeeded, failed):
        assert value(samples, f"{duration}_count", **catalog, outcome=run.status) == 1
        assert value(samples, f"{duration}_sum", **catalog, outcome=run.status) == pytest.approx(
            run.duration.total_seconds(),
            abs=0.002,  # SQLite's date functions count milliseconds
        )
    assert value(
        samples, "perspective_sync_last_success_timestamp_seconds", **catalog
    ) == pytest.approx(succeeded.finished_at.timestamp())


@pytest.mark.simulator(servers=0, projects=1)
def test_action_items_are_counted_by_operation_and_outcome(client, act, synced):
    found = [*instances(2, "launched"), *instances(1, "shutoff")]  # rebooting shutoff: skipped
    reboot = {"operation": "rebootInstance"}

    response, work = act("put", "/instances/reboot", [str(instance.id) for instance in found])
    queued = scrape(client)
    work()
    done = scrape(client)

    assert response.status_code == 200
    assert value(queued, "perspective_action_items_unfinished", **reboot, status="queued") == 2
    assert value(queued, "perspective_action_items_total", **reboot, outcome="skipped") == 1
    assert value(done, "perspective_action_items_unfinished", **reboot, status="queued") == 0
    assert value(done, "perspective_action_items_total", **reboot, outcome="succeeded") == 2
    assert value(done, "perspective_action_items_total", **reboot, outcome="skipped") == 1


def test_requests_are_counted_and_timed_by_url_pattern_method_and_status(client, api):
    missing = uuid.uuid4()
    before = scrape(client)

    api.get("/operations")
    api.get(f"/instances/{missing}")
    client.get("/ping")
    client.get(f"/no/such/{missing}")
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "perspective_http_requests_total"
    assert delta(requests, view="operations", method="GET", status="200") == 1
    assert delta(requests, view="instance-detail", method="GET", status="404") == 1
    assert delta(requests, view="ping", method="GET", status="200") == 1
    assert delta(requests, view="unmatched", method="GET", status="404") == 1
    latency = "perspective_http_request_duration_seconds"
    assert delta(f"{latency}_count", view="operations", method="GET") == 1
    assert delta(f"{latency}_sum", view="operations", method="GET") > 0
    assert not any(str(missing) in str(labels) for _, labels in after)


def test_query_durations_and_result_statuses_are_recorded(client, api):
    before = scrape(client)

    response = api.post(
        "/query",
        [{"sql": "select 1; select nothing()"}, {"sql": "select :x:"}, {"sql": "delete"}],
        format="json",
    )
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    statuses = [result["status"] for result in response.json()]
    assert statuses == ["success", "evaluation_error", "missing_parameters", "syntax_error"]
    for status in set(statuses):
        assert delta("perspective_query_results_total", status=status) == 1
    assert delta("perspective_query_duration_seconds_count") == 1
    assert delta("perspective_query_duration_seconds_sum") > 0


def switch_broker(url: str, options: dict):
    """Points the Celery app at another broker; returns the settings to put back."""
    saved = {name: app.conf[name] for name in ("broker_url", "broker_transport_options")}
    app.conf.update(broker_url=url, broker_transport_options=options)
    return saved


def purge_queues() -> None:
    with app.connection_for_write() as connection:
        for queue in QUEUES:
            connection.default_channel.queue_purge(queue)


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("CELERY_BROKER_URL is not a Redis URL (run the suite with Redis to test it)")
    return url


@pytest.fixture(params=["memory", "filesystem", "redis"])
def broker(request, tmp_path):
    """The Celery app pointed at an empty broker of each kind, put back afterwards."""
    if request.param == "memory":
        url, options = "memory://", {}
    elif request.param == "filesystem":
        url, options = "filesystem://", {"data_folder_in": str(tmp_path)}
        options["data_folder_out"] = str(tmp_path)
    else:
        url, options = redis_url(), {}
    saved = switch_broker(url, options)
    try:
        purge_queues()
        yield request.param
        purge_queues()
    finally:
        app.conf.update(saved)


def test_queue_depth_counts_the_messages_waiting_in_each_queue(client, broker):
    with app.connection_for_write() as connection:  # a task for the actions queue, no worker
        app.send_task("apps.operations.tasks.sweep", connection=connection)

    samples = scrape(client)

    depths = {queue: value(samples, "perspective_queue_depth", queue=queue) for queue in QUEUES}
    assert depths == {"actions": 1, "default": 0, "sync": 0}


def test_requests_of_every_worker_process_are_added_up(client, tmp_path, monkeypatch):
    """As under gunicorn: two processes count requests into PROMETHEUS_MULTIPROC_DIR, and
    /metrics of a third adds them up."""
    worker = (
        "import django; django.setup();from django.test import Client; Client().get('/version')"
    )
    environment = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], cwd=ROOT, env=environment, check=True)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    samples = scrape(client)

    labels = {"view": "version", "method": "GET", "status": "200"}
    assert value(samples, "perspective_http_requests_total", **labels) == 2
    assert ("perspective_queue_depth", frozenset({("queue", "sync")})) in samples  # and the rest


def test_gunicorns_start_hook_clears_the_counts_of_a_previous_run(tmp_path, monkeypatch):
    stale = tmp_path / "counter_1234.db"
    stale.write_bytes(b"")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    on_starting(server=None)

    assert not stale.exists()


def test_other_addresses_are_told_there_is_nothing(client):
    response = client.get("/metrics", REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 404
    assert response.json() == {"message": "Nothing at /metrics"}


def test_allowed_networks_may_read_the_metrics(client, settings):
    settings.METRICS_ALLOWED_IPS = ["192.0.2.0/24"]

    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_with_a_token_only_its_bearer_may_read_the_metrics(client, settings):
    settings.METRICS_TOKEN = "scraper-secret"

    missing = client.get("/metrics")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed")
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scraper-secret")

    assert missing.status_code == wrong.status_code == 401
    assert wrong.json() == {"message": "A valid bearer token is required"}
    assert wrong["WWW-Authenticate"].startswith("Bearer")
    assert right.status_code == 200
    assert b"perspective_queue_depth" in right.content


def test_a_request_relayed_by_a_proxy_needs_the_token(client, settings):
    relayed = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}

    assert client.get("/metrics", **relayed).status_code == 404
    settings.METRICS_TOKEN = "scraper-secret"
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer scraper-secret", **relayed).status_code
        == 200
    )


def test_metrics_are_served_over_plain_http_when_other_paths_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/version").status_code == 301
    assert client.get("/metrics").status_code == 200
