"""Telling people there is news, by e-mail or SMS, so nobody waits in silence.

A patient (and a relative the patient allows) chooses a channel and the topics (TOPICS). Changes to
a record queue messages as they are saved (queueing.queue_for_changes, called by portal.history, so
no save can forget it); the daily job (daily.py) queues those no save causes. Each message is a row
of the outbox (models.Notification); the job worker (portal.jobs) sends it (sending.py) through
SMTP or an SMS gateway (channels.py). A message never says what the news is: no diagnosis, no
pathway, no date. It says there is news and links to the portal (messages.py). The same outbox carries messages about
a person's own account: activation codes and notices of a new password or a changed work e-mail
(account_messages.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

TOPICS = {
    "new_date": _l("A new or changed date: an appointment or when a result is expected"),
    "step": _l("A step of my pathway is recorded"),
    "result_soon": _l("A result is expected within the next two days"),
    "passed": _l("A normal date has gone by with no news"),
    "monthly": _l("Once a month: a reminder to look at where I am now"),
}
CHANNELS = ("none", "email", "sms")
