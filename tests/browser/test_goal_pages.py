"""What matters to the patient, in Chromium: the patient's goal pages and the care team's, at phone
and desktop width, checked with axe-core, without sideways scrolling, and usable without JavaScript."""
from __future__ import annotations

import pytest

from ..support.browser import (
    assert_accessible,
    assert_no_sideways_scrolling,
    choose_language,
    click_and_load,
    focus_arrives,
    log_in,
)
from ..support.world import COORDINATOR, KARIS_GOAL, USERNAMES

pytestmark = pytest.mark.browser


def check(page):
    assert page.locator("h1").is_visible()
    assert_accessible(page)
    assert_no_sideways_scrolling(page)


def test_the_patients_goal_pages(page, live_server):
    base = live_server
    log_in(page, base, USERNAMES["Kari Demo"])
    for path in ("/my/goals", "/my/goals/before-we-meet", "/my/goals/new?about=good_day"):
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang=en")
        check(page)
    page.fill("#field-care_wishes", "Etter klokka ti")
    click_and_load(page.get_by_role("button", name="Share with the care team"))
    assert focus_arrives(page, ".error-summary")  # read first by a screen reader
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "field-text"
    assert page.input_value("#field-care_wishes") == "Etter klokka ti"  # nothing typed is lost
    assert_accessible(page)


def test_the_care_teams_goal_pages(page, live_server):
    base = live_server
    log_in(page, base, USERNAMES[COORDINATOR])
    page.goto(f"{base}/staff/goals")
    choose_language(page, "en")
    check(page)
    click_and_load(page.get_by_role("link", name=KARIS_GOAL))
    check(page)
    for link in ("Change the goal", "Say how the service can help", "Add an action", "Add a review"):
        click_and_load(page.get_by_role("link", name=link))
        check(page)
        page.go_back()


def test_a_draft_is_saved_without_javascript(browser, live_server):
    base = live_server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, USERNAMES["Harald Demo"])
    page.goto(f"{base}/my/goals/new?lang=en")
    page.fill("#field-text", "Gå tur til butikken")
    click_and_load(page.get_by_role("button", name="Save as a draft: I want to think more"))
    assert "/my/goals?saved=draft" in page.url
    assert "Gå tur til butikken" in page.locator("main").inner_text()
    context.close()
