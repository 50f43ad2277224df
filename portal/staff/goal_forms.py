"""The care team's forms for what matters to the patient. Every message names what is wrong."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from ..clock import today
from ..forms import DayField, VersionedForm, at_most, choices
from ..goals import ACHIEVED, AIMS, CURRENT, HELP, HELP_NEEDING_NOTE, NO_LONGER_WANTED, OUTCOMES, SAID_BY, STATES


def _not_in_future(form, field):
    if field.data and field.data > today():
        raise ValidationError(_l("The date cannot be in the future"))


class GoalForm(VersionedForm):
    text = TextAreaField(_l("What matters to the patient"),
                         description=_l("In the patient's own words: something in their life, like getting out "
                                        "in the garden. Not a choice from what the service offers."),
                         validators=[DataRequired(_l("Write what matters to the patient")), at_most(1000)])
    care_wishes = TextAreaField(_l("Wishes about the help itself (optional)"),
                                description=_l("For example the time of day that suits best for visits."),
                                validators=[Optional(), at_most(1000)])
    said_by = RadioField(_l("Who said it"), choices=choices(SAID_BY.items()),
                         invalid_choice_message=_l("Choose who said it"))
    said_on = DayField(_l("Date it was said"), validators=[InputRequired(_l("Enter the date")), _not_in_future])
    aim = RadioField(_l("The aim"), choices=choices(AIMS.items()), default="improve",
                     invalid_choice_message=_l("Choose the aim"))
    link = SelectField(_l("Pathway and phase (optional)"), validators=[Optional()],
                       invalid_choice_message=_l("Choose a pathway and phase from the list"))
    review_by = DayField(_l("Talk about it again by (optional)"),
                         description=_l("The question comes back: agree when you will ask again."),
                         validators=[Optional()])


class GoalChangeForm(GoalForm):
    state = RadioField(_l("Where the goal stands"),
                       choices=choices((state, STATES[state]) for state in (CURRENT, ACHIEVED, NO_LONGER_WANTED)),
                       invalid_choice_message=_l("Choose where the goal stands"))


class GoalHelpForm(VersionedForm):
    help = RadioField(_l("How the service can help"), choices=choices(HELP.items()),
                      invalid_choice_message=_l("Choose how the service can help"))
    help_note = StringField(_l("A short note (optional)"),
                            description=_l("Needed when others can help or when we cannot: say who can, "
                                           "or what the patient can do."),
                            validators=[at_most(300)])  # no Optional(): it would skip the check below

    def validate_help_note(self, field):
        if self.help.data in HELP_NEEDING_NOTE and not field.data:
            raise ValidationError(_l("Say who can help, or what the patient can do"))


class GoalActionForm(VersionedForm):
    what = StringField(_l("What will be done"), validators=[DataRequired(_l("Say what will be done")), at_most(300)])
    who = StringField(_l("Who does it"),
                      description=_l("A name or a role, for example: the physiotherapist, the patient, the son"),
                      validators=[DataRequired(_l("Say who does it")), at_most(200)])
    by_when = DayField(_l("By when"), validators=[InputRequired(_l("Enter the date"))])


class ActionDoneForm(VersionedForm):
    done_on = DayField(_l("Done on"), validators=[InputRequired(_l("Enter the date")), _not_in_future])


class GoalReviewForm(VersionedForm):
    reviewed_on = DayField(_l("Date of the conversation"),
                           validators=[InputRequired(_l("Enter the date")), _not_in_future])
    outcome = RadioField(_l("How it went"), choices=choices(OUTCOMES.items()),
                         invalid_choice_message=_l("Choose how it went"))
    obstacles = TextAreaField(_l("What stood in the way (optional)"),
                              description=_l("For example pain, the stairs, or help that came at the wrong time."),
                              validators=[Optional(), at_most(1000)])
    next_review_by = DayField(_l("Talk about it again by (optional)"), validators=[Optional()])

    def validate_next_review_by(self, field):
        if field.data and self.reviewed_on.data and field.data <= self.reviewed_on.data:
            raise ValidationError(_l("Choose a date after the conversation"))
