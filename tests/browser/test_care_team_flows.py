"""The care team's and the patient's work end to end in Chromium, through the pages alone: a
coordinator registers a patient and plans for them, the patient activates their account and reads
their timeline, and shares it with a relative. Every page loaded on the way is checked with axe-core,
including the forms showing an error summary."""
from __future__ import annotations

from urllib.parse import urlsplit
from uuid import uuid4

import pytest

from ..support.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_sideways_scrolling,
    click_and_load,
    focus_arrives,
    focus_is_on,
    log_in,
    press_and_load,
    tab_next,
    tab_to,
)
from ..support.world import COORDINATOR, PASSWORD, USERNAMES

pytestmark = pytest.mark.browser

APPOINTMENT = "Mammografi og ultralyd"
RESULT = "Svar på mammografien"


class AxeLog:
    """The addresses a test's pages load, and those checked with axe-core: every address loaded
    must be checked at least once. A form and the same form with its error summary share one
    address, so the tests check those two explicitly."""

    def __init__(self):
        self.loaded: set[str] = set()
        self.checked: set[str] = set()
        self.count = 0

    def watch(self, page) -> None:
        page.on("load", lambda loaded: self.loaded.add(urlsplit(loaded.url).path))

    def check(self, page) -> None:
        assert_accessible(page)
        self.checked.add(urlsplit(page.url).path)
        self.count += 1

    def assert_every_page_checked(self) -> None:
        assert not self.loaded - self.checked, f"not checked with axe-core: {sorted(self.loaded - self.checked)}"


@pytest.fixture
def axe(record_property):
    log = AxeLog()
    yield log
    record_property("axe_checked_pages", log.count)


@pytest.fixture
def open_page(browser, axe):
    """open_page(viewport) -> a page in a browser context of its own (its own cookies), watched by `axe`."""
    contexts = []

    def open_page(viewport=DESKTOP):
        contexts.append(browser.new_context(viewport=viewport, bypass_csp=True))
        page = contexts[-1].new_page()
        axe.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def unique(name: str) -> str:
    """Names no other test uses: the live server's data is shared by every browser test."""
    return f"{name} {uuid4().hex[:6]}"


def save(page) -> None:
    click_and_load(page.locator("main form button[type=submit]").first)


def coordinator_logs_in(page, base: str, axe: AxeLog) -> None:
    page.goto(f"{base}/login")
    axe.check(page)
    log_in(page, base, USERNAMES[COORDINATOR])
    assert urlsplit(page.url).path == "/staff/"
    axe.check(page)  # the worklist


def register_and_plan(page, base: str, axe: AxeLog, name: str) -> str:
    """The coordinator registers `name` in the breast cancer pathway, records the referral, adds an
    appointment and an expected result; returns the address of the patient's record."""
    coordinator_logs_in(page, base, axe)

    click_and_load(page.locator("header a[href='/staff/patients/new']"))
    axe.check(page)
    page.fill("#field-display_name", name)
    page.fill("#field-date_of_birth", "1961-04-23")
    page.select_option("#field-pathway", "cancer-breast")
    page.fill("#field-phone", "+47 400 00 000")
    page.get_by_label("Bokmål", exact=True).check()
    page.check("#field-large_print")
    save(page)
    assert page.locator("h1").inner_text() == name
    assert page.locator("p.notice").inner_text() == "Lagret."
    record = urlsplit(page.url).path
    axe.check(page)

    click_and_load(page.get_by_role("link", name="Registrer et steg"))
    axe.check(page)
    page.select_option("#field-milestone", "referral_received")
    page.fill("#field-date", "2026-03-05")
    save(page)
    assert page.locator("table.data").get_by_role("row", name="5. mars 2026 Henvisning mottatt").is_visible()

    click_and_load(page.get_by_role("link", name="Legg til en time"))
    axe.check(page)
    page.fill("#field-day", "2026-03-13")
    page.fill("#field-time", "10:15")
    page.fill("#field-what", APPOINTMENT)
    save(page)  # without saying where
    assert focus_arrives(page, ".error-summary")  # read first by a screen reader
    axe.check(page)
    page.locator(".error-summary").get_by_role("link", name="Sted: Skriv hvor det er").click()
    assert page.evaluate("document.activeElement.id") == "field-place"
    page.keyboard.type("Radiologisk avdeling, 2. etasje")
    assert page.input_value("#field-what") == APPOINTMENT  # nothing typed before is lost
    save(page)

    click_and_load(page.get_by_role("link", name="Legg til et forventet svar"))
    axe.check(page)
    page.fill("#field-what", RESULT)
    page.fill("#field-expected_by", "2026-03-20")
    page.fill("#field-how_you_hear", "Du blir ringt opp.")
    save(page)
    assert urlsplit(page.url).path == record
    return record


