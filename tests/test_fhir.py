"""The FHIR API a hospital's systems use: what a system sends reaches the patient's timeline (all of
it, or when anything is wrong none of it, with an OperationOutcome naming the element), what it
reads back is its own unit's patients only, and every read is in the audit log under its name."""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.fhirelementfactory import FHIRElementFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal import database
from portal.auth.clients import revoke
from portal.fhir.from_xml import resource_json
from portal.models import Account, ApiClient, AuditEntry, Change, Enrolment, Patient, Unit
from portal.timeline import Event

from .support import factories
from .support.databases import app_on
from .support.systems import ELSEWHERE, MISTYPED, PERSON, STRANGER, UNIT, build_hospital, patient_of

FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
NPR = "urn:forlop:npr-pathway-code"
MILESTONE = "urn:forlop:milestone"
FIXTURES = Path(__file__).parent / "fixtures" / "hl7norway"
JANNICE = "no-basis-Patient-Jannice-Søreng.xml"
JANNICE_FNR = "21030550231"


@pytest.fixture
def hospital(make_app):
    return build_hospital(make_app(cast=False))


# --- building what a system sends ----------------------------------------------------------------------

def transaction(*entries: dict, kind: str = "transaction") -> dict:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def patient_entry(number: str = PERSON) -> dict:
    return {"fullUrl": "urn:uuid:the-patient",
            "resource": {"resourceType": "Patient", "identifier": [{"system": FNR, "value": number}]},
            "request": {"method": "PUT", "url": f"Patient?identifier={FNR}|{number}"}}


def plan_entry(pathway: str, *activities: dict, subject: str = "urn:uuid:the-patient") -> dict:
    return {"resource": {"resourceType": "CarePlan", "status": "active", "intent": "plan",
                         "subject": {"reference": subject},
                         "category": [{"coding": [{"system": "urn:forlop:pathway", "code": pathway}]}],
                         "activity": list(activities)},
            "request": {"method": "POST", "url": "CarePlan"}}


def done(day: str, npr: str | None = None, milestone: str | None = None, **values: str) -> dict:
    """A completed activity: a step named by NPR code or milestone, on `day`, with outcome codings."""
    codings = [{"system": system, "code": code} for system, code in ((NPR, npr), (MILESTONE, milestone)) if code]
    systems = {"reason": "urn:forlop:end-reason"}
    outcomes = [{"coding": [{"system": systems.get(name, f"urn:forlop:{name}"), "code": code}]}
                for name, code in values.items()]
    return {"detail": {"status": "completed", "code": {"coding": codings}, "scheduledPeriod": {"start": day}},
            **({"outcomeCodeableConcept": outcomes} if outcomes else {})}


PROSTATE = [done("2026-02-02", "A16A"), done("2026-02-09", "A16S"), done("2026-02-20", "A16CK"),
            done("2026-03-02", "A16FK")]


def send(hospital, bundle: dict, **kwargs):
    return hospital.call("POST", "/fhir", json=bundle, **kwargs)


