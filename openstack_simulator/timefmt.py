"""Timestamps in the formats the OpenStack APIs use."""

import time
from datetime import UTC, datetime


def iso(ts: float) -> str:
    """Nova, Glance and Neutron style: ``2026-11-26T10:00:00Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def iso_micro(ts: float) -> str:
    """Nova's launched_at style: ``2026-11-26T10:00:00.000000``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def iso_micro_z(ts: float) -> str:
    """Keystone's token style: ``2026-11-26T10:00:00.000000Z``."""
    return iso_micro(ts) + "Z"


def parse(value: str) -> float:
    """An ISO 8601 timestamp (naive means UTC) as epoch seconds; ValueError if malformed."""
    # An unencoded "+00:00" in a query string arrives as " 00:00".
    parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
