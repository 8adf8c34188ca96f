"""How fast POST /query answers, next to the same SQL run directly on the database.

    .venv/bin/python -m bench.query_api [INSTANCES] [--viewer] [--datasette]

Seeds INSTANCES (100,000 by default) instances into a new SQLite file in a temporary folder,
or into the database of DATABASE_URL (which should be new and empty), then for each of ten
queries prints the median time through POST /query as a superuser (Django's test client:
routing, authentication, request validation, translation, execution, JSON) and of its
translated SQL run directly with a cursor, their ratio, whether it meets the target (at most
1.3 x direct + 2 ms), and the cost of a translation cache hit (target: under 0.2 ms). With
--viewer, the same again as a viewer of one project, who sees only that project's rows.

With --datasette (SQLite only), it also serves the same file with Datasette and with
Perspective (gunicorn, its SQLite connection kept open as Datasette keeps its own), one worker
each, on loopback ports, and times each query over HTTP on both. Datasette and gunicorn are not
Perspective's development requirements; install them in a virtualenv of their own and run the
script from there:

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
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSPECTIVE_PORT, DATASETTE_PORT = 8711, 8712
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
QUERIES = [
    ("point lookup by id", "select * from instances where id = :id:", {"id": None}),
    ("shell listing, regexp", SHELL_LISTING, {"name": "^web-0012", "project": "%Region1"}),
    (
        "three-table join",
        "select i.name, p.name, f.name from instances i join projects p on p.id = i.project_id "
        "join flavors f on f.id = i.flavor_id where i.state = 'error' and f.vcpus >= 4",
        {},
    ),
    (
        "aggregate by state and project",
        "select p.name, i.state, count(*) from instances i join projects p "
        "on p.id = i.project_id group by p.name, i.state order by p.name, i.state",
        {},
    ),
    ("LIKE scan", "select id, name from instances where name like 'db-0001%'", {}),
    ("count", "select count(*) from instances", {}),
    (
        "metadata join",
        "select i.name from instances i join instance_metadata m on m.instance_id = i.id "
        "where m.key = 'team' and m.value = 'qa' order by i.name limit 100",
        {},
    ),
    (
        "latest changes",
        "select name, state, last_updated from instances order by last_updated desc limit 50",
        {},
    ),
    ("flavors", "select * from flavors order by vcpus, name", {}),
    ("1,000 rows", "select * from instances limit 1000", {}),
]


def seed(instances: int, env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "seed_inventory", "--instances", str(instances)], cwd=ROOT, env=env, check=True
    )


def instances_and_repeat(arguments: list[str], repeat: int = 9) -> tuple[int, int, list[str]]:
    """`[INSTANCES] [--repeat N]` from a command line (100,000 and `repeat` by default), and the
    other arguments."""
    arguments = list(arguments)
    if "--repeat" in arguments:
        at = arguments.index("--repeat")
        repeat = int(arguments[at + 1])
        del arguments[at : at + 2]
    numbers = [argument for argument in arguments if argument.isdigit()]
    others = [argument for argument in arguments if not argument.isdigit()]
    return int(numbers[0]) if numbers else 100_000, repeat, others


@contextmanager
def seeded_django(instances: int):
    """Seeds `instances` into a new var/ folder (or DATABASE_URL's database), then sets Django
    up in this process on it; yields the folder."""
    with tempfile.TemporaryDirectory() as var_dir:
        env = os.environ | {"DEBUG": "true", "PERSPECTIVE_VAR_DIR": var_dir}
        started = time.perf_counter()
        seed(instances, env)
        print(f"seeded {instances} instances in {time.perf_counter() - started:.0f} s")
        os.environ.update(env, DJANGO_SETTINGS_MODULE="perspective.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        yield var_dir


def medians_ms(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two functions, run by turns so that a busy machine slows both alike."""
    first(), second()  # warm: caches, the database's pages
    timings = ([], [])
    for _ in range(repeat):
        for function, times in zip((first, second), timings, strict=True):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
    return statistics.median(timings[0]) * 1000, statistics.median(timings[1]) * 1000


def measure(client, connection, compile_sql, name, sql, values, repeat, projects=None):
    """`projects`: the value bound to the visible projects (None: unrestricted)."""
    from django.conf import settings

    from apps.query.restrict import PROJECTS

    parameters = [{"name": key, "value": value} for key, value in values.items()]
    body = json.dumps([{"sql": sql, "parameters": parameters}])

    def through_api():
        response = client.post("/query", body, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.content

    (result,) = json.loads(through_api())
    assert result["status"] == "success", result["message"]
    restricted = projects is not None
    (compiled,) = compile_sql(sql, connection.vendor, settings.QUERY_MAX_ROWS, restricted)
    translation = compiled.translation
    params = [projects if key == PROJECTS else values[key[1]] for key in translation.keys]

    def direct():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":  # LIKE as POST /query runs it, so plans match
                cursor.execute("PRAGMA case_sensitive_like = ON")
            cursor.execute(translation.sql, params)
            return cursor.fetchall()

    api, database = medians_ms(through_api, direct, repeat)
    ok = api <= 1.3 * database + 2
    print(
        f"| {name} | {result['count']} | {api:.2f} | {database:.2f} | {api / database:.2f} "
        f"| {'yes' if ok else 'NO'} |"
    )


def cache_hit_ms(compile_sql, vendor: str, max_rows: int) -> float:
    compile_sql(SHELL_LISTING, vendor, max_rows)
    runs = 10_000
    started = time.perf_counter()
    for _ in range(runs):
        compile_sql(SHELL_LISTING, vendor, max_rows)
    return (time.perf_counter() - started) / runs * 1000


def users(viewer: bool, project) -> list[tuple]:
    """(label, user, value bound to the visible projects) of each user to measure as."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from apps.inventory.access import Access
    from apps.inventory.models import Grant
    from apps.query.restrict import projects_parameter

    model = get_user_model()
    measured = [("superuser", model.objects.create_superuser("bench-superuser"), None)]
    if viewer:
        user = model.objects.create_user("bench-viewer")
        Grant.objects.create(user=user, project=project, role="viewer")
        projects = projects_parameter(Access(user).visible_project_ids, connection.vendor)
        measured.append((f"viewer of {project.name}", user, projects))
    return measured


def main(instances: int, datasette: bool, viewer: bool, repeat: int = 25) -> None:
    with seeded_django(instances) as var_dir:
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from apps.inventory.models import Instance
        from apps.query.engine import compile_sql

        settings.DEBUG = False  # no query log
        middle = Instance.objects.order_by("name")[instances // 2]
        QUERIES[0][2]["id"] = str(middle.id)
        client = Client(HTTP_HOST="localhost")
        measured = users(viewer, middle.project)
        for label, user, projects in measured:
            client.force_login(user)
            print(
                f"\n{connection.vendor}, {instances} instances, as {label}, "
                f"median of {repeat} runs by turns (ms)\n"
            )
            print("| query | rows | POST /query | direct | ratio | within 1.3x + 2 ms |")
            print("|---|---|---|---|---|---|")
            for name, sql, values in QUERIES:
                measure(client, connection, compile_sql, name, sql, values, repeat, projects)
        hit = cache_hit_ms(compile_sql, connection.vendor, settings.QUERY_MAX_ROWS)
        print(f"\ntranslation cache hit: {hit * 1000:.1f} µs (target under 200 µs)")
        if datasette:
            compare_with_datasette(var_dir, compile_sql, repeat, superuser=measured[0][1])


def compare_with_datasette(var_dir: str, compile_sql, repeat: int, superuser) -> None:
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=superuser).key

    database = Path(var_dir) / "perspective.sqlite3"
    print("\nover HTTP on loopback, median of", repeat, "runs (ms)\n")
    print("| query | POST /query (gunicorn) | Datasette | faster |")
    print("|---|---|---|---|")
    with serving_perspective(var_dir), serving_datasette(database, var_dir):
        for name, sql, values in QUERIES:
            (compiled,) = compile_sql(sql, "sqlite", settings.QUERY_MAX_ROWS)
            ours, theirs = medians_ms(
                partial(post_query, sql, values, token),
                partial(get_datasette, compiled.translation, values),
                repeat,
            )
            print(f"| {name} | {ours:.2f} | {theirs:.2f} | {'yes' if ours < theirs else 'NO'} |")


def post_query(sql: str, values: dict, token: str) -> dict:
    parameters = [{"name": key, "value": value} for key, value in values.items()]
    body = json.dumps([{"sql": sql, "parameters": parameters}]).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{PERSPECTIVE_PORT}/query",
        body,
        {"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request) as response:
        (result,) = json.loads(response.read())
    assert result["status"] == "success", result["message"]
    assert result["count"], "no rows: the superuser's token was not taken"
    return result


def get_datasette(translation, values: dict) -> dict:
    """The same translated SQL, its %s placeholders made Datasette's :p0, :p1..."""
    pieces = translation.sql.split("%s")
    sql = "".join(
        piece.replace("%%", "%") + (f":p{index}" if index < len(pieces) - 1 else "")
        for index, piece in enumerate(pieces)
    )
    params = {f"p{index}": values[key[1]] for index, key in enumerate(translation.keys)}
    query = urllib.parse.urlencode({"sql": sql, "_shape": "arrays", **params})
    with urllib.request.urlopen(
        f"http://127.0.0.1:{DATASETTE_PORT}/perspective.json?{query}"
    ) as response:
        result = json.loads(response.read())
    assert result.get("ok", True), result
    return result


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
    plugins.mkdir()
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
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    main(
        int(arguments[0]) if arguments else 100_000,
        datasette="--datasette" in sys.argv,
        viewer="--viewer" in sys.argv,
    )
