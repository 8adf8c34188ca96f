"""The production deployment, for real: the operator's deploy steps as commands (migrate,
create_query_role, collectstatic, import_clouds, grant), then gunicorn with
deploy/gunicorn.conf.py, a Celery worker on the sync and actions queues and Celery beat, all
with the production settings (DEBUG off, JSON logs), on a PostgreSQL database the test creates
and drops, and Redis. Beat has the cloud synced, a batch action goes through gunicorn to the
worker, and the logs of both carry the request's id and no secret.

PostgreSQL and Redis are the suite's own when it runs on them; on SQLite the test uses the usual
local servers (postgres@127.0.0.1:5432, Redis database 15 on 127.0.0.1:6379) and skips when
they do not answer."""

import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import environ
import psycopg
import pytest
import redis
import requests
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from kombu import Connection
from psycopg import sql

from openstack_simulator.clouds_yaml import write_clouds_yaml
from openstack_simulator.testing import running_simulator
from perspective.celery import app
from tests.processes import free_port, kill, postgres_url, start, wait_for

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
# Another Redis database when several checkouts run the suite side by side.
LOCAL_REDIS = os.environ.get("DEPLOYMENT_TEST_REDIS", "redis://127.0.0.1:6379/15")
QUEUES = ("sync", "actions")
HOST = "perspective.example.org"
SERVERS = 4
# Long enough for a slow, busy machine; a bounded wait fails with the processes' logs.
STARTUP_SECONDS = 60
WORK_SECONDS = 90


def postgres_server() -> dict:
    if connection.vendor == "postgresql":
        return connection.settings_dict
    return environ.Env.db_url_config(LOCAL_POSTGRES)


def redis_url() -> str:
    broker = settings.CELERY_BROKER_URL
    return broker if broker.startswith("redis://") else LOCAL_REDIS


@pytest.fixture(scope="module")
def database_url():
    """A new PostgreSQL database, owned by a new user as in production: not a superuser, but
    allowed to create roles (for create_query_role). Both are dropped at the end."""
    server = postgres_server()
    name = f"perspective_deployment_{uuid.uuid4().hex[:8]}"
    password = secrets.token_urlsafe(16)
    try:
        admin = psycopg.connect(
            postgres_url(server, "postgres"), autocommit=True, connect_timeout=3
        )
    except psycopg.Error as exc:
        pytest.skip(f"needs PostgreSQL: {postgres_url(server)} does not answer: {exc}")
    with admin:
        create_user = sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}")
        admin.execute(create_user.format(sql.Identifier(name), password))
        admin.execute(sql.SQL("CREATE DATABASE {0} OWNER {0}").format(sql.Identifier(name)))
        owner = {**server, "USER": name, "PASSWORD": password}
        yield postgres_url(owner, name)
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def broker_url():
    """Redis, with nothing left in Perspective's queues before and after."""
    url = redis_url()
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis: {url} does not answer: {exc}")

    def purge():
        with Connection(url) as broker:
            for queue in QUEUES:
                broker.default_channel.queue_purge(queue)

    purge()
    yield url
    purge()


@pytest.fixture(scope="module")
def cloud():
    """The simulator, served from this process; the deployment reaches it over HTTP."""
    options = {"servers": 0, "projects": 1, "regions": ("RegionOne",)}
    with running_simulator(**options, password=f"pw-{secrets.token_hex(8)}") as simulator:
        simulator.control.create_servers(SERVERS)
        yield simulator


