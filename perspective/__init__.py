"""Perspective: inventory, SQL queries and batch actions for OpenStack clouds."""

from .celery import app as celery_app

__all__ = ["celery_app"]
