"""Who a patient is and when things happened, as a coordinator meets them (issue 16): a
fødselsnummer or D-nummer gives the date of birth, the same person cannot be registered twice
without a word, the worklist finds people by date of birth and number, and dates that cannot be
right are stopped or must be confirmed. A result that is late is said on the worklist and, calmly,
on the patient's timeline. Through the pages in bokmål, and what is stored."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.identity import birth_date, spaced, synthetic
from portal.models import Appointment, AuditEntry, ExpectedResult, Patient, RecordedEvent

from .support.pages import error_links, error_on, field_value, find, links, submit, text_of, texts
from .support.people import accept, invite, shared_path
from .support.stored import count, enrolment_of, rows
from .support.world import BIRTH_DATES, COORDINATOR, DPS_COORDINATOR, NATIONAL_IDS, NURSE

NEW_PATIENT = {"version": "0", "display_name": "Nora Testesen", "date_of_birth": "", "national_id": "",
               "preferred_language": "nb", "pathway": "cancer-breast"}
NORAS_NUMBER = synthetic(23, 4, 1961, 310)
D_NUMBER = synthetic(21 + 40, 3, 2005, 600)  # a D-nummer adds 40 to the day of birth


def register(client, **fields):
    return client.post("/staff/patients/new", data={**NEW_PATIENT, **fields})


def patients_named(app, name: str) -> list[Patient]:
    return rows(app, select(Patient).where(Patient.display_name == name))


def worklist_names(client, query: str = "") -> list[str]:
    return texts(client.get(f"/staff/?{query}"), "table.data tbody td:nth-child(2) a")


# --- the number and the date of birth ------------------------------------------------------------

def test_the_number_gives_the_date_of_birth(app, sign_in):
    assert register(sign_in(COORDINATOR), national_id=spaced(NORAS_NUMBER)).status_code == 302
    (nora,) = patients_named(app, "Nora Testesen")
    assert (nora.national_id, nora.date_of_birth) == (NORAS_NUMBER, date(1961, 4, 23))


def test_a_d_number_is_accepted_and_gives_the_date_of_birth(app, sign_in):
    assert birth_date(D_NUMBER) == date(2005, 3, 21)
    assert register(sign_in(COORDINATOR), national_id=D_NUMBER, date_of_birth="21.03.2005").status_code == 302
    (nora,) = patients_named(app, "Nora Testesen")
    assert (nora.national_id, nora.date_of_birth) == (D_NUMBER, date(2005, 3, 21))


@pytest.mark.parametrize("fields, field, message", [
    ({"national_id": NORAS_NUMBER[:-1] + str((int(NORAS_NUMBER[-1]) + 1) % 10)}, "national_id",
     "Kontrollsifrene stemmer ikke"),
    ({"national_id": "2304611234"}, "national_id", "Et fødselsnummer eller D-nummer har 11 sifre."),
    ({"national_id": NORAS_NUMBER, "date_of_birth": "1961-04-24"}, "date_of_birth",
     "Fødselsdatoen passer ikke med fødselsnummeret, som gir 23. april 1961. Sjekk begge."),
    ({}, "date_of_birth", "Skriv fødselsdatoen, eller fødselsnummeret, som inneholder den"),
])
def test_a_wrong_number_or_date_is_named_and_nothing_is_stored(app, sign_in, fields, field, message):
    response = register(sign_in(COORDINATOR), **fields)
    assert response.status_code == 200
    assert message in error_on(response, field)
    assert f"#field-{field}" in error_links(response)
    assert field_value(response, "#field-display_name") == "Nora Testesen"
    assert not patients_named(app, "Nora Testesen")


def test_changing_the_number_checks_the_date_of_birth_too(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    path = f"/staff/patients/{kari.patient_id}/edit"
    response = submit(sign_in(NURSE), path, national_id=NORAS_NUMBER)  # Kari's own date of birth stays typed
    message = "Fødselsdatoen passer ikke med fødselsnummeret, som gir 23. april 1961"
    assert message in error_on(response, "date_of_birth")
    assert submit(sign_in(NURSE), path, national_id=NORAS_NUMBER, date_of_birth="").status_code == 302
    (kari_now,) = patients_named(app, "Kari Demo")
    assert (kari_now.national_id, kari_now.date_of_birth) == (NORAS_NUMBER, date(1961, 4, 23))


# --- the same person twice -----------------------------------------------------------------------

def test_a_number_already_registered_links_to_the_patient_the_unit_may_see(app, sign_in):
    response = register(sign_in(COORDINATOR), national_id=NATIONAL_IDS["Liv Demo"])
    assert response.status_code == 200
    assert "En person med dette nummeret er allerede registrert." in error_on(response, "national_id")
    notice = text_of(find(response, "#registered-already")[0])
    assert "Nummeret tilhører: Liv Demo, født " in notice
    assert links(response, "#registered-already a") == [f"/staff/patients/{enrolment_of(app, 'Liv Demo').patient_id}"]
    assert not patients_named(app, "Nora Testesen")


def test_a_number_registered_by_another_unit_says_only_that_the_person_exists(app, sign_in):
    response = register(sign_in(DPS_COORDINATOR), national_id=NATIONAL_IDS["Kari Demo"])
    assert response.status_code == 200
    page = text_of(response)
    assert "En annen enhet har registrert en person med dette fødselsnummeret" in page
    assert "Kontakt den som administrerer Forløp der du jobber" in page
    assert "Kari" not in page and "1948" not in page
    assert not links(response, "#registered-already a")
    assert not patients_named(app, "Nora Testesen")


def test_same_name_and_date_of_birth_asks_whether_it_is_the_same_person(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    kari_born = BIRTH_DATES["Kari Demo"].strftime("%d.%m.%Y")
    asked = register(coordinator, display_name="kari demo", date_of_birth=kari_born)
    assert asked.status_code == 200
    assert "Er dette samme person?" in text_of(asked)
    assert links(asked, "#same-person a") == [f"/staff/patients/{enrolment_of(app, 'Kari Demo').patient_id}"]
    assert "(med fødselsnummer)" in text_of(find(asked, "#same-person")[0])
    assert field_value(asked, "#field-display_name") == "kari demo"  # nothing typed is lost
    assert count(app, Patient) == 10

    confirmed = coordinator.post("/staff/patients/new", data={
        **NEW_PATIENT, "display_name": "kari demo", "date_of_birth": kari_born, "new_person_confirmed": "1"})
    assert confirmed.status_code == 302
    assert count(app, Patient) == 11


def test_showing_another_patient_on_the_form_is_in_their_log(app, sign_in):
    liv = enrolment_of(app, "Liv Demo").patient_id
    reads = select(AuditEntry).where(AuditEntry.patient_id == liv, AuditEntry.detail == "registration")
    assert not rows(app, reads)
    register(sign_in(COORDINATOR), national_id=NATIONAL_IDS["Liv Demo"])
    assert [(entry.action, entry.actor) for entry in rows(app, reads)] == [("read", COORDINATOR)]


def test_names_are_compared_with_norwegian_letters_and_spacing_aside(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    assert register(coordinator, display_name="Øyvind Ærlig-Ås", date_of_birth="1961-04-23").status_code == 302
    asked = register(coordinator, display_name="øyvind  ærlig-ås", date_of_birth="23.04.1961")
    assert "Er dette samme person?" in text_of(asked)


def test_another_units_namesake_is_not_shown(app, sign_in):
    kari_born = BIRTH_DATES["Kari Demo"].isoformat()
    assert register(sign_in(DPS_COORDINATOR), display_name="Kari Demo", date_of_birth=kari_born).status_code == 302


# --- finding a patient ---------------------------------------------------------------------------

@pytest.mark.parametrize("search", [
    BIRTH_DATES["Kari Demo"].strftime("%d.%m.%Y"), BIRTH_DATES["Kari Demo"].isoformat(),
    NATIONAL_IDS["Kari Demo"], spaced(NATIONAL_IDS["Kari Demo"]), "kari",
])
def test_the_worklist_finds_a_patient_by_date_of_birth_number_or_name(sign_in, search):
    assert worklist_names(sign_in(NURSE), f"q={search}") == ["Kari Demo"]


def test_another_units_patient_is_not_found_by_number(sign_in):
    assert worklist_names(sign_in(DPS_COORDINATOR), f"q={NATIONAL_IDS['Kari Demo']}") == []


def test_a_patient_with_no_date_yet_comes_last(sign_in):
    coordinator = sign_in(COORDINATOR)
    assert register(coordinator, national_id=NORAS_NUMBER).status_code == 302  # no step recorded: no date
    names = worklist_names(coordinator)
    assert names[-1] == "Nora Testesen" and len(names) == 5


# --- dates of steps ------------------------------------------------------------------------------

@pytest.mark.parametrize("day, message", [
    ("1990-03-05", "Datoen er mer enn 2 år tilbake i tid. Sjekk årstallet."),
    ("05.03.1990", "Datoen er mer enn 2 år tilbake i tid. Sjekk årstallet."),
    ("2026-03-11", "Datoen er fram i tid."),
])
def test_a_step_dated_far_back_or_ahead_is_refused(app, sign_in, day, message):
    kari = enrolment_of(app, "Kari Demo")
    events = count(app, RecordedEvent)
    response = submit(sign_in(NURSE), f"/staff/enrolments/{kari.id}/events/new", milestone="clinical_decision",
                      date=day, outcome="cancer_confirmed", treatment="surgery")
    assert message in error_on(response, "date")
    assert "#field-date" in error_links(response)
    assert count(app, RecordedEvent) == events


def test_a_step_before_the_patient_was_born_is_refused(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    register(coordinator, display_name="Baby Testesen", date_of_birth="01.03.2026")
    baby = enrolment_of(app, "Baby Testesen")
    response = submit(coordinator, f"/staff/enrolments/{baby.id}/events/new", milestone="referral_received",
                      date="2026-02-20")
    assert "Datoen er før pasienten ble født (1. mars 2026)." in error_on(response, "date")


def test_a_referral_dated_after_the_first_attendance_is_refused(app, sign_in):
    coordinator = sign_in(COORDINATOR)
    register(coordinator, national_id=NORAS_NUMBER)
    nora = enrolment_of(app, "Nora Testesen")
    path = f"/staff/enrolments/{nora.id}/events/new"
    assert submit(coordinator, path, milestone="first_attendance", date="2026-03-02").status_code == 302
    response = submit(coordinator, path, milestone="referral_received", date="2026-03-04")
    assert error_links(response) == {"#field-date": "Dato da det skjedde: Datoen er etter «Første time på sykehuset» "
                                                    "(2. mars 2026), som kommer senere i forløpet."}
    early = submit(coordinator, path, milestone="clinical_decision", date="2026-03-01", outcome="cancer_confirmed",
                   treatment="surgery")
    assert error_links(early) == {"#field-date": "Dato da det skjedde: Datoen er før «Første time på sykehuset» "
                                                 "(2. mars 2026), som kommer tidligere i forløpet."}


def test_a_correction_may_keep_an_old_date(app, sign_in):
    """Astrid's home pathway began 200 days ago; correcting its outcome keeps that date."""
    astrid = enrolment_of(app, "Astrid Demo")
    old = astrid.current_events[0]
    response = submit(sign_in("Hanne Hjemmetjeneste (demo)"),
                      f"/staff/enrolments/{astrid.id}/events/{old.id}/correct", date=old.date.isoformat())
    assert response.status_code == 302


