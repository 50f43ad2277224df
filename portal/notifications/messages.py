"""What a message says, in the person's language. Never what the news is (no diagnosis, no
pathway, no date, no name): that there is news, and where to read it."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ..links import public_url
from ..models import Notification


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


def compose(notification: Notification) -> tuple[str, str]:
    """(subject, body) of the message; an SMS is the body alone."""
    relative = notification.account.role == "relative"
    link = public_url("relative.index" if relative else "patient.my_timeline")
    with force_locale(notification.language):
        body = _news(notification.topic, relative) + "\n" + _("Log in to read it: %(link)s", link=link)
        if notification.channel == "email":
            body += "\n\n" + _("You get this because you asked for it. To change or stop it, choose "
                               "“Notifications” in Forløp.")
        return _("News in Forløp"), body
