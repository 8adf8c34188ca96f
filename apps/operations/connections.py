"""One driver per cloud and worker thread, kept between tasks: logging in to a cloud costs
several requests, which a batch of 1,000 items must not pay 1,000 times."""

import threading

from apps.clouds import drivers
from apps.clouds.drivers import Driver

MAX_CLOUDS = 64

_local = threading.local()


def driver_for(cloud) -> Driver:
    """The cloud's driver; a new one once the cloud's settings (credentials...) changed."""
    cache = _local.__dict__.setdefault("drivers", {})
    cached = cache.get(cloud.pk)
    if cached is None or cached[0] != cloud.updated_at:
        if len(cache) >= MAX_CLOUDS:
            cache.clear()
        cached = cache[cloud.pk] = (cloud.updated_at, drivers.for_cloud(cloud))
    return cached[1]
