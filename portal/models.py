"""What the portal stores: units and accounts, patients, their enrolment in a pathway with its
events, appointments, expected results and contacts, what matters to them (goals, with actions and
reviews), what they share with relatives, the history of changes and the audit log. Tables are
created by Alembic migrations, never by create_all."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from .clock import now
from .timeline.model import EVENT_FIELDS, ID_LENGTH, OPTION_FIELDS, FieldSpec


class Moment(TypeDecorator):
    """A moment in time, timezone-aware UTC in Python. PostgreSQL keeps it as `timestamptz`;
    SQLite, which has no time zones, as the UTC wall time. A naive datetime is refused: it could
    be either UTC or Norwegian time, and guessing is how one moment came to be shown two ways."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a moment must carry its time zone: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class WallTime(TypeDecorator):
    """A date and time as written on an appointment letter: Norwegian wall-clock time, no time
    zone. An appointment at 09:30 stays at 09:30 when the clocks change."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            raise ValueError(f"a wall time has no time zone: {value!r}")
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: Moment}
    # The fields whose values before and after a change the history keeps (portal.history), and
    # those of them that say which entry it was, kept even when they did not change.
    history_fields: ClassVar[tuple[str, ...]] = ()
    history_names: ClassVar[tuple[str, ...]] = ()


def columns_of(specs: tuple[FieldSpec, ...]) -> type:
    """A mixin with one column per field of the engine's Event or Options (a day, or an id), so the
    stored record and the engine's input cannot drift apart."""
    return type("EngineColumns", (), {
        spec.name: mapped_column(Date if spec.is_date else String(ID_LENGTH), nullable=not spec.required)
        for spec in specs})


class Unit(Base):
    """A hospital department or a municipal service. Staff belong to one; enrolments are run by one."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "hospital" | "municipality"
    created_at: Mapped[datetime]


class Account(Base):
    """Anyone who logs in: staff (`admin`, `coordinator`, `nurse`, with a unit), a patient (with
    their patient record) or a relative (who sees patients through shares). The username and
    password are set by the person through a one-time activation code."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), unique=True)
    # A member of staff's fødselsnummer or D-nummer, for signing in with HelseID (a patient's is
    # on their patient record).
    national_id: Mapped[str | None] = mapped_column(String(11), unique=True)
    # A member of staff's work e-mail: where their activation codes go (never to the admin's screen).
    work_email: Mapped[str | None] = mapped_column(String(254))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship()
    patient: Mapped[Patient | None] = relationship(foreign_keys=[patient_id])

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


STAFF_ROLES = ("coordinator", "nurse", "admin")


class SignIn(Base):
    """One signed-in session of an account. The browser's cookie holds a random token; only its
    SHA-256 is stored. Signing out, a new password, deactivation or an admin ends it here, so a
    copy of the cookie is worth nothing afterwards, wherever it was copied to."""

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_why: Mapped[str | None] = mapped_column(String(20))  # see portal.auth.access.ENDINGS

    account: Mapped[Account] = relationship()


class Activation(Base):
    """A one-time code that lets a person set their password: the first time, or after they
    forgot it (the coordinator or admin issues a new one). Only the code's SHA-256 is stored."""

    __tablename__ = "activation"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    account: Mapped[Account] = relationship()


class Patient(Base):
    """A person in one or more pathways. `version` goes up with every change to these details."""

    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    # Fødselsnummer or D-nummer (eleven digits, check digits checked: portal.identity). How a
    # hospital's system names the person; unique, so the same person cannot be registered twice.
    national_id: Mapped[str | None] = mapped_column(String(11), unique=True)
    preferred_language: Mapped[str] = mapped_column(String(5), default="nb")
    large_print: Mapped[bool] = mapped_column(default=False)
    interpreter_language: Mapped[str | None] = mapped_column(String(80))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}
    history_fields = ("display_name", "national_id", "date_of_birth", "phone", "email", "address", "preferred_language",
                      "large_print", "interpreter_language")

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="patient", order_by="Enrolment.id")
    unit: Mapped[Unit | None] = relationship()

    def touch(self) -> None:
        """Count a save as a change (new version), even when no detail changed."""
        flag_modified(self, "display_name")