def make_activation_code(page, axe: AxeLog) -> str:
    """On the patient's record: the coordinator makes a code and reads it off the page."""
    click_and_load(page.get_by_role("button", name="Lag en aktiveringskode"))
    axe.check(page)
    return page.locator(".code-display").inner_text().strip()


def activate(page, base: str, axe: AxeLog, code: str, username: str) -> None:
    """The patient types the code they were given, then chooses a username and a password."""
    page.goto(f"{base}/activate")
    axe.check(page)
    page.locator("#field-code").press_sequentially("ABCD-EFGH-JKMN-PQRS")  # a mistyped code first
    save(page)
    assert page.locator(".error-summary").is_visible()
    axe.check(page)
    page.fill("#field-code", "")
    page.locator("#field-code").press_sequentially(code)
    save(page)
    assert urlsplit(page.url).path == "/activate/password"
    axe.check(page)
    page.fill("#field-username", username)
    page.fill("#field-password", PASSWORD)
    page.fill("#field-confirm", PASSWORD)
    save(page)


def sign_out(page) -> None:
    click_and_load(page.locator("header form[action='/logout'] button"))


def new_patient_with_account(open_page, base, axe):
    """A patient registered, planned for and activated through the pages: (their signed-in page,
    their name, their username)."""
    name, username = unique("Berit Nordmann"), unique("berit").replace(" ", ".")
    staff = open_page()
    register_and_plan(staff, base, axe, name)
    code = make_activation_code(staff, axe)
    page = open_page(PHONE)  # patients and relatives mostly read on their phones
    activate(page, base, axe, code, username)
    assert urlsplit(page.url).path == "/my-timeline"  # signed in
    axe.check(page)
    assert_no_sideways_scrolling(page)
    return page, name, username


def section(page, heading_id: str):
    return page.locator("section", has=page.locator(f"#{heading_id}"))


def test_coordinator_registers_plans_and_makes_an_activation_code(open_page, live_server, axe):
    base = live_server
    name = unique("Astrid Nordmann")
    page = open_page()
    record = register_and_plan(page, base, axe, name)
    assert page.locator(".plain-list li", has_text=APPOINTMENT).inner_text().startswith("13. mars 2026 kl. 10:15: ")
    result = page.locator(".plain-list li", has_text=RESULT).inner_text()
    assert result.startswith(f"{RESULT}: forventet innen 20. mars 2026")
    assert "Stor skrift" in page.locator("dl.details").inner_text()
    axe.check(page)

    code = make_activation_code(page, axe)
    assert len(code.replace("-", "")) == 16
    click_and_load(page.get_by_role("link", name=f"Tilbake til {name}"))
    assert urlsplit(page.url).path == record

    click_and_load(page.locator("header a[href='/staff/']"))
    page.fill("#f-q", name)
    click_and_load(page.get_by_role("button", name="Vis"))
    row = page.get_by_role("row", name=name)
    assert "Første time på sykehuset" in row.inner_text()  # the next step after the referral
    axe.check(page)
    axe.assert_every_page_checked()


def test_patient_activates_and_reads_the_plan_in_bokmal(open_page, live_server, axe):
    base = live_server
    page, _, username = new_patient_with_account(open_page, base, axe)
    sign_out(page)
    axe.check(page)  # the front page
    click_and_load(page.locator("header a[href='/login']"))
    axe.check(page)
    log_in(page, base, username)

    assert urlsplit(page.url).path == "/my-timeline"
    assert page.locator("html").get_attribute("lang") == "nb"  # the language chosen at registration
    assert page.locator("h1").inner_text() == "Tidslinjen din"
    done = section(page, "done-title").inner_text()
    assert "Henvisning mottatt" in done and "torsdag 5. mars 2026" in done
    appointments = section(page, "appointments-title").inner_text()
    assert "Dine timer" in appointments
    assert f"fredag 13. mars 2026 kl. 10:15: {APPOINTMENT}" in appointments
    assert "Radiologisk avdeling, 2. etasje" in appointments
    results = section(page, "results-title").inner_text()
    assert f"{RESULT}: forventet innen fredag 20. mars 2026. Du blir ringt opp." in results
    axe.assert_every_page_checked()


