"""The admin's forms: a new unit, a new staff account and a new API client. Messages name what is wrong and how to
fix it; the input is kept when the form comes back."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from .. import database
from ..auth.accounts import username_taken
from ..auth.forms import USERNAME
from ..forms import Form, at_most, checked_national_id, choices, lowercase
from ..labels import ROLES, UNIT_KINDS
from ..models import Account, ApiClient, Unit

STAFF_ROLE_LABELS = {role: ROLES[role] for role in ("coordinator", "nurse", "admin")}

# Roles that work with patients, and so only ever see the patients of their own unit.
ROLES_NEEDING_UNIT = ("coordinator", "nurse")


class UnitForm(Form):
    name = StringField(
        _l("Name of the unit"), description=_l("For example Breast Diagnostic Centre, Oslo University Hospital"),
        validators=[DataRequired(_l("Enter the name of the unit")),
                    Length(max=200, message=_l("Use at most %(max)d characters"))])
    kind = RadioField(
        _l("Kind of unit"), choices=choices(UNIT_KINDS.items()),
        invalid_choice_message=_l("Choose whether the unit is a hospital department or a municipal service"))

    def validate_name(self, field):
        # Case-insensitive: "Kirurgisk avdeling" and "kirurgisk avdeling" would be the same unit
        # to everyone choosing from the list.
        taken = database.session().scalar(
            select(func.count()).where(func.lower(Unit.name) == field.data.lower()))
        if taken:
            raise ValidationError(_l("There is already a unit with this name. Choose another name."))


def work_email_field() -> StringField:
    return StringField(
        _l("Work e-mail"),
        description=_l("The person's own work address. Their activation codes are sent there, never shown to you."),
        filters=[lowercase],
        validators=[DataRequired(_l("Enter the person's work e-mail address")), at_most(254),
                    Email(_l("Enter the e-mail address in the right form, for example name@example.no"))])


def outside_work_domains(address: str) -> str | None:
    """STAFF_EMAIL_DOMAINS, if set: the domains a work address may have (an address at home or at
    a free mail service could be anyone's). The endings allowed ("@a.no, @b.no") when `address`
    has none of them, else None."""
    domains = current_app.config["STAFF_EMAIL_DOMAINS"]
    if domains and address.rpartition("@")[2] not in domains:
        return ", ".join(f"@{domain}" for domain in domains)
    return None


def check_work_domain(field) -> None:
    if field.data and (allowed := outside_work_domains(field.data)):
        raise ValidationError(_("Use a work address ending in %(domains)s", domains=allowed))


class WorkEmailForm(Form):
    work_email = work_email_field()

    def validate_work_email(self, field):
        check_work_domain(field)


class StaffAccountForm(Form):
    display_name = StringField(
        _l("Full name"), description=_l("As colleagues and patients know the person"),
        validators=[DataRequired(_l("Enter the person's full name")),
                    Length(max=200, message=_l("Use at most %(max)d characters"))])
    username = StringField(
        _l("Username"), description=_l("3 to 40 characters: small letters a–z, digits, dot, dash or underscore"),
        filters=[lowercase],
        validators=[DataRequired(_l("Enter a username")),
                    Regexp(USERNAME,
                           message=_l("Use 3 to 40 characters: small letters a–z, digits, dot, dash or underscore"))])
    role = RadioField(
        _l("Role"), choices=choices(STAFF_ROLE_LABELS.items()),
        description=_l("Coordinators and nurses see the patients of their unit. Administrators manage accounts "
                       "and units, and see no patients."),
        invalid_choice_message=_l("Choose the person's role"))
    work_email = work_email_field()
    national_id = StringField(
        _l("Fødselsnummer or D-nummer (optional)"),
        description=_l("11 digits. With it, the person can also log in with HelseID."), validators=[Optional()])
    # Choices are the units in the database, set by the view; "" means no unit.
    unit = SelectField(
        _l("Unit"), description=_l("Needed for coordinators and nurses"), choices=[], default="",
        invalid_choice_message=_l("Choose a unit from the list"))

    def validate_national_id(self, field):
        checked_national_id(field, Account.national_id, None, _l("Another account has this number"))

    def validate_work_email(self, field):
        check_work_domain(field)

    def validate_username(self, field):
        if username_taken(field.data):
            raise ValidationError(_l("That username is taken. Choose another one."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.role.data in ROLES_NEEDING_UNIT and not self.unit.data and not self.unit.errors:
            self.unit.errors.append(_l("Choose the unit the coordinator or nurse works in"))
            valid = False
        return valid


NO_UNIT = _l("No unit (administrators only)")


def unit_choices(db, first=NO_UNIT) -> list[SelectChoice]:
    """The units to choose from, after `first`: what choosing none means."""
    units = db.scalars(select(Unit).order_by(func.lower(Unit.name)))
    return choices([("", first)] + [
        (str(unit.id), f"{unit.name} ({UNIT_KINDS.get(unit.kind, unit.kind)})") for unit in units])


class ApiClientForm(Form):
    # At most 100 characters: the name, with " (system)" after it, names every step the system
    # records, in columns of 200.
    name = StringField(
        _l("Name of the system"), description=_l("For example DIPS Arena, Oslo University Hospital"),
        validators=[DataRequired(_l("Enter the name of the system")),
                    Length(max=100, message=_l("Use at most %(max)d characters"))])
    # Choices are the units in the database, set by the view.
    unit = SelectField(
        _l("Unit"), description=_l("The system sends events and reads pathways for this unit's patients only"),
        choices=[], validators=[DataRequired(_l("Choose the unit the system works for"))],
        invalid_choice_message=_l("Choose a unit from the list"))

    def validate_name(self, field):
        # Case-insensitive, like units: the history names the system, and two that differ only in
        # case could not be told apart there.
        taken = database.session().scalar(
            select(func.count()).where(func.lower(ApiClient.name) == field.data.lower()))
        if taken:
            raise ValidationError(_l("There is already an API client with this name. Choose another name."))
