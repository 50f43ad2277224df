"""Pathway events from a hospital's or municipality's own systems, applied to the patients'
timelines: one way for every door they come in by (a CSV file on the command line, CSV or a FHIR
Bundle through the API).

Each event names a person by national id and records one step. It is checked first, all of it:
a number with wrong check digits, a code nobody knows, a date in the future, a person of another
unit, or a step the engine objects to (a decision before the referral) refuses the whole delivery,
and nothing is saved. Otherwise every event is applied in one transaction:
- an event already recorded changes nothing, so the same message sent twice is harmless;
- a step recorded with other values is corrected (the hospital's record is the source), a
  repeating step is added;
- an event for a person no patient of the unit has is held for the unit's coordinator, never
  attached to someone else: once the person is registered, the coordinator applies it (the same
  import, by them), or dismisses it.
Every change is in the patient's history and the audit log as done by the system that sent it."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .audit import record
from .clock import now
from .content.library import Library
from .enrolment_timeline import event_of, plan_of
from .history import Edit, record_changes
from .identity import NationalIdError, normalise
from .models import Account, ApiClient, Enrolment, HeldEvent, Patient, RecordedEvent, Unit
from .timeline import Event, Options, Problem, TimelineInputError, compute_timeline
from .timeline.model import EVENT_FIELDS, POSTPONEMENT, TRANSFER

CSV_COLUMNS = ("person_id", "code", "date", "unit")


@dataclass(frozen=True)
class Incoming:
    """One event as a system sent it, once read: who (as given), which pathway, what happened, the
    code it came with (None when a FHIR message named the step itself), the unit it names (None:
    the sender's own) and where it was in the message, for error messages."""

    person_id: str
    pathway: str | None
    event: Event | None
    code: str | None
    where: str
    unit: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a delivery was refused: where in the message, and the problem (its field and code)."""

    where: str
    problem: Problem

    @property
    def element(self) -> str:
        return f"{self.where}.{self.problem.field}" if self.problem.field else self.where


ACTIONS = ("added", "corrected", "unchanged", "held")


@dataclass
class Outcome:
    refusals: list[Refusal] = field(default_factory=list)
    # What became of each event, by where it was in the message: one of ACTIONS (a FHIR Bundle
    # reports it per entry; the counts are made from it).
    actions: dict[str, str] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for done in self.actions.values() if done == action)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def held(self) -> int:
        return self.count("held")

    def as_dict(self) -> dict:
        return {action: self.count(action) for action in ACTIONS}


def from_code(library: Library, person_id: str, code: str, day: date | None, where: str,
              unit: str | None = None) -> Incoming | Refusal:
    """An event named by its pathway code, as the hospitals register and report it."""
    code = (code or "").strip().upper()
    if day is None:
        return Refusal(where, Problem("date", "invalid_date"))
    if not library.codes.known(code):
        return Refusal(where, Problem("code", "unknown_code", {"value": code}))
    meaning = library.codes.meaning(code, day)
    if meaning is None:
        return Refusal(where, Problem("code", "code_not_in_use", {"value": code, "day": day.isoformat()}))
    event = Event(meaning.milestone, day, outcome=meaning.outcome, treatment=meaning.treatment, reason=meaning.reason)
    return Incoming(person_id, meaning.pathway, event, code, where, unit)


def read_csv(library: Library, text: str) -> list[Incoming | Refusal]:
    """Rows of `person_id,code,date,unit` (a header first), one event a row."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _rows(library, reader)
    except csv.Error:  # a field longer than the csv module reads (128 KiB): no column is that long
        return [Refusal(f"line {reader.line_num + 1}", Problem("", "too_long"))]


def _rows(library: Library, reader: csv.DictReader) -> list[Incoming | Refusal]:
    if tuple(name.strip() for name in reader.fieldnames or ()) != CSV_COLUMNS:
        return [Refusal("line 1", Problem("", "csv_columns", {"value": ",".join(CSV_COLUMNS)}))]
    read = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            read.append(Refusal(f"line {line}", Problem("", "csv_columns", {"value": ",".join(CSV_COLUMNS)})))
            continue
        read.append(from_code(library, row["person_id"].strip(), row["code"], _day(row["date"]), f"line {line}",
                              row["unit"].strip() or None))
    return read


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def apply(db: Session, sender: ApiClient | Account | str, unit: Unit | None, read: list[Incoming | Refusal],
          today: date, source: str | None = None) -> Outcome:
    """Check and apply a delivery. `sender` is the API client (whose unit is the only one it may
    name), a member of staff applying an event that was held (see apply_held) or, for a file on
    the command line, a name ("cli:import codes.csv") with `unit` None: each row names its unit.
    `source`: the system the steps came from, when that is not the sender. On refusals nothing
    is applied: the caller rolls back."""
    library: Library = current_app.extensions["library"]
    synthetic = current_app.config["SYNTHETIC_NATIONAL_IDS"]
    outcome = Outcome()
    units = {u.name: u for u in db.scalars(select(Unit))}
    checked: list[tuple[Incoming, str, Unit]] = []
    for item in read:
        if isinstance(item, Refusal):
            outcome.refusals.append(item)
            continue
        try:
            number = normalise(item.person_id, synthetic)
        except NationalIdError as error:
            outcome.refusals.append(Refusal(item.where, Problem("person_id", f"national_id_{error.code}")))
            continue
        named = units.get(item.unit) if item.unit else unit
        if named is None:
            outcome.refusals.append(Refusal(item.where, Problem("unit", "unknown_unit", {"value": item.unit or ""})))
            continue
        if unit is not None and named.id != unit.id:
            outcome.refusals.append(Refusal(item.where, Problem("unit", "other_unit", {"value": item.unit})))
            continue
        if item.event.date > today:
            outcome.refusals.append(Refusal(item.where, Problem("date", "date_in_future")))
            continue
        checked.append((item, number, named))
    patients = _patients(db, {number for _, number, _ in checked})
    by_enrolment: dict[tuple[Patient, int, str], list[Incoming]] = defaultdict(list)
    for item, number, named in checked:
        patient = patients.get(number)
        if patient is None:
            _hold(db, outcome, sender, named, number, item)
        elif patient.unit_id != named.id and all(e.unit_id != named.id for e in patient.enrolments):
            outcome.refusals.append(Refusal(item.where, Problem("person_id", "other_unit_patient")))
        else:
            by_enrolment[(patient, named.id, item.pathway)].append(item)
    plans = []
    for (patient, unit_id, pathway), items in by_enrolment.items():
        enrolment = _enrolment_for(patient, unit_id, pathway)
        changes = _changes(library.get(pathway).definition, enrolment, items, today, outcome)
        if changes is not None:
            plans.append((patient, unit_id, pathway, enrolment, changes))
    if outcome.refusals:
        return outcome
    record_changes(db, sender, [_change(db, _name(sender), source or _name(sender), patient, unit_id, pathway,
                                        enrolment, changes)
                                for patient, unit_id, pathway, enrolment, changes in plans if changes])
    for *_, changes in plans:
        for action, item, _old in changes:
            outcome.actions[item.where] = "added" if action == "imported" else "corrected"
    return outcome


def _patients(db: Session, numbers: set[str]) -> dict[str, Patient]:
    found = {}
    numbers = sorted(numbers)
    for start in range(0, len(numbers), 500):  # the database's limit on bound parameters
        query = (select(Patient).where(Patient.national_id.in_(numbers[start:start + 500]))
                 .options(selectinload(Patient.enrolments).selectinload(Enrolment.events)))
        found.update((p.national_id, p) for p in db.scalars(query))
    return found


def _hold(db: Session, outcome: Outcome, sender, unit: Unit, number: str, item: Incoming) -> None:
    if item.code is None:  # a FHIR message naming the step itself: only coded events can wait
        outcome.refusals.append(Refusal(item.where, Problem("person_id", "unknown_person")))
        return
    already = db.scalar(select(HeldEvent.id).where(
        HeldEvent.unit_id == unit.id, HeldEvent.national_id == number, HeldEvent.code == item.code,
        HeldEvent.date == item.event.date, HeldEvent.resolution.is_(None)))
    if already is None:
        db.add(HeldEvent(unit_id=unit.id, national_id=number, code=item.code, date=item.event.date,
                         received_at=now(), received_from=_name(sender)))
    outcome.actions[item.where] = "held"


def _name(sender) -> str:
    return sender if isinstance(sender, str) else sender.display_name


def _enrolment_for(patient: Patient, unit_id: int, pathway: str) -> Enrolment | None:
    """The patient's newest enrolment in the pathway at the unit; None: a new one is made."""
    return next((e for e in reversed(patient.enrolments) if e.pathway_id == pathway and e.unit_id == unit_id), None)


def _changes(definition, enrolment: Enrolment | None, items: list[Incoming], today: date,
             outcome: Outcome) -> list[tuple[str, Incoming, RecordedEvent | None]] | None:
    """What applying `items` would do: ("imported", item, None) or ("corrected", item, old), with
    already-recorded events counted as unchanged. None when the engine objects (a refusal each)."""
    current = list(enrolment.current_events) if enrolment else []
    events = [event_of(recorded) for recorded in current]
    changes = []
    planned: dict[int, Incoming] = {}  # index in `events` -> the item that put it there
    for item in sorted(items, key=lambda i: i.event.date):
        if item.event in events:
            outcome.actions[item.where] = "unchanged"
            continue
        milestone = definition.milestone(item.event.milestone)
        # A transfer or postponement can happen again, like a repeating step; other steps happen once.
        repeats = (milestone is not None and milestone.repeats) or item.event.milestone in (TRANSFER, POSTPONEMENT)
        same_step = None if repeats else next(
            (n for n, e in enumerate(events) if e.milestone == item.event.milestone), None)
        if same_step is None:
            planned[len(events)] = item
            events.append(item.event)
            changes.append(("imported", item, None))
        else:
            old = current[same_step] if same_step < len(current) else None
            events[same_step] = item.event
            planned[same_step] = item
            if old is None:  # two values for one step in the same delivery: the later counts
                changes = [c for c in changes if c[1].event.milestone != item.event.milestone]
                changes.append(("imported", item, None))
            else:
                changes = [c for c in changes if c[2] is not old]
                changes.append(("corrected", item, old))
    try:
        compute_timeline(definition, events, today, plan_of(enrolment) if enrolment else Options())
    except TimelineInputError as error:
        for problem in error.problems:
            item = planned.get(problem.event) or (changes[-1][1] if changes else items[0])
            outcome.refusals.append(Refusal(item.where, replace(problem, event=None)))
        return None
    return changes


def _change(db: Session, name: str, source: str, patient: Patient, unit_id: int, pathway: str,
            enrolment: Enrolment | None, changes: list) -> tuple[Enrolment, Callable[[], list[Edit]]]:
    """The enrolment (a new one if the patient has none in the pathway at the unit) and the
    function that records the changes in it, for portal.history.record_changes. `name` recorded
    them; `source` is the system they came from."""
    new = enrolment is None
    at = now()
    if new:
        enrolment = Enrolment(patient=patient, pathway_id=pathway, unit_id=unit_id, created_at=at)
        db.add(enrolment)

    def make() -> list[Edit]:
        edits = [Edit("enrolment", "added")] if new else []
        for action, item, old in changes:
            # Only the fields the event has: a delivery's inserts then carry fewer values.
            given = {spec.name: getattr(item.event, spec.name) for spec in EVENT_FIELDS}
            recorded = RecordedEvent(enrolment=enrolment, **{k: v for k, v in given.items() if v is not None},
                                     recorded_by=name, recorded_at=at, source=source)
            db.add(recorded)
            if old is not None:
                db.flush()  # the new entry's id, for the old one to point at
                old.replaced_by_id = recorded.id
            edits.append(Edit("event", action, recorded, replaces=old))
        return edits

    return enrolment, make


def _waiting(unit_id: int):
    return (HeldEvent.unit_id == unit_id) & HeldEvent.resolution.is_(None)


def held_for(db: Session, unit_id: int) -> list[HeldEvent]:
    """The unit's events still waiting for a coordinator, oldest first."""
    return list(db.scalars(select(HeldEvent).where(_waiting(unit_id)).order_by(HeldEvent.received_at, HeldEvent.id)))


def waiting_count(db: Session, unit_id: int) -> int:
    """How many of the unit's events wait for a coordinator (the worklist says so)."""
    return db.scalar(select(func.count(HeldEvent.id)).where(_waiting(unit_id)))


def apply_held(db: Session, by: Account, held: HeldEvent, today: date) -> Outcome:
    """Apply an event that waited for its person: the normal import of its one code, sent by the
    member of staff who applies it, the step still naming the system it came from. It is marked
    applied only when it was; otherwise the outcome says why not (held again: still no patient of
    the unit has the number; refusals: what the engine or the unit objects to), and the caller
    rolls back."""
    item = from_code(current_app.extensions["library"], held.national_id, held.code, held.date, "held event")
    outcome = apply(db, by, held.unit, [item], today, source=held.received_from)
    if not outcome.refusals and not outcome.held:
        _resolve(held, by, "applied")
    return outcome


def dismiss_held(db: Session, by: Account, held: HeldEvent) -> None:
    """Set aside an event that belongs to no one here (a wrong unit, a mistyped number). It is
    kept, marked dismissed, and the audit log says who did it."""
    _resolve(held, by, "dismissed")
    record(db, by, "held-event-dismissed", None, f"held event {held.id} ({held.code})")


def _resolve(held: HeldEvent, by: Account, resolution: str) -> None:
    held.resolution, held.resolved_by, held.resolved_at = resolution, by.display_name, now()
