"""The patient's forms: inviting a relative and choosing what they may see."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..sharing import SCOPES


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ScopeForm(FlaskForm):
    """What a relative may see: one box per scope of portal.sharing.SCOPES."""

    see_appointments = BooleanField(_l("The timeline, appointments and expected results"), default=True)
    see_goals = BooleanField(_l("What matters to me (my goals)"))
    see_notes = BooleanField(_l("Notes from the care team about delays"))

    def scopes(self) -> list:
        return [self[name] for name in SCOPES]


class ShareForm(ScopeForm):
    # DataRequired after stripping: a name of only spaces is no name.
    relative_name = StringField(_l("Their name"), filters=[strip], validators=[
        DataRequired(_l("Enter the name of the person you want to share with")),
        Length(max=200, message=_l("Use at most %(max)d characters"))])
    relation = StringField(_l("How they are related to you (optional)"),
                           description=_l("For example daughter, husband or friend"), filters=[strip],
                           validators=[Optional(), Length(max=100, message=_l("Use at most %(max)d characters"))])
