"""The pages for the hospital's own systems, in Chromium with the keyboard: the admin makes an API
client, reads its token once and revokes it; the coordinator finds the event waiting for a person,
registers the person and applies it, after a stale page has said what to do. Every page on the way
is checked with axe-core, on a phone-sized screen where a long token must not scroll sideways."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ..support.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_sideways_scrolling,
    click_and_load,
    focus_arrives,
    log_in,
    press_and_load,
    tab_to,
)
from ..support.world import ADMINISTRATOR, COORDINATOR, HELD_EVENT, HELD_PERSON, USERNAMES

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(browser):
    """open_page(viewport) -> a page in a browser context of its own (its own cookies)."""
    contexts = []

    def open_page(viewport=DESKTOP):
        contexts.append(browser.new_context(viewport=viewport, bypass_csp=True))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def follow(page, selector: str) -> None:
    """Tab to a link or button and press Enter, as a keyboard user does; the next page is checked."""
    tab_to(page, selector)
    press_and_load(page, "Enter")
    assert_accessible(page)


def test_admin_makes_and_revokes_an_api_client(open_page, live_server):
    page = open_page(PHONE)
    log_in(page, live_server, USERNAMES[ADMINISTRATOR])
    page.goto(f"{live_server}/admin/")
    follow(page, "main a[href='/admin/api-clients']")
    follow(page, "main a[href='/admin/api-clients/new']")

    follow(page, "#field-submit")
    assert focus_arrives(page, ".error-summary")  # sent empty: what to fix comes first
    assert_accessible(page)
    assert page.locator(".error-summary").inner_text().count("\n") >= 2  # the name and the unit
    tab_to(page, "#field-name")
    page.keyboard.type("DIPS Nettleser")
    tab_to(page, "#field-unit")
    page.keyboard.press("ArrowDown")  # the first unit of the list
    follow(page, "#field-submit")

    assert page.locator("h1").inner_text() == "Token for DIPS Nettleser"
    token = page.locator(".code-display code").inner_text()
    assert token.startswith("forlop_")
    page.locator(".code-display code").select_text()  # plain text, to select and copy
    assert page.evaluate("String(window.getSelection())") == token
    assert_no_sideways_scrolling(page)

    follow(page, "main a[href='/admin/api-clients']")
    assert token not in page.content()  # shown once only
    row = page.get_by_role("row", name="DIPS Nettleser")
    assert "Aktiv" in row.inner_text() and "Aldri" in row.inner_text()
    tab_to(page, "main a[href$='/revoke']")
    press_and_load(page, "Enter")
    assert_accessible(page)
    assert page.locator("h1").inner_text() == "Trekke tilbake DIPS Nettleser?"
    follow(page, "main form button[type=submit]")
    assert "DIPS Nettleser er trukket tilbake." in page.locator(".notice").inner_text()
    assert "Trukket tilbake" in page.get_by_role("row", name="DIPS Nettleser").inner_text()
    assert_no_sideways_scrolling(page)


def test_coordinator_applies_the_event_waiting_for_a_person(open_page, live_server):
    page = open_page()
    log_in(page, live_server, USERNAMES[COORDINATOR])
    page.goto(f"{live_server}/staff/")
    assert "1 hendelse fra sykehusets systemer venter på en pasient" in page.locator(".notice").inner_text()
    follow(page, "main .notice a")
    assert urlsplit(page.url).path == "/staff/held-events"
    event = page.locator("section.held-event")
    assert event.locator("h2").inner_text() == "Pakkeforløp for livmorhalskreft: Henvisning mottatt"
    assert f"{HELD_PERSON[:6]} {HELD_PERSON[6:]}" in event.inner_text() and HELD_EVENT[3] in event.inner_text()

    follow(page, "main section.held-event a[href='/staff/patients/new']")
    tab_to(page, "#field-display_name")
    page.keyboard.type("Hilde Venter")
    page.fill("#field-date_of_birth", "1971-09-03")
    tab_to(page, "#field-national_id")
    page.keyboard.type(f"{HELD_PERSON[:6]} {HELD_PERSON[6:]}")  # as people write it, with a space
    page.select_option("#field-pathway", "cancer-breast")
    follow(page, "#field-submit")
    record = live_server + urlsplit(page.url).path
    assert page.locator(".national-id").inner_text() == f"Fødselsnummer {HELD_PERSON[:6]} {HELD_PERSON[6:]}"

    page.goto(f"{live_server}/staff/held-events")
    apply = "main section.held-event form[action$='/apply'] button"
    assert page.locator(apply).inner_text() == "Legg inn i tidslinjen til Hilde Venter"
    # Meanwhile someone corrects the number on the record: the open page is now stale.
    other_tab = page.context.new_page()
    other_tab.goto(f"{record}/edit")
    other_tab.fill("#field-national_id", "")
    click_and_load(other_tab.locator("#field-submit"))
    follow(page, apply)
    assert focus_arrives(page, ".error-summary")
    assert "Registrer pasienten med nummeret først." in page.locator(".error-summary").inner_text()

    other_tab.goto(f"{record}/edit")
    other_tab.fill("#field-national_id", HELD_PERSON)
    click_and_load(other_tab.locator("#field-submit"))
    page.goto(f"{live_server}/staff/held-events")
    follow(page, apply)
    assert page.locator(".notice").inner_text() == "Hendelsen er nå i tidslinjen til pasienten."
    assert "Ingen hendelser venter." in page.locator("main").inner_text()

    page.goto(record)
    assert_accessible(page)
    steps = page.locator("section.enrolment", has_text="Pakkeforløp for livmorhalskreft").locator("table.data")
    assert f"Fra sykehusets system: {HELD_EVENT[3]}. Lagt inn av {COORDINATOR}." in steps.inner_text()
