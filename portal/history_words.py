"""A change to a record as staff read it in the history and when two people edit at once: what was
changed, each field by its name and each value in words, in the reader's language."""
from __future__ import annotations

import json
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import database
from .goals import LABELS as GOAL_LABELS
from .history import DRAFTED, GOAL_SUBJECTS
from .i18n import LANGUAGE_NAMES, current_language, day_of_record, local_time, wall_time
from .labels import contact_role_name, milestone_label, reason_label, role_name
from .models import Appointment, Change, Contact, Enrolment, ExpectedResult, GoalAction, RecordedEvent

FIELD_NAMES = {
    # the patient
    "display_name": _l("Name"), "date_of_birth": _l("Date of birth"), "phone": _l("Phone"), "email": _l("Email"),
    "address": _l("Address"), "preferred_language": _l("Language"), "large_print": _l("Large print"),
    "interpreter_language": _l("Interpreter"),
    # the pathway: plan and steps
    "pathway_id": _l("Pathway"), "milestone": _l("Step"), "date": _l("Date"), "outcome": _l("Outcome"),
    "treatment": _l("Treatment"), "setting": _l("Outpatient or inpatient"),
    "severity": _l("How serious the illness is"),
    "reason": _l("Why the pathway ended"), "until": _l("Postponed until"),
    # appointments, expected results, contacts, the delay note
    "starts_at": _l("Date and time"), "what": _l("What"), "place": _l("Where"), "with_whom": _l("With whom"),
    "preparation": _l("How to prepare"), "cancelled_at": _l("Cancelled"), "expected_by": _l("Expected by"),
    "how_you_hear": _l("How the patient will hear"), "received_on": _l("Received on"), "withdrawn_at": _l("Withdrawn"),
    "role": _l("Role"), "name": _l("Name"), "hours": _l("When to call"), "about": _l("What to call about"),
    "removed_at": _l("Removed"), "delay_note": _l("Note about a delay"),
    # goals, their actions and reviews
    "text": _l("What matters to the patient"), "care_wishes": _l("Wishes about the help itself"),
    "said_by": _l("Who said it"), "said_on": _l("Date it was said"), "state": _l("Where the goal stands"),
    "aim": _l("The aim"), "enrolment_id": _l("Pathway"), "phase": _l("Phase"), "help": _l("How the service can help"),
    "help_note": _l("Note about the help"), "review_by": _l("Talk about it again by"), "who": _l("Who does it"),
    "by_when": _l("By when"), "done_on": _l("Done on"), "reviewed_on": _l("Date of the conversation"),
    "obstacles": _l("What stood in the way"),
}
# Fields that hold a date and time as written on a letter (no time zone); other `_at` fields are moments.
WALL_TIMES = ("starts_at",)
# Fields that hold a day.
DAYS = ("date_of_birth", "date", "until", "expected_by", "received_on", "said_on", "review_by", "by_when",
        "done_on", "reviewed_on")
# Fields whose values are a pathway's own ids, named by the pathway's labels.
PATHWAY_FIELDS = ("milestone", "outcome", "treatment", "setting", "severity", "reason")


# The kinds of entry a change can name, by the history's subject: their `history_names` say which one.
ENTRIES = {"event": RecordedEvent, "appointment": Appointment, "expected_result": ExpectedResult,
           "contact": Contact, "goal_action": GoalAction}


def change_title(change: Change) -> str:
    """'Appointment: cancelled (MRI, 12. mars 2026 kl. 09:30)', in the reader's language: what was done, and
    to which entry when it was not just added (an added one shows all its values)."""
    subjects = {"patient": _("Patient details"), "enrolment": _("Pathway"), "plan": _("Planned treatment or setting"),
                "event": _("Step"), "appointment": _("Appointment"), "expected_result": _("Expected result"),
                "delay_note": _("Note about a delay"), "contact": _("Contact card"),
                "goal": _("What matters to the patient"), "goal_action": _("Action towards a goal"),
                "goal_review": _("Review of a goal")}
    actions = {"added": _("added"), "changed": _("changed"), "corrected": _("corrected"), "withdrawn": _("withdrawn"),
               "cancelled": _("cancelled"), "removed": _("removed"), "received": _("received"),
               DRAFTED: _("saved as a draft"), "shared": _("shared with the care team"), "done": _("done"),
               "imported": _("added from the hospital's system")}
    title = f"{subjects.get(change.subject, change.subject)}: {actions.get(change.action, change.action)}"
    entry = ENTRIES.get(change.subject)
    if entry is None or change.action == "added" or not change.before:
        return title
    before = json.loads(change.before)
    names = [_in_words(change, key, before.get(key), before) for key in entry.history_names]
    return f"{title} ({', '.join(names)})"


def described(change: Change) -> list[tuple[str, str, str]]:
    """(field, before, after) in words for each field the change touched."""
    before = json.loads(change.before) if change.before else {}
    after = json.loads(change.after) if change.after else {}
    return [(str(FIELD_NAMES.get(key, key.replace("_", " "))),
             _in_words(change, key, before.get(key), before), _in_words(change, key, after.get(key), after))
            for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]


def _pathway_of(enrolment_id):
    enrolment = database.session().get(Enrolment, enrolment_id) if isinstance(enrolment_id, int) else None
    return current_app.extensions["library"].get(enrolment.pathway_id) if enrolment else None


def _in_words(change: Change, key: str, value, values: dict) -> str:
    """`value` of `key`, as it stood in `values` (the record before or after the change)."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "role":  # who is on a contact card, or an account's role
        return contact_role_name(value) if change.subject == "contact" else role_name(value)
    if change.subject in GOAL_SUBJECTS and key in GOAL_LABELS:
        return str(GOAL_LABELS[key].get(value, value))
    if key == "preferred_language":
        return LANGUAGE_NAMES.get(value, value)
    if key in DAYS:
        return day_of_record(date.fromisoformat(value))
    if key in WALL_TIMES:  # as written on the letter
        return wall_time(datetime.fromisoformat(value))
    if key.endswith("_at"):  # a moment, in Norwegian time like the change itself; the minute is enough
        return local_time(datetime.fromisoformat(value))
    if key == "pathway_id":
        pathway = current_app.extensions["library"].get(value)
        return pathway.texts[current_language()].title if pathway else value
    # A goal names its pathway in its own fields; everything else belongs to the change's enrolment.
    pathway = _pathway_of(values.get("enrolment_id") if change.subject in GOAL_SUBJECTS else change.enrolment_id)
    if pathway is None:
        return str(value)
    if key == "enrolment_id":
        return pathway.texts[current_language()].title
    if key in PATHWAY_FIELDS or key == "phase":
        return _pathway_word(pathway, key, value, values)
    return str(value)


def _pathway_word(pathway, key: str, value: str, values: dict) -> str:
    language = current_language()
    texts = pathway.texts[language]
    if key == "milestone":
        return milestone_label(pathway, language, value) if value in pathway.definition.recordable() else value
    if key == "outcome":
        return texts.labels.get("outcomes", {}).get(values.get("milestone"), {}).get(value, value)
    if key == "reason":
        return reason_label(pathway, language, value)
    if key == "phase":
        return texts.labels["phases"].get(value, {}).get("name", value)
    return texts.branch_label(key, value)
