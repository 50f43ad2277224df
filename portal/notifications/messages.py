"""What a message says, in the person's language. Never what the news is (no diagnosis, no
pathway, no date, no name): that there is news, and where to read it. A message about the account
itself (account_messages) says what happened to the account, when, and what to do if it was not
the person's own doing."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.accounts import in_use
from ..clock import in_norway
from ..i18n import long_date
from ..links import public_url
from ..models import STAFF_ROLES, Account, Notification
from .account_messages import ACCOUNT_TOPICS, ACTIVATION, PASSWORD_SET


def _news(topic: str, relative: bool) -> str:
    if relative:
        if topic == "monthly":
            return _("This is the monthly reminder you asked for: see where things stand for the person "
                     "who shares their pathway with you.")
        return _("There is news for the person who shares their pathway with you.")
    return {
        "new_date": _("A date in your overview is new or has changed."),
        "step": _("Something new is written in your overview."),
        "result_soon": _("You can expect a result soon. Your overview says when and how you will hear."),
        "passed": _("A date in your overview has gone by, and nothing new is written yet. Often the news is "
                    "just not written in. If you wonder, call your contact. The number is in Forløp."),
        "monthly": _("This is the monthly reminder you asked for: see where you are now and what comes next."),
    }[topic]


def compose(notification: Notification, code: str | None = None) -> tuple[str, str]:
    """(subject, body) of the message; an SMS is the body alone. `code`: the activation code an
    activation message carries."""
    if notification.topic in ACCOUNT_TOPICS:
        with force_locale(notification.language):
            return _about_the_account(notification, code)
    relative = notification.account.role == "relative"
    link = public_url("relative.index" if relative else "patient.my_timeline")
    with force_locale(notification.language):
        body = _news(notification.topic, relative) + "\n" + _("Log in to read it: %(link)s", link=link)
        if notification.channel == "email":
            body += "\n\n" + _("You get this because you asked for it. To change or stop it, choose "
                               "“Notifications” in Forløp.")
        return _("News in Forløp"), body


def _about_the_account(notification: Notification, code: str | None) -> tuple[str, str]:
    account = notification.account
    if notification.topic == ACTIVATION:
        subject, lines = _("Your activation code for Forløp"), _activation_lines(notification.activation, code)
    elif notification.topic == PASSWORD_SET:
        subject = _("Your password in Forløp was changed")
        lines = [_("The password of your account in Forløp was changed with an activation code, %(when)s.",
                   when=_when(notification.created_at)),
                 _("You were logged out everywhere else you were logged in."),
                 _("If this was not you: %(contact)s", contact=_contact(account))]
    else:
        subject = _("Your work e-mail address in Forløp was changed")
        lines = [_("An administrator changed the work e-mail address of your account in Forløp, %(when)s. "
                   "Activation codes now go to the new address, not to this one.",
                   when=_when(notification.created_at)),
                 _("If you did not expect this: %(contact)s", contact=_contact(account))]
    lines.append(_("Forløp never asks for your password in a message."))
    return subject, "\n\n".join(lines)


def _activation_lines(activation, code: str) -> list[str]:
    account = activation.account
    used = in_use(account)
    if used:
        opening = _("%(name)s made a new activation code for your account in Forløp, %(when)s.",
                    name=activation.created_by, when=_when(activation.created_at))
    else:
        opening = _("%(name)s has made an account in Forløp for you, %(when)s.",
                    name=activation.created_by, when=_when(activation.created_at))
    lines = [opening,
             _("Open this link to choose your password: %(link)s",
               link=public_url("auth.activation_link", code=code)),
             _("Or go to %(address)s and type the code %(code)s", address=public_url("auth.enter_code"), code=code),
             _("The code works once, until %(date)s.", date=long_date(activation.expires_at))]
    if used:
        lines.append(_("Your current password keeps working until the code is used."))
    if account.username:
        lines.append(_("Your username is %(username)s.", username=account.username))
    lines.append(_("If you did not ask for a code, do not use it. %(contact)s", contact=_contact(account)))
    return lines


def _when(moment) -> str:
    return _("%(date)s at %(time)s", date=long_date(moment), time=in_norway(moment).strftime("%H:%M"))


def _contact(account: Account) -> str:
    if account.role in STAFF_ROLES:
        return _("Tell your manager or the IT support where you work at once.")
    return _("Call the people who follow you up at the hospital or in the municipality at once.")
