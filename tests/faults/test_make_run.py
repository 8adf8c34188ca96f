"""`make run` (honcho and the Procfile): a worker that dies is started again."""

import os
import signal
import sys
from contextlib import suppress
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import start, wait_for

pytestmark = pytest.mark.faults

BIN = Path(sys.executable).parent


def children() -> dict[int, list[int]]:
    """{process id: its children's ids}, from /proc (the field after the name is the state,
    then the parent's id)."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = children(), [], [pid]
    while todo:
        kids = tree.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_make_run_starts_a_dead_worker_again(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"DEBUG": "true", "PERSPECTIVE_VAR_DIR": str(tmp_path), "PATH": f"{BIN}:{env['PATH']}"}
    log = tmp_path / "honcho.log"
    honcho = start([str(BIN / "honcho"), "start", "worker"], env, settings.BASE_DIR, log)
    try:
        wait_for(lambda: log.read_text().count(" ready.") == 1, 60, "the worker to start")
        os.kill(worker_of(honcho.pid), signal.SIGKILL)

        wait_for(lambda: log.read_text().count(" ready.") == 2, 60, "the worker to start again")
        assert "The worker stopped (exit status 137): starting it again" in log.read_text()
    finally:
        # Each of honcho's processes runs in a session of its own: killed one by one.
        for pid in [honcho.pid, *descendants(honcho.pid)]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        honcho.wait()


def worker_of(honcho: int) -> int:
    """The Celery worker's main process: the child of the Procfile's shell loop."""
    (loop,) = [pid for pid in descendants(honcho) if command_line(pid).startswith("/bin/sh -c")]
    (worker,) = children().get(loop, [])
    assert "celery -A perspective worker" in command_line(worker)
    return worker
