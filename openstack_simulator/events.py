"""Deferred state changes, applied when a request arrives after they fall due."""

import heapq
import itertools
from collections.abc import Callable

Step = Callable[[float], None]


class EventQueue:
    """Pending steps of server tasks; ``delay`` is how long a task takes."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._heap: list[tuple[float, int, Step]] = []
        self._counter = itertools.count()

    def schedule(self, due: float, step: Step) -> None:
        heapq.heappush(self._heap, (due, next(self._counter), step))

    def run_due(self, now: float) -> None:
        while self._heap and self._heap[0][0] <= now:
            due, _, step = heapq.heappop(self._heap)
            step(due)

    def run_all(self, now: float) -> int:
        """Apply every pending change at once (stamped no later than ``now``)."""
        count = len(self._heap)
        while self._heap:
            due, _, step = heapq.heappop(self._heap)
            step(min(due, now))
        return count

    def __len__(self) -> int:
        return len(self._heap)
