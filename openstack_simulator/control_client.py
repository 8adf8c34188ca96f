"""A small client for the simulator's control endpoint (``/_sim/``)."""

import json
import urllib.error
import urllib.request
from typing import Any


class SimulatorControlError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


class SimulatorControl:
    """Steers a running simulator, given its base URL (``http://127.0.0.1:5000``)."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # Loopback traffic must not go through a proxy named in the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the simulator's own
            f"{self.base_url}/_sim/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("error", {}).get("message", "")
            raise SimulatorControlError(error.code, detail) from None
        return json.loads(payload) if payload else None

    def info(self) -> dict[str, Any]:
        """Regions, live server counts, options, delay, pending task steps and faults."""
        return self._call("GET", "info")

    def reset(self, **options: Any) -> dict[str, Any]:
        """Regenerate the cloud (optionally with other servers, seed, regions, projects,
        delay, max_limit or faults); clears faults and the request log."""
        return self._call("POST", "reset", options)

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "faults")

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change some fault settings: latency, error_rate, error_status, error_count,
        error_after, retry_after, services, down, down_mode, token_ttl, cells_down (Nova
        cells, "cell1" or "cell2", whose servers are listed as partial records)."""
        return self._call("POST", "faults", settings)

    def clear_faults(self) -> dict[str, Any]:
        return self._call("DELETE", "faults")

    def revoke_tokens(self) -> int:
        return self._call("POST", "tokens/revoke", {})["revoked"]

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """Logged API requests (method, path, status, service, region, ...) after ``since``."""
        return self._call("GET", f"requests?since={since}")["requests"]

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def set_delay(self, seconds: float) -> None:
        """How long actions started from now on take to reach their end state."""
        self._call("PUT", "delay", {"seconds": seconds})

    def complete_tasks(self) -> int:
        """Finish every action in progress now; returns the number of steps applied."""
        return self._call("POST", "tasks/complete", {})["completed_steps"]

    def servers(self) -> list[dict[str, Any]]:
        """Every live server of every region, as Nova shows it, with its region and cell."""
        return self._call("GET", "servers")["servers"]

    def create_servers(self, count: int = 1, **fields: Any) -> list[dict[str, Any]]:
        """Add ACTIVE servers behind the client's back. Fields: region, project_id, name,
        status, flavor, image, metadata, locked, key_name, description, tags."""
        return self._call("POST", "servers", {"count": count, **fields})["servers"]

    def create_server(self, **fields: Any) -> dict[str, Any]:
        return self.create_servers(1, **fields)[0]

    def update_server(self, server_id: str, **fields: Any) -> dict[str, Any]:
        """Change a server directly, e.g. ``status="SHUTOFF"`` or ``name="renamed"``."""
        return self._call("PATCH", f"servers/{server_id}", fields)["server"]

    def delete_server(self, server_id: str) -> dict[str, Any]:
        return self._call("DELETE", f"servers/{server_id}")["server"]
