"""A coordinator's day in Chromium with the faults a newcomer met (issue 16): a mistyped
fødselsnummer, a person registered twice, a search by date of birth, a year typed wrong, and an
answer that is late. Each page on the way is checked with axe-core."""
from __future__ import annotations

import random
from urllib.parse import urlsplit
from uuid import uuid4

import pytest

from portal.identity import synthetic

from ..support.browser import DESKTOP, assert_accessible, click_and_load, focus_arrives, log_in
from ..support.world import COORDINATOR, USERNAMES

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def a_person() -> tuple[str, str, str]:
    """A name, a date of birth (dd.mm.yyyy) and a synthetic fødselsnummer no other test uses:
    the live server's data is shared by every browser test."""
    rng = random.Random(uuid4().int)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1930, 1990)
    return f"Nora {uuid4().hex[:6]}", f"{day:02d}.{month:02d}.{year}", synthetic(day, month, year, rng.randint(0, 499))


def save(page) -> None:
    click_and_load(page.locator("#field-submit"))


def open_registration(page, base: str) -> None:
    page.goto(f"{base}/staff/")
    click_and_load(page.locator("header a[href='/staff/patients/new']"))


def test_the_coordinator_registers_by_number_and_is_stopped_from_registering_twice(page, live_server):
    name, born, number = a_person()
    log_in(page, live_server, USERNAMES[COORDINATOR])

    open_registration(page, live_server)
    page.fill("#field-display_name", name)
    page.fill("#field-national_id", number[:-1] + str((int(number[-1]) + 1) % 10))  # one digit mistyped
    page.select_option("#field-pathway", "cancer-breast")
    save(page)
    assert focus_arrives(page, ".error-summary")
    assert_accessible(page)
    page.locator(".error-summary").get_by_role("link", name="Fødselsnummer eller D-nummer").click()
    assert page.evaluate("document.activeElement.id") == "field-national_id"
    page.fill("#field-national_id", number)
    assert page.input_value("#field-display_name") == name  # nothing typed is lost
    save(page)
    record = urlsplit(page.url).path
    day, month, year = born.split(".")
    assert page.locator("dl.details").inner_text().count(year) == 1  # the date of birth, from the number

    # The same number again: the existing record is one click away.
    open_registration(page, live_server)
    page.fill("#field-display_name", name)
    page.fill("#field-national_id", number)
    page.select_option("#field-pathway", "cancer-breast")
    save(page)
    assert page.locator("#registered-already h2").inner_text() == "Denne personen er allerede registrert"
    assert_accessible(page)
    click_and_load(page.locator("#registered-already").get_by_role("link", name=name))
    assert urlsplit(page.url).path == record

    # The same name and date of birth, without the number: asked, and registered only when confirmed.
    open_registration(page, live_server)
    page.fill("#field-display_name", name)
    page.fill("#field-date_of_birth", f"{year}-{month}-{day}")
    page.select_option("#field-pathway", "cancer-breast")
    save(page)
    assert page.locator("#same-person h2").inner_text() == "Er dette samme person?"
    assert page.locator("#same-person").get_by_role("link", name=name).get_attribute("href") == record
    assert_accessible(page)
    click_and_load(page.get_by_role("button", name="Registrer som ny person likevel"))
    second = urlsplit(page.url).path
    assert second.startswith("/staff/patients/") and second != record

    # Both are found on the worklist by the date of birth as Norwegians write it; one by the number.
    page.goto(f"{live_server}/staff/")
    page.fill("#f-q", born)
    click_and_load(page.get_by_role("button", name="Vis"))
    assert page.locator("table.data tbody tr").count() == 2
    assert_accessible(page)
    page.fill("#f-q", number)
    click_and_load(page.get_by_role("button", name="Vis"))
    assert page.locator("table.data tbody td:nth-child(2) a").get_attribute("href") == record


def test_the_coordinator_is_stopped_by_a_wrong_year_and_sees_a_late_answer(page, live_server):
    name, _born, number = a_person()
    log_in(page, live_server, USERNAMES[COORDINATOR])
    open_registration(page, live_server)
    page.fill("#field-display_name", name)
    page.fill("#field-national_id", number)
    page.select_option("#field-pathway", "cancer-breast")
    save(page)
    record = urlsplit(page.url).path

    click_and_load(page.get_by_role("link", name="Registrer et steg"))
    page.select_option("#field-milestone", "referral_received")
    page.fill("#field-date", "1990-03-05")  # 2026 was meant
    save(page)
    assert focus_arrives(page, ".error-summary")
    assert "Datoen er mer enn 2 år tilbake i tid. Sjekk årstallet." in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.fill("#field-date", "2026-03-05")
    save(page)
    assert urlsplit(page.url).path == record

    # An answer expected on a day that has passed: a warning to confirm, not a silent save.
    click_and_load(page.get_by_role("link", name="Legg til et forventet svar"))
    page.fill("#field-what", "Svar på blodprøven")
    page.fill("#field-expected_by", "2026-03-06")
    save(page)
    warning = page.locator("#past-date")
    assert "Datoen 6. mars 2026 er passert." in warning.inner_text()
    assert_accessible(page)
    page.get_by_label("Ja, behold denne datoen selv om den er passert").check()
    save(page)
    assert urlsplit(page.url).path == record

    # The worklist says it in words, beside the patient.
    page.goto(f"{live_server}/staff/")
    page.fill("#f-q", number)
    click_and_load(page.get_by_role("button", name="Vis"))
    row = page.locator("table.data tbody tr")
    assert "Svaret er ikke registrert: det var ventet innen 6. mars 2026" in row.inner_text()
    assert_accessible(page)
