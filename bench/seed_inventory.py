"""How long `seed_inventory --instances N` takes on a fresh database.

    .venv/bin/python -m bench.seed_inventory [N]

Uses a new SQLite file in a temporary folder unless DATABASE_URL is set (then that database,
which should be empty). Prints the seconds and the rate.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import load, without_debug

ROOT = Path(__file__).resolve().parents[1]


def main(instances: int) -> None:
    without_debug()
    with tempfile.TemporaryDirectory() as var_dir:
        env = os.environ | {"PERSPECTIVE_VAR_DIR": var_dir}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [*manage, "seed_inventory", "--instances", str(instances)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        elapsed = time.perf_counter() - started
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"seed_inventory --instances {instances} on {database}: {elapsed:.1f} s "
        f"({instances / elapsed:,.0f} instances/s, process start included); {load()}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
