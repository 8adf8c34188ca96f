"""The Celery application: configured from Django settings (CELERY_*), tasks found in the apps.

A task message carries the id of the request that queued it (header `request_id`); the worker
logs the task's records with it, and with the task's name and id (perspective/logging.py).
"""

import os

from celery import Celery, signals

from . import logging as logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")

app = Celery("perspective")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "request_id"


@signals.before_task_publish.connect
def carry_request_id(headers, **kwargs):
    current = logs.request_id.get()
    if current:
        headers.setdefault(REQUEST_ID_HEADER, current)


@signals.task_prerun.connect
def enter_task(task_id, task, **kwargs):
    carried = (task.request.headers or {}).get(REQUEST_ID_HEADER)
    logs.enter_task(task.name, task_id, carried)


@signals.task_postrun.connect
def leave_task(task_id, **kwargs):
    logs.leave_task(task_id)
