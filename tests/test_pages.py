"""Every page, in every language: what a visitor or a patient sees."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.content import LANGUAGES
from portal.timeline.model import END_MILESTONE

from .support.content import LISTED as PATHWAYS
from .support.pages import error_links, error_on, field_value, find, form, parse, plain, text_of, texts
from .support.world import TODAY

# Public pages only: nothing here reaches the database.
pytestmark = pytest.mark.no_database


@pytest.mark.parametrize("language", LANGUAGES)
def test_front_page_lists_every_pathway_in_the_chosen_language(read_only_client, read_only_app, language):
    response = read_only_client.get(f"/?lang={language}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert parse(page).get("lang") == language
    library = read_only_app.extensions["library"]
    for pathway_id in PATHWAYS:
        assert library.get(pathway_id).texts[language].title in page
        assert f"/pathways/{pathway_id}" in page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_pathway_page_explains_every_phase_and_section(read_only_client, read_only_app, pathway_id, language):
    response = read_only_client.get(f"/pathways/{pathway_id}?lang={language}")
    assert response.status_code == 200
    page = text_of(response)
    pathway = read_only_app.extensions["library"].get(pathway_id)
    texts = pathway.texts[language]
    for phase in pathway.definition.phases:
        assert plain(texts.labels["phases"][phase.id]["name"]) in page
    for section in texts.sections.values():
        assert plain(section.html) in page  # the words, whatever glossary links they got
    for sections in texts.phases.values():
        for section in sections.values():
            assert plain(section.heading) in page
            assert plain(section.html) in page


def test_breast_cancer_page_shows_the_normal_times(read_only_client):
    page = text_of(read_only_client.get("/pathways/cancer-breast?lang=en"))
    assert "7 days" in page
    assert "12 days" in page
    assert "13 days" in page and "10 days" in page


def test_mental_health_page_counts_the_referral_assessment_in_working_days(read_only_client):
    """Today's version (from 2023) has only the legal time for assessing the referral: the 2019
    times are not shown as today's, and the page says some times are missing."""
    page = text_of(read_only_client.get("/pathways/phr-adults?lang=en"))
    assert "10 working days" in page
    assert "42 days" not in page and "84 days" not in page
    assert "does not have the official normal times for every step" in page


def test_own_dates_for_a_referral_before_2023_use_the_2019_times(read_only_client):
    response = read_only_client.get("/pathways/phr-adults/dates?lang=en&referral_received=2022-03-02"
                          "&referral_assessed=2022-03-08&first_attendance=2022-03-14")
    assert response.status_code == 200
    assert "Monday 25 April 2022" in text_of(response)  # the decision: 42 days after the first attendance


def test_language_choice_is_remembered_across_pages(read_only_client):
    response = read_only_client.post("/language/nn?next=/pathways/hph")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/pathways/hph")
    assert parse(read_only_client.get("/")).get("lang") == "nn"
    assert parse(read_only_client.get("/pathways/cancer-breast")).get("lang") == "nn"


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org", "/\\example.org", "pathways/hph",
                                    "/\t/example.org", "/pathways/hph\x00", "/pathways/hph\x7f", "/pathways\x85"])
def test_language_switch_does_not_redirect_to_other_sites(read_only_client, target):
    response = read_only_client.post("/language/en", query_string={"next": target})
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_bokmal_is_the_default(read_only_client):
    assert parse(read_only_client.get("/")).get("lang") == "nb"


