"""The patient's forms for what matters to them: a goal saved as a draft while they think, or shared;
a shared goal reached or let go; a draft deleted."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..forms import VersionedForm, at_most, choices
from ..goals import ACHIEVED, NO_LONGER_WANTED


class OwnGoalForm(VersionedForm):
    text = TextAreaField(_l("What matters to you?"),
                         description=_l("Write it in your own words. Big or small, it counts."),
                         validators=[DataRequired(_l("Write what matters to you")),
                                     at_most(1000)])
    care_wishes = TextAreaField(_l("Is there anything about the help you get that matters to you? (optional)"),
                                description=_l("For example the time of day that suits you for visits."),
                                validators=[Optional(), at_most(1000)])
    draft = SubmitField(_l("Save as a draft: I want to think more"))
    share = SubmitField(_l("Share with the care team"))


class FinishGoalForm(VersionedForm):
    how = RadioField(_l("Where does the goal stand now?"),
                     choices=choices(((ACHIEVED, _l("I have reached it")),
                                      (NO_LONGER_WANTED, _l("It no longer matters to me")))),
                     invalid_choice_message=_l("Choose whether you reached the goal or no longer want it"))


class DeleteDraftForm(VersionedForm):
    """Only the version: a draft changed in another window since the page was opened is not deleted."""
