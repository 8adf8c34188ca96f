"""The service's periodic work (Celery beat)."""

import logging
from dataclasses import asdict

from celery import shared_task

from . import retention

log = logging.getLogger(__name__)


@shared_task
def prune_records() -> dict:
    """Deletes the events, sync runs and actions older than their retention settings."""
    pruned = asdict(retention.prune())
    log.info("Pruned %s", pruned)
    return pruned
