"""The overview page in a real Chromium: staff log in through the admin's form and land on it.

Two simulated clouds are imported and synced as `demo_cloud` does it (clouds.yaml, then the sync
tasks, run at once), and a batch fails, leaving a letter, before another succeeds. Needs Debian's
chromium (`make test` installs it when it can); skipped without it.
"""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from playwright.sync_api import sync_playwright

from apps.clouds.choices import SyncKind
from apps.clouds.services import import_clouds, queue_syncs
from apps.inventory.models import Instance
from apps.operations import services
from openstack_simulator.clouds_yaml import cloud_entry
from openstack_simulator.testing import running_simulator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = settings.VAR_DIR / "screenshots" / "overview.png"

# The servers of each cloud, by region and API status, and the states they are synced into.
SERVERS = {
    "simulator": {
        "RegionOne": {"ACTIVE": 14, "SHUTOFF": 4, "PAUSED": 1, "ERROR": 2},
        "RegionTwo": {"ACTIVE": 9, "SUSPENDED": 3, "SHUTOFF": 2},
    },
    "lab": {"RegionOne": {"ACTIVE": 3, "SHUTOFF": 6, "ERROR": 1}},
}
STATES = {
    "ACTIVE": "launched",
    "SHUTOFF": "shutoff",
    "PAUSED": "paused",
    "SUSPENDED": "suspended",
    "ERROR": "error",
}

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the live server reads what the test wrote
    pytest.mark.simulator(servers=0, projects=1),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def expected_states(cloud: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for statuses in SERVERS[cloud].values():
        for status, count in statuses.items():
            counts[STATES[status]] = counts.get(STATES[status], 0) + count
    return counts


@pytest.fixture
def demo(simulator, eager):
    """The clouds `simulator` and `lab`, imported from a clouds.yaml and synced."""
    with running_simulator(servers=0, projects=1, regions=["RegionOne"]) as lab:
        for running, name in ((simulator, "simulator"), (lab, "lab")):
            for region, statuses in SERVERS[name].items():
                for status, count in statuses.items():
                    running.control.create_servers(count, status=status, region=region)
        entries = {"simulator": cloud_entry(simulator.simulator), "lab": cloud_entry(lab.simulator)}
        for cloud, _ in import_clouds(yaml.safe_dump({"clouds": entries})):
            queue_syncs(cloud, [SyncKind.CATALOG, SyncKind.INSTANCES])
        yield


@pytest.fixture
def failed_then_succeeded(demo, simulator, admin_user):
    """A reboot the cloud refuses, then a later one that works: ids of both actions."""
    first, second = Instance.objects.filter(cloud__name="simulator", state="launched")[:2]
    simulator.control.set_faults(services=["compute"], error_status=409, error_count=1)
    failed = services.instance_action("rebootInstance", [str(first.id)], admin_user).action
    simulator.control.clear_faults()
    succeeded = services.instance_action("rebootInstance", [str(second.id)], admin_user).action
    return str(failed.id), str(succeeded.id)


@pytest.fixture
def page(live_server):
    """A Chromium tab. Playwright runs an event loop in the test's thread, where Django then
    refuses database calls: tests ask for it after the fixtures that write their data."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def log_in(page, live_server, user, password="password"):  # pytest-django's admin_user
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def shown_states(page, cloud: str) -> dict[str, int]:
    legend = page.locator(f"#overview-clouds [data-cloud='{cloud}'] [data-state]")
    return {
        item.get_attribute("data-state"): int(item.locator(".count").inner_text())
        for item in legend.all()
    }


def words(locator) -> str:
    """The text as read, whatever lines the layout breaks it into."""
    return " ".join(locator.inner_text().split())


def test_staff_land_on_the_overview_with_each_clouds_states(live_server, admin_user, demo, page):
    log_in(page, live_server, admin_user)

    assert page.locator("h1").inner_text() == "Overview"
    assert shown_states(page, "simulator") == expected_states("simulator")
    assert shown_states(page, "lab") == expected_states("lab")


def test_a_failed_action_is_listed_before_a_succeeded_one(
    live_server, admin_user, failed_then_succeeded, page
):
    failed, succeeded = failed_then_succeeded

    log_in(page, live_server, admin_user)

    rows = page.locator("#overview-actions tbody tr")
    listed = [
        (row.get_attribute("data-action"), row.get_attribute("data-outcome")) for row in rows.all()
    ]
    assert listed == [(failed, "failed"), (succeeded, "succeeded")]


def test_the_failure_letter_stays_open_until_staff_acknowledge_it(
    live_server, admin_user, failed_then_succeeded, page
):
    log_in(page, live_server, admin_user)
    letters = page.locator("#overview-notifications tbody tr")
    assert letters.count() == 1
    assert words(page.locator("#overview-open-notifications")) == "1 open notification"

    page.click("#overview-notifications .overview-more a")  # the open ones in the admin's list
    page.check("#result_list input.action-select")
    page.select_option("select[name=action]", "acknowledge")
    page.click("button[name=index]")
    page.wait_for_selector("ul.messagelist")
    assert page.locator("ul.messagelist").inner_text() == "1 acknowledged."
    page.goto(f"{live_server.url}/admin/")

    assert words(page.locator("#overview-open-notifications")) == "0 open notifications"
    assert page.locator("#overview-notifications").inner_text().endswith("No open notifications.")


def test_a_full_page_screenshot_is_kept(
    live_server, admin_user, failed_then_succeeded, tmp_path, page
):
    log_in(page, live_server, admin_user)

    shot = page.screenshot(path=tmp_path / "overview.png", full_page=True)

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / "overview.png", SCREENSHOT)
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "overview.png").read_bytes() == shot
