"""Start-up options of a simulated cloud."""

from dataclasses import dataclass, field
from typing import Any

DEFAULT_REGIONS = ("RegionOne", "RegionTwo")


@dataclass
class Options:
    servers: int = 100
    seed: int = 1
    regions: tuple[str, ...] = DEFAULT_REGIONS
    projects: int = 5
    # Seconds an action takes to reach its end state; 0 completes it on the next request.
    delay: float = 0.5
    # Nova's osapi_max_limit: the largest (and default) page of servers and flavors.
    max_limit: int = 1000
    username: str = "admin"
    password: str = "simulator"  # noqa: S105 - the simulator's well-known developer password
    project_name: str = "admin"
    domain_name: str = "Default"
    token_expiry: int = 3600
    faults: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.servers < 0:
            raise ValueError("servers cannot be negative")
        if not self.regions:
            raise ValueError("at least one region is needed")
        if self.projects < 1:
            raise ValueError("at least one project is needed")
        if self.max_limit < 1:
            raise ValueError("max_limit must be positive")
        self.regions = tuple(self.regions)
