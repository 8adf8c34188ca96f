"""Real processes for the tests that start them (Celery workers, beat, gunicorn): each in a
session of its own, its output in a log file, waited for with a deadline, and killed together
with whatever it started."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts connections on the port."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def start(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    with open(log, "w") as output:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process and its children (a worker's pool, gunicorn's workers): nothing
    is acknowledged or cleaned up on the way out."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def postgres_url(settings_dict: dict, name: str | None = None) -> str:
    """DATABASE_URL of a Django PostgreSQL connection's server, for database `name` (default:
    the connection's own)."""
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    where = f"{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}"
    return f"postgres://{user}{password}@{where}/{name or settings_dict['NAME']}"