def read_everything(hospital, patient_id: int | None = None) -> dict[str, list[dict]]:
    response = hospital.call("GET", f"/fhir/Patient/{patient_id or hospital.patient_id}/$everything")
    assert response.status_code == 200, response.text
    Bundle(response.get_json())  # what is sent is valid FHIR
    found: dict[str, list[dict]] = {}
    for entry in response.get_json()["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


def steps_of(plan: dict) -> list[tuple]:
    """Each activity as the timeline shows it: its step, status, codes and dates."""
    return [(next(c["code"] for c in a["detail"]["code"]["coding"] if c["system"] == MILESTONE),
             a["detail"]["status"],
             [c["code"] for c in a["detail"]["code"]["coding"] if c["system"] == NPR],
             a["detail"].get("scheduledPeriod", {}).get("start"), a["detail"].get("scheduledPeriod", {}).get("end"))
            for a in plan["activity"]]


def counts_of(response) -> list[str]:
    return [entry["response"]["outcome"]["issue"][0]["diagnostics"]
            for entry in response.get_json()["entry"] if "outcome" in entry["response"]]


def issues_of(response) -> list[tuple[str, str]]:
    assert response.mimetype == "application/fhir+json"
    outcome = response.get_json()
    assert outcome["resourceType"] == "OperationOutcome"
    return [(issue.get("expression", [""])[0], issue["diagnostics"]) for issue in outcome["issue"]]


def round_trip(hospital, resources: dict[str, list[dict]]):
    """The exported Patient and CarePlans, sent back as they are."""
    patient = resources["Patient"][0]
    entries = [{"fullUrl": f"Patient/{patient['id']}", "resource": patient,
                "request": {"method": "PUT", "url": f"Patient/{patient['id']}"}}]
    entries += [{"resource": plan, "request": {"method": "PUT", "url": f"CarePlan/{plan['id']}"}}
                for plan in resources["CarePlan"]]
    return send(hospital, transaction(*entries))


# --- the three shapes of pathway, there and back -------------------------------------------------------

def test_a_cancer_pathway_sent_as_npr_codes_is_on_the_timeline_and_comes_back_unchanged(hospital):
    response = send(hospital, transaction(patient_entry(), plan_entry("cancer-prostate", *PROSTATE)))
    assert response.status_code == 200, response.text
    assert [e["response"]["status"] for e in response.get_json()["entry"]] == ["200 OK", "201 Created"]
    assert response.get_json()["entry"][0]["response"]["location"] == f"Patient/{hospital.patient_id}"
    assert counts_of(response) == ["added 4, corrected 0, unchanged 0, held 0"]

    resources = read_everything(hospital)
    plan = resources["CarePlan"][0]
    assert plan["status"] == "completed"
    assert steps_of(plan) == [
        ("referral_received", "completed", ["A16A"], "2026-02-02", "2026-02-02"),
        ("first_attendance", "completed", ["A16S"], "2026-02-09", "2026-02-09"),
        ("clinical_decision", "completed", ["A16CK"], "2026-02-20", "2026-02-20"),
        ("treatment_start", "completed", ["A16FK"], "2026-03-02", "2026-03-02")]
    assert plan["activity"][2]["outcomeCodeableConcept"][0]["coding"][0]["code"] == "cancer_confirmed"
    assert resources["EpisodeOfCare"][0]["status"] == "finished"

    again = round_trip(hospital, resources)
    assert again.status_code == 200, again.text
    assert counts_of(again) == ["added 0, corrected 0, unchanged 4, held 0"]
    assert read_everything(hospital)["CarePlan"] == [plan]


def test_a_mental_health_pathway_starts_with_d11_and_records_its_steps_by_milestone(hospital):
    activities = [done("2026-01-05", milestone="referral_received"), done("2026-01-12", "D11"),
                  done("2026-01-20", milestone="first_attendance"),
                  done("2026-02-02", milestone="clinical_decision", outcome="treatment_here", setting="outpatient"),
                  done("2026-03-02", milestone="evaluation")]
    response = send(hospital, transaction(patient_entry(), plan_entry("phr-adults", *activities)))
    assert response.status_code == 200, response.text

    resources = read_everything(hospital)
    episode = resources["EpisodeOfCare"][0]
    assert {(c["system"], c["code"]) for c in episode["type"][0]["coding"]} == {
        ("urn:forlop:pathway", "phr-adults"), ("urn:oid:2.16.578.1.12.4.1.1.9321", "D11")}
    assert episode["period"]["start"] == "2026-01-12"  # since 2023 the clock starts when the referral is assessed
    steps = steps_of(resources["CarePlan"][0])
    assert steps[:5] == [
        ("referral_received", "completed", [], "2026-01-05", "2026-01-05"),
        ("referral_assessed", "completed", ["D11"], "2026-01-12", "2026-01-12"),
        ("first_attendance", "completed", [], "2026-01-20", "2026-01-20"),
        ("clinical_decision", "completed", [], "2026-02-02", "2026-02-02"),
        ("clinical_decision_extended", "cancelled", [], None, None)]
    assert ("evaluation", "completed", [], "2026-03-02", "2026-03-02") in steps
    assert ("evaluation", "scheduled") in [step[:2] for step in steps]  # the next one: it repeats

    again = round_trip(hospital, resources)
    assert counts_of(again) == ["added 0, corrected 0, unchanged 5, held 0"]


def test_home_care_has_no_npr_codes_its_events_are_sent_by_milestone(hospital):
    activities = [done("2026-01-10", milestone="discharge"), done("2026-01-12", milestone="first_home_visit")]
    response = send(hospital, transaction(patient_entry(), plan_entry("hph", *activities)))
    assert response.status_code == 200, response.text

    resources = read_everything(hospital)
    steps = steps_of(resources["CarePlan"][0])
    assert steps[:2] == [("discharge", "completed", [], "2026-01-10", "2026-01-10"),
                         ("first_home_visit", "completed", [], "2026-01-12", "2026-01-12")]
    assert ("reassessment", "scheduled", [], None, "2026-07-12") in steps  # six months after the first visit
    assert counts_of(round_trip(hospital, resources)) == ["added 0, corrected 0, unchanged 2, held 0"]


def test_an_ending_a_postponement_and_plan_values_survive_the_round_trip(hospital):
    with hospital.app.app_context():
        db = database.session()
        patient = db.get(Patient, hospital.patient_id)
        factories.enrolment(db, patient, "phr-adults", [
            Event("referral_received", date(2026, 1, 5)), Event("first_attendance", date(2026, 1, 20)),
            Event("patient_postponed", date(2026, 1, 22), until=date(2026, 2, 5)),
            Event("clinical_decision", date(2026, 2, 10), outcome="treatment_here", setting="inpatient"),
            Event("pathway_ended", date(2026, 3, 1), reason="moved")])
        db.commit()
    resources = read_everything(hospital)
    assert resources["CarePlan"][0]["status"] == "revoked"  # ended before the treatment was completed
    again = round_trip(hospital, resources)
    assert again.status_code == 200, again.text
    assert counts_of(again) == ["added 0, corrected 0, unchanged 5, held 0"]


def test_a_corrected_date_corrects_the_step_and_the_history_names_the_system(hospital):
    assert send(hospital, transaction(patient_entry(), plan_entry("cancer-prostate", *PROSTATE[:2]))).status_code == 200
    corrected = send(hospital, transaction(patient_entry(), plan_entry(
        "cancer-prostate", PROSTATE[0], done("2026-02-10", "A16S"))))
    assert counts_of(corrected) == ["added 0, corrected 1, unchanged 1, held 0"]
    with hospital.app.app_context():
        changes = database.session().scalars(select(Change).where(Change.subject == "event")).all()
        assert {change.by for change in changes} == {"DIPS Testby (system)"}


def test_coded_events_of_a_person_nobody_registered_are_held_not_a_patient_made(hospital):
    response = send(hospital, transaction(patient_entry(STRANGER), plan_entry("cancer-prostate", PROSTATE[0])))
    assert response.status_code == 200, response.text
    assert counts_of(response) == ["added 0, corrected 0, unchanged 0, held 1"]
    assert "location" not in response.get_json()["entry"][0]["response"]
    assert patient_of(hospital.app, STRANGER) is None


# --- appointments, from HL7 Norway's own examples ------------------------------------------------------

def fixture(name: str) -> str:
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", (FIXTURES / name).read_text(encoding="utf-8"))


def xml_transaction(*entries: tuple[str, str, str]) -> bytes:
    """(fullUrl, resource XML, request URL) as a transaction Bundle in FHIR XML."""
    inner = "".join(f'<entry><fullUrl value="{url}"/><resource>{resource}</resource>'
                    f'<request><method value="POST"/><url value="{target}"/></request></entry>'
                    for url, resource, target in entries)
    return f'<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/>{inner}</Bundle>'.encode()


def jannice_with_appointment(appointment: str) -> bytes:
    # The example Appointment references Patient/e70f0ba2-...: Jannice's entry gets that address.
    return xml_transaction(("http://hl7.no/fhir/Patient/e70f0ba2-44d8-4f14-9c3a-ff4c6ead7473", fixture(JANNICE),
                            "Patient"), ("urn:uuid:appointment", appointment, "Appointment"))


@pytest.fixture
def jannice(hospital):
    with hospital.app.app_context():
        db = database.session()
        unit = db.scalar(select(Unit).where(Unit.name == UNIT))
        patient = factories.patient(db, "Jannice Søreng", unit, national_id=JANNICE_FNR)
        factories.enrolment(db, patient, "cancer-prostate", [Event("referral_received", date(2023, 8, 1))])
        db.commit()
        return patient.id


def test_the_hl7_norway_appointment_example_becomes_an_appointment_for_jannice(hospital, jannice):
    appointment = fixture("no-basis-Appointment-example.xml")
    sent = jannice_with_appointment(appointment)
    response = hospital.call("POST", "/fhir", data=sent, content_type="application/fhir+xml")
    assert response.status_code == 200, response.text
    assert response.get_json()["entry"][1]["response"]["status"] == "201 Created"

    shown = read_everything(hospital, jannice)["Appointment"]
    assert [(a["status"], a["start"], a["description"]) for a in shown] == [
        ("booked", "2023-08-10T11:00:00+02:00", "Discussion on the results of your recent MRI")]  # 09:00Z in Oslo
    assert {p["actor"].get("type"): p["actor"]["display"] for p in shown[0]["participant"]}["Location"] == UNIT
    with hospital.app.app_context():
        change = database.session().scalar(select(Change).where(Change.subject == "appointment"))
        assert (change.by, change.action) == ("DIPS Testby (system)", "added")

    again = hospital.call("POST", "/fhir", data=sent, content_type="application/fhir+xml")
    assert again.get_json()["entry"][1]["response"]["status"] == "200 OK"
    cancelled = appointment.replace('<status value="booked"/>', '<status value="cancelled"/>')
    response = hospital.call("POST", "/fhir", data=jannice_with_appointment(cancelled),
                             content_type="application/fhir+xml")
    assert response.status_code == 200, response.text
    assert [a["status"] for a in read_everything(hospital, jannice)["Appointment"]] == ["cancelled"]


@pytest.mark.no_database
@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.xml")))
def test_each_hl7_norway_example_reads_into_a_fhirclient_model(name):
    data = resource_json((FIXTURES / name).read_bytes())
    model = FHIRElementFactory.instantiate(data["resourceType"], data)  # strict: raises on anything unknown
    assert model.as_json()["resourceType"] in ("Patient", "Appointment")


@pytest.mark.no_database
def test_xml_narrative_extensions_and_choice_types_keep_their_json_form():
    jannice = resource_json((FIXTURES / JANNICE).read_bytes())
    assert jannice["identifier"][0] == {"system": FNR, "value": JANNICE_FNR}
    assert jannice["address"][0]["extension"][1]["valueBoolean"] is True
    assert jannice["address"][0]["_district"]["extension"][0]["valueCoding"]["code"] == "0301"
    chalmers = resource_json((FIXTURES / "Patient-e70f0ba2-44d8-4f14-9c3a-ff4c6ead7473.xml").read_bytes())
    assert chalmers["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p style=')


# --- refused: a 4xx naming the element, and nothing written --------------------------------------------

def as_json(bundle: dict) -> dict:
    return {"json": bundle}


TEN_MB = 10 * 1024 * 1024
DOCTYPE = (b'<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY lol "lol">]>'
           b'<Bundle xmlns="http://hl7.org/fhir"><type value="&lol;"/></Bundle>')
VALID_FIRST = [patient_entry(), plan_entry("cancer-prostate", PROSTATE[0])]  # would be written if not refused


@pytest.mark.parametrize(("sent", "status", "element", "says"), [
    ({"data": b'{"resourceType": "Bundle", ', "content_type": "application/fhir+json"}, 400, "Bundle",
     "not valid JSON"),
    (as_json(transaction(*VALID_FIRST, {"resource": {"resourceType": "Appointment", "status": 7, "participant": []},
                                        "request": {"method": "POST", "url": "Appointment"}})), 400,
     "Bundle.entry[2].resource.status", "not valid here"),
    (as_json(transaction(*VALID_FIRST, kind="batch")), 400, "Bundle.type", "transaction"),
    (as_json(transaction(patient_entry(MISTYPED), plan_entry("cancer-prostate", PROSTATE[0]))), 422,
     "Bundle.entry[0].resource.identifier[0].value", "check digits"),
    (as_json(transaction(*VALID_FIRST, plan_entry("cancer-prostate", done("2026-02-09", "A16Z")))), 422,
     "Bundle.entry[2].resource.activity[0].detail.code", "not a pathway code we know"),
    (as_json(transaction(*VALID_FIRST, plan_entry("cancer-prostate", done("2027-01-01", "A16S")))), 422,
     "Bundle.entry[2].resource.activity[0].detail.scheduledPeriod.start", "in the future"),
    (as_json(transaction(*VALID_FIRST, plan_entry("cancer-prostate", PROSTATE[1],
                                                  subject=f"Patient?identifier={FNR}|{ELSEWHERE}"))), 422,
     "Bundle.entry[2].resource.subject", "patient of another unit"),
    ({"data": b'{"resourceType": "Bundle", "type": "transaction", "entry": []' + b" " * TEN_MB + b"}",
      "content_type": "application/fhir+json"}, 413, "Bundle", "too many entries or characters"),
    ({"data": DOCTYPE, "content_type": "application/fhir+xml"}, 400, "Bundle", "DOCTYPE"),
], ids=["malformed JSON", "fhirclient validation", "not a transaction", "wrong check digits", "unknown code",
        "date in the future", "person of another unit", "10 MB", "XML with a DOCTYPE"])
def test_bad_input_is_refused_naming_the_element_and_nothing_is_written(hospital, sent, status, element, says):
    before = hospital.written()
    response = hospital.call("POST", "/fhir", headers={"Accept-Language": "en"}, **sent)
    assert response.status_code == status
    issues = issues_of(response)
    assert any(where == element and says in text for where, text in issues), issues
    assert hospital.written() == before


class ChunkedBody(io.BytesIO):
    """A chunked request body as a server hands it over: no length, and a read returns one chunk."""

    def read(self, size: int = -1) -> bytes:
        return super().read(min(size if size >= 0 else 2**20, 64 * 1024))


def chunked(data: bytes) -> dict:
    return {"input_stream": ChunkedBody(data), "headers": {"Transfer-Encoding": "chunked"},
            "environ_overrides": {"wsgi.input_terminated": True}, "content_type": "application/fhir+json"}


def test_a_chunked_body_without_a_length_cannot_pass_the_limit(hospital):
    before = hospital.written()
    response = hospital.call("POST", "/fhir", **chunked(b"[" + b" " * TEN_MB + b"]"))
    assert response.status_code == 413
    assert issues_of(response)[0][0] == "Bundle"
    assert hospital.written() == before
    whole = json.dumps(transaction(*VALID_FIRST), indent=4096).encode()  # longer than one chunk
    assert hospital.call("POST", "/fhir", **chunked(whole)).status_code == 200


def test_an_appointment_for_someone_nobody_registered_refuses_the_whole_message(hospital):
    appointment = {"resource": {"resourceType": "Appointment", "status": "booked", "description": "Samtale",
                                "start": "2026-03-20T09:00:00+01:00",
                                "participant": [{"actor": {"reference": f"Patient?identifier={FNR}|{STRANGER}"},
                                                 "status": "accepted"}]},
                   "request": {"method": "POST", "url": "Appointment"}}
    before = hospital.written()
    response = send(hospital, transaction(*VALID_FIRST, appointment))
    assert response.status_code == 422
    assert issues_of(response)[0][0] == "Bundle.entry[2].resource.participant[0].actor"
    assert hospital.written() == before


def test_the_masked_national_id_of_the_espen_example_is_refused(hospital):
    sent = xml_transaction(("urn:uuid:espen", fixture("no-basis-Patient-Espen-Eksempel.xml"), "Patient"))
    response = hospital.call("POST", "/fhir", data=sent, content_type="application/fhir+xml",
                             headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert issues_of(response) == [("Bundle.entry[0].resource.identifier[0].value",
                                    "A fødselsnummer or D-nummer has 11 digits.")]


def test_messages_are_in_bokmal_unless_the_system_asks_for_english(hospital):
    bad = {"data": b"{", "content_type": "application/fhir+json"}
    assert issues_of(hospital.call("POST", "/fhir", **bad))[0][1] == "Forespørselen er ikke gyldig JSON."
    english = hospital.call("POST", "/fhir", headers={"Accept-Language": "en"}, **bad)
    assert issues_of(english)[0][1] == "The request is not valid JSON."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["resourceType", "type", "entry", "resource", "request", "method",
                                         "subject", "activity", "detail", "identifier", "participant"]), inner,
                        max_size=4), max_leaves=20))