class Enrolment(columns_of(OPTION_FIELDS), Base):
    """A patient in one pathway, run by one unit. `treatment`, `setting` and `severity` are the plan
    before events record them.

    `version` is SQLAlchemy's version counter: it goes up with every update of the row, and an
    update made from a stale version is refused. Code that changes what belongs to the enrolment
    (events, appointments, expected results, contacts) updates the enrolment too, so pages that
    cache on the version see the change and a form filled in before it is noticed.

    The `next_*`, `phase` and `state` columns are the worklist's copy of the timeline, refreshed
    whenever the enrolment changes (see portal.enrolment_timeline.refresh_summary)."""

    __tablename__ = "enrolment"
    # The worklist reads one unit's enrolments ordered by the next expected date.
    __table_args__ = (Index("ix_enrolment_worklist", "unit_id", "next_expected_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    pathway_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    delay_note: Mapped[str | None] = mapped_column(Text)
    delay_note_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    state: Mapped[str | None] = mapped_column(String(20))
    phase: Mapped[str | None] = mapped_column(String(80))
    next_milestone: Mapped[str | None] = mapped_column(String(80))
    next_expected_by: Mapped[date | None]
    # The day the daily job found the next step's normal date gone by with nothing recorded (and
    # told the patient); cleared when the next step or its date changes. The worklist puts these first.
    no_news_since: Mapped[date | None]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}
    history_fields = ("pathway_id", *(spec.name for spec in OPTION_FIELDS), "delay_note")

    patient: Mapped[Patient] = relationship(back_populates="enrolments")
    unit: Mapped[Unit | None] = relationship()

    def touch(self) -> None:
        """Count a change to what belongs to the enrolment as a change to it (new version)."""
        flag_modified(self, "pathway_id")

    events: Mapped[list[RecordedEvent]] = relationship(
        back_populates="enrolment", order_by="(RecordedEvent.date, RecordedEvent.id)"
    )
    contacts: Mapped[list[Contact]] = relationship(back_populates="enrolment", order_by="Contact.id")
    appointments: Mapped[list[Appointment]] = relationship(
        back_populates="enrolment", order_by="(Appointment.starts_at, Appointment.id)")
    expected_results: Mapped[list[ExpectedResult]] = relationship(
        back_populates="enrolment", order_by="(ExpectedResult.expected_by, ExpectedResult.id)")

    @property
    def current_events(self) -> list[RecordedEvent]:
        return [e for e in self.events if e.replaced_by_id is None and e.withdrawn_at is None]


class RecordedEvent(columns_of(EVENT_FIELDS), Base):
    """A milestone as recorded by the care team: the engine's Event, with who recorded it. A
    correction adds a new row and points the old one at it (`replaced_by_id`); a mistaken entry is
    withdrawn, not deleted. The history stays."""

    __tablename__ = "recorded_event"
    history_fields = (*(spec.name for spec in EVENT_FIELDS), "withdrawn_at")
    history_names = ("milestone", "date")

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    # The system it came from (an API client's name, or "file" for a CSV file imported on the
    # command line); None when someone typed it into Forløp.
    source: Mapped[str | None] = mapped_column(String(200))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("recorded_event.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))

    enrolment: Mapped[Enrolment] = relationship(back_populates="events")


class Appointment(Base):
    """A planned appointment the patient should know about. Cancelled, never deleted."""

    __tablename__ = "appointment"
    history_fields = ("starts_at", "what", "place", "with_whom", "preparation", "cancelled_at")
    history_names = ("what", "starts_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(WallTime)
    place: Mapped[str] = mapped_column(String(300))
    what: Mapped[str] = mapped_column(String(300))
    with_whom: Mapped[str | None] = mapped_column(String(300))
    preparation: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None]

    enrolment: Mapped[Enrolment] = relationship(back_populates="appointments")


class ExpectedResult(Base):
    """A result the patient is waiting for: what, by when, and how they will hear."""

    __tablename__ = "expected_result"
    history_fields = ("what", "expected_by", "how_you_hear", "received_on", "withdrawn_at")
    history_names = ("what",)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    expected_by: Mapped[date]
    how_you_hear: Mapped[str | None] = mapped_column(String(300))
    received_on: Mapped[date | None]
    withdrawn_at: Mapped[datetime | None]

    enrolment: Mapped[Enrolment] = relationship(back_populates="expected_results")


class Contact(Base):
    """Who the patient can call: the coordinator, the contact nurse, the GP, home care."""

    __tablename__ = "contact"
    history_fields = ("role", "name", "phone", "hours", "about", "removed_at")
    history_names = ("name",)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    hours: Mapped[str | None] = mapped_column(String(200))
    about: Mapped[str | None] = mapped_column(Text)
    removed_at: Mapped[datetime | None]

    enrolment: Mapped[Enrolment] = relationship(back_populates="contacts")


class Share(Base):
    """What a patient lets one relative see. The relative accepts the invitation (a link with an
    expiry) by making an account; the patient can withdraw the share at any time. When staff set
    it up on the patient's behalf, `consent_note` says how the patient gave consent."""

    __tablename__ = "share"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    relative_name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    invite_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    see_appointments: Mapped[bool] = mapped_column(default=True)
    see_goals: Mapped[bool] = mapped_column(default=False)
    see_notes: Mapped[bool] = mapped_column(default=False)
    # May be told by e-mail or SMS that there is news (never what it is): portal.notifications.
    tell_news: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    consent_note: Mapped[str | None] = mapped_column(String(300))
    withdrawn_at: Mapped[datetime | None]

    patient: Mapped[Patient] = relationship()
    account: Mapped[Account | None] = relationship()


class Goal(Base):
    """What matters to the patient ("Hva er viktig for deg?"), in their own words: something in
    their life, not a choice among services. Wishes about the care itself (the time of day for
    help) are a separate, secondary field. A goal is never deleted: it is reached, or no longer
    wanted, and every change is in the history.

    A draft is the patient still thinking: only the patient sees it. Staff and relatives see a
    goal once it is shared (`current`). `version` goes up with every change to the goal, its
    actions and its reviews, so a form filled in from an older version is stopped."""

    __tablename__ = "goal"
    history_fields = ("text", "care_wishes", "said_by", "said_on", "state", "aim", "enrolment_id", "phase",
                      "help", "help_note", "review_by")

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"))
    phase: Mapped[str | None] = mapped_column(String(80))  # a phase of the enrolment's pathway
    text: Mapped[str] = mapped_column(Text)
    care_wishes: Mapped[str | None] = mapped_column(Text)
    said_by: Mapped[str] = mapped_column(String(20))  # see portal.goals.SAID_BY
    said_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(200))  # the name, as it was then
    recorded_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    state: Mapped[str] = mapped_column(String(20))  # see portal.goals.STATES
    aim: Mapped[str] = mapped_column(String(20))  # "improve" | "keep"
    help: Mapped[str | None] = mapped_column(String(40))  # how the service can help; None: not said yet
    help_note: Mapped[str | None] = mapped_column(String(300))
    review_by: Mapped[date | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}

    patient: Mapped[Patient] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()
    actions: Mapped[list[GoalAction]] = relationship(
        back_populates="goal", order_by="(GoalAction.by_when, GoalAction.id)")
    reviews: Mapped[list[GoalReview]] = relationship(
        back_populates="goal", order_by="(GoalReview.reviewed_on.desc(), GoalReview.id.desc())")

    def touch(self) -> None:
        """Count a change to the goal, its actions or reviews as a change to it (new version)."""
        self.updated_at = now()

    @property
    def kept_actions(self) -> list[GoalAction]:
        """The actions that were not withdrawn: done or still to do."""
        return [a for a in self.actions if a.withdrawn_at is None]

    @property
    def open_actions(self) -> list[GoalAction]:
        return [a for a in self.actions if a.withdrawn_at is None and a.done_on is None]


class GoalAction(Base):
    """Something that will be done towards a goal: what, who, by when, and when it was done.
    A mistaken action is withdrawn, never deleted."""

    __tablename__ = "goal_action"
    history_fields = ("what", "who", "by_when", "done_on", "withdrawn_at")
    history_names = ("what",)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(200))
    by_when: Mapped[date]
    done_on: Mapped[date | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None]

    goal: Mapped[Goal] = relationship(back_populates="actions")


