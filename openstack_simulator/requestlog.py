"""The record of every API request: method, path, status, service and region."""

import logging
import threading
import time
from collections import deque
from typing import Any

logger = logging.getLogger("openstack_simulator.requests")


class RequestLog:
    def __init__(self, maxlen: int = 100_000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self._seq = 0

    def record(
        self, method: str, path: str, status: int, service: str, region: str | None, took: float
    ) -> None:
        """``status`` 0 means the connection was closed without an answer."""
        with self._lock:
            self._seq += 1
            self._entries.append(
                {
                    "seq": self._seq,
                    "time": time.time(),
                    "method": method,
                    "path": path,
                    "status": status,
                    "service": service,
                    "region": region,
                    "duration": round(took, 6),
                }
            )
        logger.info("%s %s %s", method, path, status or "closed")

    def entries(self, since: int = 0) -> list[dict[str, Any]]:
        """The entries after sequence number ``since``."""
        with self._lock:
            return [entry for entry in self._entries if entry["seq"] > since]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
