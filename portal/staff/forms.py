"""The care team's forms. Choices that depend on the pathway (steps, outcomes, treatments) are
filled in by the view from the pathway's own labels. Every message names what is wrong."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp, ValidationError

from .. import database
from ..clock import today
from ..forms import ClockField, DayField, Form, ShareForm, VersionedForm, at_most, choices, valid_national_id
from ..i18n import LANGUAGE_NAMES, day_of_record
from ..identity import birth_date
from ..models import Patient
from ..timeline.model import EVENT_FIELDS, OPTION_FIELDS, FieldSpec

PHONE = re.compile(r"^\+?[0-9 ]{5,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PatientForm(VersionedForm):
    display_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the patient's name")), at_most(200)])
    national_id = StringField(_l("Fødselsnummer or D-nummer (optional)"), description=_l(
        "11 digits. It gives the date of birth. The hospital's systems name the patient by it, so their dates "
        "reach this timeline."),
        validators=[Optional()], filters=[lambda value: value or None])
    date_of_birth = DayField(_l("Date of birth"), description=_l("Not needed when you give the fødselsnummer."),
                             validators=[Optional()])
    phone = StringField(_l("Phone (optional)"), validators=[
        Optional(), Regexp(PHONE, message=_l("Use digits, spaces and an optional + at the start"))])
    email = StringField(_l("Email (optional)"), validators=[
        Optional(), at_most(200), Regexp(EMAIL, message=_l("Write an email address like name@example.no"))])
    address = StringField(_l("Address (optional)"), validators=[Optional(), at_most(300)])
    preferred_language = RadioField(_l("Language for texts and letters"), default="nb",
                                    choices=choices(LANGUAGE_NAMES.items()),
        validators=[InputRequired(_l("Choose a language"))])
    large_print = BooleanField(_l("Needs large print"))
    interpreter_language = StringField(_l("Needs an interpreter: which language? (optional)"),
                                       validators=[Optional(), at_most(80)])

    # The patient whose details these are (None for a new one): another patient's number is refused.
    editing = None
    # The patient who already has the number typed, when there is one (the view says where to find them).
    registered_already: Patient | None = None

    def validate_national_id(self, field):
        valid_national_id(field)
        holder = database.session().scalar(select(Patient).where(Patient.national_id == field.data))
        if holder is not None and holder is not self.editing:
            self.registered_already = holder
            raise ValidationError(_l("A person with this number is already registered."))

    def validate_date_of_birth(self, field):
        if field.data and (field.data > today() or field.data.year < 1890):
            raise ValidationError(_l("The date of birth cannot be in the future or before 1890"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._birth_date_agrees() and valid

    def _birth_date_agrees(self) -> bool:
        """The date of birth comes from the number when there is one; a different typed date is
        a mistake in one of them. Without a number, the date must be typed."""
        typed, number = self.date_of_birth, self.national_id
        if typed.errors or number.errors:  # their own messages say what to fix first
            return not typed.errors
        if number.data is None:
            if typed.data is None:
                typed.errors.append(_l("Enter the date of birth, or the fødselsnummer, which holds it"))
                return False
            return True
        born = birth_date(number.data)
        if typed.data is None:
            typed.data = born
        elif typed.data != born:
            typed.errors.append(_("The date of birth does not match the fødselsnummer, which gives %(day)s. "
                                   "Check both.", day=day_of_record(born)))
            return False
        return True


class NewPatientForm(PatientForm):
    pathway = SelectField(_l("Pathway"), validators=[InputRequired(_l("Choose the pathway"))])


class EnrolForm(Form):
    pathway = SelectField(_l("Pathway"), validators=[InputRequired(_l("Choose the pathway"))])


def _engine_form(name: str, specs: tuple[FieldSpec, ...], labels: dict, if_missing: dict) -> type[VersionedForm]:
    """A form with one field per field of the engine's Event or Options, in their order: a day, or a
    choice among the pathway's ids (the view fills in the choices). `labels` must name every field,
    so a field added to the engine fails here until the form can show it."""
    def field_for(spec: FieldSpec):
        validators = [InputRequired(if_missing[spec.name])] if spec.required else [Optional()]
        return (DayField if spec.is_date else SelectField)(labels[spec.name], validators=validators)

    return type(name, (VersionedForm,), {spec.name: field_for(spec) for spec in specs})


PlanForm = _engine_form("PlanForm", OPTION_FIELDS, {
    "treatment": _l("Planned treatment"), "setting": _l("Outpatient or inpatient"),
    "severity": _l("How serious the illness is")}, {})

EventForm = _engine_form("EventForm", EVENT_FIELDS, {
    "milestone": _l("Step"), "date": _l("Date it happened"), "outcome": _l("Outcome (for a decision)"),
    "treatment": _l("Treatment"), "setting": _l("Outpatient or inpatient"),
    "severity": _l("How serious the illness is"), "reason": _l("Why the pathway ended (when it ends)"),
    "until": _l("Postponed until (when the patient asked to wait)")},
    {"milestone": _l("Choose the step"), "date": _l("Enter the date")})


class WithdrawForm(VersionedForm):
    pass


class AppointmentForm(VersionedForm):
    day = DayField(_l("Date"), validators=[InputRequired(_l("Enter the date"))])
    time = ClockField(_l("Time"), validators=[InputRequired(_l("Enter the time"))])
    what = StringField(_l("What"), description=_l("For example: MRI of the breast"),
                       validators=[DataRequired(_l("Say what the appointment is")), at_most(300)])
    place = StringField(_l("Where"), validators=[DataRequired(_l("Say where it is")), at_most(300)])
    with_whom = StringField(_l("With whom (optional)"), description=_l("A role, for example: breast surgeon"),
                            validators=[Optional(), at_most(300)])
    preparation = TextAreaField(_l("How to prepare (optional)"), validators=[Optional(), at_most(2000)])
    past_date_confirmed = BooleanField(_l("Yes, the appointment has been: record it afterwards with this date"))
    past_warning = False  # the date has passed and was not confirmed (portal.staff.plans)


class ExpectedResultForm(VersionedForm):
    what = StringField(_l("Which result"), description=_l("For example: the answer from the biopsy"),
                       validators=[DataRequired(_l("Say which result the patient is waiting for")), at_most(300)])
    expected_by = DayField(_l("Expected by"), validators=[InputRequired(_l("Enter the date"))])
    how_you_hear = StringField(_l("How the patient will hear (optional)"),
                               description=_l("For example: you will be called"),
                               validators=[Optional(), at_most(300)])
    past_date_confirmed = BooleanField(_l("Yes, keep this date although it has passed"))
    past_warning = False  # the date has passed and was not confirmed (portal.staff.plans)


class ResultReceivedForm(VersionedForm):
    received_on = DayField(_l("Received on"), validators=[InputRequired(_l("Enter the date"))])


class DelayNoteForm(VersionedForm):
    note = TextAreaField(_l("Note to the patient about a delay"),
                         description=_l("Short and plain. Leave empty to remove the note."),
                         validators=[Optional(), at_most(500)])


class ContactForm(VersionedForm):
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose the role"))])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name")), at_most(200)])
    phone = StringField(_l("Phone"), validators=[DataRequired(_l("Enter the phone number")),
                                                 Regexp(PHONE, message=_l(
                                                     "Use digits, spaces and an optional + at the start"))])
    hours = StringField(_l("When to call (optional)"), description=_l("For example: weekdays 08–15"),
                        validators=[Optional(), at_most(200)])
    about = TextAreaField(_l("What to call about (optional)"), validators=[Optional(), at_most(1000)])


class ConsentShareForm(ShareForm):
    consent_note = StringField(_l("How the patient gave consent"),
                               description=_l("For example: said yes on the phone on 23 November"),
                               validators=[DataRequired(_l("Note how the patient gave consent")), at_most(300)])

