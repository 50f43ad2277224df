"""What every form of the portal shares: typed text is trimmed (and empty text is None), dates and
times that cannot be read are named in the reader's language, the version a form was filled in
from, the choices of select fields, and the forms for sharing with a relative, which patients and
coordinators both fill in."""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, PasswordField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from . import database
from .addresses import whole_number
from .identity import NationalIdError, normalise
from .problem_messages import problem_message
from .sharing import SCOPES
from .timeline import Problem


def _trimmed(value):
    """Typed text as it is kept: no spaces around it, and None when nothing (or only spaces) was typed."""
    return (value.strip() or None) if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form: text fields (not passwords) are trimmed before validation, so
    required text uses DataRequired: spaces alone are no entry."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = [_trimmed, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **options)


def valid_national_id(field) -> None:
    """A form's fødselsnummer or D-nummer: kept as its eleven digits, or refused with the reason."""
    try:
        field.data = normalise(field.data, current_app.config["SYNTHETIC_NATIONAL_IDS"])
    except NationalIdError as error:
        raise ValidationError(problem_message(Problem("national_id", f"national_id_{error.code}"))) from None


def checked_national_id(field, column, editing_id: int | None, taken: str) -> None:
    """A valid number (valid_national_id), refused (`taken`) when `column` holds it for another
    record than `editing_id`."""
    valid_national_id(field)
    holder = database.session().scalar(select(column.class_.id).where(column == field.data))
    if holder is not None and holder != editing_id:
        raise ValidationError(taken)


def lowercase(value):
    """For usernames: the same name whatever the case it is typed in."""
    return value.lower() if isinstance(value, str) else value


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters. You have written %(length)d."))


class VersionField(IntegerField):
    """The version of the record a form was filled in from (hidden). After a conflict the view
    moves `data` on to the current version, and the page must send that one back: not the stale
    one that was posted, which WTForms would otherwise show again and so conflict for ever."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = whole_number(valuelist[0], smallest=0)  # 0: a record not yet made
            if self.data is None:
                raise ValueError(_l("This is not a number we can use."))

    def _value(self):
        return "" if self.data is None else str(self.data)


class _SaysHowToWriteIt:
    """A date or time field whose input it cannot read is met with how to write it, in the reader's language."""

    how_to_write_it = ""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.how_to_write_it) from None


# How a day may be written: as the browser's date picker sends it, or as Norwegians type it.
DAY_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class DayField(_SaysHowToWriteIt, DateField):
    """A date: from the browser's date picker (year-month-day), or typed as Norwegians write it
    (day.month.year) where there is no picker."""

    how_to_write_it = _l("Write the date as day.month.year, for example 02.03.2026.")

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=list(DAY_FORMATS), **kwargs)


class ClockField(_SaysHowToWriteIt, TimeField):
    how_to_write_it = _l("Write the time as hours:minutes, for example 09:30.")


class VersionedForm(Form):
    """The version of the record the form was filled in from: a save from an older version is
    stopped and shown what changed meanwhile, so nobody overwrites anyone silently."""

    version = VersionField(_l("Version"), validators=[InputRequired()])


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """The options of a select or radio field, from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ScopeForm(Form):
    """What a relative may see: one box per scope of portal.sharing.SCOPES."""

    see_appointments = BooleanField(_l("The timeline, appointments, results you are waiting for and who to contact"),
                                    default=True)
    see_goals = BooleanField(_l("What matters to me (my goals)"))
    see_notes = BooleanField(_l("Notes from the care team about delays"))
    tell_news = BooleanField(_l("A message by e-mail or SMS when there is news (never what the news is)"),
                             description=_l("Only together with the timeline: the news is about it."))

    def scopes(self) -> list:
        return [self[name] for name in SCOPES]


class ShareForm(ScopeForm):
    relative_name = StringField(_l("Their name"), validators=[
        DataRequired(_l("Enter the name of the person you want to share with")), at_most(200)])
    relation = StringField(_l("How they are related to you (optional)"),
                           description=_l("For example daughter, husband or friend"),
                           validators=[Optional(), at_most(100)])
