"""The notification pages in Chromium, with the keyboard: a patient on a phone finds "Varsler" in
the menu, sends the form without the address the channel needs, is taken to what to fix, and saves;
the admin's list of messages. Every page is checked with axe-core."""
from __future__ import annotations

import pytest

from ..support.browser import (
    assert_accessible,
    assert_no_sideways_scrolling,
    focus_arrives,
    log_in,
    press_and_load,
    tab_to,
)
from ..support.world import ADMINISTRATOR, USERNAMES

pytestmark = pytest.mark.browser



def test_a_patient_chooses_e_mail_with_the_keyboard(phone_page, live_server):
    page = phone_page
    log_in(page, live_server, USERNAMES["Anne Demo"])
    tab_to(page, "nav.account-nav a[href='/my/notifications']")
    press_and_load(page, "Enter")
    assert_accessible(page)
    assert page.locator("h1").inner_text() == "Varsler"
    tab_to(page, "#field-channel")  # a radio group is one tab stop; the arrows choose
    page.keyboard.press("ArrowDown")
    page.locator("#field-email").fill("")
    tab_to(page, "#field-submit")
    press_and_load(page, "Enter")
    assert focus_arrives(page, ".error-summary")
    assert "Skriv e-postadressen meldingene skal gå til" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    tab_to(page, "#field-email")
    page.keyboard.type("anne@example.no")
    tab_to(page, "#field-submit")
    press_and_load(page, "Enter")
    assert "Lagret. Vi sier fra slik du valgte." in page.locator("main").inner_text()
    assert page.locator("input[name=channel][value=email]").is_checked()
    assert page.locator("#field-email").input_value() == "anne@example.no"
    assert_accessible(page)
    assert_no_sideways_scrolling(page)


def test_the_admin_sees_the_messages_page(phone_page, live_server):
    page = phone_page
    log_in(page, live_server, USERNAMES[ADMINISTRATOR])
    page.goto(f"{live_server}/admin/")
    tab_to(page, "main a[href='/admin/notifications']")
    press_and_load(page, "Enter")
    assert page.locator("h1").inner_text() == "Meldinger"
    assert "Ingenting venter på at du bestemmer." in page.locator("main").inner_text()
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
