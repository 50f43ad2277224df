"""What matters to the patient ("Hva er viktig for deg?"): their goals in their own words, who said
them, how the service can help, the actions towards them and the conversations that review them.

A shared goal is never deleted. A draft is seen by the patient alone, and the patient may delete it
(with its drafts in the history, which nobody else ever saw); once shared it is `current` for the
care team (and for relatives the patient lets see goals), until it is reached or no longer wanted.
Every change is saved through portal.saving, as a change to the goal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select

from .badges import Badge
from .clock import today
from .content.library import Library
from .models import Change, Goal, Patient
from .timeline.model import LATE

DRAFT, CURRENT, ACHIEVED, NO_LONGER_WANTED = "draft", "current", "achieved", "no_longer_wanted"

# Questions to think about before the conversation (the page and the printed sheet):
# (key, question, what it might be about)
PROMPTS = (
    ("good_day", _l("What makes a good day for you?"),
     _l("Think of a day that went well. What did you do, and who were you with?")),
    ("manage_again", _l("What would you like to manage again?"),
     _l("Something you did before and miss, big or small.")),
    ("look_forward", _l("What are you looking forward to?"),
     _l("A trip, a visit, a celebration, a season.")),
    ("worries", _l("Is there something you are worried about?"),
     _l("It can help to say it out loud, so that we can plan around it.")),
    ("people", _l("Who matters to you?"),
     _l("And what would you like to do together with them?")),
)


SAID_BY = {"patient": _l("The patient"), "patient_with_help": _l("The patient, with help"),
           "relative": _l("A relative")}
STATES = {DRAFT: _l("Draft"), CURRENT: _l("Current"), ACHIEVED: _l("Reached"),
          NO_LONGER_WANTED: _l("No longer wanted")}
AIMS = {"improve": _l("Get better at it"), "keep": _l("Keep what one has")}
HELP = {"can_help": _l("We can help"), "partly": _l("We can help with part of it"),
        "others_can_help": _l("Others can help"),
        "not_something_we_can_help_with": _l("Not something we can help with")}
OUTCOMES = {"achieved": _l("Reached"), "partly": _l("Partly"), "not_yet": _l("Not yet")}
LABELS = {"said_by": SAID_BY, "state": STATES, "aim": AIMS, "help": HELP, "outcome": OUTCOMES}
# Help that leaves the goal with someone else: the note must say who, so no goal is simply dropped.
HELP_NEEDING_NOTE = ("others_can_help", "not_something_we_can_help_with")


@dataclass(frozen=True)
class GoalWords:
    """A goal as pages show it: its stored choices in the reader's words, and whether the talk
    about it is overdue."""

    said_by: str
    state: str
    aim: str
    help: str | None  # None: not decided yet
    overdue: Badge | None
    outcomes: dict[int, str]  # review id -> how it went


def review_overdue(goal: Goal, day: date) -> Badge | None:
    """A current goal whose agreed time to talk about it again has gone by."""
    if goal.state == CURRENT and goal.review_by is not None and goal.review_by < day:
        return Badge(LATE, _("Overdue"))
    return None


def goal_words(goal: Goal) -> GoalWords:
    return GoalWords(str(SAID_BY[goal.said_by]), str(STATES[goal.state]), str(AIMS[goal.aim]),
                     str(HELP[goal.help]) if goal.help else None, review_overdue(goal, today()),
                     {review.id: str(OUTCOMES[review.outcome]) for review in goal.reviews})


@dataclass(frozen=True)
class GoalGroups:
    """A patient's goals as their pages list them: drafts, current goals, and earlier ones."""

    drafts: list[Goal]
    current: list[Goal]
    earlier: list[Goal]


def grouped(goals: list[Goal]) -> GoalGroups:
    return GoalGroups([g for g in goals if g.state == DRAFT], [g for g in goals if g.state == CURRENT],
                      [g for g in goals if g.state not in (DRAFT, CURRENT)])


# Built once: a patient's timeline runs it on every view.
_GOALS = (select(Goal).where(Goal.patient_id == bindparam("patient_id"),
                             Goal.state.in_(bindparam("states", expanding=True)))
          .order_by(Goal.created_at, Goal.id))


def goals_of(db, patient_id: int, states: tuple[str, ...]) -> list[Goal]:
    return list(db.scalars(_GOALS, {"patient_id": patient_id, "states": list(states)}))


def shared_goals_of(db, patient_id: int) -> list[Goal]:
    """Everything but drafts: what the care team sees."""
    return goals_of(db, patient_id, (CURRENT, ACHIEVED, NO_LONGER_WANTED))


def current_goals_of(db, patient_id: int) -> list[Goal]:
    return goals_of(db, patient_id, (CURRENT,))


def goals_version(patient_id_column):
    """A number that grows with every change to any of the patient's shared goals (versions only go
    up, shared goals are never deleted): part of the key of a cached page that shows them. Drafts
    are left out: no such page shows them, and a deleted one would make the number go down."""
    return (select(func.coalesce(func.sum(Goal.version), 0))
            .where(Goal.patient_id == patient_id_column, Goal.state != DRAFT).scalar_subquery())


def delete_draft(db, goal: Goal) -> None:
    """A draft the patient no longer wants, gone with its history: nobody else ever saw it."""
    if goal.state != DRAFT:
        raise ValueError(f"goal {goal.id} has been shared and is kept")
    db.execute(delete(Change).where(Change.subject == "goal", Change.subject_id == goal.id))
    db.delete(goal)


def link_choices(patient: Patient, library: Library, language: str) -> list[tuple[str, str]]:
    """A goal can belong to one of the patient's pathways, and to one phase of it."""
    choices = [("", _("Not linked to a pathway"))]
    for enrolment in reversed(patient.enrolments):
        pathway = library.get(enrolment.pathway_id)
        texts = pathway.texts[language]
        choices.append((f"{enrolment.id}:", _("%(pathway)s, any phase", pathway=texts.title)))
        choices += [(f"{enrolment.id}:{phase.id}", f"{texts.title}: {texts.labels['phases'][phase.id]['name']}")
                    for phase in pathway.definition.phases]
    return choices


def link_of(goal: Goal) -> str:
    return f"{goal.enrolment_id}:{goal.phase or ''}" if goal.enrolment_id else ""


def set_link(goal: Goal, patient: Patient, library: Library, value: str) -> None:
    """Link the goal to an enrolment of the patient (and a phase of its pathway), from a
    `link_choices` value. Anything that is not one of the patient's pathways and its phases is refused."""
    if not value:
        goal.enrolment_id, goal.phase = None, None
        return
    enrolment_id, phase = value.split(":", 1)
    enrolment = next((e for e in patient.enrolments if str(e.id) == enrolment_id), None)
    if enrolment is None:
        raise ValueError(f"enrolment {enrolment_id} is not the patient's")
    if phase and phase not in {p.id for p in library.get(enrolment.pathway_id).definition.phases}:
        raise ValueError(f"{phase} is not a phase of {enrolment.pathway_id}")
    goal.enrolment_id, goal.phase = enrolment.id, phase or None


def link_label(goal: Goal, library: Library, language: str) -> str | None:
    if goal.enrolment is None:
        return None
    texts = library.get(goal.enrolment.pathway_id).texts[language]
    if goal.phase is None:
        return texts.title
    return f"{texts.title}: {texts.labels['phases'][goal.phase]['name']}"
