"""The patient's form for what matters to them: saved as a draft while they think, or shared."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..form_fields import VersionField


class OwnGoalForm(FlaskForm):
    # The version of the goal the form was filled in from (see portal.goals.save_goal_if_current).
    version = VersionField(validators=[InputRequired()])
    text = TextAreaField(_l("What matters to you?"),
                         description=_l("Write it in your own words. Big or small, it counts."),
                         validators=[DataRequired(_l("Write what matters to you")),
                                     Length(max=1000, message=_l("Use at most %(max)d characters"))])
    care_wishes = TextAreaField(_l("Is there anything about the help you get that matters to you? (optional)"),
                                description=_l("For example the time of day that suits you for visits."),
                                validators=[Optional(), Length(max=1000, message=_l("Use at most %(max)d characters"))])
    draft = SubmitField(_l("Save as a draft: I want to think more"))
    share = SubmitField(_l("Share with the care team"))
