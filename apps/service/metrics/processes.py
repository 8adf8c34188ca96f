"""Hooks for gunicorn's configuration, for metrics in multiprocess mode (PROMETHEUS_MULTIPROC_DIR
set: each worker writes its counters to files there, and /metrics adds them up).

Imports nothing of Django: gunicorn's master process loads them before the application.

    from apps.service.metrics.processes import child_exit, on_starting  # gunicorn hooks
"""

import os
from pathlib import Path

from prometheus_client import multiprocess


def on_starting(server) -> None:
    """gunicorn's `on_starting` hook: the files of a previous run would be added in again."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    """gunicorn's `child_exit` hook: forgets the live gauges of a worker that ended."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
