"""Messages about a person's own account, through the same outbox as news: a new activation code,
and notices that a code set a new password or that a work e-mail address changed.

A code for an account someone already uses goes to that person's own address, never to the screen
of whoever asked for it (issue 17): staff to their work e-mail, a patient or relative to the
address they chose for messages or, failing that, the e-mail or mobile number on the patient's
record. These messages carry no health data and ignore the quiet hours: the person is waiting for
the code, and a notice of a new password that comes the next morning comes too late."""
from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from flask import current_app
from phonenumbers import NumberParseException
from sqlalchemy.orm import Session

from ..clock import now
from ..models import STAFF_ROLES, Account, Activation, Notification, NotificationChoice
from .queueing import hand_over_after_commit

# Notification.topic of the messages about an account (news has portal.notifications.TOPICS).
ACTIVATION, PASSWORD_SET, EMAIL_CHANGED = "activation", "password_set", "email_changed"
ACCOUNT_TOPICS = (ACTIVATION, PASSWORD_SET, EMAIL_CHANGED)


@dataclass(frozen=True)
class Address:
    channel: str  # "email" | "sms"
    to: str
    language: str


def owner_address(db: Session, account: Account) -> Address | None:
    """Where messages about `account` reach its owner, or None if the portal knows no address."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if account.role in STAFF_ROLES:
        return Address("email", account.work_email, default) if account.work_email else None
    choice = db.get(NotificationChoice, account.id)
    patient = account.patient
    language = choice.language if choice else patient.preferred_language if patient else default
    sms = bool(current_app.config["SMS_GATEWAY_URL"])
    candidates = []
    if choice is not None:
        # The channel they chose for news first, then the other address they gave.
        chosen = [("sms", choice.phone), ("email", choice.email)]
        candidates += reversed(chosen) if choice.channel != "sms" else chosen
    if patient is not None:
        candidates += [("email", patient.email), ("sms", _mobile(patient.phone))]
    for channel, to in candidates:
        if to and (channel == "email" or sms):
            return Address(channel, to, language)
    return None


def _mobile(phone: str | None) -> str | None:
    """The record's phone number as +47…, if it is a mobile number a text message can reach."""
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, "NO")
    except NumberParseException:
        return None
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in mobile:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def queue(db: Session, account: Account, topic: str, address: Address,
          activation: Activation | None = None) -> Notification:
    """Queue a message about `account` to `address`, to go as soon as it is committed."""
    moment = now()
    notification = Notification(account=account, topic=topic, channel=address.channel, address=address.to,
                                language=address.language, activation=activation, created_at=moment,
                                send_after=moment, status="waiting", attempts=0)
    db.add(notification)
    db.flush()
    hand_over_after_commit(db, [notification.id])
    return notification
