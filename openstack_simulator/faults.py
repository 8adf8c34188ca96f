"""Injected faults: latency, errors, services that are down, tokens that expire early, Nova cells
that are down."""

import random
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from openstack_simulator.state import CELLS

SERVICES = ("identity", "compute", "image", "network")
DOWN_MODES = ("503", "close")


@dataclass
class FaultSettings:
    latency: float = 0.0  # seconds added to each request
    error_rate: float = 0.0  # share of requests answered with error_status
    error_status: int = 500
    error_count: int = 0  # the next N requests fail, whatever error_rate says
    error_after: int = 0  # ...once this many more requests have passed
    retry_after: int = 1  # the Retry-After of a 429 or 503 error
    services: list[str] | None = None  # where latency and errors apply; None is everywhere
    down: list[str] = field(default_factory=list)  # services answering 503 or closing
    down_mode: str = "503"
    token_ttl: float | None = None  # tokens fail after this many seconds, despite expires_at
    cells_down: list[str] = field(default_factory=list)  # Nova cells that cannot be reached


@dataclass
class Decision:
    latency: float = 0.0
    close: bool = False
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Faults:
    def __init__(self, seed: int, initial: dict[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(f"{seed}:faults")
        self.settings = FaultSettings()
        self.update(initial or {})

    def update(self, changes: dict[str, Any]) -> None:
        """Change some settings; ValueError names the first bad one and changes nothing."""
        with self._lock:
            settings = FaultSettings(**{**asdict(self.settings), **_validated(changes)})
            self.settings = settings

    def clear(self) -> None:
        with self._lock:
            self.settings = FaultSettings()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self.settings)

    def token_ttl(self) -> float | None:
        return self.settings.token_ttl

    def cells_down(self) -> frozenset[str]:
        return frozenset(self.settings.cells_down)

    def decide(self, service: str) -> Decision:
        with self._lock:
            settings = self.settings
            targeted = settings.services is None or service in settings.services
            decision = Decision(latency=settings.latency if targeted else 0.0)
            if service in settings.down:
                decision.close = settings.down_mode == "close"
                decision.status = 503
            elif targeted and self._fails(settings):
                decision.status = settings.error_status
                if settings.error_status in (429, 503):
                    decision.headers["Retry-After"] = str(settings.retry_after)
            return decision

    def _fails(self, settings: FaultSettings) -> bool:
        if settings.error_count > 0 and settings.error_after > 0:
            settings.error_after -= 1
            return False
        if settings.error_count > 0:
            settings.error_count -= 1
            return True
        return settings.error_rate > 0 and self._rng.random() < settings.error_rate


_TYPES = {f.name: f for f in fields(FaultSettings)}


def _validated(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(_TYPES)
    if unknown:
        raise ValueError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
    checks = {
        "latency": lambda v: float(v) >= 0,
        "error_rate": lambda v: 0 <= float(v) <= 1,
        "error_status": lambda v: 400 <= int(v) <= 599,
        "error_count": lambda v: int(v) >= 0,
        "error_after": lambda v: int(v) >= 0,
        "retry_after": lambda v: int(v) >= 0,
        "services": lambda v: v is None or set(v) <= set(SERVICES),
        "down": lambda v: set(v) <= set(SERVICES),
        "down_mode": lambda v: str(v) in DOWN_MODES,
        "token_ttl": lambda v: v is None or float(v) >= 0,
        "cells_down": lambda v: set(v) <= set(CELLS),
    }
    for name, value in changes.items():
        try:
            valid = checks[name](value)
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise ValueError(f"invalid value for {name}: {value!r}")
    return _coerced(changes)


def _coerced(changes: dict[str, Any]) -> dict[str, Any]:
    kinds = {"latency": float, "error_rate": float, "error_status": int, "error_count": int}
    kinds["error_after"] = int
    kinds |= {"retry_after": int, "down_mode": str}
    result = {name: kinds.get(name, lambda v: v)(value) for name, value in changes.items()}
    for name in ("services", "down", "cells_down"):
        if result.get(name) is not None:
            result[name] = list(result[name])
    if result.get("token_ttl") is not None:
        result["token_ttl"] = float(result["token_ttl"])
    return result
