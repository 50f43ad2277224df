"""The form where a patient or relative chooses how to be told there is news. A mobile number is
checked with phonenumbers (Norwegian by default, kept as +47…), an e-mail address with
email-validator; the one the channel needs is required."""
from __future__ import annotations

import phonenumbers
from flask import current_app
from flask_babel import lazy_gettext as _l
from phonenumbers import NumberParseException, PhoneNumberType
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import Email, Optional, ValidationError

from ..forms import Form, at_most, choices
from . import TOPICS

_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def mobile_number(text: str) -> str:
    """The number as +47…, or ValidationError saying what is wrong."""
    try:
        number = phonenumbers.parse(text, "NO")
    except NumberParseException:
        raise ValidationError(_l("Enter a mobile number with digits only, for example 912 34 567")) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_l("This is not a whole mobile number. Check the digits, for example 912 34 567"))
    if phonenumbers.number_type(number) not in _MOBILE:
        raise ValidationError(_l("This looks like a landline. Text messages need a mobile number"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class NotificationForm(Form):
    channel = RadioField(_l("How do you want to hear that there is news?"), default="none",
                         invalid_choice_message=_l("Choose how you want to hear, or not at all"))
    email = StringField(_l("E-mail address"), validators=[
        Optional(), at_most(254),
        Email(_l("Enter the e-mail address in the right form, for example name@example.no"))])
    phone = StringField(_l("Mobile number"), description=_l("For example 912 34 567"),
                        validators=[Optional(), at_most(20)])

    # The address the chosen channel needs (not as field validators: Optional stops those on an
    # empty field).
    NEEDED = {"email": ("email", _l("Enter the e-mail address the messages should go to")),
              "sms": ("phone", _l("Enter the mobile number the messages should go to"))}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = [("none", _l("Not at all")), ("email", _l("By e-mail"))]
        if current_app.config["SMS_GATEWAY_URL"]:
            offered.append(("sms", _l("By text message (SMS)")))
        self.channel.choices = choices(offered)

    def topics(self) -> list:
        return [self[f"about_{topic}"] for topic in TOPICS]

    def chosen_topics(self) -> list[str]:
        return [topic for topic in TOPICS if self[f"about_{topic}"].data]

    def validate_phone(self, field):
        field.data = mobile_number(field.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        needed = self.NEEDED.get(self.channel.data)
        if needed and not self[needed[0]].data:
            self[needed[0]].errors.append(needed[1])
            return False
        return valid


for _topic, _label in TOPICS.items():
    # Everything but the monthly reminder is asked for until the person says otherwise.
    setattr(NotificationForm, f"about_{_topic}", BooleanField(_label, default=_topic != "monthly"))
