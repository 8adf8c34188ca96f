"""The history in the admin: a read-only list of events, and an entity's timeline."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from apps.inventory.access import access_of
from apps.inventory.admin import ReadOnlyAdminMixin

from .models import Event

TIMELINE = 50


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("time", "kind", "name", "field", "old_value", "new_value", "cause")
    list_filter = ("kind", "field")
    search_fields = ("name", "=entity_id", "=action_id")
    list_per_page = 100
    show_full_result_count = False

    def get_queryset(self, request):
        return access_of(request.user).visible(super().get_queryset(request), "project_id")

    @admin.display(description="cause")
    def cause(self, event: Event) -> str:
        return cause_of(event)


def cause_of(event: Event) -> str:
    if event.sync_run_id:
        return f"sync run {event.sync_run_id}"
    if event.operation:
        return f"{event.operation} by {event.user or 'an API client'}"
    return ""


def timeline(entity_id) -> str:
    """The latest changes of an entity, newest first, as an HTML table."""
    events = list(Event.objects.filter(entity_id=str(entity_id)).order_by("-id")[:TIMELINE])
    if not events:
        return "No change recorded yet."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                f"{e.time:%Y-%m-%d %H:%M:%S}",
                e.field,
                e.old_value or "none",
                e.new_value or "none",
                cause_of(e),
            )
            for e in events
        ),
    )
    head = mark_safe("<tr><th>time</th><th>field</th><th>from</th><th>to</th><th>cause</th></tr>")
    return format_html('<table class="timeline">{}{}</table>', head, rows)
