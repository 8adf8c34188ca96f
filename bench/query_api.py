"""How fast POST /query answers, next to the same SQL run directly on the database, and for a
restricted viewer next to a superuser.

    .venv/bin/python -m bench.query_api [INSTANCES] [--viewer] [--datasette] [--repeat N]
        [--var DIR]

Seeds INSTANCES (100,000 by default) instances into a new SQLite file in a temporary folder
(or in DIR, kept for the next run, which then does not seed again), or into the database of
DATABASE_URL (new and empty, or seeded by an earlier run with the same INSTANCES). Then, for
each query, as a superuser:
- the median time through POST /query (Django's test client: routing, authentication, request
  validation, translation, execution, JSON) and of its translated SQL run directly with a
  cursor, their ratio, and whether it meets the target (at most 1.3 x direct + 2 ms);
- with --viewer, the same query through POST /query as a viewer of one project (a quarter of
  the instances) by turns with the superuser, and whether the viewer is within 2 x the
  superuser + 10 ms.
Every table states the rows each query returned, and the benchmark stops when two ways of
running a query disagree on them. It ends with the cost of a translation cache hit (target:
under 0.2 ms).

With --datasette (SQLite only), it also serves the same file with Datasette and with
Perspective (gunicorn, its SQLite connection kept open as Datasette keeps its own), one worker
each, on loopback ports, and times each query over HTTP on both, checking that both return the
same number of rows. Datasette and gunicorn are not Perspective's development requirements;
install them in a virtualenv of their own and run the script from there:

    python3 -m venv /tmp/perspective-bench
    /tmp/perspective-bench/bin/pip install -r requirements/bench.txt
    /tmp/perspective-bench/bin/python -m bench.query_api --datasette
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.environment import load, print_environment

ROOT = Path(__file__).resolve().parents[1]
PERSPECTIVE_PORT, DATASETTE_PORT = 8711, 8712
# A query slower than this (first run) is timed fewer times: a cancelled one takes the whole
# time limit.
SLOW_MS = 500
SLOW_REPEAT = 3
# Datasette has no REGEXP; this gives it the one Django gives SQLite (re.search).
DATASETTE_REGEXP_PLUGIN = """
import re
from datasette import hookimpl

@hookimpl
def prepare_connection(conn):
    def regexp(pattern, value):
        return None if pattern is None or value is None else bool(re.search(pattern, str(value)))
    conn.create_function("regexp", 2, regexp, deterministic=True)
"""
SHELL_LISTING = """
    select instances.id, instances.real_id, instances.name, projects.id, projects.name,
           instances.cloud_id, instances.cloud_type, images.name, flavors.name,
           instances.addresses, instances.state, instances.last_updated
    from instances
    inner join projects on instances.project_id = projects.id
    left join flavors on instances.flavor_id = flavors.id
        and instances.project_id = flavors.project_id
    left join images on instances.image_id = images.id
    where instances.name regexp :name: and projects.name like :project:
    order by instances.name
