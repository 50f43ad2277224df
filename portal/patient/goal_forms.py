"""The patient's form for what matters to them: saved as a draft while they think, or shared."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..forms import VersionedForm, at_most


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
