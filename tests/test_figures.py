"""What usually happens at a unit: the figures against small cases worked out by hand (ties, working
days across Easter, branches, a postponed step, too few cases), a property of the percentiles, and
the figures where people meet them: the patient's timeline in three languages, the public pathway
page for a chosen unit, the coordinators' page with its chart and table, and the daily job."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from portal import database
from portal.figures.compute import Case, cases_of, days_between, figures_of, nearest_rank
from portal.models import StepFigure, Unit
from portal.timeline import Event, Options, PathwayDefinition
from portal.timeline.model import Interval, Milestone, NormVersion, Phase

from .support.figures import DECIDED_IN, UNIT, unit_with_history
from .support.pages import texts
from .support.pdfs import pdf_text, read_pdf
from .support.people import login


@pytest.fixture(scope="module")
def breast(read_only_app):
    return read_only_app.extensions["library"].get("cancer-breast").definition


@pytest.mark.no_database
def test_nearest_rank_percentiles_with_ties():
    assert nearest_rank(list(range(1, 11)), 0.5) == 5
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank([3, 3, 3, 7], 0.5) == 3
    assert nearest_rank([3, 3, 3, 7], 0.9) == 7
    assert nearest_rank([4], 0.9) == 4


@pytest.mark.no_database
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_the_90th_percentile_is_never_below_the_median(days):
    [figures] = figures_of([Case("step", None, "calendar_days", d, True) for d in days]).values()
    assert figures.p90 >= figures.median
    assert min(days) <= figures.median <= max(days)


@pytest.mark.no_database
def test_working_days_skip_weekends_and_easter():
    # Easter 2026: Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
    assert days_between(date(2026, 4, 1), date(2026, 4, 7), "working_days") == 1
    assert days_between(date(2026, 4, 1), date(2026, 4, 7), "calendar_days") == 6
    assert days_between(date(2026, 3, 27), date(2026, 4, 1), "working_days") == 3  # Mon 30, Tue 31, Wed 1


@pytest.mark.no_database
def test_each_step_counts_from_the_step_before_with_its_norm_and_branch(breast):
    start = date(2026, 1, 5)
    events = [Event("referral_received", start), Event("first_attendance", start + timedelta(days=5)),
              Event("clinical_decision", start + timedelta(days=19), outcome="cancer_confirmed", treatment="surgery"),
              Event("treatment_start", start + timedelta(days=33), treatment="surgery")]
    cases = cases_of(breast, events, Options(), date(2025, 6, 1), date(2026, 6, 1))
    assert cases == [  # the breast cancer norms: 7, 12, and 13 days for surgery
        Case("first_attendance", None, "calendar_days", 5, True),  # norm 7 days
        Case("clinical_decision", None, "calendar_days", 14, False),  # norm 12 days: later than normal
        Case("treatment_start", ("treatment", "surgery"), "calendar_days", 14, False),  # surgery: 13 days
    ]
    # Only steps inside the window count.
    assert [c.milestone for c in cases_of(breast, events, Options(), start + timedelta(days=10),
                                          start + timedelta(days=20))] == ["clinical_decision"]


@pytest.mark.no_database
def test_a_step_after_a_late_repeat_is_measured_against_its_normal_date_not_today():
    """The timeline counts what follows a late step from today; a figure measures each step against
    the date that was normal before it happened. Talks repeat every 30 days, a decision comes 20
    days after a talk: the second talk was normally due on day 35 and never came, so the decision
    was normally due on day 55. Recorded on day 60, it came later than normal."""
    start = date(2026, 1, 5)
    norms = NormVersion(date(2019, 1, 1), None, "test table", "official",
                        (Interval("received", "talk", 10, "calendar_days"),
                         Interval("talk", "talk", 30, "calendar_days"),
                         Interval("talk", "decision", 20, "calendar_days")))
    pathway = PathwayDefinition(
        id="made-up", shape="evaluation_loop", category="mental_health", version="1",
        effective_from=date(2019, 1, 1), source="test", clock_start="received", listed=False,
        phases=(Phase("all", (("received", None),)),),
        milestones=(Milestone("received"), Milestone("talk", repeats=True), Milestone("decision")),
        branches={}, end_reasons={"other": False}, norms=(norms,))
    events = [Event("received", start), Event("talk", start + timedelta(days=5)),
              Event("decision", start + timedelta(days=60))]
    decision = cases_of(pathway, events, Options(), start, start + timedelta(days=60))[-1]
    assert decision == Case("decision", None, "calendar_days", 55, False)  # from the recorded talk


@pytest.mark.no_database
def test_a_step_the_patient_postponed_is_left_out(breast):
    start = date(2026, 1, 5)
    events = [Event("referral_received", start), Event("patient_postponed", start + timedelta(days=1),
                                                       until=start + timedelta(days=20)),
              Event("first_attendance", start + timedelta(days=22))]
    assert cases_of(breast, events, Options(), date(2025, 6, 1), date(2026, 6, 1)) == []


@pytest.mark.no_database
def test_branches_are_figured_apart():
    cases = ([Case("treatment_start", ("treatment", "surgery"), "calendar_days", d, d <= 13) for d in (10, 12, 20)]
             + [Case("treatment_start", ("treatment", "drug"), "calendar_days", d, True) for d in (3, 4)])
    figures = figures_of(cases)
    surgery = figures[("treatment_start", ("treatment", "surgery"))]
    drug = figures[("treatment_start", ("treatment", "drug"))]
    assert (surgery.cases, surgery.median, surgery.p90, surgery.within_norm) == (3, 12, 20, 2)
    assert (drug.cases, drug.median, drug.p90, drug.within_norm) == (2, 3, 4, 2)


def signed_in(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


@pytest.mark.parametrize(("language", "sentence"), [
    ("nb", "Her, de siste 12 månedene, kom 9 av 10 til dette steget innen 6 dager (halvparten innen 5 dager)."),
    ("nn", "Her, dei siste 12 månadene, kom 9 av 10 til dette steget innan 6 dagar (halvparten innan 5 dagar)."),
    ("en", "At this unit, in the last 12 months, 9 in 10 reached this step within 6 days (half within 5 days)."),
])
def test_the_patient_sees_what_usually_happened_beside_the_norm(make_app, language, sentence):
    ase = signed_in(unit_with_history(make_app, DECIDED_IN), "ase")
    page = ase.get(f"/my-timeline?lang={language}")
    assert sentence in texts(page, ".usual")
    printed = pdf_text(read_pdf(ase.get(f"/my-timeline.pdf?lang={language}")))
    assert " ".join(sentence.split()[-6:]) in " ".join(printed.split())


def test_nothing_is_shown_with_fewer_than_20_cases(make_app):
    app = unit_with_history(make_app, DECIDED_IN[:19])
    assert texts(signed_in(app, "ase").get("/my-timeline"), ".usual") == []
    rows = texts(signed_in(app, "kora").get("/staff/figures?lang=nb"), "tbody tr")
    assert "Svar og plan 19 For få saker til å vise" in rows


def test_the_coordinators_page_has_a_chart_and_a_table_and_computes_again(make_app):
    app = unit_with_history(make_app, DECIDED_IN)
    kora = signed_in(app, "kora")
    page = kora.get("/staff/figures?lang=nb")
    decisions = next(row for row in texts(page, "tbody tr") if row.startswith("Svar og plan"))
    assert decisions == "Svar og plan 20 95 % 5 dager 6 dager"
    assert page.text.count("<svg") == 1 and "Mål 70 %" in page.text
    with app.app_context():
        db = database.session()
        db.execute(StepFigure.__table__.delete())
        db.commit()
    again = kora.post("/staff/figures")
    assert again.status_code == 302
    assert "Tallene er regnet ut på nytt." in kora.get(again.headers["Location"]).text
    assert decisions in texts(kora.get("/staff/figures?lang=nb"), "tbody tr")


def test_the_public_page_shows_a_chosen_units_figures(make_app):
    app = unit_with_history(make_app, DECIDED_IN)
    client = app.test_client()
    assert texts(client.get("/pathways/cancer-breast/units"), "main li a") == [UNIT]
    with app.app_context():
        unit_id = database.session().scalar(select(Unit.id).where(Unit.name == UNIT))
    page = client.get(f"/pathways/cancer-breast?unit={unit_id}")
    assert "Her, de siste 12 månedene, kom 9 av 10 til dette steget innen 6 dager (halvparten innen 5 dager)." in (
        texts(page, ".usual"))
    assert texts(client.get("/pathways/cancer-breast?unit=%C2%B2"), ".usual") == []


def test_the_daily_job_computes_the_figures(make_app):
    app = unit_with_history(make_app, DECIDED_IN)
    with app.app_context():
        db = database.session()
        db.execute(StepFigure.__table__.delete())
        db.commit()
    app.extensions["jobs"].daily.call_local()
    with app.app_context():
        figure = database.session().scalar(select(StepFigure).where(StepFigure.milestone == "clinical_decision"))
    assert (figure.cases, figure.median, figure.p90, figure.within_norm) == (20, 5, 6, 19)