def test_patient_shares_with_a_relative_and_decides_what_they_see(open_page, live_server, axe):
    base = live_server
    patient, name, _ = new_patient_with_account(open_page, base, axe)
    click_and_load(patient.locator("header a[href='/my/relatives']"))
    axe.check(patient)
    relative_name = unique("Rita")
    patient.fill("#field-relative_name", relative_name)
    patient.fill("#field-relation", "datter")
    patient.uncheck("#field-see_appointments")
    click_and_load(patient.get_by_role("button", name="Lag en invitasjonslenke"))
    axe.check(patient)  # the link, shown once
    assert_no_sideways_scrolling(patient)  # however long the link
    link = patient.input_value("#link-to-pass-on")

    relative = open_page(PHONE)
    relative.goto(link)
    assert name in relative.locator("h1").inner_text()
    axe.check(relative)
    relative.fill("#field-username", unique("rita").replace(" ", "."))
    relative.fill("#field-password", PASSWORD)
    relative.fill("#field-confirm", PASSWORD + " nei")
    save(relative)
    assert relative.locator(".error-summary").is_visible()
    axe.check(relative)
    relative.fill("#field-password", PASSWORD)
    relative.fill("#field-confirm", PASSWORD)
    save(relative)
    assert relative.locator("h1").inner_text() == f"Delt av {name}"  # the timeline box was not ticked
    shared = relative.locator("main")
    assert f"{name} har ikke delt tidslinjen med deg" in shared.inner_text()
    for unshared in ("Henvisning mottatt", APPOINTMENT, RESULT):
        assert unshared not in shared.inner_text()
    axe.check(relative)
    assert_no_sideways_scrolling(relative)

    click_and_load(patient.get_by_role("link", name="Tilbake til deling"))
    share = patient.locator("li[id^=share-]", has_text=relative_name)
    assert "Har takket ja til invitasjonen." in share.inner_text()
    share.locator("input[name=see_appointments]").check()
    click_and_load(share.get_by_role("button", name=f"Lagre hva {relative_name} kan se"))
    assert patient.locator("p.notice").inner_text() == "Lagret. Personen ser nå det du valgte."
    axe.check(patient)
    relative.reload()
    assert relative.locator("h1").inner_text() == f"Tidslinje for {name}"
    for now_shared in ("Henvisning mottatt", APPOINTMENT, RESULT):
        assert now_shared in shared.inner_text()

    click_and_load(share.get_by_role("button", name=f"Slutt å dele med {relative_name}"))
    assert patient.locator("p.notice").inner_text() == "Ferdig. Personen kan ikke lenger se tidslinjen din."
    axe.check(patient)
    assert relative.reload().status == 404
    assert name not in shared.inner_text()
    axe.check(relative)
    axe.assert_every_page_checked()


def choose_by_arrows(page, selector: str, value: str) -> None:
    """Move down a focused list with the arrow key until `value` is chosen."""
    for _ in range(page.locator(f"{selector} option").count()):
        if page.input_value(selector) == value:
            return
        page.keyboard.press("ArrowDown")
    assert page.input_value(selector) == value


def test_new_patient_form_by_keyboard_alone(open_page, live_server, axe):
    base = live_server
    page = open_page()
    coordinator_logs_in(page, base, axe)
    tab_to(page, "header a[href='/staff/patients/new']")
    press_and_load(page, "Enter")
    axe.check(page)

    name = unique("Kåre Tastatur")
    tab_to(page, "#field-display_name")
    page.keyboard.type(name)
    press_and_load(page, "Enter")  # sent without the date of birth and the pathway
    assert focus_arrives(page, ".error-summary")
    assert page.input_value("#field-display_name") == name
    axe.check(page)
    tab_next(page, ".error-summary a[href='#field-date_of_birth']")
    page.keyboard.press("Enter")
    assert focus_is_on(page, "#field-date_of_birth")
    page.keyboard.type("04231961")  # Chromium's date field in its default en-US order: month, day, year
    assert page.input_value("#field-date_of_birth") == "1961-04-23"
    tab_to(page, "#field-pathway")  # Tab first moves through the parts of the date field
    choose_by_arrows(page, "#field-pathway", "cancer-breast")
    tab_next(page, "#field-phone")
    page.keyboard.type("+47 400 00 001")
    tab_next(page, "#field-email")
    tab_next(page, "#field-address")
    tab_next(page, "input[name=preferred_language][value=nb]")  # the chosen one of the group
    page.keyboard.press("ArrowDown")  # nynorsk
    tab_next(page, "#field-large_print")
    page.keyboard.press("Space")
    tab_next(page, "#field-interpreter_language")
    page.keyboard.type("polsk")
    tab_next(page, "#field-submit")
    press_and_load(page, "Enter")

    assert page.locator("h1").inner_text() == name
    details = page.locator("dl.details").inner_text()
    assert "23. april 1961" in details and "+47 400 00 001" in details and "Nynorsk" in details
    assert "Stor skrift; Tolk: polsk" in details
    assert page.locator("section.enrolment h2").inner_text() == "Pakkeforløp for brystkreft"
    axe.check(page)
    axe.assert_every_page_checked()
