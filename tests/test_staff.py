"""The care team's workspace: the unit's worklist, registering a patient, the plan, recording and
correcting steps, appointments, expected results, the delay note and the contact card, two people
editing at once, the history of changes, what only a coordinator may do, and the audit log.

Tested as staff notice it: through the pages in bokmål (the default), and what is stored. The demo
coordinator and nurse work at "Brystdiagnostisk senter (demo)" (the breast cancer patients)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from babel.dates import format_date
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal import database
from portal.clock import in_norway
from portal.models import Activation, Appointment, AuditEntry, Change, Enrolment, Patient, RecordedEvent, Share, Unit
from portal.timeline import Event

from .support import factories
from .support.databases import TEST_DATABASE_URL, app_on
from .support.pages import error_links, error_on, field_value, find, links, send, submit, text_of, texts, versions
from .support.people import activate, login, shown_code, shown_link
from .support.routes import build_world
from .support.stored import count, enrolment_of, rows
from .support.world import BREAST_UNIT, COORDINATOR, DPS_COORDINATOR, DPS_UNIT, NURSE, PASSWORD, TODAY, USERNAMES

OWN_UNIT_ACTIVE = ["Liv Demo", "Ola Demo", "Kari Demo", "Siri Demo"]  # next normal date, earliest first

NEW_PATIENT = {"display_name": "Nora Testesen", "date_of_birth": "1961-04-23", "phone": "+47 912 34 567",
               "email": "nora@example.no", "address": "Storgata 1, 0155 Oslo", "preferred_language": "nn",
               "large_print": "y", "interpreter_language": "arabisk", "pathway": "cancer-breast"}
DECISION = {"milestone": "clinical_decision", "date": "2026-03-09", "outcome": "cancer_confirmed",
            "treatment": "surgery"}
APPOINTMENT = {"day": "2026-03-16", "time": "10:15", "what": "Ultralyd av brystet", "place": "Poliklinikken, 1. etasje",
               "with_whom": "radiolog", "preparation": "Ikke bruk deodorant."}


# --- helpers -------------------------------------------------------------------------------------

def record_page(client, enrolment: Enrolment) -> str:
    return text_of(client.get(f"/staff/patients/{enrolment.patient_id}"))


def worklist_names(client, query: str = "") -> list[str]:
    return texts(client.get(f"/staff/?{query}"), "table.data tbody td:nth-child(2) a")


def saved(response, enrolment: Enrolment) -> bool:
    """Whether the save went through: back to the patient's record, with "Saved." on it."""
    return (response.status_code == 302
            and f"/staff/patients/{enrolment.patient_id}?saved=1" in response.headers["Location"])


def my_timeline(sign_in, name: str) -> str:
    """The patient's own page, as they see it (in their language: bokmål for the demo patients here)."""
    return text_of(sign_in(name).get("/my-timeline"))


def changes_of(app, patient_id: int) -> list[Change]:
    return rows(app, select(Change).where(Change.patient_id == patient_id).order_by(Change.id))


def unit_id(app, name: str) -> int:
    with app.app_context():
        return database.session().scalar(select(Unit.id).where(Unit.name == name))


def add_patients(app, how_many: int) -> None:
    """Patients of the breast cancer unit with a referral some days ago, as if registered."""
    with app.app_context():
        db = database.session()
        unit = db.get(Unit, unit_id(app, BREAST_UNIT))
        for number in range(how_many):
            patient = factories.patient(db, f"Testpasient {number:03d}", unit)
            referral = Event("referral_received", TODAY - timedelta(days=number % 5))
            factories.enrolment(db, patient, "cancer-breast", [referral])
        db.commit()


# --- who may use the workspace -------------------------------------------------------------------

def test_signed_out_visitor_is_sent_to_log_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/staff/")


@pytest.mark.parametrize("name", ["Kari Demo", "Ada Administrator (demo)"])
def test_patients_and_admins_are_refused_the_workspace(sign_in, name):
    assert sign_in(name).get("/staff/").status_code == 403


# --- the worklist --------------------------------------------------------------------------------

def test_worklist_shows_the_units_patients_with_those_past_the_normal_date_first(sign_in):
    nurse = sign_in(NURSE)
    page = text_of(nurse.get("/staff/"))
    assert "Arbeidsliste: Brystdiagnostisk senter (demo)" in page
    assert worklist_names(nurse) == OWN_UNIT_ACTIVE
    assert "4 pasienter" in page
    liv_row = page[page.index("Liv Demo"):page.index("Ola Demo")]
    assert "6. mars 2026" in liv_row and "Normaldatoen er passert" in liv_row
    assert "Pasienten ser en melding om forsinkelse" in liv_row
    assert "Normaldatoen er passert" not in page[page.index("Ola Demo"):]
    for elsewhere in ("Per Demo", "Mona Demo", "Astrid Demo"):  # other units' patients
        assert elsewhere not in page


@pytest.mark.parametrize("query, names", [
    ("status=late", ["Liv Demo"]),
    ("status=ended", ["Anne Demo"]),
    ("status=all&sort=name", ["Anne Demo", "Kari Demo", "Liv Demo", "Ola Demo", "Siri Demo"]),
    ("pathway=cancer-breast&phase=decision&status=all", ["Ola Demo", "Anne Demo"]),
    ("pathway=cancer-breast&phase=assessment", ["Liv Demo", "Kari Demo", "Siri Demo"]),
    ("pathway=phr-adults", []),
    ("q=kari", ["Kari Demo"]),
    ("q=  LIV ", ["Liv Demo"]),
    ("q=demo&sort=name", ["Kari Demo", "Liv Demo", "Ola Demo", "Siri Demo"]),
    ("status=nonsense&sort=nonsense&page=x&pathway=nonsense", OWN_UNIT_ACTIVE),  # an old bookmark still works
    # Page numbers not written with 0-9 (², ٢) or too large are the first page too.
    ("page=%C2%B2", OWN_UNIT_ACTIVE), ("page=%D9%A2", OWN_UNIT_ACTIVE), ("page=99999999999", OWN_UNIT_ACTIVE),
    ("page=" + "9" * 5000, OWN_UNIT_ACTIVE),  # beyond the digits int() converts
])
def test_worklist_filters(sign_in, query, names):
    assert worklist_names(sign_in(COORDINATOR), query) == names


@pytest.mark.parametrize("search", ["%", "_", "Demo%", "<script>alert(1)</script>", "' OR 1=1 --"])
def test_name_search_is_taken_literally_and_shown_escaped(sign_in, search):
    response = sign_in(COORDINATOR).get("/staff/", query_string={"q": search})
    assert response.status_code == 200
    assert "Ingen pasienter passer med søket." in text_of(response)
    assert "<script>alert" not in response.text


