"""How fast the listings under /api/ answer a page of 100 and of 1,000 instances.

    .venv/bin/python -m bench.listings [INSTANCES] [--viewer] [--repeat N]

Seeds INSTANCES (100,000 by default) instances into a new SQLite file in a temporary folder,
or into the database of DATABASE_URL (which should be new and empty), then prints for each
filter the median time of GET /api/instances/ through Django's test client (routing,
authentication, filters, the page's queries, serialization, JSON) for a page of 100 and of
1,000. As a superuser; with --viewer, also as a viewer of one project (a quarter of the
instances).
"""

import base64
import json
import statistics
import sys
import time
from datetime import timedelta

from bench.query_api import instances_and_repeat, seeded_django

URL = "/api/instances/"


def cases(middle, latest) -> list[tuple[str, dict]]:
    """(label, query parameters). `middle`: the instance halfway by name, whose project, cloud
    and role (the first part of its name) the filters name, so that a viewer of its project
    finds rows too; `latest`: the latest update time."""
    role = middle.name.split("-")[0]
    deep = {"o": ["name", "id"], "p": [middle.name, str(middle.id)]}
    return [
        ("no filter (by name)", {}),
        ("cursor halfway by name", {"cursor": base64.urlsafe_b64encode(_json(deep)).decode()}),
        ("state=error (2%)", {"state": "error"}),
        (
            "state=shutoff&state=paused&cloud=...",
            {"state": ["shutoff", "paused"], "cloud": middle.cloud.name},
        ),
        ("project=...", {"project": str(middle.project_id)}),
        (f"name__ic={role.upper()}-00", {"name__ic": f"{role.upper()}-00"}),
        (f"name__regex=^{role}-0[0-4]", {"name__regex": f"^{role}-0[0-4]"}),
        (
            "updated_after: the last 30 days",
            {"updated_after": (latest - timedelta(days=30)).isoformat()},
        ),
        ("ordering=-updated", {"ordering": "-updated"}),
        ("ordering=state,-created", {"ordering": "state,-created"}),
    ]


def _json(data) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def median_ms(client, params: dict, repeat: int) -> tuple[float, int]:
    """The median time of the request (ms), and the rows it listed."""
    times = []
    rows = 0
    for run in range(repeat + 1):  # the first run warms caches and is not counted
        started = time.perf_counter()
        response = client.get(URL, params)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        rows = len(response.json()["results"])
        if run:
            times.append(elapsed * 1000)
    return statistics.median(times), rows


def measure(client, label: str, repeat: int, middle, latest) -> None:
    print(f"\n{label}: median of {repeat} requests (ms)\n")
    print("| filter | page of 100 | page of 1,000 |")
    print("|---|---|---|")
    for name, params in cases(middle, latest):
        cells = []
        for size in (100, 1000):
            elapsed, rows = median_ms(client, {**params, "page_size": size}, repeat)
            cells.append(f"{elapsed:.1f}" + ("" if rows == size else f" ({rows} rows)"))
        print(f"| {name} | {cells[0]} | {cells[1]} |")


def main(instances: int, viewer: bool, repeat: int) -> None:
    with seeded_django(instances):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.db.models import Max
        from django.test import Client

        from apps.inventory.models import Grant, Instance

        settings.DEBUG = False  # no query log but the one measured
        middle = Instance.objects.order_by("name", "id")[instances // 2]
        latest = Instance.objects.aggregate(latest=Max("last_updated"))["latest"]
        users = get_user_model().objects
        client = Client(HTTP_HOST="localhost")
        client.force_login(users.create_superuser("bench-superuser"))
        print(f"{connection.vendor}, {instances} instances")
        measure(client, "superuser", repeat, middle, latest)
        if viewer:
            user = users.create_user("bench-viewer")
            Grant.objects.create(user=user, project=middle.project, role="viewer")
            client.force_login(user)
            measure(client, f"viewer of {middle.project.name}", repeat, middle, latest)


if __name__ == "__main__":
    instances, repeat, others = instances_and_repeat(sys.argv[1:])
    main(instances, "--viewer" in others, repeat)
