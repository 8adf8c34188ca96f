"""The rate of POST /query counts statements, not requests: a body of a thousand statements
costs what a thousand requests of one do. The request's arrival counted one (DRF's scoped
throttle, as for every throttled view); its other statements are counted once the body is read.
"""

from rest_framework.exceptions import Throttled
from rest_framework.throttling import ScopedRateThrottle


class StatementRateThrottle(ScopedRateThrottle):
    def charge(self, request, view, count: int) -> bool:
        """Counts `count` more statements at once; False, counting none, when they would go
        over the rate."""
        self.scope = getattr(view, self.scope_attr)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) + count > self.num_requests:
            return False
        self.history[:0] = [self.now] * count
        self.cache.set(self.key, self.history, self.duration)
        return True


def charge_statements(request, view, statements: int) -> None:
    """Throttled (429) when the request's statements past its first go over the rate."""
    throttle = StatementRateThrottle()
    if statements > 1 and not throttle.charge(request, view, statements - 1):
        raise Throttled(
            throttle.wait(),
            detail=f"Request was throttled: its {statements} statements are over the rate of "
            f"{throttle.rate} statements.",
        )
