"""What POST /query measures of itself for Prometheus (exposed at /metrics by apps.service).

Its HTTP status is 200 whatever the statements do, so the statuses are counted per result.
"""

from collections.abc import Iterable

from prometheus_client import Counter, Histogram

from .execute import Result

DURATION = Histogram(
    "perspective_query_duration_seconds",
    "Time POST /query took to run the statements of one request (translate, check, execute)",
)
RESULTS = Counter(
    "perspective_query_results",
    "Results POST /query returned, one per statement, by status",
    ["status"],
)


def observe(results: Iterable[Result], seconds: float) -> None:
    DURATION.observe(seconds)
    for result in results:
        RESULTS.labels(result.status).inc()
