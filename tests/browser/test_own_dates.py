"""A visitor works out their own normal dates on a public pathway page, all the way to the end."""
from __future__ import annotations

import pytest

from ..support.browser import assert_accessible, choose_language, click_and_load, focus_arrives

pytestmark = pytest.mark.browser


def test_a_visitor_enters_every_date_and_the_answer_they_got(page, live_server):
    page.goto(f"{live_server}/pathways/cancer-breast")
    choose_language(page, "en")
    page.get_by_label("Referral received").fill("2026-02-02")
    page.get_by_label("First visit to the hospital").fill("2026-02-09")
    page.get_by_label("Results and plan", exact=True).fill("2026-02-20")
    click_and_load(page.get_by_role("button", name="Show my dates"))

    # The answer is missing: the summary says so and leads to the choice beside the date.
    assert focus_arrives(page, ".error-summary")
    assert_accessible(page)
    page.get_by_role("link", name="Outcome of “Results and plan”: Say what the outcome of this step was.").click()
    assert page.evaluate("document.activeElement.id") == "field-outcome-clinical_decision"
    assert page.input_value("#field-clinical_decision") == "2026-02-20"  # nothing typed is lost

    page.get_by_label("Outcome of “Results and plan”").select_option(label="Breast cancer, and treatment is planned")
    page.get_by_label("Treatment, if it is decided").select_option(label="Surgery")
    page.get_by_label("Treatment starts").fill("2026-03-04")
    click_and_load(page.get_by_role("button", name="Show my dates"))

    assert "/dates" in page.url
    done = page.locator("#done-title ~ ol .step-name").all_inner_texts()
    assert done == ["Treatment starts", "Results and plan", "First visit to the hospital", "Referral received"]
    assert page.locator("section.ending").is_visible()  # treatment has started: the pathway is done
    assert_accessible(page)
