"""The history in the admin: an instance's page shows its timeline; events are listed per
project."""

import pytest
from django.urls import reverse

from apps.history.choices import EntityKind
from apps.history.record import Cause, Change, record
from apps.inventory import factories

pytestmark = pytest.mark.django_db


def test_an_instance_page_shows_its_changes_newest_first(admin_client):
    instance = factories.InstanceFactory(name="web-1")
    for old, new in (("launched", "rebooting"), ("rebooting", "launched")):
        change = Change(EntityKind.INSTANCE, instance.id, "state", old, new, name="web-1")
        record([change], Cause(operation="rebootInstance", user="alice"))

    page = admin_client.get(reverse("admin:inventory_instance_change", args=[instance.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    newest = html.index("<td>rebooting</td><td>launched</td>")
    oldest = html.index("<td>launched</td><td>rebooting</td>")
    assert newest < oldest
    assert "rebootInstance by alice" in html


def test_the_events_list_renders(admin_client):
    instance = factories.InstanceFactory(name="web-1")
    record([Change(EntityKind.INSTANCE, instance.id, "name", "web-0", "web-1", name="web-1")])

    page = admin_client.get(reverse("admin:history_event_changelist"))

    assert page.status_code == 200
    assert "web-0" in page.content.decode()
