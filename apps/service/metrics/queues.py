"""Messages waiting in each Celery queue, asked from the broker at each scrape.

A passive queue declaration is the broker-neutral way to count them: kombu answers with LLEN
on Redis, the number of message files on the filesystem broker, the queue's size in memory.
A queue the broker does not know (Redis drops an empty list) holds nothing.
"""

import logging
from collections.abc import Iterator

from celery import current_app
from kombu.exceptions import ChannelError
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)


class QueuesCollector:
    def collect(self) -> Iterator:
        depth = GaugeMetricFamily(
            "perspective_queue_depth",
            "Messages waiting in the broker, by Celery queue",
            labels=["queue"],
        )
        try:
            for queue, messages in queue_depths(current_app).items():
                depth.add_metric([queue], messages)
        except Exception as exc:
            # The broker is down: the other metrics are still worth a scrape (/ping reports it).
            log.warning("Could not read the queue depths: %s: %s", type(exc).__name__, exc)
            return
        yield depth


def queue_names(app) -> list[str]:
    """The default queue and those the task routes name."""
    routed = {route["queue"] for route in app.conf.task_routes.values()}
    return sorted({app.conf.task_default_queue, *routed})


def queue_depths(app) -> dict[str, int]:
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=app.conf.broker_connection_timeout)
        channel = connection.default_channel
        return {name: _depth(channel, name) for name in queue_names(app)}


def _depth(channel, name: str) -> int:
    try:
        return channel.queue_declare(queue=name, passive=True).message_count
    except ChannelError:
        return 0
