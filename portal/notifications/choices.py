"""Reading and saving a person's choice of how to be told there is news (the page is the same for
patients and relatives: portal.patient.notifications, portal.relative)."""
from __future__ import annotations

from flask import g, redirect, render_template, request
from sqlalchemy.orm import Session

from .. import database
from ..audit import record
from ..clock import now
from ..i18n import current_language
from ..models import Account, NotificationChoice, Patient
from . import TOPICS
from .forms import NotificationForm


def choice_page(allowed_by: list[str] | None = None):
    """GET shows the person's choice, POST saves it. `allowed_by`: for a relative, the names of
    those who let them be told."""
    db = database.session()
    account: Account = g.account
    choice = db.get(NotificationChoice, account.id)
    if request.method == "POST":
        form = NotificationForm()
    elif choice is not None:
        form = NotificationForm(formdata=None, channel=choice.channel, email=choice.email, phone=choice.phone,
                                **{f"about_{topic}": topic in choice.topic_list for topic in TOPICS})
    else:
        form = NotificationForm(formdata=None, **_known_addresses(db, account))
    if form.validate_on_submit():
        save(db, account, form)
        db.commit()
        return redirect(request.path + "?saved=1")
    return render_template("notifications/choice.html", form=form, saved=request.args.get("saved") == "1",
                           allowed_by=allowed_by)


def save(db: Session, account: Account, form: NotificationForm) -> NotificationChoice:
    choice = db.get(NotificationChoice, account.id) or NotificationChoice(account_id=account.id)
    choice.channel, choice.email, choice.phone = form.channel.data, form.email.data, form.phone.data
    choice.topics = ",".join(form.chosen_topics())
    choice.language, choice.updated_at = current_language(), now()
    db.add(choice)
    record(db, account, "notification-choice", account.patient_id,
           f"channel={choice.channel}; topics={choice.topics}")
    return choice


def _known_addresses(db: Session, account: Account) -> dict:
    """A patient's e-mail and phone as the care team has them, to start from."""
    patient = db.get(Patient, account.patient_id) if account.patient_id else None
    return {"email": patient.email, "phone": patient.phone} if patient else {}
