"""What each input problem code means, in the reader's language."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from .i18n import day_of_record
from .timeline import Problem


def _day(value: str | None) -> str:
    """A day a problem names (ISO, as systems get it), as people read it."""
    return day_of_record(date.fromisoformat(value)) if value else ""


def problem_message(problem: Problem) -> str:
    value = problem.params.get("value", "")
    messages = {
        "unknown_pathway": _("There is no pathway called “%(value)s”.", value=value),
        "unknown_milestone": _("“%(value)s” is not a step in this pathway.", value=value),
        "unknown_outcome": _("“%(value)s” is not a possible outcome of this step.", value=value),
        "missing_outcome": _("Say what the outcome of this step was."),
        "unknown_treatment": _("“%(value)s” is not a treatment in this pathway.", value=value),
        "unknown_setting": _("“%(value)s” is not a setting in this pathway.", value=value),
        "unknown_severity": _("“%(value)s” is not a degree of illness in this pathway.", value=value),
        "unknown_reason": _("“%(value)s” is not a reason this pathway can end.", value=value),
        "missing_reason": _("Say why the pathway ended."),
        "not_applicable": _("This does not apply to this step."),
        "missing_until": _("Say until when the patient wants to wait."),
        "until_not_after_date": _("The end of the postponement must come after the day it was asked for."),
        "date_in_future": _("The date is in the future. Only record a step once it has happened."),
        "before_clock_start": _("The date is before the referral was received (%(day)s).",
                                day=_day(problem.params.get("clock_start"))),
        "before_earlier_step": _("The date is before a step that comes earlier in the pathway."),
        "recorded_twice": _("This step is already recorded. It happens only once."),
        "after_pathway_ended": _("The pathway had already ended on %(day)s.", day=_day(problem.params.get("ended_on"))),
        "not_chosen": _("This step only comes after an outcome that leads to it."),
        "invalid_date": _("Write the date as year-month-day, for example 2026-03-02."),
        "invalid_json": _("The request is not valid JSON."),
        "missing": _("This field is required."),
        "unknown_field": _("This field is not known."),
        "too_long": _("This has too many entries or characters."),
        "invalid_value": _("This value is not valid here."),
        # events sent by a unit's own systems (portal.imports)
        "unknown_code": _("“%(value)s” is not a pathway code we know. Nothing was guessed.", value=value),
        "code_not_in_use": _("The code “%(value)s” was not in use on %(day)s.", value=value,
                             day=_day(problem.params.get("day"))),
        "csv_columns": _("Each line must have these columns: %(value)s.", value=value),
        "national_id_format": _("A fødselsnummer or D-nummer has 11 digits."),
        "national_id_check_digits": _("The check digits do not match. Check the fødselsnummer or D-nummer."),
        "national_id_date": _("The number does not hold a valid date of birth."),
        "unknown_unit": _("There is no unit called “%(value)s”.", value=value),
        "other_unit": _("This system may only send events for its own unit, not “%(value)s”.", value=value),
        "other_unit_patient": _("This person is a patient of another unit."),
        "unknown_person": _("No patient of the unit has this national id."),
        "national_id_missing": _("Name the person by fødselsnummer or D-nummer."),
        "not_utf8": _("The file is not UTF-8 text."),
        # FHIR messages (portal.fhir)
        "invalid_xml": _("The request is not valid FHIR XML."),
        "xml_declarations": _("XML with a DOCTYPE or ENTITY declaration is refused."),
        "not_transaction": _("Send a FHIR Bundle of type “transaction”."),
        "unsupported_resource": _("This API reads Patient, EpisodeOfCare, CarePlan and Appointment entries, "
                                  "not “%(value)s”.", value=value),
        "unresolved_reference": _("This reference names no patient in the message and no patient of the unit."),
        "no_enrolment_here": _("The patient is not in a pathway at this unit."),
    }
    return messages.get(problem.code, _("This value is not valid here."))


def problems_as_json(problems: list[Problem]) -> list[dict]:
    return [{**p.as_dict(), "message": problem_message(p)} for p in problems]