def test_no_input_gives_a_server_error(hospital, value):
    if isinstance(value, dict):
        value = {"resourceType": "Bundle", "type": "transaction", **value}
    response = hospital.call("POST", "/fhir", json=value)
    assert 200 <= response.status_code < 500
    assert response.mimetype == "application/fhir+json"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["application/fhir+json", "application/fhir+xml"]),
       st.text(max_size=200) | st.text(alphabet='<>/="&; abtyp', max_size=80).map(
           lambda inner: f'<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/>{inner}</Bundle>'))
def test_no_text_gives_a_server_error(hospital, media_type, text):
    response = hospital.call("POST", "/fhir", data=text.encode(), content_type=media_type)
    assert 200 <= response.status_code < 500
    assert response.mimetype == "application/fhir+json"


# --- who may: the unit's system, for the unit's patients ----------------------------------------------

def test_without_a_valid_token_every_route_answers_401_with_an_operation_outcome(hospital, sign_in_coordinator):
    with hospital.app.app_context():
        db = database.session()
        client = db.scalar(select(ApiClient).where(ApiClient.name == "DIPS Testby"))
        revoke(db, client, db.scalar(select(Account).where(Account.role == "admin")))
        db.commit()
    path = f"/fhir/Patient/{hospital.patient_id}/$everything"
    for response in (hospital.call("GET", path), hospital.call("GET", path, token=""),
                     sign_in_coordinator.get(path), hospital.call("GET", path, token="forlop_guess")):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert issues_of(response)[0][0] == ""
        assert "Per Prostata" not in response.text


