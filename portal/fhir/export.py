"""A patient's record as FHIR resources: the Patient, per enrolment an EpisodeOfCare and a CarePlan
whose activities are the timeline's steps, the goals the patient has shared, and the appointments.
Words (the displays of codings) are in bokmål, the language of the hospital's records."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fhirclient.models.appointment import Appointment, AppointmentParticipant
from fhirclient.models.bundle import Bundle, BundleEntry, BundleEntrySearch
from fhirclient.models.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhirclient.models.contactpoint import ContactPoint
from fhirclient.models.episodeofcare import EpisodeOfCare
from fhirclient.models.goal import Goal, GoalTarget
from fhirclient.models.humanname import HumanName
from fhirclient.models.identifier import Identifier
from fhirclient.models.patient import Patient, PatientCommunication
from fhirclient.models.period import Period
from flask_babel import force_locale

from .. import models
from ..content.library import Library, Pathway
from ..enrolment_timeline import event_of, timeline_of
from ..goals import ACHIEVED, CURRENT, NO_LONGER_WANTED, SAID_BY, shared_goals_of
from ..identity import system_of
from ..labels import milestone_label, reason_label
from ..timeline import Event, Timeline
from ..timeline.model import ACTIVE, COMPLETED, DONE, ENDED_EARLY, EXPECTED, LATE, SKIPPED
from . import systems
from .elements import coding, concept, fhir_date, fhir_datetime, fhir_instant, make, reference

LANGUAGE = "nb"
STEP_STATUS = {DONE: "completed", EXPECTED: "scheduled", LATE: "not-started", SKIPPED: "cancelled"}
CARE_PLAN_STATUS = {ACTIVE: "active", COMPLETED: "completed", ENDED_EARLY: "revoked"}
GOAL_STATUS = {CURRENT: "active", ACHIEVED: "completed", NO_LONGER_WANTED: "cancelled"}
# Whoever said it, the patient said it when they said it with help.
SAID_BY_PATIENT = ("patient", "patient_with_help")
KINDS = ("Patient", "EpisodeOfCare", "CarePlan", "Goal", "Appointment")


@dataclass(frozen=True)
class Reading:
    """What is read for one patient: the kinds of resource asked for, and the day it is read."""

    library: Library
    today: date
    kinds: tuple[str, ...] = KINDS


def resources_of(db, patient: models.Patient, reading: Reading) -> list:
    """The patient's resources of the kinds asked for, in the order $everything lists them."""
    with force_locale(LANGUAGE):
        found = [patient_resource(patient)] if "Patient" in reading.kinds else []
        plans = []
        for enrolment in patient.enrolments:
            pathway = reading.library.get(enrolment.pathway_id)
            timeline = timeline_of(enrolment, reading.library, reading.today)
            if "EpisodeOfCare" in reading.kinds:
                found.append(episode_of_care(enrolment, pathway, timeline, reading.library))
            if "CarePlan" in reading.kinds:
                plans.append(care_plan(enrolment, pathway, timeline, reading))
        found += plans
        if "Goal" in reading.kinds:
            found += [goal_resource(goal) for goal in shared_goals_of(db, patient.id)]
        if "Appointment" in reading.kinds:
            found += [appointment_resource(a) for e in patient.enrolments for a in e.appointments]
    return found


def searchset(resources: list, base: str) -> Bundle:
    entries = [make(BundleEntry, fullUrl=f"{base}/{r.resource_type}/{r.id}", resource=r,
                    search=make(BundleEntrySearch, mode="match")) for r in resources]
    return make(Bundle, type="searchset", total=len(entries), entry=entries)


def patient_resource(patient: models.Patient) -> Patient:
    identifiers = ([make(Identifier, system=system_of(patient.national_id), value=patient.national_id)]
                   if patient.national_id else [])
    telecom = [make(ContactPoint, system=kind, value=value)
               for kind, value in (("phone", patient.phone), ("email", patient.email)) if value]
    language = make(PatientCommunication, language=concept(coding(systems.LANGUAGE, patient.preferred_language)),
                    preferred=True)
    # One name as it was registered: splitting it into given and family names would be a guess.
    return make(Patient, id=str(patient.id), identifier=identifiers, name=[make(HumanName, text=patient.display_name)],
                birthDate=fhir_date(patient.date_of_birth), telecom=telecom, communication=[language])


def _pathway_coding(pathway: Pathway):
    return coding(systems.PATHWAY, pathway.id, pathway.texts[LANGUAGE].title)


def episode_of_care(enrolment: models.Enrolment, pathway: Pathway, timeline: Timeline,
                    library: Library) -> EpisodeOfCare:
    type_code = next((row.code for row in library.codes.rows
                      if row.pathway == pathway.id and row.code in systems.TYPE_FORLOP_CODES), None)
    codings = [_pathway_coding(pathway)] + ([coding(systems.TYPE_FORLOP, type_code)] if type_code else [])
    return make(EpisodeOfCare, id=str(enrolment.id), status="active" if timeline.state == ACTIVE else "finished",
                type=[concept(*codings)], patient=reference(f"Patient/{enrolment.patient_id}"),
                managingOrganization=reference(display=enrolment.unit.name) if enrolment.unit else None,
                period=_period(enrolment, timeline))


