"""How long a hostile POST /query holds a worker, and how much memory it takes.

    .venv/bin/python -m bench.hostile_query [--repeat N] [--only NAME]

Seeds 200 instances into a new SQLite file in a temporary folder, or into the database of
DATABASE_URL (new and empty, or seeded by an earlier run), then posts each hostile body below
as a superuser, each time in a new process, and prints per case the answer of its first
statement (status, rows, truncated or the message), the worst wall time over N runs (1 by
default) and the worst growth of the process's peak resident memory during the request
(Linux's VmHWM, reset before it). A case still running after TIMEOUT_S is stopped and shown as
such. The database server's own memory (PostgreSQL's) is not counted.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.environment import load
from bench.query_api import option, seeded_django

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = 200
TIMEOUT_S = 120
USERNAME = "hostile-bench"
ENDLESS = (
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) "
    "select count(*) from r"
)


def _doubled(steps: int, select: str = "char_length(s)", start: str = "ab") -> str:
    """A string doubled `steps` times from `start` by a recursive CTE."""
    return (
        f"with recursive r(s, n) as (select '{start}', 0 union all "
        f"select concat(s, s), n + 1 from r where n < {steps}) "
        f"select {select} from r where n = {steps}"
    )


def _one(sql: str, **values) -> list[dict]:
    parameters = [{"name": name, "value": value} for name, value in values.items()]
    return [{"sql": sql, "parameters": parameters}]


CASES = {
    "conv 10,000 hex digits to base 10": _one("select conv(:s:, 16, 10)", s="f" * 10_000),
    "conv 10,000 base-36 digits to base 2": _one("select conv(:s:, 36, 2)", s="z" * 10_000),
    "conv 300,000 binary digits to base 3": _one("select conv(:s:, 2, 3)", s="1" * 300_000),
    "format('%d', '1e600000')": _one("select format('%d', '1e600000')"),
    "format('%x', '1e600000')": _one("select format('%x', '1e600000')"),
    "format('%f', '1e600000')": _one("select format('%f', '1e600000')"),
    "format('%.300000000f', 1)": _one("select format('%.300000000f', 1)"),
    "format('%0300000000d', 1)": _one("select format('%0300000000d', 1)"),
    "format('%-300000000s', 'x')": _one("select format('%-300000000s', 'x')"),
    "format() of a 1,000,000-character template": _one("select format(:s:)", s="%%" * 500_000),
    "10,000 rows of format('%010000d', n)": _one(
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 10000) "
        "select format('%010000d', n) from r"
    ),
    "concat(s, s) doubled to 512 MB, its length": _one(_doubled(28)),
    "concat(s, s) doubled to 32 MB, returned": _one(_doubled(24, "s")),
    "concat(s, s, s, s) to 256 MB, its length": _one(
        "with recursive r(s, n) as (select 'abcd', 0 union all "
        "select concat(s, s, s, s), n + 1 from r where n < 13) select char_length(s) from r "
        "where n = 13"
    ),
    "replace(8,000 a, 'a', 8,000 a)": _one(
        "select char_length(replace(:s:, 'a', :s:))", s="a" * 8000
    ),
    "lower() of 8 MB": _one(_doubled(22, "char_length(lower(s))")),
    "upper() of 8 MB": _one(_doubled(22, "char_length(upper(s))")),
    "lower() of 4 MB": _one(_doubled(21, "char_length(lower(s))")),
    "upper() of 2 M letters outside ASCII": _one(
        _doubled(20, "char_length(upper(s))", start="\u00e9\u00df")
    ),
    "crc32() of 1 MB": _one(_doubled(19, "crc32(s)")),
    "base64() of 8 MB": _one(_doubled(22, "char_length(base64(s))")),
    "reverse() of 8 MB": _one(_doubled(22, "char_length(reverse(s))")),
    "runaway regexp on 40 letters": _one("select :s: regexp '^(a|aa)+$'", s="a" * 40 + "!"),
    "an endless recursive CTE, sorted": _one(
        ENDLESS.replace("select count(*) from r", "select n from r order by n desc limit 1")
    ),
    "four endless statements in one sql": _one("; ".join([ENDLESS] * 4)),
    "four endless requests in one body": [{"sql": ENDLESS}] * 4,
}


def main(arguments: list[str]) -> None:
    repeat = int(option(arguments, "--repeat") or 1)
    only = option(arguments, "--only")
    with seeded_django(INSTANCES) as var_dir:
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username=USERNAME).exists() or (
            get_user_model().objects.create_superuser(USERNAME, password="unused-password")
        )
        print("| case | answer | worst time | worst peak memory growth |")
        print("|---|---|---|---|")
        for name in CASES:
            if only and only not in name:
                continue
            runs = [_measure(name, var_dir) for _ in range(repeat)]
            seconds = max(run["seconds"] for run in runs)
            growth = max(run["growth_mb"] for run in runs)
            print(f"| {name} | {runs[-1]['answer']} | {seconds:.2f} s | {growth:.0f} MB |")
    print(load())


def _measure(name: str, var_dir: str) -> dict:
    env = os.environ | {"PERSPECTIVE_VAR_DIR": var_dir}
    command = [sys.executable, "-m", "bench.hostile_query", "--case", name]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return {
            "answer": f"still running after {TIMEOUT_S} s, stopped",
            "seconds": TIMEOUT_S,
            "growth_mb": 0,
        }
    if done.returncode != 0:
        elapsed = time.perf_counter() - started
        return {
            "answer": f"process failed: {done.stderr.strip()[-200:]}",
            "seconds": elapsed,
            "growth_mb": 0,
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_case(name: str) -> None:
    """In a process of its own: posts the case's body once and prints what _measure reads."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")
    os.environ.setdefault("DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=USERNAME))
    post = lambda body: client.post("/query", json.dumps(body), content_type="application/json")  # noqa: E731
    post(_one("select count(*) from instances"))  # warm: connection, translation, views
    Path("/proc/self/clear_refs").write_text("5")  # the peak resident memory back to now
    before = _kilobytes("VmHWM")
    started = time.perf_counter()
    response = post(CASES[name])
    seconds = time.perf_counter() - started
    growth_mb = (_kilobytes("VmHWM") - before) / 1024
    print(json.dumps({"answer": _answer(response), "seconds": seconds, "growth_mb": growth_mb}))


def _answer(response) -> str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    results = json.loads(response.content)
    first = results[0]
    if first["status"] == "success":
        text = f"{first['count']} row(s)" + (", truncated" if first.get("truncated") else "")
    else:
        text = f"{first['status']}: {first['message'][:90]}"
    if len(results) > 1:
        text += f" (+{len(results) - 1} more: {', '.join(r['status'] for r in results[1:])})"
    return text.replace("|", "/")


def _kilobytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


if __name__ == "__main__":
    if "--case" in sys.argv:
        run_case(sys.argv[sys.argv.index("--case") + 1])
    else:
        main(sys.argv[1:])
