"""Metrics for Prometheus at /metrics.

Requests are counted in the web processes (shared through PROMETHEUS_MULTIPROC_DIR under
gunicorn); sync runs, action items and queue depths are read from the database and the broker
at each scrape, since the Celery workers that do that work are other processes.
"""
