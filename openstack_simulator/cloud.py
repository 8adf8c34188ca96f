"""The whole simulated cloud: identity, regions, pending tasks, faults and the request log."""

import dataclasses
import random
import threading
import time
from typing import Any

from openstack_simulator.events import EventQueue
from openstack_simulator.faults import Faults
from openstack_simulator.generate import generate
from openstack_simulator.options import Options
from openstack_simulator.requestlog import RequestLog
from openstack_simulator.state import Region


class Cloud:
    """Handlers run under ``lock``; ``tick`` first applies the task steps that fell due."""

    def __init__(self, options: Options) -> None:
        self.lock = threading.RLock()
        self.log = RequestLog()
        self.options = options
        self.faults = Faults(options.seed, options.faults)
        self._load()

    def _load(self) -> None:
        self.rng = random.Random(f"{self.options.seed}:api")
        self.tasks = EventQueue(self.options.delay)
        self.identity, self.regions = generate(self.options)

    def reset(self, **overrides: Any) -> None:
        """Regenerate everything, optionally with other options; clear faults and the log."""
        with self.lock:
            self.options = dataclasses.replace(self.options, **overrides)
            self._load()
            self.faults.clear()
            self.faults.update(self.options.faults)
            self.log.clear()

    def tick(self) -> None:
        self.tasks.run_due(time.time())

    def region(self, name: str) -> Region | None:
        return self.regions.get(name)
