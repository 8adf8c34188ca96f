"""Columns of the admin's list pages that fit: long ids cut short (whole in the tooltip)."""

from django.utils.html import format_html

SHORT = 8


def short(value) -> str:
    """A UUID or provider id as its first characters, the whole of it on hover."""
    if not value:
        return "-"
    text = str(value)
    if len(text) <= SHORT:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[:SHORT])


def cut(text: str, length: int = 80) -> str:
    """Long text (an error) cut to a line or two, whole on hover."""
    if len(text) <= length:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: length - 1])
