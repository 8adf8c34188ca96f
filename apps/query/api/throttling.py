"""The rate of POST /query counts statements, not requests: a body of a hundred statements
costs what a hundred requests of one do. A request is let in while its user is under the rate
(DRF's scoped throttle, which counts its arrival); its other statements are counted once its
body is read, so a large body is answered and the next requests wait for it.
"""

from rest_framework.throttling import ScopedRateThrottle


class StatementRateThrottle(ScopedRateThrottle):
    def charge(self, request, view, count: int) -> None:
        """Counts `count` more statements now."""
        self.scope = getattr(view, self.scope_attr)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        self.history = [self.now] * count + self.cache.get(self.key, [])
        self.cache.set(self.key, self.history, self.duration)

    def wait(self):
        """Seconds until the user is under the rate again: counted statements can be more than
        it allows, which DRF's wait does not foresee (it answers none)."""
        if len(self.history) < self.num_requests:
            return super().wait()
        return max(self.history[self.num_requests - 1] + self.duration - self.now, 0)


def charge_statements(request, view, statements: int) -> None:
    if statements > 1:
        StatementRateThrottle().charge(request, view, statements - 1)