@pytest.fixture
def sign_in_coordinator(hospital):
    """A coordinator of the unit, signed in in a browser: a session opens no system route."""
    with hospital.app.app_context():
        db = database.session()
        unit = db.scalar(select(Unit).where(Unit.name == UNIT))
        factories.account(db, "coordinator", "Kari Koordinator", "kari.k", "et langt passord her", unit=unit)
        db.commit()
    browser = hospital.app.test_client()
    assert browser.post("/login", data={"username": "kari.k", "password": "et langt passord her"}).status_code == 302
    return browser


def test_another_units_patient_is_not_found_by_any_read(hospital):
    other = hospital.other_patient_id
    assert hospital.call("GET", f"/fhir/Patient/{other}/$everything").status_code == 404
    for kind in ("EpisodeOfCare", "CarePlan", "Goal", "Appointment"):
        response = hospital.call("GET", f"/fhir/{kind}?patient=Patient/{other}")
        assert response.status_code == 404
        assert "Eva" not in response.text
    search = hospital.call("GET", f"/fhir/Patient?identifier={FNR}|{ELSEWHERE}")
    assert search.get_json()["total"] == 0
    assert hospital.call("GET", f"/fhir/Patient/{other}/$everything", token=hospital.other_token).status_code == 200


def test_drafts_are_never_exported_and_shared_goals_are(hospital):
    with hospital.app.app_context():
        db = database.session()
        patient = db.get(Patient, hospital.patient_id)
        factories.goal(db, patient, "Gå på ski med barnebarna", date(2026, 2, 1), review_by=date(2026, 4, 1))
        factories.goal(db, patient, "Et utkast bare jeg ser", date(2026, 2, 2), state="draft")
        factories.goal(db, patient, "Hjemme til jul", date(2025, 11, 1), state="achieved", said_by="relative")
        db.commit()
    goals = read_everything(hospital)["Goal"]
    assert [(g["description"]["text"], g["lifecycleStatus"]) for g in goals] == [
        ("Gå på ski med barnebarna", "active"), ("Hjemme til jul", "completed")]
    assert goals[0]["expressedBy"]["reference"] == f"Patient/{hospital.patient_id}"
    assert "reference" not in goals[1]["expressedBy"]
    assert goals[0]["target"] == [{"dueDate": "2026-04-01"}]
    searched = hospital.call("GET", f"/fhir/Goal?patient={hospital.patient_id}")
    assert "utkast" not in searched.text and searched.get_json()["total"] == 2