class GoalReview(Base):
    """A conversation about how a goal is going: reached, partly or not yet, and what stood in the way."""

    __tablename__ = "goal_review"
    history_fields = ("reviewed_on", "outcome", "obstacles")

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    reviewed_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(20))  # see portal.goals.OUTCOMES
    obstacles: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]

    goal: Mapped[Goal] = relationship(back_populates="reviews")


class Change(Base):
    """One change to a patient's record, with the values before and after (JSON). This is the
    history staff see, and what a conflicting edit is shown. `version` is the version of the
    patient (for their details), of the enrolment (for everything in it) or of the goal (for the
    goal, its actions and reviews: `subject_id` is then the goal's id) after the change."""

    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[int] = mapped_column(index=True)
    enrolment_id: Mapped[int | None] = mapped_column(index=True)
    version: Mapped[int]
    subject: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class ApiClient(Base):
    """A system of one unit (a hospital's integration engine) that sends pathway events and reads
    its patients' pathways through the FHIR and import API. Created by the admin; only the
    SHA-256 of its secret is stored; revoked, never deleted, so the history keeps naming it."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()

    role: ClassVar[str] = "system"

    @property
    def display_name(self) -> str:
        return f"{self.name} (system)"


class HeldEvent(Base):
    """A coded pathway event that could not be attached to a patient (no patient of the unit has
    that national id): held for the unit's coordinator, never guessed onto someone. Applied once
    the person is registered, or dismissed."""

    __tablename__ = "held_event"
    __table_args__ = (Index("ix_held_event_open", "unit_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    national_id: Mapped[str] = mapped_column(String(11))
    code: Mapped[str] = mapped_column(String(20))
    date: Mapped[date]
    received_at: Mapped[datetime]
    received_from: Mapped[str] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[str | None] = mapped_column(String(20))  # "applied" | "dismissed"

    unit: Mapped[Unit] = relationship()


class AuditEntry(Base):
    """Who read or changed whose data, and when. Written by the portal, never edited by it.
    `patient_id` has no foreign key on purpose: the log outlives the records it mentions."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))  # the name, as it was then
    actor_account_id: Mapped[int | None]
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_unit: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    patient_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class NotificationChoice(Base):
    """How a patient or relative wants to be told there is news: the channel ("none", "email",
    "sms"), the address, and about what (portal.notifications.TOPICS, comma-separated)."""

    __tablename__ = "notification_choice"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, e.g. +4791234567
    topics: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    updated_at: Mapped[datetime]

    account: Mapped[Account] = relationship()

    @property
    def topic_list(self) -> list[str]:
        return [topic for topic in self.topics.split(",") if topic]


