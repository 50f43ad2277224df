"""A patient shares with a relative in Chromium: the invitation's link copied or shared with a button,
the patient opening her own link by mistake, the relative seeing what the ticked boxes say, and a nurse
who opens the link."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..support.browser import assert_accessible, choose_language, click_and_load, log_in
from ..support.world import NURSE, PASSWORD, USERNAMES

pytestmark = pytest.mark.browser

# Records what the page hands to the device's share sheet, where the browser has none of its own.
FAKE_SHARE_SHEET = "navigator.share = async (data) => { window.sharedWith = data; };"


def _kari_signed_in(context, base: str):
    page = context.new_page()
    log_in(page, base, USERNAMES["Kari Demo"])
    choose_language(page, "en")
    return page


def _invite_with_the_goals_only(page, base: str, relative_name: str) -> str:
    """Kari, signed in, invites a relative to see her goals only; the link her page shows."""
    page.goto(f"{base}/my/relatives")
    page.get_by_label("Their name").fill(relative_name)
    boxes = page.get_by_role("group", name="What they may see")
    boxes.get_by_label("The timeline, appointments, results you are waiting for and who to contact").uncheck()
    boxes.get_by_label("What matters to me (my goals)").check()
    click_and_load(page.get_by_role("button", name="Make an invitation link"))
    return page.input_value("#link-to-pass-on")


def test_the_patient_copies_the_link_and_the_relative_sees_what_she_chose(browser, live_server):
    width = 390
    kari = browser.new_context(viewport={"width": width, "height": 844})
    kari.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = _kari_signed_in(kari, live_server)
    link = _invite_with_the_goals_only(page, live_server, "Nora Browser")
    assert link.startswith(f"{live_server}/invitation/")
    assert page.locator("[data-share]").is_hidden()  # this browser has no share sheet: no button
    assert_accessible(page)

    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator("[data-status]")).to_have_text("Copied")  # said to screen readers (aria-live)
    assert page.evaluate("navigator.clipboard.readText()") == link

    # Kari opens her own link: she is told to pass it on, not asked to fill in a form she cannot see.
    click_and_load(page.get_by_role("link", name="Back to sharing"))
    page.goto(link)
    assert page.get_by_role("heading", name="This is your invitation for Nora Browser").is_visible()
    assert page.locator("main input[name=username]").count() == 0
    assert page.input_value("#link-to-pass-on") == link
    assert_accessible(page)

    # Nora makes her account in her own browser and sees the goals, not the timeline.
    nora = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    nora.goto(link)
    choose_language(nora, "en")
    nora.get_by_label("Choose a username").fill("nora.browser")
    nora.get_by_label("New password").fill(PASSWORD)
    nora.get_by_label("The same password again").fill(PASSWORD)
    click_and_load(nora.get_by_role("button", name="Accept and continue"))
    assert "Kari Demo has not shared the timeline with you" in nora.inner_text("main")
    assert "What matters to Kari Demo" in nora.inner_text("main")
    assert nora.get_by_role("heading", name="Who to contact").count() == 0
    assert_accessible(nora)

    # Kari ticks the timeline: Nora now reads about Kari, not to her.
    page.goto(f"{live_server}/my/relatives")
    share = page.locator("li", has_text="Nora Browser")
    share.get_by_label("The timeline, appointments, results you are waiting for and who to contact").check()
    click_and_load(share.get_by_role("button", name="Save what Nora Browser may see"))
    nora.reload()
    assert nora.get_by_role("heading", name="Where Kari Demo is now").is_visible()
    assert nora.get_by_role("heading", name="Who to contact").is_visible()
    assert_accessible(nora)
    kari.close()
    nora.context.close()


def test_the_share_button_hands_the_link_to_the_devices_share_sheet(browser, live_server):
    context = browser.new_context()
    context.add_init_script(FAKE_SHARE_SHEET)
    page = _kari_signed_in(context, live_server)
    link = _invite_with_the_goals_only(page, live_server, "Nora Phone")
    page.get_by_role("button", name="Share the link").click()
    assert page.evaluate("window.sharedWith.url") == link
    context.close()


def test_without_javascript_the_link_is_there_to_copy_by_hand(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = _kari_signed_in(context, live_server)
    link = _invite_with_the_goals_only(page, live_server, "Nora Paper")
    assert link.startswith(f"{live_server}/invitation/")
    assert page.locator("[data-copy]").is_hidden() and page.locator("[data-share]").is_hidden()
    context.close()


def test_a_nurse_who_opens_an_invitation_is_told_what_it_is(browser, live_server):
    kari = browser.new_context()
    page = _kari_signed_in(kari, live_server)
    link = _invite_with_the_goals_only(page, live_server, "Nora Nurse-check")
    kari.close()
    nurse = browser.new_context().new_page()
    log_in(nurse, live_server, USERNAMES[NURSE])
    choose_language(nurse, "en")
    nurse.goto(link)
    assert nurse.get_by_role("heading", name="This link is an invitation for a relative").is_visible()
    assert "Kari Demo" not in nurse.inner_text("main")
    assert nurse.locator("main input:not([type=hidden])").count() == 0  # no form to fill in
    assert_accessible(nurse)
    nurse.context.close()
