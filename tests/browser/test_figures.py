"""The figures pages in Chromium: the coordinators' page with its chart and table, and the public
pathway page for a chosen unit, each checked with axe-core on a phone, with the keyboard."""
from __future__ import annotations

import pytest

from ..support.browser import assert_accessible, assert_no_sideways_scrolling, log_in, press_and_load, serving, tab_to
from ..support.figures import DECIDED_IN, UNIT, unit_with_history

pytestmark = pytest.mark.browser


@pytest.fixture
def server(make_app):
    """A server of its own on a unit with enough history for its figures (tests/test_figures.py)."""
    with serving(unit_with_history(make_app, DECIDED_IN)) as base:
        yield base



def test_the_coordinator_reads_the_figures_and_computes_them_again(phone_page, server):
    base = server
    page = phone_page
    log_in(page, base, "kora")
    tab_to(page, "nav.account-nav a[href='/staff/figures']")
    press_and_load(page, "Enter")
    assert page.locator("h1").inner_text() == f"Tall for {UNIT}"
    assert page.locator("svg[role=img] title").count() == 1
    assert "Svar og plan" in page.locator("table").first.inner_text()
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")
    assert "Tallene er regnet ut på nytt." in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_public_page_shows_a_units_figures(phone_page, server):
    base = server
    page = phone_page
    page.goto(f"{base}/pathways/cancer-breast?lang=nb")
    tab_to(page, "main a[href$='/units']")
    press_and_load(page, "Enter")
    assert_accessible(page)
    tab_to(page, "main li a")
    press_and_load(page, "Enter")
    assert "9 av 10 til dette steget innen 6 dager" in " ".join(page.locator(".usual").all_inner_texts())
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