# --- what is planned: appointments and expected results ------------------------------------------

@pytest.mark.parametrize("kind, path, fields, model", [
    ("appointment", "appointments",
     {"day": "2026-03-02", "time": "10:00", "what": "Ultralyd", "place": "Poliklinikken"}, Appointment),
    ("result", "results", {"what": "Svar på ultralyden", "expected_by": "02.03.2026"}, ExpectedResult),
])
def test_a_date_that_has_passed_must_be_confirmed(app, sign_in, kind, path, fields, model):
    kari = enrolment_of(app, "Kari Demo")
    before = count(app, model)
    nurse = sign_in(NURSE)
    warned = submit(nurse, f"/staff/enrolments/{kari.id}/{path}/new", **fields)
    assert warned.status_code == 200
    warning = text_of(find(warned, "#past-date")[0])
    assert "Sjekk datoen" in warning and "Datoen 2. mars 2026 er passert." in warning
    if kind == "appointment":
        assert "En time som allerede har vært, kan registreres i ettertid." in warning
    assert count(app, model) == before
    confirmed = submit(nurse, f"/staff/enrolments/{kari.id}/{path}/new", **fields, past_date_confirmed="y")
    assert confirmed.status_code == 302
    assert count(app, model) == before + 1


def test_a_late_result_is_flagged_on_the_worklist_and_said_calmly_to_the_patient(app, sign_in):
    kari = enrolment_of(app, "Kari Demo")
    nurse = sign_in(NURSE)
    assert submit(nurse, f"/staff/enrolments/{kari.id}/results/new", what="Svar på blodprøven",
                  expected_by="2026-03-05", past_date_confirmed="y").status_code == 302
    worklist = text_of(nurse.get("/staff/?q=Kari"))
    assert "! Svaret er ikke registrert: det var ventet innen 5. mars 2026" in worklist  # words and a sign
    assert "Svaret er ikke registrert" not in text_of(nurse.get("/staff/?q=Ola"))

    timeline = text_of(sign_in("Kari Demo").get("/my-timeline"))
    assert ("Svaret var ventet innen 5. mars 2026. Noen ganger tar det litt lengre tid. "
            "Har du ikke hørt noe, kan du ringe Forløpskoordinator (demo) på +47 00 00 00 01.") in timeline

    relative = accept(app, invite(sign_in("Kari Demo"), see_appointments=True))
    shared = text_of(relative.get(shared_path(app) + "?lang=nb"))
    assert ("Svaret var ventet innen 5. mars 2026. Noen ganger tar det litt lengre tid. Har ikke Kari Demo hørt noe, "
            "kan dere ringe Forløpskoordinator (demo) på +47 00 00 00 01.") in shared

    (late,) = [r for r in enrolment_of(app, "Kari Demo").expected_results if r.what == "Svar på blodprøven"]
    path = f"/staff/enrolments/{kari.id}/results/{late.id}"
    assert submit(nurse, path, action=f"{path}/received", received_on="2026-03-10").status_code == 302
    assert "Svaret er ikke registrert" not in text_of(nurse.get("/staff/?q=Kari"))