class Notification(Base):
    """One message to send: the outbox the job worker reads (portal.notifications.sending).

    `status`: "waiting" (to send from `send_after`), "sending" (claimed by a worker: never claimed
    again, so a worker killed mid-send cannot send it twice), "sent", "failed" (gave up after the
    retries: the dead-letter list the admin sees), "unsure" (a claim older than a send can take:
    the worker died; the admin decides) or "dropped" (the admin let it go). `reason` makes a message
    of the daily job once only (e.g. "passed:12:first-visit:2026-12-01").

    Besides news (portal.notifications.TOPICS) the outbox carries messages about the account itself
    (portal.notifications.account_messages): an activation code, which `activation` names and whose
    code is made as it is sent (only its hash is ever stored), and notices of a new password or a
    changed work e-mail."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_due", "status", "send_after"),
                      UniqueConstraint("account_id", "reason", name="uq_notification_reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    topic: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime]
    send_after: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    activation_id: Mapped[int | None] = mapped_column(ForeignKey("activation.id"))

    account: Mapped[Account] = relationship()
    activation: Mapped[Activation | None] = relationship()


class StepFigure(Base):
    """How long a step took at a unit in the last 12 months (portal.figures), per pathway, step and
    branch: recomputed by the daily job or when a coordinator asks, never per page view."""

    __tablename__ = "step_figure"
    __table_args__ = (Index("ix_step_figure_unit_pathway", "unit_id", "pathway_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    pathway_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    milestone: Mapped[str] = mapped_column(String(ID_LENGTH))
    branch_kind: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    branch_value: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    count_unit: Mapped[str] = mapped_column(String(20))
    cases: Mapped[int]
    median: Mapped[int]
    p90: Mapped[int]
    within_norm: Mapped[int]
    first_day: Mapped[date]
    last_day: Mapped[date]
    computed_at: Mapped[datetime]