def _period(enrolment: models.Enrolment, timeline: Timeline) -> Period:
    events = enrolment.current_events
    start = timeline.clock_started or (events[0].date if events else None)
    return make(Period, start=fhir_datetime(start), end=fhir_datetime(timeline.ended_on))


def care_plan(enrolment: models.Enrolment, pathway: Pathway, timeline: Timeline, reading: Reading) -> CarePlan:
    return make(CarePlan, id=str(enrolment.id), status=CARE_PLAN_STATUS[timeline.state], intent="plan",
                title=pathway.texts[LANGUAGE].title, subject=reference(f"Patient/{enrolment.patient_id}"),
                category=[concept(_pathway_coding(pathway))],
                supportingInfo=[reference(f"EpisodeOfCare/{enrolment.id}")],
                period=_period(enrolment, timeline), activity=_activities(enrolment, pathway, timeline, reading))


def _activities(enrolment: models.Enrolment, pathway: Pathway, timeline: Timeline, reading: Reading) -> list:
    """One activity per step of the timeline, a done step with everything its recorded event says;
    then the events the timeline shows beside its steps (a transfer, a postponement, an ending)."""
    unused = list(enrolment.current_events)
    activities = []
    for step in timeline.steps:
        event = None
        if step.status == DONE:
            recorded = next((e for e in unused if e.milestone == step.milestone and e.date == step.date), None)
            if recorded is not None:
                unused.remove(recorded)
            event = event_of(recorded) if recorded else Event(step.milestone, step.date, outcome=step.outcome,
                                                              treatment=step.treatment, setting=step.setting)
        activities.append(_activity(pathway, reading, step.milestone, STEP_STATUS[step.status], event,
                                    step.expected_by))
    activities += [_activity(pathway, reading, e.milestone, "completed", event_of(e), None) for e in unused]
    return activities


def _activity(pathway: Pathway, reading: Reading, milestone: str, status: str, event: Event | None,
              expected_by: date | None) -> CarePlanActivity:
    codings = [coding(systems.MILESTONE, milestone, milestone_label(pathway, LANGUAGE, milestone))]
    values = {name: getattr(event, name) for name in systems.EVENT_FIELD_SYSTEMS} if event else {}
    npr_code = reading.library.codes.code_for(
        pathway.id, event.date if event else (expected_by or reading.today), milestone, values.get("outcome"),
        values.get("treatment"), values.get("reason"))
    if npr_code:
        codings.append(coding(systems.NPR_PATHWAY_CODE, npr_code))
    if event:  # a postponement's period runs to the day the patient is ready again
        period = make(Period, start=fhir_datetime(event.date), end=fhir_datetime(event.until or event.date))
    else:
        period = make(Period, end=fhir_datetime(expected_by)) if expected_by else None
    detail = make(CarePlanActivityDetail, status=status, code=concept(*codings), scheduledPeriod=period)
    outcomes = [concept(coding(system, values[name], _value_label(pathway, milestone, name, values[name])))
                for name, system in systems.EVENT_FIELD_SYSTEMS.items() if values.get(name)]
    return make(CarePlanActivity, detail=detail, outcomeCodeableConcept=outcomes)


def _value_label(pathway: Pathway, milestone: str, name: str, value: str) -> str:
    texts = pathway.texts[LANGUAGE]
    if name == "outcome":
        return texts.labels.get("outcomes", {}).get(milestone, {}).get(value, value)
    if name == "reason":
        return reason_label(pathway, LANGUAGE, value)
    return texts.branch_label(name, value)


def goal_resource(goal: models.Goal) -> Goal:
    said_by = str(SAID_BY[goal.said_by])
    expressed_by = (reference(f"Patient/{goal.patient_id}", said_by) if goal.said_by in SAID_BY_PATIENT
                    else reference(display=said_by))
    achieved = concept(coding("http://terminology.hl7.org/CodeSystem/goal-achievement", "achieved"))
    return make(Goal, id=str(goal.id), lifecycleStatus=GOAL_STATUS[goal.state],
                achievementStatus=achieved if goal.state == ACHIEVED else None,
                description=concept(text=goal.text), subject=reference(f"Patient/{goal.patient_id}"),
                expressedBy=expressed_by, startDate=fhir_date(goal.said_on),
                target=[make(GoalTarget, dueDate=fhir_date(goal.review_by))] if goal.review_by else None)


def appointment_resource(appointment: models.Appointment) -> Appointment:
    enrolment = appointment.enrolment
    actors = [reference(f"Patient/{enrolment.patient_id}", enrolment.patient.display_name),
              reference(display=appointment.place, kind="Location")]
    if appointment.with_whom:
        actors.append(reference(display=appointment.with_whom, kind="Practitioner"))
    return make(Appointment, id=str(appointment.id), status="cancelled" if appointment.cancelled_at else "booked",
                description=appointment.what, start=fhir_instant(appointment.starts_at),
                patientInstruction=appointment.preparation,
                supportingInformation=[reference(f"EpisodeOfCare/{enrolment.id}")],
                participant=[make(AppointmentParticipant, actor=actor, status="accepted") for actor in actors])
