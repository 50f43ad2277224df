"""Accounts: activation codes, setting a password, signing in with lockout. No Flask views here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from .. import database
from ..audit import record
from ..clock import now
from ..models import Account, Activation, Patient
from ..notifications.account_messages import ACTIVATION, PASSWORD_SET, Address, owner_address, queue
from .access import end_sign_ins
from .secrets import digest, hash_password, new_code, normalise_code, password_matches

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


def username_taken(username: str) -> bool:
    return database.session().scalar(select(func.count()).where(Account.username == username)) > 0


def in_use(account: Account) -> bool:
    """Whether someone already uses the account: it has a password, or has been signed in to (also
    with an electronic ID). A code for such an account goes to its owner alone (send_activation)."""
    return account.password_hash is not None or account.last_login_at is not None


def issue_activation(db, account: Account, by: Account | str) -> str:
    """A new one-time code for `account`, to hand over in person or print on the operator's own
    terminal; earlier unused codes stop working. Returns the code. Only for an account nobody uses
    yet, and no staff account through the web: the callers check (send_activation otherwise)."""
    code = new_code()
    _new_activation(db, account, by, code, "to hand over")
    return code


def send_activation(db, account: Account, by: Account | str) -> Address | None:
    """A new one-time code, sent to the owner's own address (owner_address); earlier unused codes
    stop working. The code is made when the message is sent (new_code_for), so whoever asked never
    sees it. The message also tells the owner who asked and when. Returns where it goes, or None
    (and nothing is made) when the portal knows no address of the owner."""
    address = owner_address(db, account)
    if address is None:
        record(db, by, "activation-not-sent", account.patient_id, f"account {account.id}: no address")
        return None
    # A code nobody knows until the message is made: the activation cannot be used before then.
    activation = _new_activation(db, account, by, new_code(), f"sent by {address.channel}")
    queue(db, account, ACTIVATION, address, activation)
    return address


def new_code_for(activation: Activation) -> str:
    """The code of an activation that is being sent: a new one each try, so a code that may have
    been lost on the way stops working when the message is sent again."""
    code = new_code()
    activation.code_hash = digest(code)
    return code


def _new_activation(db, account: Account, by: Account | str, code: str, how: str) -> Activation:
    created = now()
    db.execute(update(Activation)
               .where(Activation.account_id == account.id, Activation.used_at.is_(None),
                      Activation.revoked_at.is_(None))
               .values(revoked_at=created))
    activation = Activation(account=account, code_hash=digest(code), created_at=created, created_by=_name(by),
                            expires_at=created + timedelta(days=current_app.config["ACTIVATION_DAYS"]))
    db.add(activation)
    record(db, by, "issue-activation", account.patient_id, f"account {account.id}: {how}")
    return activation


def find_activation(db, typed: str) -> Activation | None:
    """The activation for a code someone typed or followed, if it can still be used."""
    code = normalise_code(typed or "")
    if len(code) != 19:
        return None
    activation = db.scalar(select(Activation).where(Activation.code_hash == digest(code)))
    return activation if is_usable(activation) else None


def is_usable(activation: Activation | None) -> bool:
    return (activation is not None and activation.used_at is None and activation.revoked_at is None
            and activation.expires_at > now() and activation.account.is_active)


def activate(db, activation: Activation, password: str, username: str | None = None) -> Account:
    """Use the code: set the password (and the username, the first time). Signs out every
    earlier session of the account and lifts a lockout. The owner of an account in use is told
    (a new password nobody expected is how they would learn of a takeover)."""
    account = activation.account
    was_in_use = in_use(account)
    if account.username is None:
        account.username = username
    account.password_hash = hash_password(password)
    end_sign_ins(db, account, "new_password")
    account.failed_logins = 0
    account.locked_until = None
    activation.used_at = now()
    record(db, account, "activate", account.patient_id,
           "new password; every other sign-in ended" if was_in_use else None)
    address = owner_address(db, account) if was_in_use else None
    if address is not None:
        queue(db, account, PASSWORD_SET, address)
    return account


def account_of_patient(db, patient: Patient) -> Account:
    """The patient's account, made (without a password) the first time it is needed."""
    account = db.scalar(select(Account).where(Account.patient_id == patient.id))
    if account is None:
        account = Account(role="patient", display_name=patient.display_name, patient=patient, created_at=now(),
                          is_active=True, failed_logins=0)
        db.add(account)
        db.flush()
    return account


@dataclass
class LoginResult:
    account: Account | None
    locked_until: datetime | None = None


def attempt_login(db, username: str, password: str, known_device_of: int | None = None) -> LoginResult:
    """Check a username and password. Five wrong passwords in a row lock the account for 15
    minutes for every browser except those it signed in on before (`known_device_of`: the account
    this browser knows, see portal.auth.devices): a stranger cannot lock the owner out. The person
    is told, and a new activation code from the coordinator lifts it.

    A password is checked (a hash's work) whether the username exists or not, and whether the
    account is locked or not: the time of the answer does not tell which usernames exist."""
    account = db.scalar(select(Account).where(Account.username == username.strip().lower()))
    moment = now()
    matches = password_matches(account.password_hash if account else None, password)
    if account is None:
        return LoginResult(None)
    known = known_device_of == account.id
    if not known and account.locked_until and account.locked_until > moment:
        record(db, account, "sign-in-refused", account.patient_id, "locked")
        return LoginResult(None, account.locked_until)
    if not matches or not account.is_active:
        record(db, account, "sign-in-failed", account.patient_id, "known device" if known else None)
        if not known:  # a known device counts its own (portal.auth.devices)
            account.failed_logins += 1
            if account.failed_logins >= MAX_FAILED_LOGINS:
                account.failed_logins = 0
                account.locked_until = moment + LOCKOUT
                return LoginResult(None, account.locked_until)
        return LoginResult(None)
    if not known:  # the owner on a known device leaves a stranger's lock in place for strangers
        account.failed_logins = 0
        account.locked_until = None
    account.last_login_at = moment
    record(db, account, "sign-in", account.patient_id)
    return LoginResult(account)


def _name(by: Account | str) -> str:
    return by if isinstance(by, str) else by.display_name
