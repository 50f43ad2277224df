"""The views the README shows, walked as each reader meets them first, in bokmål on a phone:
a patient's timeline, a visitor's own dates and a relative's page, and the coordinator's
worklist on a desktop.
Each checks what that reader needs to see first, and axe; `make screenshots` keeps each view
as docs/screenshot-<name>.png."""
from __future__ import annotations

import pytest

from ..support.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_sideways_scrolling,
    click_and_load,
    keep_screenshot,
    log_in,
)
from ..support.world import COORDINATOR, USERNAMES

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nb-NO")
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="nb-NO")
    yield context.new_page()
    context.close()


def _next_step_and_its_date_on_the_first_screen(page) -> bool:
    date = page.locator("section.next").get_by_text("Normalt innen").first
    box = date.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


def test_a_patients_timeline(phone, live_server):
    log_in(phone, live_server, USERNAMES["Kari Demo"])
    phone.goto(f"{live_server}/my-timeline?lang=nb")  # earlier tests may have chosen another language
    assert phone.get_by_role("heading", name="Neste steg").is_visible()
    assert _next_step_and_its_date_on_the_first_screen(phone)
    assert phone.locator("section.next").bounding_box()["y"] < phone.locator("section.contacts").bounding_box()["y"]
    assert_no_sideways_scrolling(phone)
    assert_accessible(phone)
    keep_screenshot(phone, "timeline")


def test_the_coordinators_worklist(desktop, live_server):
    log_in(desktop, live_server, USERNAMES[COORDINATOR])
    desktop.goto(f"{live_server}/staff/?lang=nb")
    liv = desktop.locator("tbody tr", has_text="Liv Demo")
    for part in (liv.locator(".worklist-next"), liv.locator(".worklist-date"), liv.locator(".status")):
        assert part.is_visible()
    assert_no_sideways_scrolling(desktop)
    assert_accessible(desktop)
    keep_screenshot(desktop, "worklist")


def test_a_visitor_works_out_their_own_dates(phone, live_server):
    phone.goto(f"{live_server}/pathways/cancer-breast?lang=nb")
    phone.get_by_label("Henvisning mottatt").fill("2026-02-02")
    phone.get_by_label("Første time på sykehuset").fill("2026-02-09")
    click_and_load(phone.get_by_role("button", name="Vis datoene mine"))
    assert "/dates" in phone.url
    assert _next_step_and_its_date_on_the_first_screen(phone)
    assert_no_sideways_scrolling(phone)
    assert_accessible(phone)
    keep_screenshot(phone, "own-dates")


def test_a_relative_reads_about_the_patient(phone, live_server):
    log_in(phone, live_server, USERNAMES["Kari Demo"])
    phone.goto(f"{live_server}/my/relatives?lang=nb")
    phone.get_by_label("Navnet til personen").fill("Per Pårørende")
    click_and_load(phone.get_by_role("button", name="Lag en invitasjonslenke"))
    link = phone.input_value("#link-to-pass-on")
    phone.context.clear_cookies()
    phone.goto(link)
    phone.get_by_label("Velg et brukernavn").fill("per.parorende")
    phone.get_by_label("Nytt passord").fill("et langt passord for Per")
    phone.get_by_label("Det samme passordet en gang til").fill("et langt passord for Per")
    click_and_load(phone.get_by_role("button", name="Takk ja og gå videre"))
    assert phone.get_by_role("heading", name="Der Kari Demo er nå").is_visible()
    assert_no_sideways_scrolling(phone)
    assert_accessible(phone)
    keep_screenshot(phone, "relative")