def test_unknown_pathway_is_a_friendly_404_in_the_users_language(read_only_client):
    response = read_only_client.get("/pathways/no-such-pathway?lang=en")
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_own_dates_are_computed_from_the_referral_date(read_only_client):
    response = read_only_client.get("/pathways/cancer-breast/dates", query_string={
        "lang": "en", "referral_received": "2026-03-02", "first_attendance": "2026-03-06"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Wednesday 18 March 2026" in page  # decision: 12 days after first attendance


def test_eating_disorders_first_appointment_depends_on_how_serious_the_illness_is(read_only_client):
    page = text_of(read_only_client.get("/pathways/phr-eating-disorders-children?lang=nb"))
    assert "Alvorlig sykdom: Normalt innen 7 dager etter «Henvisning vurdert»." in page
    assert "Mindre alvorlig sykdom: Normalt innen 28 dager etter «Henvisning vurdert»." in page

    # Counted from the day the referral is normally assessed (10 working days: Monday 16 March).
    own_dates = "/pathways/phr-eating-disorders-children/dates?lang=en&referral_received=2026-03-02"
    page = text_of(read_only_client.get(own_dates))
    assert "It depends on how serious the illness is: Serious illness: normally by Monday 23 March 2026" in page
    assert "Less serious illness: normally by Monday 13 April 2026" in page
    page = text_of(read_only_client.get(own_dates + "&severity=serious"))
    assert "Monday 23 March 2026" in page and "13 April 2026" not in page


def _whole_way(pathway) -> dict[str, str]:
    """Every step of the public form filled in, a week apart up to a week before TODAY: each decision
    taken the way that keeps the pathway going and, where an outcome leads to a step of its own,
    that outcome, so that step is dated too; and a reason for the end."""
    definition = pathway.definition
    days = [TODAY - timedelta(days=7 * n) for n in range(len(definition.milestones), 0, -1)]
    entered = {}
    for milestone, day in zip(definition.milestones, days, strict=True):
        entered[milestone.id] = day.isoformat()
        going_on = [o for o, outcome in milestone.outcomes.items() if not outcome.ends]
        if going_on:
            leading = [o for o in going_on if milestone.outcomes[o].adds]
            entered[f"outcome-{milestone.id}"] = (leading or going_on)[0]
        if milestone.id == END_MILESTONE:
            entered[f"reason-{milestone.id}"] = next(iter(definition.end_reasons))
    for kind, values in definition.branches.items():
        entered[kind] = values[0]
    return entered


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_own_dates_can_be_entered_for_every_step_from_start_to_end(read_only_client, read_only_app, pathway_id):
    """The form offers what each step needs (the outcome of a decision, why the pathway ended), so a
    visitor who knows every date gets their timeline, every step in it as done."""
    pathway = read_only_app.extensions["library"].get(pathway_id)
    page = read_only_client.get(f"/pathways/{pathway_id}?lang=en")
    entered = _whole_way(pathway)
    shown = form(page, f"/pathways/{pathway_id}/dates")
    assert set(entered) <= set(shown.fields.keys())  # every field filled in is on the form
    response = read_only_client.get(f"/pathways/{pathway_id}/dates", query_string={"lang": "en", **entered})
    assert response.status_code == 200, error_links(response)
    done = " ".join(texts(response, "#done-title ~ ol .step-name"))
    labels = pathway.texts["en"].labels["milestones"]
    for milestone in pathway.definition.milestones:
        assert labels[milestone.id]["name"] in done


def test_the_decision_asks_for_its_outcome_beside_its_date(read_only_client, read_only_app):
    """A date for "the answer and the plan" without the answer: the error is on the outcome's choice,
    which the form shows, and what was typed is kept."""
    asked = {"lang": "en", "referral_received": "2026-02-02", "first_attendance": "2026-02-09",
             "clinical_decision": "2026-02-20"}
    response = read_only_client.get("/pathways/cancer-breast/dates", query_string=asked)
    assert response.status_code == 400
    assert error_links(response) == {
        "#field-outcome-clinical_decision": "Outcome of “Results and plan”: Say what the outcome of this step was."}
    assert "Say what the outcome of this step was." in error_on(response, "outcome-clinical_decision")
    assert field_value(response, "#field-clinical_decision") == "2026-02-20"
    choices = texts(response, "#field-outcome-clinical_decision option")
    assert choices[0] == "Not known yet" and "No illness found" in choices

    answered = read_only_client.get("/pathways/cancer-breast/dates", query_string={
        **asked, "outcome-clinical_decision": "cancer_confirmed", "treatment": "surgery"})
    assert answered.status_code == 200
    assert "Thursday 5 March 2026" in text_of(answered)  # surgery: 13 days after the decision


def test_an_outcome_that_ends_the_pathway_shows_the_end(read_only_client):
    response = read_only_client.get("/pathways/cancer-breast/dates", query_string={
        "lang": "en", "referral_received": "2026-02-02", "clinical_decision": "2026-02-20",
        "outcome-clinical_decision": "no_disease"})
    assert response.status_code == 200
    assert "No illness found" in texts(response, "section.ending h2")[0]


def test_an_outcome_without_its_date_asks_for_the_date(read_only_client):
    response = read_only_client.get("/pathways/cancer-breast/dates", query_string={
        "lang": "en", "referral_received": "2026-02-02", "outcome-clinical_decision": "cancer_confirmed"})
    assert response.status_code == 400
    assert "Enter the date of this step too" in error_links(response)["#field-clinical_decision"]
    assert field_value(response, "#field-outcome-clinical_decision") == "cancer_confirmed"


def test_an_outcome_the_step_does_not_have_is_refused_on_its_field(read_only_client):
    response = read_only_client.get("/pathways/cancer-breast/dates", query_string={
        "lang": "en", "referral_received": "2026-02-02", "clinical_decision": "2026-02-20",
        "outcome-clinical_decision": "treatment_here"})
    assert response.status_code == 400
    assert "is not a possible outcome" in error_links(response)["#field-outcome-clinical_decision"]


def test_a_step_only_some_outcomes_lead_to_says_which_and_asks_for_its_own_outcome(read_only_client):
    page = read_only_client.get("/pathways/phr-tsb?lang=en")
    assert texts(page, "#hint-detox_completed") == ["Only after “Detox first, then further treatment”."]
    assert find(page, "#field-outcome-detox_completed")
    assert find(page, "#field-reason-pathway_ended")
    ended = read_only_client.get("/pathways/phr-tsb/dates", query_string={
        "lang": "en", "referral_received": "2026-01-05", "pathway_ended": "2026-03-02"})
    assert ended.status_code == 400
    assert "Say why the pathway ended." in error_links(ended)["#field-reason-pathway_ended"]


def test_own_dates_with_a_malformed_date_show_an_error_summary_naming_the_field(read_only_client, read_only_app):
    response = read_only_client.get("/pathways/cancer-breast/dates?lang=en&referral_received=2026-02-30")
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    labels = read_only_app.extensions["library"].get("cancer-breast").texts["en"].labels["milestones"]
    assert error_links(response)["#field-referral_received"].startswith(labels["referral_received"]["name"])
    assert field_value(response, "#field-referral_received") == "2026-02-30"  # the entry is kept, not lost


def test_own_dates_with_a_future_step_are_refused_with_a_message(read_only_client):
    response = read_only_client.get("/pathways/cancer-breast/dates", query_string={
        "lang": "nb", "referral_received": "2026-03-02", "first_attendance": "2027-01-01"})
    assert response.status_code == 400
    assert "#field-first_attendance" in error_links(response)


def test_own_dates_with_nothing_entered_asks_for_a_date(read_only_client):
    response = read_only_client.get("/pathways/hph/dates?lang=en")
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_security_headers_are_set(read_only_client):
    headers = read_only_client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.no_database
@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_the_sources_are_named_as_a_reader_would_look_them_up(read_only_client, pathway_id):
    """Sources are cited by who wrote them and what, never by this project's working files."""
    page = read_only_client.get(f"/pathways/{pathway_id}?lang=nb")
    sources = " ".join(element.text_content() for element in parse(page).cssselect("[id^=source-]"))
    assert sources
    for leak in ("seed", "lines ", "L530", ".txt"):
        assert leak not in sources, (pathway_id, leak)