def test_worklist_shows_fifty_patients_a_page(app, sign_in):
    add_patients(app, 52)
    nurse = sign_in(NURSE)
    first = nurse.get("/staff/")
    assert "56 pasienter" in text_of(first) and "Side 1 av 2" in text_of(first)
    assert len(worklist_names(nurse)) == 50
    assert worklist_names(nurse)[0] == "Liv Demo"  # still the most urgent first
    pages = [(link.get("href"), text_of(link)) for link in find(first, "main nav a")]
    assert pages == [("/staff/?page=2", "Neste side")]
    second = worklist_names(nurse, "page=2")
    assert len(second) == 6
    assert set(second).isdisjoint(worklist_names(nurse))
    assert "Forrige side" in text_of(nurse.get("/staff/?page=2"))


def test_the_pager_keeps_the_filters_and_nothing_else_of_the_address(app, sign_in):
    """Once a 500: the pager passed every parameter of the address to url_for, `endpoint` too."""
    add_patients(app, 52)
    first = sign_in(NURSE).get("/staff/?sort=name&endpoint=x&_anchor=y")
    assert first.status_code == 200
    assert links(first, "main nav a") == ["/staff/?sort=name&page=2"]


def test_staff_of_another_unit_see_none_of_these_patients(app, sign_in):
    with app.app_context():
        db = database.session()
        factories.account(db, "nurse", "Nils DPS-sykepleier", "dps.sykepleier", PASSWORD,
                          unit=db.get(Unit, unit_id(app, DPS_UNIT)))
        db.commit()
    other = app.test_client()
    login(other, "dps.sykepleier")
    # Per's next step (the assessment of his referral) has a date; from 2023 the next steps of Mona
    # and Jonas have no normal time, so they come last, in the order they were enrolled.
    assert worklist_names(other) == ["Per Demo", "Mona Demo", "Jonas Demo"]
    assert worklist_names(other, "q=Kari") == []
    assert other.get(f"/staff/patients/{enrolment_of(app, 'Kari Demo').patient_id}").status_code == 404


@pytest.mark.parametrize("method, path", [
    ("get", "/staff/patients/{patient}"),
    ("get", "/staff/patients/{patient}/history"),
    ("get", "/staff/patients/{patient}/edit"),
    ("get", "/staff/enrolments/{enrolment}/events/new"),
    ("post", "/staff/enrolments/{enrolment}/appointments/new"),
    ("post", "/staff/enrolments/{enrolment}/delay-note"),
    ("post", "/staff/patients/{patient}/enrol"),
])
def test_another_units_patient_is_answered_as_if_it_did_not_exist(app, sign_in, method, path):
    kari = enrolment_of(app, "Kari Demo")
    other = sign_in(DPS_COORDINATOR)
    response = getattr(other, method)(path.format(patient=kari.patient_id, enrolment=kari.id),
                                      data={"version": kari.version, "note": "Ikke min pasient", "pathway": "hph"})
    assert response.status_code == 404
    assert enrolment_of(app, "Kari Demo").version == kari.version


# --- registering a patient -----------------------------------------------------------------------

def test_registering_a_patient_stores_their_details_and_enrols_them(app, sign_in):
    nurse = sign_in(NURSE)
    response = nurse.post("/staff/patients/new", data={"version": "0", **NEW_PATIENT,
                                                       "display_name": "  Nora Testesen "})
    assert response.status_code == 302
    page = text_of(nurse.get(response.headers["Location"]))
    assert "Lagret." in page
    for shown in ("Nora Testesen", "23. april 1961", "+47 912 34 567", "nora@example.no", "Storgata 1, 0155 Oslo",
                  "Nynorsk", "Stor skrift; Tolk: arabisk", "Pakkeforløp for brystkreft"):
        assert shown in page
    (patient,) = rows(app, select(Patient).where(Patient.display_name == "Nora Testesen"))
    assert (patient.date_of_birth, patient.preferred_language, patient.large_print, patient.interpreter_language) \
        == (date(1961, 4, 23), "nn", True, "arabisk")
    enrolment = enrolment_of(app, "Nora Testesen")
    assert enrolment.pathway_id == "cancer-breast" and enrolment.unit_id == unit_id(app, BREAST_UNIT)
    assert "Nora Testesen" in worklist_names(nurse, "status=all")
    assert [(c.subject, c.action, c.by) for c in changes_of(app, patient.id)] == [
        ("patient", "added", NURSE), ("enrolment", "added", NURSE)]


@pytest.mark.parametrize("field, value, message", [
    ("display_name", "", "Skriv navnet til pasienten"),
    ("display_name", "   ", "Skriv navnet til pasienten"),
    ("display_name", "N" * 201, "Bruk høyst 200 tegn"),
    ("date_of_birth", "", "Skriv fødselsdatoen, eller fødselsnummeret, som inneholder den"),
    ("date_of_birth", "2026-03-11", "Fødselsdatoen kan ikke være fram i tid eller før 1890"),
    ("date_of_birth", "1889-12-31", "Fødselsdatoen kan ikke være fram i tid eller før 1890"),
    ("date_of_birth", "23/04/1961", "Skriv datoen som dag.måned.år, for eksempel 02.03.2026."),
    ("email", "nora@", "Skriv en e-postadresse som navn@eksempel.no"),
    ("phone", "ring meg", "Bruk sifre og mellomrom, eventuelt med + først"),
    ("pathway", "", "Velg forløp"),
    ("pathway", "no-such-pathway", "Ikke et gyldig valg"),
    ("preferred_language", "de", "Ikke et gyldig valg"),
])
def test_registration_with_bad_input_names_the_field_and_keeps_what_was_typed(app, sign_in, field, value, message):
    patients = count(app, Patient)
    response = sign_in(COORDINATOR).post("/staff/patients/new", data={"version": "0", **NEW_PATIENT, field: value})
    assert response.status_code == 200
    assert message in error_on(response, field)
    assert "Det er et problem" in text_of(response)
    kept = "email" if field == "display_name" else "display_name"
    assert field_value(response, f"#field-{kept}") == NEW_PATIENT[kept]
    if field in ("date_of_birth", "email", "phone") and value:
        assert field_value(response, f"#field-{field}") == value  # the wrong entry too, to be corrected
    assert count(app, Patient) == patients


