"""What a newcomer to the portal ran into (issue 16), walked in Chromium: dates after a late step,
who to call on a phone, finishing and deleting goals, dates and roles in words for the care team,
and the worklist on a phone. Every page is checked with axe-core."""
from __future__ import annotations

import re

import pytest

from ..support.browser import (
    PHONE,
    assert_accessible,
    assert_no_sideways_scrolling,
    choose_language,
    click_and_load,
    log_in,
)
from ..support.world import COORDINATOR, USERNAMES

pytestmark = pytest.mark.browser

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NARROW = {"width": 375, "height": 740}


@pytest.fixture
def open_page(browser):
    """open_page(viewport) -> a page in a browser context of its own (its own cookies)."""
    contexts = []

    def open_one(viewport=PHONE, **options):
        contexts.append(browser.new_context(viewport=viewport, bypass_csp=True, **options))
        return contexts[-1].new_page()

    yield open_one
    for context in contexts:
        context.close()


def test_after_a_late_step_the_later_dates_are_counted_from_today(open_page, live_server):
    """Liv's clinical decision is later than normal: the treatment is not shown with a date that
    has already passed, and the page says calmly why the dates moved."""
    page = open_page()
    log_in(page, live_server, USERNAMES["Liv Demo"])
    page.goto(f"{live_server}/my-timeline?lang=en")
    assert page.locator("section.next .status").inner_text().strip().endswith("Later than normal")
    later = page.locator("section[aria-labelledby=later-title]")
    late_step = page.locator("section.next .next-name").inner_text().strip()
    note = later.locator(".moved-note").inner_text()
    assert note.startswith("The dates below are counted from today") and f"“{late_step}”" in note
    assert later.get_by_text("Counted from today.").first.is_visible()
    assert not later.locator(".step-later_than_expected").count()  # nothing after the late step is late
    assert_accessible(page)


def test_who_to_call_is_near_the_top_on_a_phone_even_with_five_long_goals(open_page, live_server):
    page = open_page()
    log_in(page, live_server, USERNAMES["Jonas Demo"])
    for number in range(1, 6):
        page.goto(f"{live_server}/my/goals/new?lang=en")
        page.fill("#field-text", f"Mål {number}: " + "Eg vil klare meg sjølv heime og gå tur med hunden. " * 18)
        click_and_load(page.get_by_role("button", name="Share with the care team"))
    page.goto(f"{live_server}/my-timeline?lang=en")
    assert page.locator(".goal-list li").count() >= 5
    phone = page.locator("section.contacts a[href^='tel:']").first
    box = phone.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 1.5 * PHONE["height"], box
    next_step = page.locator("section.next").bounding_box()
    assert next_step["y"] < box["y"]  # the next step first, then who to call
    assert_accessible(page)
    assert_no_sideways_scrolling(page)


def test_a_patient_finishes_withdraws_and_deletes_goals_and_long_text_is_kept(open_page, live_server):
    page = open_page()
    log_in(page, live_server, USERNAMES["Mona Demo"])
    choose_language(page, "en")  # for the pages the forms lead to
    texts = {"reached": "Gå på ski i påska", "withdrawn": "Male stua før jul", "draft": "Kanskje begynne på kor"}

    # Too long: refused by name, with everything typed kept (a maxlength would have cut it silently).
    page.goto(f"{live_server}/my/goals/new?lang=en")
    assert page.get_by_text("At most 1000 characters.").first.is_visible()
    long_text = " ".join(["Jeg vil sykle til jobben igjen."] * 36)
    page.fill("#field-text", long_text)
    click_and_load(page.get_by_role("button", name="Share with the care team"))
    summary = page.locator(".error-summary").inner_text()
    assert f"Use at most 1000 characters. You have written {len(long_text)}." in summary
    assert page.input_value("#field-text") == long_text
    assert_accessible(page)

    for key in ("reached", "withdrawn", "draft"):
        page.goto(f"{live_server}/my/goals/new?lang=en")
        page.fill("#field-text", texts[key])
        button = "Save as a draft: I want to think more" if key == "draft" else "Share with the care team"
        click_and_load(page.get_by_role("button", name=button))

    for key, choice in (("reached", "I have reached it"), ("withdrawn", "It no longer matters to me")):
        click_and_load(page.get_by_role("link", name=re.compile(rf"Reached, or no longer wanted\?.*{texts[key]}")))
        assert_accessible(page)
        page.get_by_label(choice).check()
        click_and_load(page.get_by_role("button", name="Save"))
        assert page.get_by_text("The goal is now under earlier goals").is_visible()

    click_and_load(page.get_by_role("link", name=re.compile(f"Delete the draft.*{texts['draft']}")))
    assert_accessible(page)
    click_and_load(page.get_by_role("button", name="Delete the draft"))
    assert page.get_by_text("The draft is deleted.").is_visible()
    body = page.locator("main").inner_text()
    earlier = body[body.index("Earlier goals"):]
    assert texts["reached"] in earlier and texts["withdrawn"] in earlier and texts["draft"] not in body
    shared = body[body.index("Shared with the care team"):body.index("Earlier goals")]
    assert texts["reached"] not in shared and texts["withdrawn"] not in shared
    assert_accessible(page)
    assert_no_sideways_scrolling(page)


def test_the_care_team_reads_dates_and_roles_in_words(open_page, live_server):
    page = open_page()
    log_in(page, live_server, USERNAMES[COORDINATOR])
    choose_language(page, "en")
    page.goto(f"{live_server}/staff/?q=Ola")
    click_and_load(page.get_by_role("link", name="Ola Demo"))
    click_and_load(page.get_by_role("link", name="Add a contact").first)
    page.get_by_label("Role").select_option("contact_nurse")
    page.get_by_label("Name").fill("Nina Kontakt")
    page.get_by_label("Phone").fill("+47 00 00 00 09")
    click_and_load(page.locator("main form button[type=submit]"))
    click_and_load(page.get_by_role("link", name="History of changes"))
    history = page.locator("main").inner_text()
    assert "Role: (empty) → Contact nurse" in history
    assert not ISO_DATE.search(history), ISO_DATE.findall(history)
    assert_accessible(page)
    page.goto(f"{live_server}/staff/?lang=en")
    assert not ISO_DATE.search(page.locator("main").inner_text())


def test_the_worklist_on_a_phone_shows_next_step_date_and_badge_without_scrolling_sideways(open_page, live_server):
    page = open_page(NARROW)
    log_in(page, live_server, USERNAMES[COORDINATOR])
    page.goto(f"{live_server}/staff/?lang=en")
    assert_no_sideways_scrolling(page)
    liv = page.locator("tbody tr", has_text="Liv Demo")  # past the normal date: she has a badge
    for part in (liv.locator(".worklist-next"), liv.locator(".worklist-date"), liv.locator(".status")):
        assert part.is_visible()
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], box
    assert liv.locator(".worklist-next").get_attribute("data-label") == "Next step"  # shown before the value
    assert_accessible(page)