"""


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    values: dict = field(default_factory=dict)


QUERIES = [
    Query("point lookup by id", "select * from instances where id = :id:", {"id": None}),
    Query("shell listing, regexp", SHELL_LISTING, {"name": "^web-0012", "project": "%Region1"}),
    Query(
        "three-table join",
        "select i.name, p.name, f.name from instances i join projects p on p.id = i.project_id "
        "join flavors f on f.id = i.flavor_id where i.state = 'error' and f.vcpus >= 4",
    ),
    Query(
        "aggregate by state and project",
        "select p.name, i.state, count(*) from instances i join projects p "
        "on p.id = i.project_id group by p.name, i.state order by p.name, i.state",
    ),
    Query("LIKE scan", "select id, name from instances where name like 'db-0001%'"),
    Query("count", "select count(*) from instances"),
    Query(
        "metadata join",
        "select i.name from instances i join instance_metadata m on m.instance_id = i.id "
        "where m.key = 'team' and m.value = 'qa' order by i.name limit 100",
    ),
    Query(
        "latest changes",
        "select name, state, last_updated from instances order by last_updated desc limit 50",
    ),
    Query("first page by name", "select id, name, state from instances order by name limit 100"),
    Query("flavors", "select * from flavors order by vcpus, name"),
    Query("1,000 rows", "select * from instances limit 1000"),
]


@dataclass(frozen=True)
class Answer:
    """What one way of running a query answered: its rows, or why it failed."""

    rows: int | None
    error: str = ""

    def __str__(self) -> str:
        return str(self.rows) if self.error == "" else f"failed: {self.error}"


def same_rows(name: str, answers: dict[str, Answer]) -> None:
    """Stops the benchmark when the ways of running `name` disagree on its rows."""
    if len({answer.rows for answer in answers.values()}) > 1:
        sys.exit(f"{name}: the rows differ: " + ", ".join(f"{k} {v}" for k, v in answers.items()))


def seed(instances: int, env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "seed_inventory", "--instances", str(instances)], cwd=ROOT, env=env, check=True
    )


def instances_and_repeat(arguments: list[str], repeat: int = 9) -> tuple[int, int, list[str]]:
    """`[INSTANCES] [--repeat N]` from a command line (100,000 and `repeat` by default), and the
    other arguments."""
    arguments = list(arguments)
    repeat = int(option(arguments, "--repeat") or repeat)
    numbers = [argument for argument in arguments if argument.isdigit()]
    others = [argument for argument in arguments if not argument.isdigit()]
    return int(numbers[0]) if numbers else 100_000, repeat, others


def option(arguments: list[str], name: str) -> str | None:
    """The value of `name VALUE` in `arguments`, which loses both; None when absent."""
    if name not in arguments:
        return None
    at = arguments.index(name)
    value = arguments[at + 1]
    del arguments[at : at + 2]
    return value


@contextmanager
def seeded_django(instances: int, var_dir: str | None = None):
    """Seeds `instances` into a new var/ folder (or `var_dir`, or DATABASE_URL's database)
    unless an earlier run seeded as many there, then sets Django up in this process on it;
    yields the folder."""
    with tempfile.TemporaryDirectory() as temporary:
        var_dir = var_dir or temporary
        env = os.environ | {"DEBUG": "true", "PERSPECTIVE_VAR_DIR": var_dir}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env, DJANGO_SETTINGS_MODULE="perspective.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from apps.inventory.models import Instance

        seeded = Instance.objects.count()
        if seeded == 0:
            started = time.perf_counter()
            seed(instances, env)
            print(f"seeded {instances} instances in {time.perf_counter() - started:.0f} s")
        elif seeded != instances:
            sys.exit(f"The database holds {seeded} instances, not {instances}: use a new one")
        print_environment()
        yield var_dir


def timed_ms(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def medians_ms(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two functions, run by turns so that a busy machine slows both alike;
    fewer turns when the first warm-up run is slow."""
    if max(timed_ms(first), timed_ms(second)) > SLOW_MS:  # warm: caches, the database's pages
        repeat = min(repeat, SLOW_REPEAT)
    timings = ([], [])
    for _ in range(repeat):
        for function, times in zip((first, second), timings, strict=True):
            times.append(timed_ms(function))
    return statistics.median(timings[0]), statistics.median(timings[1])


class Api:
    """POST /query as one user, through Django's test client."""

    def __init__(self, user):
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost")
        self.client.force_login(user)

    def run(self, query: Query) -> Answer:
        parameters = [{"name": key, "value": value} for key, value in query.values.items()]
        body = json.dumps([{"sql": query.sql, "parameters": parameters}])
        response = self.client.post("/query", body, content_type="application/json")
        assert response.status_code == 200, response.content
        (result,) = json.loads(response.content)
        if result["status"] != "success":
            return Answer(None, result["message"])
        return Answer(result["count"])


def direct(query: Query, connection, projects=None) -> tuple[str, list]:
    """The SQL POST /query runs for `query`, and its parameters; `projects`: the value bound to
    the visible projects (None: unrestricted)."""
    from django.conf import settings

    from apps.query.engine import compile_sql
    from apps.query.restrict import PROJECTS

    restricted = projects is not None
    (compiled,) = compile_sql(query.sql, connection.vendor, settings.QUERY_MAX_ROWS, restricted)
    translation = compiled.translation
    params = [projects if key == PROJECTS else query.values[key[1]] for key in translation.keys]
    return translation.sql, params


def run_direct(connection, sql: str, params: list) -> Answer:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # LIKE as POST /query runs it, so plans match
            cursor.execute("PRAGMA case_sensitive_like = ON")
        cursor.execute(sql, params)
        return Answer(len(cursor.fetchall()))


def api_and_direct(user, label: str, repeat: int, projects=None) -> None:
    from django.db import connection

    api = Api(user)
    print(f"\nPOST /query and the same SQL run directly, as {label}, median of {repeat} runs")
    print(f"by turns (ms); {load()}\n")
    print("| query | rows | POST /query | direct | ratio | within 1.3x + 2 ms |")
    print("|---|---|---|---|---|---|")
    for query in QUERIES:
        answers = {"POST /query": api.run(query)}
        if answers["POST /query"].error:
            print(f"| {query.name} | {answers['POST /query']} | | | | NO |")
            continue
        sql, params = direct(query, connection, projects)
        answers["direct"] = run_direct(connection, sql, params)
        same_rows(query.name, answers)
        through_api, database = medians_ms(
            partial(api.run, query), partial(run_direct, connection, sql, params), repeat
        )
        ok = through_api <= 1.3 * database + 2
        print(
            f"| {query.name} | {answers['direct'].rows} | {through_api:.2f} | {database:.2f} "
            f"| {through_api / database:.2f} | {'yes' if ok else 'NO'} |"
        )


def viewer_and_superuser(viewer, superuser, label: str, repeat: int) -> None:
    as_viewer, as_superuser = Api(viewer), Api(superuser)
    print(f"\nPOST /query as {label} and as a superuser, median of {repeat} runs by turns (ms);")
    print(f"{load()}\n")
    print("| query | viewer's rows | superuser's rows | viewer | superuser | ratio | 2x + 10 ms |")
    print("|---|---|---|---|---|---|---|")
    for query in QUERIES:
        viewer_answer, superuser_answer = as_viewer.run(query), as_superuser.run(query)
        viewer_ms, superuser_ms = medians_ms(
            partial(as_viewer.run, query), partial(as_superuser.run, query), repeat
        )
        ok = not viewer_answer.error and viewer_ms <= 2 * superuser_ms + 10
        print(
            f"| {query.name} | {viewer_answer} | {superuser_answer} | {viewer_ms:.2f} "
            f"| {superuser_ms:.2f} | {viewer_ms / superuser_ms:.2f} | {'yes' if ok else 'NO'} |"
        )


def cache_hit_ms(vendor: str, max_rows: int) -> float:
    from apps.query.engine import compile_sql

    compile_sql(SHELL_LISTING, vendor, max_rows)
    runs = 10_000
    started = time.perf_counter()
    for _ in range(runs):
        compile_sql(SHELL_LISTING, vendor, max_rows)
    return (time.perf_counter() - started) / runs * 1000


def users(project) -> tuple:
    """A superuser, a viewer of `project`, and the value bound to the viewer's projects."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from apps.inventory.access import Access
    from apps.inventory.models import Grant
    from apps.query.restrict import projects_parameter

    model = get_user_model()
    superuser, _ = model.objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    viewer, _ = model.objects.get_or_create(username="bench-viewer")
    Grant.objects.get_or_create(user=viewer, project=project, role="viewer")
    projects = projects_parameter(Access(viewer).visible_project_ids, connection.vendor)
    return superuser, viewer, projects


def main(instances: int, datasette: bool, viewer: bool, repeat: int, var_dir: str | None):
    with seeded_django(instances, var_dir) as var_dir:
        from django.conf import settings
        from django.db import connection

        from apps.inventory.models import Instance

        settings.DEBUG = False  # no query log
        middle = Instance.objects.order_by("name")[instances // 2]
        QUERIES[0].values["id"] = str(middle.id)
        superuser, restricted, projects = users(middle.project)
        print(f"{connection.vendor}, {instances} instances")
        api_and_direct(superuser, "a superuser", repeat)
        if viewer:
            label = f"a viewer of {middle.project.name}"
            api_and_direct(restricted, label, repeat, projects)
            viewer_and_superuser(restricted, superuser, label, repeat)
        hit = cache_hit_ms(connection.vendor, settings.QUERY_MAX_ROWS)
        print(f"\ntranslation cache hit: {hit * 1000:.1f} µs (target under 200 µs)")
        if datasette:
            compare_with_datasette(var_dir, repeat, superuser)
        print(f"\nat the end: {load()}")


def compare_with_datasette(var_dir: str, repeat: int, superuser) -> None:
    from django.db import connection
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=superuser)
    database = Path(var_dir) / "perspective.sqlite3"
    with serving_perspective(var_dir), serving_datasette(database, var_dir):
        print(f"\nPerspective on {served_sqlite_version()}, Datasette on {datasette_sqlite()}")
        print(f"over HTTP on loopback, median of {repeat} runs by turns (ms); {load()}\n")
        print("| query | rows | POST /query (gunicorn) | Datasette | faster |")
        print("|---|---|---|---|---|")
        for query in QUERIES:
            sql, params = direct(query, connection)
            ours = partial(post_query, query, token.key)
            theirs = partial(get_datasette, sql, params)
            same_rows(query.name, {"POST /query": ours(), "Datasette": theirs()})
            ours_ms, theirs_ms = medians_ms(ours, theirs, repeat)
            print(
                f"| {query.name} | {ours().rows} | {ours_ms:.2f} | {theirs_ms:.2f} "
                f"| {'yes' if ours_ms < theirs_ms else 'NO'} |"
            )


def post_query(query: Query, token: str) -> Answer:
    parameters = [{"name": key, "value": value} for key, value in query.values.items()]
    body = json.dumps([{"sql": query.sql, "parameters": parameters}]).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{PERSPECTIVE_PORT}/query",
        body,
        {"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request) as response:
        (result,) = json.loads(response.read())
    assert result["status"] == "success", result["message"]
    return Answer(result["count"])


def get_datasette(sql: str, params: list) -> Answer:
    """The same translated SQL, its %s placeholders made Datasette's :p0, :p1..."""
    pieces = sql.split("%s")
    sql = "".join(
        piece.replace("%%", "%") + (f":p{index}" if index < len(pieces) - 1 else "")
        for index, piece in enumerate(pieces)
    )
    named = {f"p{index}": value for index, value in enumerate(params)}
    query = urllib.parse.urlencode({"sql": sql, "_shape": "arrays", **named})
    with urllib.request.urlopen(
        f"http://127.0.0.1:{DATASETTE_PORT}/perspective.json?{query}"
    ) as response:
        result = json.loads(response.read())
    assert result.get("ok", True), result
    assert not result.get("truncated"), "Datasette cut the rows"
    return Answer(len(result["rows"]))


def served_sqlite_version() -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PERSPECTIVE_PORT}/version", headers={"Accept": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["database"]


