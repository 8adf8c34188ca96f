"""Public ids: UUIDs, in any spelling Python reads (upper case, braces, `urn:uuid:`, no dashes),
so that one object has one id whatever its spelling."""

import uuid


def parse_id(text) -> uuid.UUID | None:
    """The UUID `text` spells, or None."""
    if not isinstance(text, str):
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