def test_every_read_is_in_the_audit_log_under_the_systems_name(hospital):
    read_everything(hospital)
    hospital.call("GET", f"/fhir/Patient?identifier={FNR}|{PERSON}")
    with hospital.app.app_context():
        rows = database.session().scalars(select(AuditEntry).where(AuditEntry.action == "fhir-read")).all()
        assert [(r.actor, r.actor_role, r.actor_unit, r.patient_id, r.detail) for r in rows] == [
            ("DIPS Testby", "system", UNIT, hospital.patient_id, "FHIR $everything"),
            ("DIPS Testby", "system", UNIT, hospital.patient_id, "FHIR Patient search")]


@pytest.mark.parametrize(("query", "status"), [
    ("", 400), ("patient=", 400), ("patient=abc", 400), ("patient=²", 400), ("patient=12345678901", 400),
    ("patient=Patient/{id}", 200), ("patient={id}", 200), ("patient=2147483647", 404)])
def test_the_patient_search_parameter_is_checked(hospital, query, status):
    response = hospital.call("GET", "/fhir/CarePlan?" + query.format(id=hospital.patient_id))
    assert response.status_code == status
    if status == 400:
        assert issues_of(response)[0][0] == "patient"


def test_the_capability_statement_says_what_the_api_does(hospital):
    response = hospital.call("GET", "/fhir/metadata")
    statement = CapabilityStatement(response.get_json())
    assert statement.fhirVersion == "4.0.1"
    rest = statement.rest[0]
    assert [i.code for i in rest.interaction] == ["transaction"]
    assert {r.type: [p.name for p in r.searchParam] for r in rest.resource} == {
        "Patient": ["identifier"], "EpisodeOfCare": ["patient"], "CarePlan": ["patient"], "Goal": ["patient"],
        "Appointment": ["patient"]}
    assert rest.resource[0].operation[0].name == "everything"