def datasette_sqlite() -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{DATASETTE_PORT}/-/versions.json") as response:
        versions = json.loads(response.read())
    return f"SQLite {versions['sqlite']['version']} (Datasette {versions['datasette']['version']})"


@contextmanager
def serving_perspective(var_dir: str):
    env = os.environ | {
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PERSPECTIVE_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": var_dir,
    }
    # The project's settings keep PostgreSQL connections open but reopen SQLite's for every
    # request (about 1.5 ms); Datasette keeps its open, and so does Perspective here.
    (Path(var_dir) / "bench_settings.py").write_text(
        "from perspective.settings import *  # noqa: F403\n"
        'DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405\n'
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "perspective.wsgi",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{PERSPECTIVE_PORT}",
    ]
    with running(command, env, PERSPECTIVE_PORT, "/version"):
        yield


@contextmanager
def serving_datasette(database: Path, var_dir: str):
    plugins = Path(var_dir) / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "regexp.py").write_text(DATASETTE_REGEXP_PLUGIN)
    command = [
        str(Path(sys.executable).with_name("datasette")),
        "serve",
        str(database),
        "--port",
        str(DATASETTE_PORT),
        "--plugins-dir",
        str(plugins),
        "--setting",
        "sql_time_limit_ms",
        "10000",
        "--setting",
        "max_returned_rows",
        "10000",
    ]
    with running(command, os.environ, DATASETTE_PORT, "/-/versions.json"):
        yield


@contextmanager
def running(command: list[str], env: dict, port: int, ready_path: str):
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}{ready_path}")
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    var = option(arguments, "--var")
    instances, repeat, others = instances_and_repeat(arguments, repeat=25)
    main(instances, "--datasette" in others, "--viewer" in others, repeat, var)
