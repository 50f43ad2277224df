"""Pathway codes from a hospital's own systems reach the patient's timeline: the same file twice
changes nothing, a person nobody has registered waits for the coordinator, and a wrong line
refuses the whole file (nothing half-written)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import database
from portal.clock import today
from portal.enrolment_timeline import timeline_of
from portal.exports import coded_rows
from portal.identity import synthetic
from portal.imports import apply, from_code
from portal.models import AuditEntry, Change, Enrolment, HeldEvent, Patient, RecordedEvent, Unit
from portal.timeline import Event
from tests.support import factories
from tests.support.pages import text_of
from tests.support.people import login
from tests.support.systems import MISTYPED, OTHER_UNIT, PERSON, STRANGER, UNIT, build_hospital
from tests.support.world import PASSWORD


@pytest.fixture
def hospital(make_app):
    """The app of a hospital whose system sends codes (tests.support.systems)."""
    return build_hospital(make_app(cast=False)).app


def run_import(app, tmp_path, lines: list[str], name: str = "codes.csv"):
    path = tmp_path / name
    path.write_text("person_id,code,date,unit\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import", "codes", str(path)])


def events_of(app, national_id: str = PERSON) -> list[tuple]:
    with app.app_context():
        db = database.session()
        patient = db.scalar(select(Patient).where(Patient.national_id == national_id))
        return [(e.milestone, e.date.isoformat(), e.outcome, e.treatment, e.source)
                for enrolment in patient.enrolments for e in enrolment.current_events]


PROSTATE = [f"{PERSON},A16A,2026-02-02,{UNIT}", f"{PERSON},A16S,2026-02-09,{UNIT}",
            f"{PERSON},A16CK,2026-02-20,{UNIT}", f"{PERSON},A16FK,2026-03-02,{UNIT}"]


def test_a_file_of_codes_fills_the_timeline_and_the_same_file_again_changes_nothing(hospital, tmp_path):
    first = run_import(hospital, tmp_path, PROSTATE)
    assert first.exit_code == 0, first.output
    assert "4 added" in first.output
    source = "cli:import codes.csv"
    assert events_of(hospital) == [
        ("referral_received", "2026-02-02", None, None, source), ("first_attendance", "2026-02-09", None, None, source),
        ("clinical_decision", "2026-02-20", "cancer_confirmed", None, source),
        ("treatment_start", "2026-03-02", None, "surgery", source)]
    with hospital.app_context():
        db = database.session()
        enrolment = db.scalar(select(Enrolment))
        assert enrolment.pathway_id == "cancer-prostate"
        assert timeline_of(enrolment, hospital.extensions["library"], today()).state == "completed"
        counted = (db.scalar(select(func.count(Change.id))), db.scalar(select(func.count(AuditEntry.id))))

    again = run_import(hospital, tmp_path, PROSTATE)
    assert again.exit_code == 0, again.output
    assert "0 added, 0 corrected, 4 already recorded" in again.output
    with hospital.app_context():
        db = database.session()
        assert db.scalar(select(func.count(RecordedEvent.id))) == 4
        assert db.scalar(select(func.count(Change.id))) == counted[0]


def test_every_imported_step_is_in_the_history_and_the_audit_log_as_done_by_the_system(hospital, tmp_path):
    assert run_import(hospital, tmp_path, PROSTATE[:2], name="dips.csv").exit_code == 0
    with hospital.app_context():
        db = database.session()
        changes = db.scalars(select(Change).where(Change.subject == "event")).all()
        assert [(c.by, c.action, json.loads(c.after)["milestone"]) for c in changes] == [
            ("cli:import dips.csv", "imported", "referral_received"),
            ("cli:import dips.csv", "imported", "first_attendance")]
        actors = db.scalars(select(AuditEntry.actor).where(AuditEntry.action == "event-imported")).all()
        assert actors == ["cli:import dips.csv"] * 2


def test_a_changed_date_in_the_hospitals_record_corrects_the_step_and_keeps_the_old_one(hospital, tmp_path):
    assert run_import(hospital, tmp_path, PROSTATE[:2]).exit_code == 0
    result = run_import(hospital, tmp_path, [f"{PERSON},A16S,2026-02-10,{UNIT}"])
    assert "1 corrected" in result.output
    assert [e[:2] for e in events_of(hospital)] == [("referral_received", "2026-02-02"),
                                                     ("first_attendance", "2026-02-10")]
    with hospital.app_context():
        db = database.session()
        old = db.scalar(select(RecordedEvent).where(RecordedEvent.date == date(2026, 2, 9)))
        assert old.replaced_by_id is not None


def test_a_person_nobody_registered_is_held_for_the_coordinator_not_guessed(hospital, tmp_path):
    result = run_import(hospital, tmp_path, [f"{STRANGER},A16A,2026-03-01,{UNIT}"] * 2)
    assert result.exit_code == 0, result.output
    assert "2 held" in result.output
    with hospital.app_context():
        db = database.session()
        held = db.scalars(select(HeldEvent)).all()
        assert [(h.national_id, h.code, h.date) for h in held] == [(STRANGER, "A16A", date(2026, 3, 1))]
        assert db.scalar(select(func.count(RecordedEvent.id))) == 0


@pytest.mark.parametrize(("line", "says"), [
    (f"{PERSON},A16Z,2026-02-02,{UNIT}", "line 3: code: “A16Z” is not a pathway code we know"),
    (f"{MISTYPED},A16A,2026-02-02,{UNIT}", "line 3: person_id: The check digits do not match"),
    (f"{PERSON},A16A,2026-02-31,{UNIT}", "line 3: date: Write the date as year-month-day"),
    (f"{PERSON},A16A,2027-01-01,{UNIT}", "line 3: date: The date is in the future"),
    (f"{PERSON},A16A,2026-02-02,Nowhere", "line 3: unit: There is no unit called “Nowhere”"),
    (f"{PERSON},A16CK,2026-01-01,{UNIT}", "line 3: date: The date is before the referral was received"),
    (f"{PERSON},D11CP,2026-02-02,{UNIT}", "line 3: code: The code “D11CP” was not in use on 2 February 2026"),
])
def test_one_wrong_line_refuses_the_whole_file_naming_the_line_and_field(hospital, tmp_path, line, says):
    result = run_import(hospital, tmp_path, [PROSTATE[0], line])
    assert result.exit_code == 1
    assert says in result.output
    assert "Nothing was imported" in result.output
    assert events_of(hospital) == []


def test_a_patient_of_another_unit_is_refused(hospital, tmp_path):
    result = run_import(hospital, tmp_path, [f"{PERSON},A16A,2026-02-02,{OTHER_UNIT}"])
    assert result.exit_code == 1
    assert "line 2: person_id: This person is a patient of another unit" in result.output


def test_the_export_gives_back_the_codes_that_were_imported(hospital, tmp_path):
    assert run_import(hospital, tmp_path, PROSTATE).exit_code == 0
    with hospital.app_context():
        db = database.session()
        unit = db.scalar(select(Unit).where(Unit.name == UNIT))
        rows = coded_rows(db, hospital.extensions["library"], unit)
    assert [",".join(row) for row in rows] == PROSTATE
    exported = tmp_path / "out.csv"
    result = hospital.test_cli_runner().invoke(args=["export", "codes", "--unit", UNIT, "--output", str(exported)])
    assert result.exit_code == 0, result.output
    assert exported.read_text().splitlines() == ["person_id,code,date,unit", *PROSTATE]
    again = run_import(hospital, tmp_path, exported.read_text().splitlines()[1:])
    assert "4 already recorded" in again.output


def test_the_patient_reads_in_words_that_the_hospitals_system_added_steps_and_fetched_the_timeline(make_app):
    systems = build_hospital(make_app(cast=False))
    with systems.app.app_context():
        db = database.session()
        patient = db.get(Patient, systems.patient_id)
        factories.account(db, "patient", patient.display_name, "per.prostata", PASSWORD, patient=patient)
        db.commit()
    sent = systems.call("POST", "/integration/v1/codes", data="person_id,code,date,unit\n" + "\n".join(PROSTATE[:2]),
                        headers={"Content-Type": "text/csv"})
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert systems.call("GET", f"/fhir/Patient/{systems.patient_id}/$everything").status_code == 200
    per = systems.app.test_client()
    assert login(per, "per.prostata").status_code == 302
    log = text_of(per.get("/my/access-log"))
    assert f"DIPS Testby (system, {UNIT}) hentet tidslinjen til sykehusets system" in log
    assert f"DIPS Testby (system, {UNIT}) endret noe" in log
    assert "Første time på sykehuset ✓ Ferdig mandag 9. februar 2026" in text_of(per.get("/my-timeline"))


# The steps a code's step needs before it, for the engine to accept it.
BEFORE = {"referral_received": [], "referral_assessed": ["referral_received"],
          "first_attendance": ["referral_received"], "transferred": ["referral_received"],
          "pathway_ended": ["referral_received"],
          "clinical_decision": ["referral_received", "referral_assessed", "first_attendance"],
          "treatment_start": ["referral_received", "first_attendance", "clinical_decision"]}


def test_every_code_in_the_mapping_file_records_its_step_on_a_timeline(hospital):
    """Each row, on a day it is in use, for a patient with the steps before it: the step is on the
    timeline with the outcome, treatment or reason the code says, and exports as the same code."""
    library = hospital.extensions["library"]
    with hospital.app_context():
        db = database.session()
        unit = db.scalar(select(Unit).where(Unit.name == UNIT))
        for serial, row in enumerate(library.codes.rows):
            definition = library.get(row.pathway).definition
            day = row.valid_from or date(2024, 1, 1)
            earlier = []
            for n, milestone in enumerate(m for m in BEFORE[row.milestone] if m in definition.recordable()):
                outcomes = definition.milestone(milestone).outcomes
                earlier.append(Event(milestone, day + timedelta(days=n),
                                     outcome=next((o for o in outcomes if not outcomes[o].ends), None)))
            number = synthetic(1 + serial % 28, 1 + serial % 12, 1950, serial)
            patient = factories.patient(db, f"Kode {row.code}", unit, national_id=number)
            factories.enrolment(db, patient, row.pathway, earlier, on=day + timedelta(days=10))
            day_of_code = day + timedelta(days=len(earlier))
            outcome = apply(db, "test", unit, [from_code(library, number, row.code, day_of_code, "row")], today())
            assert not outcome.refusals and outcome.added == 1, (row, outcome.refusals)
            recorded = db.scalar(select(Enrolment).where(Enrolment.patient_id == patient.id)).current_events[-1]
            assert (recorded.milestone, recorded.date, recorded.outcome, recorded.treatment, recorded.reason) == (
                row.milestone, day_of_code, row.outcome, row.treatment, row.reason), row
            assert library.codes.code_for(row.pathway, day_of_code, recorded.milestone, recorded.outcome,
                                          recorded.treatment, recorded.reason) in {
                r.code for r in library.codes.rows if r.records() == row.records() and r.pathway == row.pathway}
        db.rollback()
