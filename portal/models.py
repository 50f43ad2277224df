"""What the portal stores: patients, their enrolment in a pathway, recorded events, contacts,
personal links and the audit log. Tables are created by Alembic migrations, never by create_all."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified


class Base(DeclarativeBase):
    pass


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    preferred_language: Mapped[str] = mapped_column(String(5), default="nb")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="patient", order_by="Enrolment.id")


class Enrolment(Base):
    """A patient in one pathway. `treatment` and `setting` are the plan before events record them.

    `version` is SQLAlchemy's version counter: it goes up with every update of the row, and an
    update made from a stale version is refused. Code that changes the enrolment's events or
    contacts updates the enrolment too, so pages that cache on the version see the change."""

    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    pathway_id: Mapped[str] = mapped_column(String(80))
    treatment: Mapped[str | None] = mapped_column(String(40))
    setting: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}

    patient: Mapped[Patient] = relationship(back_populates="enrolments")

    def touch(self) -> None:
        """Count a change to the events or contacts as a change to the enrolment (new version)."""
        flag_modified(self, "pathway_id")

    events: Mapped[list[RecordedEvent]] = relationship(
        back_populates="enrolment", order_by="(RecordedEvent.date, RecordedEvent.id)"
    )
    contacts: Mapped[list[Contact]] = relationship(back_populates="enrolment", order_by="Contact.id")


class RecordedEvent(Base):
    """A milestone as recorded by the care team. Corrections add a new row and point the old one
    at it (`replaced_by_id`), so the history stays."""

    __tablename__ = "recorded_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    milestone: Mapped[str] = mapped_column(String(80))
    date: Mapped[date]
    outcome: Mapped[str | None] = mapped_column(String(80))
    treatment: Mapped[str | None] = mapped_column(String(40))
    setting: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(80))
    until: Mapped[date | None]
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("recorded_event.id"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="events")


class Contact(Base):
    """Who the patient can call: the coordinator, the contact nurse, the GP, home care."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    hours: Mapped[str | None] = mapped_column(String(200))
    about: Mapped[str | None] = mapped_column(Text)

    enrolment: Mapped[Enrolment] = relationship(back_populates="contacts")


class PersonalLink(Base):
    """A patient's personal link. Only the SHA-256 of the token is stored."""

    __tablename__ = "personal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    patient: Mapped[Patient] = relationship()


class AuditEntry(Base):
    """Who read or changed whose data, and when. Written by the portal, never edited by it.
    `patient_id` has no foreign key on purpose: the log outlives the records it mentions."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    patient_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str | None] = mapped_column(Text)