def test_an_appointment_entered_by_staff_is_exported_in_norwegian_wall_time(hospital):
    with hospital.app.app_context():
        db = database.session()
        patient = db.get(Patient, hospital.patient_id)
        enrolment = factories.enrolment(db, patient, "cancer-prostate", [Event("referral_received", date(2026, 3, 2))])
        factories.appointment(enrolment, datetime(2026, 3, 30, 9, 30), "MR av prostata", "Radiologisk avdeling",
                              preparation="Ikke spis de siste fire timene.")
        db.commit()
    shown = read_everything(hospital)["Appointment"][0]
    assert (shown["start"], shown["description"], shown["patientInstruction"]) == (
        "2026-03-30T09:30:00+02:00", "MR av prostata", "Ikke spis de siste fire timene.")


def test_each_system_has_its_own_rate_limit(make_app):
    hospital = build_hospital(make_app(cast=False, RATELIMIT_ENABLED=True, SYSTEM_RATE_LIMIT="2 per minute"))
    answers = [hospital.call("GET", "/fhir/metadata").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert issues_of(hospital.call("GET", "/fhir/metadata"))[0][0] == ""
    assert hospital.call("GET", "/fhir/metadata", token=hospital.other_token).status_code == 200


def test_a_bundle_that_races_a_save_of_the_same_pathway_is_refused_whole_and_can_be_sent_again(hospital):
    """Someone on another app server saves the patient's pathway just before the Bundle is written:
    409, nothing of the Bundle kept; the system sends it again and it is applied."""
    assert send(hospital, transaction(patient_entry(), plan_entry("cancer-prostate", *PROSTATE[:1]))).status_code == 200
    before = hospital.written()
    with app_on(hospital.app.config["DATABASE_URL"]) as elsewhere:
        def someone_saves_first(*_):
            with elsewhere.app_context():
                db = database.session()
                db.scalar(select(Enrolment)).touch()
                db.commit()

        event.listen(Session, "before_flush", someone_saves_first, once=True)
        raced = send(hospital, transaction(patient_entry(), plan_entry("cancer-prostate", *PROSTATE[:2])))
    assert raced.status_code == 409
    assert raced.json["resourceType"] == "OperationOutcome"
    assert hospital.written() == before
    again = send(hospital, transaction(patient_entry(), plan_entry("cancer-prostate", *PROSTATE[:2])))
    assert again.status_code == 200
    with hospital.app.app_context():
        enrolment = database.session().scalar(select(Enrolment))
        assert [e.milestone for e in enrolment.current_events] == ["referral_received", "first_attendance"]
