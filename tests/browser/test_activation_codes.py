"""Activation codes in Chromium (issue 17): the admin makes a nurse's account, is told the code went
to the nurse's work e-mail and never sees it; the nurse opens the link from her mail on her phone
and chooses a password; the admin changes a work e-mail. Every page is checked with axe-core."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ..support.browser import assert_accessible, assert_no_sideways_scrolling, click_and_load, log_in, serving
from ..support.databases import app_on
from ..support.world import ADMINISTRATOR, NURSE, PASSWORD, USERNAMES, WORK_EMAILS

pytestmark = pytest.mark.browser


@pytest.fixture
def mailing_server(databases, mailbox):
    """The portal on a copy of the cast, sending its e-mail to `mailbox`; its base URL."""
    with databases.copy("cast") as url, app_on(url, SMTP_PORT=mailbox.port) as app, serving(app) as base:
        yield base


def test_the_admin_makes_a_nurse_whose_code_arrives_by_mail(browser, mailing_server, mailbox):
    base = mailing_server
    admin = browser.new_context(bypass_csp=True).new_page()
    log_in(admin, base, USERNAMES[ADMINISTRATOR])
    admin.goto(f"{base}/admin/accounts/new")
    assert_accessible(admin)
    admin.fill("#field-display_name", "Nina Nattsykepleier")
    admin.fill("#field-work_email", "nina@sykehuset.example")
    admin.fill("#field-username", "nina.natt")
    admin.check("input[name=role][value=nurse]")
    admin.select_option("#field-unit", label="Brystdiagnostisk senter (demo) (Sykehusavdeling)")
    click_and_load(admin.locator("#field-submit"))
    assert admin.locator("h1").inner_text() == "Aktiveringskode sendt til Nina Nattsykepleier"
    assert "Den vises ikke til deg." in admin.locator("main").inner_text()
    assert admin.locator(".code-display").count() == 0
    assert_accessible(admin)
    assert_no_sideways_scrolling(admin)

    nurse = browser.new_context(viewport={"width": 375, "height": 740}, bypass_csp=True).new_page()
    nurse.goto(base + mailbox.activation_link("nina@sykehuset.example"))
    assert urlsplit(nurse.url).path == "/activate/password"
    assert_accessible(nurse)
    nurse.fill("#field-password", PASSWORD)
    nurse.fill("#field-confirm", PASSWORD)
    click_and_load(nurse.locator("#field-submit"))
    assert urlsplit(nurse.url).path == "/staff/"


def test_the_admin_changes_a_work_email_and_the_old_address_is_told(browser, mailing_server, mailbox):
    base = mailing_server
    admin = browser.new_context(bypass_csp=True).new_page()
    log_in(admin, base, USERNAMES[ADMINISTRATOR])
    admin.goto(f"{base}/admin/")
    assert_accessible(admin)
    click_and_load(admin.get_by_role("link", name=f"Endre jobb-e-posten til {NURSE}"))
    assert_accessible(admin)
    admin.fill("#field-work_email", "ikke en adresse")
    click_and_load(admin.locator("#field-submit"))
    assert "Jobb-e-post" in admin.locator(".error-summary").inner_text()
    assert_accessible(admin)
    admin.fill("#field-work_email", "sindre@sykehuset.example")
    click_and_load(admin.locator("#field-submit"))
    assert "sindre@sykehuset.example" in admin.locator(".notice").inner_text()
    assert len(mailbox.to(WORK_EMAILS[NURSE])) == 1
