"""Real pages in Chromium: public pathways and the timelines of the cast, in every language, at phone and
desktop width, each checked with axe-core (no serious or critical violation)."""
from __future__ import annotations

import pytest

from portal.content import LANGUAGES

from ..support.browser import (
    DESKTOP,
    assert_accessible,
    assert_no_sideways_scrolling,
    choose_language,
    click_and_load,
    focus_arrives,
    log_in,
    press_and_load,
)
from ..support.content import LISTED
from ..support.world import COORDINATOR, USERNAMES

pytestmark = pytest.mark.browser

PATHWAYS = ("cancer-breast", "phr-adults", "hph")


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_in_every_language(page, live_server, language):
    base = live_server
    page.goto(f"{base}/")
    choose_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    for pathway_id in PATHWAYS:
        click_and_load(page.locator(f"a[href='/pathways/{pathway_id}']").first)
        assert page.locator("html").get_attribute("lang") == language  # remembered across pages
        assert page.locator("h1").is_visible()
        assert page.locator("ol.phases > li").count() >= 3
        assert_accessible(page)
        assert_no_sideways_scrolling(page)
        page.go_back()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_pathway_page_in_every_language(page, live_server, language):
    """Each listed pathway's page, every text unfolded: at both widths without sideways scrolling,
    and checked with axe-core at desktop width; and the library's search, which works as a plain
    form. axe-core reads the same page at both widths (the layout is the stylesheet's, the same for
    every pathway): test_public_pages_in_every_language runs it at phone width on three pathways,
    and each run here costs about a second."""
    base = live_server
    for pathway_id in LISTED:
        page.goto(f"{base}/pathways/{pathway_id}?lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("ol.phases > li").count() >= 2
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if page.viewport_size == DESKTOP:
            assert_accessible(page)
        assert_no_sideways_scrolling(page)
    page.goto(f"{base}/?lang={language}")
    page.fill("#field-q", "bryst")
    page.focus("#field-q")
    press_and_load(page, "Enter")
    click_and_load(page.locator("#results-title ~ ul a[href='/pathways/cancer-breast']"))
    assert page.url.endswith("/pathways/cancer-breast")
    page.goto(f"{base}/glossary?lang={language}")
    assert page.locator("dl.glossary dt").count() >= 25
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_own_dates_form_and_its_error_summary(page, live_server, language):
    base = live_server
    page.goto(f"{base}/pathways/cancer-breast?lang={language}")
    page.fill("#field-referral_received", "2026-03-02")
    page.fill("#field-first_attendance", "2026-03-06")
    click_and_load(page.locator("main form button[type=submit]"))
    assert "/dates" in page.url
    assert page.locator("section.next").is_visible()
    assert_accessible(page)

    page.goto(f"{base}/pathways/cancer-breast?lang={language}")
    page.fill("#field-referral_received", "2026-03-02")
    page.fill("#field-first_attendance", "2026-02-01")  # before the referral
    click_and_load(page.locator("main form button[type=submit]"))
    assert focus_arrives(page, ".error-summary")  # read first by a screen reader
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "field-first_attendance"
    assert page.input_value("#field-first_attendance") == "2026-02-01"  # nothing typed is lost
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("patient", ["Kari Demo", "Liv Demo", "Anne Demo", "Mona Demo", "Jonas Demo", "Astrid Demo",
                                     "Harald Demo"])
def test_a_patients_timeline(page, live_server, session_cookies, patient, language):
    base = live_server
    page.context.add_cookies(session_cookies(patient))
    page.goto(f"{base}/my-timeline?lang={language}")
    assert page.locator("h1").is_visible()
    assert page.locator("section.now").is_visible()
    assert page.locator("section.contacts li").count() >= 2
    assert_accessible(page)
    assert_no_sideways_scrolling(page)


def test_the_care_team_chooses_patients_to_print(page, live_server):
    base = live_server
    log_in(page, base, USERNAMES[COORDINATOR])
    page.goto(f"{base}/staff/clinic-day?day=2026-03-12&lang=en")
    assert_accessible(page)
    page.goto(f"{base}/staff/?lang=en")
    assert_accessible(page)
    page.get_by_label("Print Kari Demo").check()
    with page.expect_response(lambda response: "/staff/print.pdf" in response.url) as answer:
        page.get_by_role("button", name="Print the chosen patients (PDF)").click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "patient=" in response.url


def test_next_step_and_its_date_are_on_the_first_phone_screen(browser, live_server):
    base = live_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, base, USERNAMES["Kari Demo"])
    page.goto(f"{base}/my-timeline?lang=en")
    box = page.locator("section.next").bounding_box()
    context.close()
    assert box is not None and box["y"] + box["height"] < 844  # the next step and its date fit the first screen


def test_timeline_works_without_javascript(browser, live_server):
    base = live_server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, USERNAMES["Ola Demo"])
    assert page.url.endswith("/my-timeline")
    assert page.locator("section.next").is_visible()
    page.locator("details.phase-text summary").first.click()  # details open without scripts
    assert page.locator("details.phase-text[open]").count() == 1
    context.close()


def test_page_reflows_at_320_css_pixels(browser, live_server):
    """WCAG reflow: 1280px at 400% zoom is 320 CSS pixels; 200% zoom is covered with room to spare."""
    base = live_server
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/pathways/phr-adults"):
        page.goto(base + path)
        assert_no_sideways_scrolling(page)
    log_in(page, base, USERNAMES["Mona Demo"])
    assert_no_sideways_scrolling(page)
    context.close()


def test_keyboard_user_can_skip_to_content(browser, live_server):
    base = live_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()


def test_axe_check_catches_a_real_violation(browser):
    """A control: the check above must be able to fail."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="nb"><head><title>x</title></head>'
                     '<body><main><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
    context.close()
