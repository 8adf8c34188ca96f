"""Every admin page at 1440 and 1024 px in a real Chromium: each list's table fits beside the
filters, with no sideways scrolling, and a screenshot of each page is kept under
var/screenshots/ to be looked at. The data are the overview test's: two synced simulated clouds,
a failed and a succeeded action, a letter, sync runs."""

import pytest
import requests
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from apps.clouds.models import SyncRun
from apps.inventory.models import Cloud, Instance
from apps.operations.models import Action, Notification
from tests.fixtures.browser import BROWSER_MARKS, log_in

pytestmark = BROWSER_MARKS

SCREENSHOTS = settings.VAR_DIR / "screenshots"

# How far the widest table reaches past its box (a list's scrolls sideways in it), and the
# page past the window, in pixels.
OVERFLOW = """() => {
  const tables = [...document.querySelectorAll('#content table')];
  return {
    table: Math.max(0, ...tables.map(t => t.scrollWidth - t.parentElement.clientWidth)),
    page: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.fixture
def retrying(demo):
    """A sync of `lab` that failed once and waits for its retry."""
    lab = Cloud.objects.get(name="lab")
    return SyncRun.objects.create(
        cloud=lab, kind="changes", attempts=1, error="The cloud is unavailable (503)"
    )


@pytest.fixture
def admin_pages(failed_then_succeeded, retrying):
    """{name: path} of every list of the admin, and of a detail page of each kind that matters."""
    lists = {
        f"{model._meta.app_label}-{model._meta.model_name}": reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        for model in admin.site._registry
    }
    details = {
        f"{model._meta.model_name}-detail": reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[model.objects.order_by("pk").first().pk],
        )
        for model in (Cloud, Instance, Action, SyncRun, Notification)
    }
    return {"overview": reverse("admin:index"), **lists, **details}


@pytest.mark.parametrize("width", [1440, 1024])
def test_every_admin_page_fits_the_window(live_server, admin_user, admin_pages, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, admin_user)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    overflowing = {}
    for name, path in admin_pages.items():
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate(OVERFLOW)
        if overflow["table"] > 0 or overflow["page"] > 0:
            overflowing[name] = overflow

    assert overflowing == {}


def test_the_overview_shows_a_sync_waiting_to_retry_as_retrying(
    live_server,
    admin_user,
    retrying,
    page,
):
    log_in(page, live_server, admin_user)

    badge = page.locator(
        "#overview-syncs tr[data-cloud='lab'][data-kind='changes'] .overview-badge"
    )
    assert badge.inner_text() == "retrying (attempt 2 of 4)"


@pytest.fixture
def reboot(demo, simulator, admin_user):
    """A reboot of one launched instance, to send over HTTP with the admin's token (the test's
    thread cannot reach the database once the browser runs); the cloud reboots at once."""
    simulator.control.set_delay(0)
    target = Instance.objects.filter(cloud__name="simulator", state="launched").first()
    token = Token.objects.create(user=admin_user).key
    return target.name, [str(target.id)], {"Authorization": f"Token {token}"}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite's in-memory test database "
    "locks whole tables between the threads of the stream and of the request",
)
def test_the_overviews_latest_changes_update_live_while_an_action_runs(
    admin_user, reboot, asgi_server, page
):
    name, body, headers = reboot
    log_in(page, asgi_server, admin_user)
    live = page.locator(f"#overview-changes tr.overview-live:has-text('instance {name}')")
    assert live.count() == 0

    response = requests.put(f"{asgi_server.url}/instances/reboot", json=body, headers=headers)
    assert response.status_code == 200

    ended = live.filter(has=page.locator("td:nth-child(5)", has_text="launched"))
    ended.wait_for(timeout=15_000)  # the page was not loaded again
    rows = [[cell.inner_text() for cell in row.locator("td, th").all()] for row in live.all()]
    assert rows == [
        ["just now", f"instance {name}", "state", "rebooting", "launched"],
        ["just now", f"instance {name}", "state", "launched", "rebooting"],
    ]
