"""The sign-in and activation forms. Messages are in the reader's language and name the field."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Regexp, ValidationError

from ..forms import Form, lowercase

MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username"))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password"))])


class CodeForm(Form):
    code = StringField(_l("Activation code"), description=_l("16 letters and digits, for example K7QX-94MB-T2RD-8WPH"),
                       validators=[DataRequired(_l("Enter the activation code you were given"))])


def _password_fields():
    return (
        PasswordField(_l("New password"),
                      description=_l("At least 10 characters. A short sentence is easy to remember."),
                      validators=[InputRequired(_l("Choose a password")),
                                  Length(min=MIN_PASSWORD, max=200, message=_l("Use at least 10 characters"))]),
        PasswordField(_l("The same password again"),
                      validators=[InputRequired(_l("Type the password again")),
                                  EqualTo("password", _l("The two passwords are not the same"))]),
    )


class NewPasswordForm(Form):
    password, confirm = _password_fields()


class NewAccountForm(Form):
    username = StringField(
        _l("Choose a username"),
        description=_l("3 to 40 characters: small letters a–z, digits, dot, dash or underscore"),
        filters=[lowercase],
        validators=[DataRequired(_l("Choose a username")),
                    Regexp(USERNAME,
                           message=_l("Use 3 to 40 characters: small letters a–z, digits, dot, dash or underscore"))])
    password, confirm = _password_fields()

    def validate_username(self, field):
        from .accounts import username_taken

        if username_taken(field.data):
            raise ValidationError(_l("That username is taken. Choose another one."))
