"""The overview page in a real Chromium: staff log in through the admin's form and land on it.

Two simulated clouds are imported and synced as `demo_cloud` does it (clouds.yaml, then the sync
tasks, run at once), and a batch fails, leaving a letter, before another succeeds. Needs Debian's
chromium (`make test` installs it when it can); skipped without it.
"""

import shutil

from django.conf import settings

from tests.fixtures.browser import BROWSER_MARKS, SERVERS, STATES, log_in

SCREENSHOT = settings.VAR_DIR / "screenshots" / "overview.png"

pytestmark = BROWSER_MARKS


def expected_states(cloud: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for statuses in SERVERS[cloud].values():
        for status, count in statuses.items():
            counts[STATES[status]] = counts.get(STATES[status], 0) + count
    return counts


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
