"""`make run` (honcho and the Procfile): a worker that dies is started again; the admin's
password and token come last, framed, on the real port; Ctrl-C stops everything quietly."""

import os
import signal
import sys
from contextlib import suppress
from pathlib import Path

import pexpect
import pytest
from django.conf import settings

from tests.processes import free_port, start, wait_for

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


def test_make_run_prints_the_welcome_last_and_stops_quietly_on_ctrl_c(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    port = int(os.environ.get("PORT") or free_port())  # make run's own variable, when set
    env |= {"PERSPECTIVE_VAR_DIR": str(tmp_path), "PORT": str(port), "DEBUG": "true"}
    run = pexpect.spawn(
        "make", ["--no-print-directory", "run"], cwd=settings.BASE_DIR, env=env, encoding="utf-8"
    )
    try:
        run.expect("Ctrl-C stops everything", timeout=240)
        started = run.before
        # The demo cloud's first syncs (catalog, then instances) done: a stop waits for a
        # running task, and one cut short by the demo cloud going away can outlast honcho's 5 s.
        for _ in range(2):
            run.expect(r"sync_cloud\[[-\w]+\] succeeded", timeout=240)
        started += run.before
        run.sendintr()
        run.expect(pexpect.EOF, timeout=60)
    finally:
        run.close(force=True)

    welcome = started[started.index("+--") :]
    assert f"http://127.0.0.1:{port}/operations" in welcome
    assert "password: " in welcome
    stopping = run.before
    # On a loaded machine the worker's warm shutdown can outlast honcho's 5 s, which then ends
    # it with SIGKILL: said in honcho's own line, not an error of Perspective's.
    for noise in ("ERROR", "Error 130", "Interrupt", "Traceback"):
        assert noise not in stopping
    assert "No hostname was supplied" not in started + stopping