class Deployment:
    """Perspective installed as the operator's guide says, in `folder`, with its processes."""

    def __init__(self, folder: Path, database: str, broker: str):
        self.folder = folder
        self.port = free_port()
        self.stream_port = free_port()
        self.static_root = folder / "static"
        self.env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "perspective.settings",
            # Said, not left unset: manage.py would take the checkout's development .env's.
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "CREDENTIAL_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": database,
            "CELERY_BROKER_URL": broker,
            "CACHE_URL": broker,
            "ALLOWED_HOSTS": HOST,
            "STATIC_ROOT": str(self.static_root),
            "PERSPECTIVE_VAR_DIR": str(folder / "var"),
            "WEB_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            # Beat looks for due syncs every second, the worker follows actions every 0.2 s.
            "SYNC_SCHEDULE_SECONDS": "1",
            "ACTIONS_POLL_SECONDS": "0.2",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.token = ""

    def manage(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
        )
        assert done.returncode == 0, f"manage.py {' '.join(arguments)}:\n{done.stderr}"
        return done.stdout

    def start(self, name: str, arguments: list[str], **env: str) -> None:
        command, log = [sys.executable, *arguments], self.log(name)
        self.processes[name] = start(command, self.env | env, settings.BASE_DIR, log)

    def stop(self) -> None:
        for process in self.processes.values():
            kill(process)

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def records(self, name: str) -> list[dict]:
        """The JSON lines of a process's log."""
        lines = self.log(name).read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def wait(self, check, timeout: float, what: str) -> None:
        """Waits, or fails with the end of every process's log."""
        try:
            wait_for(check, timeout, what)
        except AssertionError as failure:
            tails = {name: self.log(name).read_text()[-3000:] for name in self.processes}
            shown = "\n".join(f"--- {name} ---\n{tail}" for name, tail in tails.items())
            raise AssertionError(f"{failure}\n{shown}") from None

    def http(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request as the reverse proxy in front of gunicorn passes it on."""
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        headers.update(kwargs.pop("headers", {}))
        url = f"http://127.0.0.1:{self.port}{path}"
        return requests.request(method, url, headers=headers, timeout=10, **kwargs)

    def stream(self, **params) -> list[dict]:
        """The events of GET /events/stream on the stream's process (uvicorn), opened with a
        ticket from the web's POST /events/tickets, until the stream closes."""
        ticket = self.http("POST", "/events/tickets").json()["ticket"]
        url = f"http://127.0.0.1:{self.stream_port}/events/stream"
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        params = {**params, "ticket": ticket}
        with requests.get(url, params=params, headers=headers, stream=True, timeout=30) as response:
            assert response.status_code == 200, response.text
            assert response.headers["Content-Type"] == "text/event-stream"
            lines = response.iter_lines(decode_unicode=True)
            return [
                json.loads(line.removeprefix("data: "))
                for line in lines
                if line.startswith("data: ")
            ]

    def answers(self) -> bool:
        try:
            return self.http("GET", "/ping").status_code == 200
        except requests.ConnectionError:
            return False

    def query(self, sql: str) -> list[list]:
        response = self.http("POST", "/query", json=[{"sql": sql}])
        assert response.status_code == 200, response.text
        result = response.json()[0]
        assert result["status"] == "success", result
        return [row["value"] for row in result["data"]["row"]]


# The commands of deploy/systemd/*.service, but for one pool process in the worker: the due syncs
# of a new cloud then run one after the other, instead of all but one being skipped at once.
WEB = ["-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "perspective.wsgi"]
WORKER = ["-m", "celery", "-A", "perspective", "--quiet", "worker", "--queues", ",".join(QUEUES)]
WORKER += ["--without-mingle", "--without-gossip", "--loglevel", "INFO", "--concurrency", "1"]
BEAT = ["-m", "celery", "-A", "perspective", "--quiet", "beat", "--loglevel", "INFO"]
STREAM = ["-m", "uvicorn", "perspective.asgi:application", "--host", "127.0.0.1", "--port"]
STREAM_OPTIONS = ["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", "--no-access-log"]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, database_url, broker_url, cloud):
    """The deploy steps, then gunicorn, a worker and beat; every process killed at the end."""
    folder = tmp_path_factory.mktemp("deployment")
    deployment = Deployment(folder, database_url, broker_url)
    deployment.manage("check", "--deploy", "--fail-level", "WARNING")
    deployment.manage("migrate", "--noinput")
    deployment.manage("create_query_role")
    deployment.manage("collectstatic", "--noinput")
    clouds_yaml = folder / "clouds.yaml"
    write_clouds_yaml(clouds_yaml, cloud.simulator)
    deployment.manage("import_clouds", str(clouds_yaml))
    granted = deployment.manage("grant", "deployer", "operator", "--cloud", "simulator", "--create")
    deployment.token = re.search(r"API token of deployer: (\w+)", granted)[1]
    try:
        deployment.start("web", WEB, PROMETHEUS_MULTIPROC_DIR=str(folder / "prometheus"))
        deployment.start("worker", WORKER)
        deployment.start("beat", BEAT)
        deployment.start("stream", [*STREAM, str(deployment.stream_port), *STREAM_OPTIONS])
        deployment.wait(deployment.answers, STARTUP_SECONDS, "gunicorn to answer /ping")
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture(scope="module")
def synced(deployment):
    """Waits for beat and the worker to list the cloud's instances."""

    def listed() -> bool:
        return deployment.query("select count(*) from instances") == [[SERVERS]]

    deployment.wait(listed, WORK_SECONDS, f"beat's sync to list {SERVERS} instances")
    return deployment


@pytest.fixture(scope="module")
def rebooted(synced):
    """A reboot of every instance through gunicorn, carried out by the worker: its request
    id and action id."""
    ids = [row[0] for row in synced.query("select id from instances")]
    request_id = f"deployment-test-{uuid.uuid4().hex}"
    response = synced.http(
        "PUT", "/instances/reboot", json=ids, headers={"X-Request-ID": request_id}
    )
    assert response.status_code == 200, response.text
    assert response.headers["X-Request-ID"] == request_id
    action_id = response.json()["actionId"]

    def counts() -> dict:
        return synced.http("GET", f"/actions/{action_id}").json()["counts"]

    synced.wait(
        lambda: "succeeded" in counts() and len(counts()) == 1,
        WORK_SECONDS,
        f"the worker to reboot the {SERVERS} instances",
    )
    assert counts() == {"succeeded": SERVERS}
    return request_id, action_id


def test_every_task_goes_to_a_queue_the_worker_consumes():
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    queues = {name: app.amqp.router.route({}, name)["queue"].name for name in ours}
    assert set(queues.values()) <= set(QUEUES), queues
    assert "apps.clouds.tasks.sync_cloud" in queues
    assert "apps.operations.tasks.run_items" in queues


def test_ping_answers_a_load_balancer_whatever_the_host(deployment):
    response = deployment.http("GET", "/ping", headers={"Host": "10.0.0.7:8000"})
    other = deployment.http("GET", "/version", headers={"Host": "10.0.0.7:8000"})

    assert response.status_code == 200
    assert response.json() == {"message": "ok"}
    assert other.status_code == 400


def test_static_files_are_served_after_collectstatic(deployment):
    manifest = json.loads((deployment.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]

    response = deployment.http("GET", f"/static/{hashed}")

    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.content == (deployment.static_root / hashed).read_bytes()


def test_beat_has_the_worker_sync_the_cloud(synced):
    assert synced.query("select count(*) from instances") == [[SERVERS]]


def test_queries_run_as_the_query_role(synced):
    # What /query checks before it switches to the role (apps/query/execute.py).
    with psycopg.connect(synced.env["DATABASE_URL"]) as database:
        member, reads = database.execute(
            "SELECT pg_has_role(current_user, 'perspective_query', 'MEMBER'),"
            " has_table_privilege('perspective_query', 'query_instances', 'SELECT')"
        ).fetchone()
    assert (member, reads) == (True, True)


def test_the_web_and_the_worker_log_the_action_with_its_request_id(rebooted, deployment):
    request_id, _ = rebooted

    def worker_lines():
        return [r for r in deployment.records("worker") if r.get("request_id") == request_id]

    deployment.wait(worker_lines, STARTUP_SECONDS, "the worker's log lines of the action")
    web = [r for r in deployment.records("web") if r.get("request_id") == request_id]
    access = [(r["method"], r["path"]) for r in web if r["logger"] == "gunicorn.access"]
    assert access == [("PUT", "/instances/reboot")]
    assert {r["task_name"] for r in worker_lines()} >= {"apps.operations.tasks.run_items"}
    assert all(r["task_id"] for r in worker_lines())


def test_the_web_log_is_json_lines(rebooted, deployment):
    lines = deployment.log("web").read_text().splitlines()
    assert lines
    assert all(line.startswith("{") for line in lines), lines


def test_no_secret_in_any_log(rebooted, deployment, cloud):
    logs = "\n".join(deployment.log(name).read_text() for name in deployment.processes)
    env = deployment.env
    database_password = urlsplit(env["DATABASE_URL"]).password
    for secret in (
        deployment.token,
        cloud.password,
        database_password,
        env["SECRET_KEY"],
        env["CREDENTIAL_KEYS"],
    ):
        assert secret not in logs


def test_metrics_count_the_requests_of_the_gunicorn_workers(rebooted, deployment):
    response = deployment.http("GET", "/metrics")

    assert response.status_code == 200
    assert 'view="instances-reboot"' in response.text
    assert list((deployment.folder / "prometheus").glob("*.db"))


def test_the_stream_process_follows_the_action_to_its_end(rebooted, deployment):
    _, action_id = rebooted

    events = deployment.stream(action=action_id)

    statuses = [e["newValue"] for e in events if e["kind"] == "action_item"]
    assert statuses.count("queued") == statuses.count("succeeded") == SERVERS
    assert {e["actionId"] for e in events} == {action_id}