def test_changing_details_is_saved_and_kept_in_the_history(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    response = submit(nurse, f"/staff/patients/{kari.patient_id}/edit", display_name="Kari Demo",
                      date_of_birth="1948-01-10", phone="+47 400 00 000", preferred_language="nn",
                      large_print="y")
    assert saved(response, kari)
    assert "+47 400 00 000" in record_page(nurse, kari)
    history = text_of(nurse.get(f"/staff/patients/{kari.patient_id}/history"))
    assert "Pasientopplysninger: endret – Sindre Sykepleier (demo)" in history
    assert "Telefon: (tom) → +47 400 00 000" in history
    assert "Språk: Bokmål → Nynorsk" in history and "Stor skrift: Nei → Ja" in history  # in words


def test_enrolling_in_another_pathway_adds_it_to_the_record(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    coordinator = sign_in(COORDINATOR)
    response = coordinator.post(f"/staff/patients/{kari.patient_id}/enrol", data={"pathway": "hph"})
    assert response.status_code == 302
    page = record_page(coordinator, kari)
    assert "Helhetlig pasientforløp i hjemmet" in page and "Pakkeforløp for brystkreft" in page
    assert enrolment_of(app, "Kari Demo").pathway_id == "hph"
    enrolments = count(app, Enrolment)
    coordinator.post(f"/staff/patients/{kari.patient_id}/enrol", data={"pathway": "no-such-pathway"})
    assert count(app, Enrolment) == enrolments


# --- the plan ------------------------------------------------------------------------------------

def test_choosing_the_treatment_shows_on_the_record_and_narrows_the_patients_dates(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    coordinator = sign_in(COORDINATOR)
    assert "Planlagt: ikke bestemt ennå." in record_page(coordinator, kari)
    assert saved(submit(coordinator, f"/staff/enrolments/{kari.id}/plan", treatment="surgery", setting=""), kari)
    assert "Planlagt: Operasjon." in record_page(coordinator, kari)
    assert enrolment_of(app, "Kari Demo").treatment == "surgery"
    timeline = my_timeline(sign_in, "Kari Demo")
    assert "2. april 2026" in timeline  # surgery: 13 days after the decision is due
    assert "30. mars 2026" not in timeline  # drug treatment's date no longer shown


def test_choosing_the_setting_for_a_mental_health_pathway(app, sign_in):
    per = enrolment_of(app, "Per Demo")
    dps = sign_in(DPS_COORDINATOR)
    assert saved(submit(dps, f"/staff/enrolments/{per.id}/plan", treatment="", setting="inpatient"), per)
    assert "Planlagt: Døgnavdeling (du bor der en periode)." in record_page(dps, per)
    assert enrolment_of(app, "Per Demo").setting == "inpatient"


def test_severity_recorded_with_the_referral_gives_the_family_one_date(app, sign_in):
    """Eating disorders in children and young people: the first appointment normally comes within
    7 days of the assessed referral when the illness is serious and 28 days when it is less serious."""
    dps = sign_in(DPS_COORDINATOR)
    registered = dps.post("/staff/patients/new", data={
        "version": "0", **NEW_PATIENT, "display_name": "Emma Testesen", "preferred_language": "nb",
        "pathway": "phr-eating-disorders-children"})
    assert registered.status_code == 302
    emma = enrolment_of(app, "Emma Testesen")
    form = dps.get(f"/staff/enrolments/{emma.id}/events/new")
    assert find(form, "#field-severity") and find(form, "#field-setting")
    assert not find(form, "#field-treatment")  # only what this pathway's times depend on

    referral = {"milestone": "referral_received", "date": "2026-03-02"}
    assert saved(submit(dps, f"/staff/enrolments/{emma.id}/events/new", **referral), emma)
    assert "Neste steg: Henvisning vurdert, normalt innen mandag 16. mars 2026." in record_page(dps, emma)
    assessed = {"milestone": "referral_assessed", "date": "2026-03-09"}
    assert saved(submit(dps, f"/staff/enrolments/{emma.id}/events/new", **assessed), emma)
    page = record_page(dps, emma)
    assert "Neste steg: Første samtale, normalt innen mandag 6. april 2026." in page  # the later date
    assert ("Det kommer an på hvor alvorlig sykdommen er: Alvorlig sykdom: mandag 16. mars 2026; "
            "Mindre alvorlig sykdom: mandag 6. april 2026.") in page

    event = next(e for e in enrolment_of(app, "Emma Testesen").current_events if e.milestone == "referral_received")
    correction = f"/staff/enrolments/{emma.id}/events/{event.id}/correct"
    assert saved(submit(dps, correction, **referral, severity="serious"), emma)
    assert enrolment_of(app, "Emma Testesen").current_events[0].severity == "serious"
    page = record_page(dps, emma)
    assert "Neste steg: Første samtale, normalt innen mandag 16. mars 2026." in page
    assert "6. april 2026" not in page


def test_the_plan_offers_only_what_the_pathways_times_depend_on(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    plan = sign_in(COORDINATOR).get(f"/staff/enrolments/{kari.id}/plan")
    assert find(plan, "#field-treatment")
    assert not find(plan, "#field-setting") and not find(plan, "#field-severity")


def test_a_treatment_the_pathway_does_not_have_is_refused(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    response = submit(sign_in(COORDINATOR), f"/staff/enrolments/{kari.id}/plan", treatment="magic", setting="")
    assert response.status_code == 200
    assert "Ikke et gyldig valg" in error_on(response, "treatment")
    assert enrolment_of(app, "Kari Demo").treatment is None


# --- recording steps -----------------------------------------------------------------------------

def test_a_recorded_step_shows_on_the_record_the_worklist_and_the_patients_timeline(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    assert saved(submit(nurse, f"/staff/enrolments/{kari.id}/events/new", **DECISION), kari)
    page = record_page(nurse, kari)
    assert ("9. mars 2026 Svar og plan: Brystkreft, og behandlingen er planlagt (Operasjon) "
            "Skrevet inn av Sindre Sykepleier (demo)") in page
    assert "Neste steg: Behandlingen starter, normalt innen søndag 22. mars 2026" in page
    assert "Behandlingen starter 22. mars 2026" in text_of(nurse.get("/staff/?q=Kari"))
    event = enrolment_of(app, "Kari Demo").current_events[-1]
    assert (event.milestone, event.date, event.outcome, event.recorded_by) == \
        ("clinical_decision", date(2026, 3, 9), "cancer_confirmed", NURSE)
    timeline = my_timeline(sign_in, "Kari Demo")
    assert "mandag 9. mars 2026" in timeline and "Brystkreft, og behandlingen er planlagt" in timeline


@pytest.mark.parametrize("fields, field, message", [
    ({"date": "2026-03-01"}, "date",
     "Datoen er før «Henvisning mottatt» (5. mars 2026), som kommer tidligere i forløpet."),
    ({"date": "2026-03-07"}, "date",
     "Datoen er før «Første time på sykehuset» (8. mars 2026), som kommer tidligere i forløpet."),
    ({"date": "2026-03-11"}, "date", "Datoen er fram i tid."),
    ({"date": "9/3/2026"}, "date", "Skriv datoen som dag.måned.år"),
    ({"date": ""}, "date", "Skriv datoen"),
    ({"milestone": "first_attendance", "outcome": "", "treatment": ""}, "milestone",
     "Dette steget er allerede registrert. Det skjer bare én gang."),
    ({"milestone": ""}, "milestone", "Velg steg"),
    ({"outcome": ""}, "outcome", "Fyll inn hva utfallet av dette steget ble."),
    ({"outcome": "no_such_outcome"}, "outcome", "Ikke et gyldig valg"),
    ({"milestone": "first_attendance", "treatment": ""}, "outcome", "«cancer_confirmed» er ikke et mulig utfall"),
    ({"milestone": "patient_postponed", "outcome": "", "treatment": ""}, "until",
     "Fyll inn datoen pasienten vil vente til."),
    ({"milestone": "patient_postponed", "outcome": "", "treatment": "", "until": "2026-03-08"}, "until",
     "Utsettelsen må vare til en dag etter at pasienten ba om den."),
    ({"milestone": "pathway_ended", "outcome": "", "treatment": ""}, "reason",
     "Fyll inn hvorfor forløpet ble avsluttet."),
    ({"until": "2026-03-20"}, "until", "Dette gjelder ikke for dette steget."),
])
def test_a_step_the_pathway_does_not_allow_is_explained_on_its_field_and_not_stored(app, sign_in, fields, field,
                                                                                     message):
    kari = enrolment_of(app, "Kari Demo")
    events = count(app, RecordedEvent)
    response = submit(sign_in(NURSE), f"/staff/enrolments/{kari.id}/events/new", **{**DECISION, **fields})
    assert response.status_code == 200
    assert message in error_on(response, field)
    assert "Det er et problem" in text_of(response)
    if fields.get("date"):
        assert field_value(response, "#field-date") == fields["date"]  # what was typed is kept
    assert count(app, RecordedEvent) == events
    assert enrolment_of(app, "Kari Demo").version == kari.version


def test_correcting_a_step_adds_a_new_entry_and_keeps_the_old_one(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    attendance = kari.current_events[-1]
    path = f"/staff/enrolments/{kari.id}/events/{attendance.id}/correct"
    coordinator = sign_in(COORDINATOR)
    form = coordinator.get(path)
    assert "Korriger et registrert steg" in text_of(form) and field_value(form, "#field-date") == "2026-03-08"
    assert saved(submit(coordinator, path, milestone="first_attendance", date="2026-03-07"), kari)
    page = record_page(coordinator, kari)
    assert "7. mars 2026 Første time på sykehuset Skrevet inn av Kari Koordinator (demo)" in page
    assert not re.search(r"(?<!\d)8\. mars 2026", page)
    old, new = sorted((e for e in enrolment_of(app, "Kari Demo").events if e.milestone == "first_attendance"),
                      key=lambda event: event.id)
    assert (old.date, old.replaced_by_id, new.date) == (date(2026, 3, 8), new.id, date(2026, 3, 7))
    history = text_of(coordinator.get(f"/staff/patients/{kari.patient_id}/history"))
    assert "Steg: korrigert (Første time på sykehuset, 8. mars 2026) – Kari Koordinator (demo)" in history
    assert "Dato: 8. mars 2026 → 7. mars 2026" in history
    assert "7. mars 2026" in my_timeline(sign_in, "Kari Demo")


def test_a_correction_the_pathway_does_not_allow_changes_nothing(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    attendance = kari.current_events[-1]
    response = submit(sign_in(NURSE), f"/staff/enrolments/{kari.id}/events/{attendance.id}/correct",
                      milestone="first_attendance", date="2026-03-04")
    assert "Datoen er før «Henvisning mottatt» (5. mars 2026)" in error_on(response, "date")
    assert [(e.id, e.date) for e in enrolment_of(app, "Kari Demo").current_events] == \
        [(e.id, e.date) for e in kari.current_events]


def test_withdrawing_a_step_takes_it_off_the_timeline_but_keeps_it_in_the_history(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    attendance = kari.current_events[-1]
    path = f"/staff/enrolments/{kari.id}/events/{attendance.id}/withdraw"
    nurse = sign_in(NURSE)
    assert "Trekke tilbake «Første time på sykehuset» fra 8. mars 2026?" in text_of(nurse.get(path))
    assert saved(submit(nurse, path), kari)
    page = record_page(nurse, kari)
    assert not re.search(r"(?<!\d)8\. mars 2026", page)
    assert "Neste steg: Første time på sykehuset" in page  # the step is awaited again
    (kept,) = [e for e in enrolment_of(app, "Kari Demo").events if e.id == attendance.id]
    assert kept.withdrawn_at is not None and kept.withdrawn_by == NURSE
    assert "Steg: trukket tilbake (Første time på sykehuset, 8. mars 2026) – Sindre Sykepleier (demo)" in text_of(
        nurse.get(f"/staff/patients/{kari.patient_id}/history"))
    assert "8. mars 2026" not in my_timeline(sign_in, "Kari Demo")
    assert nurse.get(path).status_code == 404  # a withdrawn step cannot be withdrawn again


def test_the_step_form_offers_transfer_postponement_and_ending(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    page = text_of(sign_in(NURSE).get(f"/staff/enrolments/{kari.id}/events/new"))
    for choice in ("Overført til et annet sykehus", "Utsatt etter ønske fra pasienten", "Forløpet er avsluttet",
                   "Du valgte å avslutte", "Videre et annet sted"):
        assert choice in page


@pytest.mark.parametrize("fields, shown, state, patient_sees", [
    ({"milestone": "pathway_ended", "reason": "patient_declined"}, "Forløpet er avsluttet", "ended_early",
     "Du valgte å avslutte"),
    ({"milestone": "transferred"}, "Overført til et annet sykehus", "ended_early", "Et annet sykehus tar over"),
    ({"milestone": "patient_postponed", "until": "2026-03-20"}, "Utsatt etter ønske fra pasienten", "active",
     "Denne datoen er flyttet fordi du ba om mer tid."),
])
def test_transfer_postponement_and_ending_are_recorded(app, sign_in, fields, shown, state, patient_sees):
    kari = enrolment_of(app, "Kari Demo")
    coordinator = sign_in(COORDINATOR)
    assert saved(submit(coordinator, f"/staff/enrolments/{kari.id}/events/new", date="2026-03-09", **fields), kari)
    assert f"9. mars 2026 {shown} Skrevet inn av Kari Koordinator (demo)" in record_page(coordinator, kari)
    assert enrolment_of(app, "Kari Demo").state == state
    assert ("Kari Demo" in worklist_names(coordinator, "status=ended")) == (state != "active")
    assert patient_sees in my_timeline(sign_in, "Kari Demo")


# --- appointments, expected results, the delay note, the contact card ----------------------------

def test_an_added_appointment_shows_on_the_record_and_to_the_patient(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    assert saved(submit(nurse, f"/staff/enrolments/{kari.id}/appointments/new", **APPOINTMENT), kari)
    assert "16. mars 2026 kl. 10:15: Ultralyd av brystet, Poliklinikken, 1. etasje" in record_page(nurse, kari)
    (appointment,) = [a for a in enrolment_of(app, "Kari Demo").appointments if a.what == "Ultralyd av brystet"]
    assert (appointment.starts_at, appointment.with_whom) == (datetime(2026, 3, 16, 10, 15), "radiolog")
    timeline = my_timeline(sign_in, "Kari Demo")
    assert "mandag 16. mars 2026 kl. 10:15" in timeline
    assert "Ultralyd av brystet" in timeline and "Ikke bruk deodorant." in timeline


@pytest.mark.parametrize("field, value, message", [
    ("day", "", "Skriv datoen"),
    ("day", "16/03/2026", "Skriv datoen som dag.måned.år"),
    ("time", "kvart over ti", "Skriv klokkeslettet som timer:minutter"),
    ("what", "", "Skriv hva timen gjelder"),
    ("what", "   ", "Skriv hva timen gjelder"),
    ("place", "  ", "Skriv hvor det er"),
    ("with_whom", "r" * 301, "Bruk høyst 300 tegn"),
])
def test_an_appointment_with_bad_input_is_not_stored(app, sign_in, field, value, message):
    kari = enrolment_of(app, "Kari Demo")
    appointments = count(app, Appointment)
    response = submit(sign_in(NURSE), f"/staff/enrolments/{kari.id}/appointments/new",
                      **{**APPOINTMENT, field: value})
    assert response.status_code == 200
    assert message in error_on(response, field)
    kept = "place" if field == "what" else "what"
    assert field_value(response, f"#field-{kept}") == APPOINTMENT[kept]
    assert count(app, Appointment) == appointments


def test_changing_and_cancelling_an_appointment_keeps_it_in_the_history(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    (mri,) = kari.appointments
    path = f"/staff/enrolments/{kari.id}/appointments/{mri.id}"
    nurse = sign_in(NURSE)
    assert saved(submit(nurse, path, day="2026-03-13", time="08:00", what="MR av brystene",
                        place="Radiologisk avdeling, 2. etasje"), kari)
    assert "13. mars 2026 kl. 08:00: MR av brystene" in record_page(nurse, kari)
    assert "fredag 13. mars 2026 kl. 08:00" in my_timeline(sign_in, "Kari Demo")

    assert saved(submit(nurse, path, action=f"{path}/cancel"), kari)
    assert "Ingen planlagt." in record_page(nurse, kari)
    assert "MR av brystene" not in my_timeline(sign_in, "Kari Demo")
    (kept,) = enrolment_of(app, "Kari Demo").appointments
    assert kept.id == mri.id and kept.cancelled_at is not None
    history = text_of(nurse.get(f"/staff/patients/{kari.patient_id}/history"))
    assert "Time: avlyst (MR av brystene, 13. mars 2026 kl. 08:00) – Sindre Sykepleier (demo)" in history
    assert "Time: endret" in history
    assert "Dato og klokkeslett: 12. mars 2026 kl. 09:30 → 13. mars 2026 kl. 08:00" in history
    # The moment it was cancelled, in the heading and in the field, both in Norwegian time.
    moment = in_norway(kept.cancelled_at)
    cancelled = f"{format_date(moment, 'd. MMMM y', locale='nb')} kl. {moment:%H:%M}"
    assert f"Time: avlyst (MR av brystene, 13. mars 2026 kl. 08:00) – Sindre Sykepleier (demo), {cancelled}" in history
    assert f"Avlyst: (tom) → {cancelled}" in history


def test_expected_results_are_added_marked_received_and_withdrawn(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    (biopsy,) = kari.expected_results
    coordinator = sign_in(COORDINATOR)
    assert saved(submit(coordinator, f"/staff/enrolments/{kari.id}/results/new", what="Svar på MR",
                        expected_by="2026-03-18", how_you_hear="Legen ringer deg."), kari)
    assert "Svar på MR: forventet innen 18. mars 2026" in record_page(coordinator, kari)
    assert "Legen ringer deg." in my_timeline(sign_in, "Kari Demo")

    path = f"/staff/enrolments/{kari.id}/results/{biopsy.id}"
    assert saved(submit(coordinator, path, action=f"{path}/received", received_on="2026-03-10"), kari)
    assert "Svar på vevsprøven: forventet innen 16. mars 2026 – mottatt 10. mars 2026" in record_page(coordinator, kari)
    assert "Svar på vevsprøven" not in my_timeline(sign_in, "Kari Demo")  # no longer waited for

    mri = next(r for r in enrolment_of(app, "Kari Demo").expected_results if r.what == "Svar på MR")
    path = f"/staff/enrolments/{kari.id}/results/{mri.id}"
    assert saved(submit(coordinator, path, action=f"{path}/withdraw"), kari)
    assert "Svar på MR" not in record_page(coordinator, kari)
    results = {r.what: r for r in enrolment_of(app, "Kari Demo").expected_results}
    assert results["Svar på MR"].withdrawn_at is not None
    assert results["Svar på vevsprøven"].received_on == date(2026, 3, 10)
    actions = [c.action for c in changes_of(app, kari.patient_id) if c.subject == "expected_result"]
    assert actions == ["added", "received", "withdrawn"]


def test_a_result_marked_received_without_a_date_is_not_saved(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    (biopsy,) = kari.expected_results
    path = f"/staff/enrolments/{kari.id}/results/{biopsy.id}"
    response = submit(sign_in(NURSE), path, action=f"{path}/received", received_on="i går")
    assert response.status_code == 200
    assert "Skriv datoen som dag.måned.år" in error_on(response, "received_on")
    assert enrolment_of(app, "Kari Demo").expected_results[0].received_on is None


def test_the_patient_sees_the_delay_note_until_it_is_removed(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    path = f"/staff/enrolments/{kari.id}/delay-note"
    nurse = sign_in(NURSE)
    note = "Vi venter på ledig time til MR. Du hører fra oss innen fredag."
    assert saved(submit(nurse, path, note=f"  {note}  "), kari)
    assert note in record_page(nurse, kari)
    assert "Melding fra behandlingsteamet " + note in my_timeline(sign_in, "Kari Demo")
    worklist = text_of(nurse.get("/staff/?q=Kari"))
    assert "Pasienten ser en melding om forsinkelse" in worklist

    assert saved(submit(nurse, path, note=""), kari)
    assert "Ingen melding." in record_page(nurse, kari)
    assert "Melding fra behandlingsteamet" not in my_timeline(sign_in, "Kari Demo")
    assert [(c.action, c.before, c.after) for c in changes_of(app, kari.patient_id) if c.subject == "delay_note"] == [
        ("changed", '{"delay_note": null}', f'{{"delay_note": "{note}"}}'),
        ("removed", f'{{"delay_note": "{note}"}}', '{"delay_note": null}')]


def test_contacts_are_added_changed_and_removed_from_the_card(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    coordinator = sign_in(COORDINATOR)
    assert saved(submit(coordinator, f"/staff/enrolments/{kari.id}/contacts/new", role="other",
                        name="Brystkirurg (demo)", phone="+47 00 00 00 09", hours="09–14",
                        about="Spørsmål om operasjonen"), kari)
    assert "Brystkirurg (demo), +47 00 00 00 09 (09–14)" in record_page(coordinator, kari)
    assert "Spørsmål om operasjonen" in my_timeline(sign_in, "Kari Demo")

    surgeon = next(c for c in enrolment_of(app, "Kari Demo").contacts if c.name == "Brystkirurg (demo)")
    path = f"/staff/enrolments/{kari.id}/contacts/{surgeon.id}"
    assert saved(submit(coordinator, path, role="other", name="Brystkirurg (demo)", phone="+47 00 00 00 10"), kari)
    assert "Brystkirurg (demo), +47 00 00 00 10" in record_page(coordinator, kari)

    assert saved(submit(coordinator, path, action=f"{path}/remove"), kari)
    assert "Brystkirurg" not in record_page(coordinator, kari)
    assert "Brystkirurg" not in my_timeline(sign_in, "Kari Demo")
    kept = next(c for c in enrolment_of(app, "Kari Demo").contacts if c.id == surgeon.id)
    assert kept.removed_at is not None
    assert [c.action for c in changes_of(app, kari.patient_id) if c.subject == "contact"] == \
        ["added", "changed", "removed"]


@pytest.mark.parametrize("field, value, message", [
    ("name", " ", "Skriv navnet"),
    ("phone", "     ", "Skriv telefonnummeret"),
    ("phone", "ring sentralbordet", "Bruk sifre og mellomrom, eventuelt med + først"),
    ("role", "surgeon", "Ikke et gyldig valg"),
])
def test_a_contact_with_bad_input_is_not_stored(app, sign_in, field, value, message):
    kari = enrolment_of(app, "Kari Demo")
    data = {"role": "other", "name": "Brystkirurg (demo)", "phone": "+47 00 00 00 09", field: value}
    response = submit(sign_in(NURSE), f"/staff/enrolments/{kari.id}/contacts/new", **data)
    assert response.status_code == 200
    assert message in error_on(response, field)
    assert len(enrolment_of(app, "Kari Demo").contacts) == len(kari.contacts)


def _other_digits(number: int) -> str:
    """The number in Arabic-Indic digits, which int() reads as if they were 0-9."""
    return str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def test_an_address_with_an_id_not_written_with_0_to_9_is_not_found(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    for patient in (_other_digits(kari.patient_id), "2147483648", "9" * 5000):
        assert nurse.get(f"/staff/patients/{patient}").status_code == 404, patient


@pytest.mark.parametrize("version", ["arabic", "²", "9" * 40, "-1", "1_0"])
def test_a_form_whose_version_is_not_a_number_is_not_saved(app, sign_in, version):
    kari = enrolment_of(app, "Kari Demo")
    version = _other_digits(kari.version) if version == "arabic" else version
    response = sign_in(NURSE).post(f"/staff/enrolments/{kari.id}/delay-note",
                                   data={"version": version, "note": "Vi venter på MR-svar."})
    assert response.status_code == 200
    assert error_links(response)["#field-version"] == "Versjon: Dette er ikke et tall vi kan bruke."
    assert enrolment_of(app, "Kari Demo").version == kari.version


def test_text_the_database_cannot_store_is_refused_not_an_error(app, sign_in):
    """A NUL character: SQLite stores it, PostgreSQL neither stores nor compares it (once a 500)."""
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    on_postgresql = bool(TEST_DATABASE_URL)
    assert nurse.get("/staff/?q=Kari%00").status_code == (400 if on_postgresql else 200)
    note = nurse.post(f"/staff/enrolments/{kari.id}/delay-note", data={"version": kari.version, "note": "Vi\x00"})
    assert note.status_code == (400 if on_postgresql else 302)
    assert (enrolment_of(app, "Kari Demo").version == kari.version) == on_postgresql  # refused whole


# --- two people at once --------------------------------------------------------------------------

@pytest.mark.parametrize("form, fields, field, typed", [
    ("events/new", DECISION, "#field-date", "2026-03-09"),
    ("appointments/new", APPOINTMENT, "#field-what", "Ultralyd av brystet"),
    ("results/new", {"what": "Svar på MR", "expected_by": "2026-03-18"}, "#field-what", "Svar på MR"),
    ("delay-note", {"note": "Vi venter på MR-svar."}, "#field-note", "Vi venter på MR-svar."),
    ("contacts/new", {"role": "gp", "name": "Legesenteret (demo)", "phone": "+47 00 00 00 04"}, "#field-name",
     "Legesenteret (demo)"),
    ("plan", {"treatment": "drug"}, "#field-treatment", "drug"),
])
def test_a_save_from_an_older_version_is_stopped_and_shows_what_changed(app, sign_in, form, fields, field,
                                                                         typed):
    kari = enrolment_of(app, "Kari Demo")
    nurse, coordinator = sign_in(NURSE), sign_in(COORDINATOR)
    path = f"/staff/enrolments/{kari.id}/{form}"
    opened_by_nurse = nurse.get(path)
    assert saved(submit(coordinator, f"/staff/enrolments/{kari.id}/plan", treatment="surgery"), kari)
    changed = enrolment_of(app, "Kari Demo")

    response = send(nurse, opened_by_nurse, **fields)
    assert response.status_code == 200
    page = text_of(response)
    assert "Noen andre endret dette mens du arbeidet" in page
    assert "Kari Koordinator (demo)" in page and "Planlagt behandling eller poliklinikk/døgnavdeling: endret" in page
    assert "Behandling: (tom) → Operasjon" in page  # in words, not the stored ids
    assert field_value(response, field) == typed  # the nurse's entry is still there
    after = enrolment_of(app, "Kari Demo")
    assert (after.version, after.treatment) == (changed.version, "surgery")
    assert len(changes_of(app, kari.patient_id)) == 1


@pytest.mark.parametrize("form, fields", [
    ("events/new", DECISION),
    ("appointments/new", APPOINTMENT),
    ("delay-note", {"note": "Vi venter på MR-svar."}),
])
def test_a_save_in_the_same_instant_as_another_is_stopped_like_any_conflict(app, sign_in, form, fields):
    """The version on the form is current when the nurse sends it, but the coordinator's save
    lands just before the nurse's is written: the nurse is told, as for any conflict, and keeps her entry."""
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    opened_by_nurse = nurse.get(f"/staff/enrolments/{kari.id}/{form}")
    # The coordinator works on another app server: her request is not inside the nurse's.
    with app_on(app.config["DATABASE_URL"]) as elsewhere:
        coordinator = elsewhere.test_client()
        login(coordinator, USERNAMES[COORDINATOR])
        opened_by_coordinator = coordinator.get(f"/staff/enrolments/{kari.id}/plan")

        def coordinator_saves_first(*_):
            assert saved(send(coordinator, opened_by_coordinator, treatment="surgery"), kari)

        event.listen(Session, "before_flush", coordinator_saves_first, once=True)
        response = send(nurse, opened_by_nurse, **fields)
    assert response.status_code == 200
    page = text_of(response)
    assert "Noen andre endret dette mens du arbeidet" in page and "Behandling: (tom) → Operasjon" in page
    assert [change.subject for change in changes_of(app, kari.patient_id)] == ["plan"]
    assert saved(send(nurse, response, **fields), kari)


@pytest.mark.parametrize("form, action, fields, subject, what", [
    ("appointments/new", None, APPOINTMENT, "appointment", "added"),
    ("events/new", None, DECISION, "event", "added"),
    ("appointments/{appointment}", "appointments/{appointment}/cancel", {}, "appointment", "cancelled"),
    ("results/{result}", "results/{result}/received", {"received_on": "2026-03-10"}, "expected_result", "received"),
    ("contacts/{contact}", "contacts/{contact}/remove", {}, "contact", "removed"),
])
def test_after_a_conflict_sending_the_kept_entry_again_saves_it(app, sign_in, form, action, fields, subject, what):
    kari = enrolment_of(app, "Kari Demo")
    items = {"appointment": kari.appointments[0].id, "result": kari.expected_results[0].id,
             "contact": kari.contacts[0].id}
    path, action = (f"/staff/enrolments/{kari.id}/{part.format(**items)}" for part in (form, action or form))
    nurse, coordinator = sign_in(NURSE), sign_in(COORDINATOR)
    opened_by_nurse = nurse.get(path)
    assert saved(submit(coordinator, f"/staff/enrolments/{kari.id}/delay-note", note="Vi venter på MR."), kari)

    stopped = send(nurse, opened_by_nurse, action, **fields)
    assert "Melding om forsinkelse: endret" in text_of(stopped) and "Vi venter på MR." in text_of(stopped)
    assert versions(stopped) == {str(enrolment_of(app, "Kari Demo").version)}
    assert saved(send(nurse, stopped, action, **fields), kari)
    last = changes_of(app, kari.patient_id)[-1]
    assert (last.by, last.subject, last.action) == (NURSE, subject, what)


def test_two_people_changing_the_same_patients_details(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    path = f"/staff/patients/{kari.patient_id}/edit"
    details = {"display_name": "Kari Demo", "date_of_birth": "1948-01-10", "preferred_language": "nb"}
    nurse, coordinator = sign_in(NURSE), sign_in(COORDINATOR)
    opened_by_nurse = nurse.get(path)
    assert saved(submit(coordinator, path, **details, phone="+47 400 00 000"), kari)

    response = send(nurse, opened_by_nurse, **details, email="kari@example.no")
    assert response.status_code == 200
    page = text_of(response)
    assert "Noen andre endret dette mens du arbeidet" in page
    assert "Kari Koordinator (demo)" in page and "Telefon: (tom) → +47 400 00 000" in page
    assert field_value(response, "#field-email") == "kari@example.no"
    (patient,) = rows(app, select(Patient).where(Patient.id == kari.patient_id))
    assert (patient.phone, patient.email) == ("+47 400 00 000", None)

    again = send(nurse, response, **details, phone="+47 400 00 000", email="kari@example.no")
    assert saved(again, kari)
    (patient,) = rows(app, select(Patient).where(Patient.id == kari.patient_id))
    assert (patient.phone, patient.email) == ("+47 400 00 000", "kari@example.no")


# --- the history ---------------------------------------------------------------------------------

def test_the_history_lists_every_change_newest_first_with_who_and_before_and_after(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    coordinator, nurse = sign_in(COORDINATOR), sign_in(NURSE)
    submit(coordinator, f"/staff/enrolments/{kari.id}/plan", treatment="surgery")
    submit(nurse, f"/staff/enrolments/{kari.id}/events/new", **DECISION)
    response = nurse.get(f"/staff/patients/{kari.patient_id}/history")
    page = text_of(response)
    assert "Endringshistorikk for Kari Demo" in page
    newest = page.index("Steg: lagt til – Sindre Sykepleier (demo)")
    oldest = page.index("Planlagt behandling eller poliklinikk/døgnavdeling: endret – Kari Koordinator (demo)")
    assert newest < oldest
    assert "Steg: (tom) → Svar og plan" in page
    assert "Utfall: (tom) → Brystkreft, og behandlingen er planlagt" in page
    assert "Behandling: (tom) → Operasjon" in page
    (read,) = rows(app, select(AuditEntry).where(AuditEntry.detail == "history"))
    assert (read.actor, read.patient_id) == (NURSE, kari.patient_id)


def test_a_record_without_changes_says_so(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    assert "Ingen endringer ennå." in text_of(sign_in(NURSE).get(f"/staff/patients/{kari.patient_id}/history"))


# --- what only a coordinator does ----------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("post", "/staff/patients/{patient}/activation"),
    ("get", "/staff/patients/{patient}/relatives/new"),
    ("post", "/staff/patients/{patient}/relatives/new"),
    ("post", "/staff/patients/{patient}/relatives/1/withdraw"),
])
def test_a_nurse_cannot_issue_codes_or_give_relatives_access(app, sign_in, method, path):
    kari = enrolment_of(app, "Kari Demo")
    activations, shares = count(app, Activation), count(app, Share)
    response = getattr(sign_in(NURSE), method)(path.format(patient=kari.patient_id), data={
        "relative_name": "Per Pårørende", "consent_note": "Sa ja på telefon"})
    assert response.status_code == 403
    assert (count(app, Activation), count(app, Share)) == (activations, shares)


def test_only_a_coordinator_is_offered_codes_and_relatives_access(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse_page = record_page(sign_in(NURSE), kari)
    coordinator_page = record_page(sign_in(COORDINATOR), kari)
    # Kari has activated her account: a new code is what she needs if she forgets her password.
    for offer in ("Send en ny aktiveringskode (glemt passord)", "Gi en pårørende tilgang, med samtykke fra pasienten"):
        assert offer in coordinator_page and offer not in nurse_page


def test_a_coordinator_gives_a_new_patient_an_activation_code_that_works(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    registered = coordinator.post("/staff/patients/new", data={"version": "0", **NEW_PATIENT})
    patient_id = int(urlsplit(registered.headers["Location"]).path.removeprefix("/staff/patients/"))
    response = coordinator.post(f"/staff/patients/{patient_id}/activation")
    assert response.status_code == 200
    assert "Aktiveringskode for Nora Testesen" in text_of(response)
    link = f"/t/{shown_code(response)}"
    assert links(response, f"main a[href$='{link}']")  # the address to open it at, too

    patient = app.test_client()
    activate(patient, link, "nora.testesen")
    assert "Nora Testesen" in text_of(patient.get("/my-timeline"))
    assert "Pasienten har aktivert kontoen sin." in text_of(coordinator.get(f"/staff/patients/{patient_id}"))


def test_a_new_code_replaces_the_earlier_one(app, sign_in, activation_link):
    kari = enrolment_of(app, "Kari Demo")
    earlier = activation_link("Kari Demo")
    response = sign_in(COORDINATOR).post(f"/staff/patients/{kari.patient_id}/activation")
    assert app.test_client().get(f"/t/{shown_code(response)}").status_code == 302
    assert app.test_client().get(earlier).status_code == 404


def test_a_coordinator_gives_a_relative_access_with_the_consent_noted(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    coordinator = sign_in(COORDINATOR)
    response = coordinator.post(f"/staff/patients/{kari.patient_id}/relatives/new", data={
        "relative_name": "Per Pårørende", "relation": "sønn", "see_appointments": "y",
        "consent_note": "Sa ja på telefon 9. mars"})
    assert response.status_code == 200
    assert "Gi denne lenken til Per Pårørende" in text_of(response)
    link = shown_link(response)
    assert app.test_client().get(link).status_code == 200  # the relative can open the invitation
    (share,) = rows(app, select(Share))
    assert (share.patient_id, share.consent_note, share.created_by, share.see_appointments, share.see_notes) == \
        (kari.patient_id, "Sa ja på telefon 9. mars", COORDINATOR, True, False)
    assert "Per Pårørende (sønn): invitert. Samtykke: Sa ja på telefon 9. mars" in record_page(coordinator, kari)
    (invite,) = rows(app, select(AuditEntry).where(AuditEntry.action == "share-invite"))
    assert invite.actor == COORDINATOR and "consent: Sa ja på telefon 9. mars" in invite.detail

    stopped = coordinator.post(f"/staff/patients/{kari.patient_id}/relatives/{share.id}/withdraw")
    assert stopped.status_code == 302
    assert "Per Pårørende (sønn): stoppet" in record_page(coordinator, kari)


@pytest.mark.parametrize("consent", ["", "   "])
def test_relative_access_without_the_consent_noted_is_refused(app, sign_in, consent):
    kari = enrolment_of(app, "Kari Demo")
    response = sign_in(COORDINATOR).post(f"/staff/patients/{kari.patient_id}/relatives/new", data={
        "relative_name": "Per Pårørende", "see_appointments": "y", "consent_note": consent})
    assert response.status_code == 200
    assert "Skriv hvordan pasienten ga samtykke" in error_on(response, "consent_note")
    assert field_value(response, "#field-relative_name") == "Per Pårørende"
    assert count(app, Share) == 0


# --- the audit log -------------------------------------------------------------------------------

def test_reading_a_record_is_logged_with_the_staff_account(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    nurse.get(f"/staff/patients/{kari.patient_id}")
    (read,) = rows(app, select(AuditEntry).where(AuditEntry.action == "read", AuditEntry.detail == "record"))
    assert (read.actor, read.actor_role, read.actor_unit, read.patient_id) == \
        (NURSE, "nurse", "Brystdiagnostisk senter (demo)", kari.patient_id)
    assert read.actor_account_id is not None


def test_every_change_is_logged_with_who_made_it(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    submit(sign_in(NURSE), f"/staff/enrolments/{kari.id}/events/new", **DECISION)
    (logged,) = rows(app, select(AuditEntry).where(AuditEntry.action == "event-added"))
    assert (logged.actor, logged.patient_id) == (NURSE, kari.patient_id)


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_staff_page_shows_an_iso_date_or_a_role_id(make_app, language):
    """Every page under /staff, opened by the coordinator of Kari's unit, after changes that put
    dates in her history: dates are written as people write them (a date field's value may be ISO)."""
    app = make_app()
    world = build_world(app)
    coordinator = world.client_for("coordinator")
    coordinator.get(f"/language/{language}")
    added = submit(coordinator, f"/staff/enrolments/{world.values['enrolment_id']}/contacts/new",
                   role="contact_nurse", name="Nina Kontakt", phone="+47 00 00 00 09")
    assert added.status_code == 302
    opened = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or not rule.rule.startswith("/staff"):
            continue
        response = coordinator.get(world.url_for(rule) + ("&" if "?" in world.url_for(rule) else "?")
                                   + f"lang={language}")
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found = ISO_DATE.findall(text_of(response))
        assert not found, f"{rule.endpoint} shows {found}"
        opened.append(rule.endpoint)
    assert {"staff.patient", "staff.history", "staff.worklist", "staff.goal", "staff.goals"} <= set(opened), opened
    # The contact added above: its role in words, and the field that was empty said to be so.
    history = text_of(coordinator.get(f"/staff/patients/{world.values['patient_id']}/history?lang={language}"))
    assert {"nb": "Rolle: (tom) → Kontaktsykepleier", "en": "Role: (empty) → Contact nurse"}[language] in history
