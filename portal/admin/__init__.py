"""The admin's pages: units (hospital departments and municipal services), staff accounts and the
systems that send pathway events (API clients, in api_clients.py).

An admin creates accounts without passwords; the person gets a one-time activation code at their
work e-mail and chooses their password. The admin never sees the code nor knows anyone's password
(issue 17: a code shown to the admin would let them take over a nurse's account and read the unit's
patients). A forgotten password is a new code, sent the same way. Accounts are deactivated,
never deleted, so the audit log keeps pointing at someone. Admin pages only ever show staff
accounts, units and systems: no patients, no patient or relative accounts (least privilege)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import database
from ..addresses import whole_number
from ..audit import record
from ..auth.access import allow, end_sign_ins
from ..auth.accounts import send_activation
from ..clock import now
from ..models import STAFF_ROLES, Account, Activation, Unit
from ..notifications.account_messages import EMAIL_CHANGED, Address, queue
from .forms import ROLES_NEEDING_UNIT, StaffAccountForm, UnitForm, WorkEmailForm, unit_choices

bp = Blueprint("admin", __name__, url_prefix="/admin")

# What the overview says after a change (?done=...) or a refusal (?problem=...). Only these keys
# are shown, so the address cannot be used to put text on the page.
_ABOUT_AN_ACCOUNT = ("deactivated", "reactivated", "signed-out", "email-changed")
_DONE = ("unit-created", *_ABOUT_AN_ACCOUNT)
_PROBLEMS = ("self", "inactive")


def _staff_account(db, account_id: int) -> Account:
    account = db.get(Account, account_id)
    if account is None or account.role not in STAFF_ROLES:
        abort(404)  # patients' and relatives' accounts are not the admin's to see or change
    return account


def _describe(account: Account) -> str:
    return f"account {account.id} ({account.role})"


@bp.get("/")
@allow("admin")
def index():
    db = database.session()
    active_staff = func.count(Account.id)
    units = db.execute(
        select(Unit, active_staff.label("active_staff"))
        .outerjoin(Account, and_(Account.unit_id == Unit.id, Account.role.in_(STAFF_ROLES),
                                 Account.is_active.is_(True)))
        .group_by(Unit.id)
        .order_by(func.lower(Unit.name))
    ).all()
    staff = db.scalars(
        select(Account).options(joinedload(Account.unit))
        .where(Account.role.in_(STAFF_ROLES))
        .order_by(func.lower(Account.display_name), Account.id)
    ).all()

    done = request.args.get("done")
    problem = request.args.get("problem")
    subject = None
    if done in _ABOUT_AN_ACCOUNT or problem in _PROBLEMS:
        account_id = whole_number(request.args.get("account"))
        subject = next((a for a in staff if a.id == account_id), None)
    elif done == "unit-created":
        unit_id = whole_number(request.args.get("unit"))
        subject = next((u for u, _count in units if u.id == unit_id), None)
    return render_template(
        "admin/index.html", units=units, staff=staff, subject=subject, my_id=g.account.id,
        done=done if done in _DONE and subject is not None else None,
        problem=problem if problem in _PROBLEMS and subject is not None else None)


@bp.route("/units/new", methods=["GET", "POST"])
@allow("admin")
def new_unit():
    db = database.session()
    form = UnitForm()
    if form.validate_on_submit():
        unit = Unit(name=form.name.data, kind=form.kind.data, created_at=now())
        db.add(unit)
        try:
            db.flush()
        except IntegrityError:
            # Another admin took the name between the check and the insert.
            db.rollback()
            form.name.errors.append(_("There is already a unit with this name. Choose another name."))
            return render_template("admin/unit_form.html", form=form)
        record(db, g.account, "unit-create", None, f"unit {unit.id} ({unit.kind})")
        db.commit()
        return redirect(url_for("admin.index", done="unit-created", unit=unit.id))
    return render_template("admin/unit_form.html", form=form)


@bp.route("/accounts/new", methods=["GET", "POST"])
@allow("admin")
def new_account():
    db = database.session()
    form = StaffAccountForm()
    form.unit.choices = unit_choices(db)
    if form.validate_on_submit():
        account = Account(
            role=form.role.data, display_name=form.display_name.data, username=form.username.data,
            national_id=form.national_id.data, work_email=form.work_email.data,
            password_hash=None, unit_id=whole_number(form.unit.data),
            is_active=True, failed_logins=0, created_at=now())
        db.add(account)
        try:
            db.flush()
        except IntegrityError:
            # Someone took the username between the check and the insert.
            db.rollback()
            form.unit.choices = unit_choices(db)
            form.username.errors.append(_("That username is taken. Choose another one."))
            return render_template("admin/account_form.html", form=form, needs_unit=ROLES_NEEDING_UNIT)
        record(db, g.account, "account-create", None, _describe(account))
        send_activation(db, account, g.account)
        db.commit()
        return _sent_page(account, new=True)
    return render_template("admin/account_form.html", form=form, needs_unit=ROLES_NEEDING_UNIT)


@bp.post("/accounts/<int:account_id>/activation")
@allow("admin")
def new_activation(account_id: int):
    """A new code, sent to the person's work e-mail: for a person who never used theirs, lost it,
    or forgot their password. Earlier unused codes stop working; the current password works until
    the new code is used."""
    db = database.session()
    account = _staff_account(db, account_id)
    if not account.is_active:
        # A code for a deactivated account could not be used; say so instead of handing one out.
        return redirect(url_for("admin.index", problem="inactive", account=account.id) + f"#account-{account.id}")
    sent_to = send_activation(db, account, g.account)
    db.commit()
    if sent_to is None:
        return render_template("admin/activation_unsent.html", person=account)
    return _sent_page(account, new=False)


@bp.route("/accounts/<int:account_id>/work-email", methods=["GET", "POST"])
@allow("admin")
def work_email(account_id: int):
    """Change where a member of staff's codes go. The old address is told, so a change made to
    send someone's codes elsewhere does not go unnoticed."""
    db = database.session()
    account = _staff_account(db, account_id)
    form = WorkEmailForm(obj=account)
    if form.validate_on_submit():
        old = account.work_email
        if form.work_email.data != old:
            if old:
                queue(db, account, EMAIL_CHANGED, Address("email", old, current_app.config["BABEL_DEFAULT_LOCALE"]))
            account.work_email = form.work_email.data
            record(db, g.account, "account-email-change", None,
                   f"{_describe(account)}: work e-mail {old or '(none)'} -> {account.work_email}")
            db.commit()
        return redirect(url_for("admin.index", done="email-changed", account=account.id) + f"#account-{account.id}")
    return render_template("admin/work_email_form.html", form=form, person=account)


@bp.post("/accounts/<int:account_id>/deactivate")
@allow("admin")
def deactivate(account_id: int):
    db = database.session()
    account = _staff_account(db, account_id)
    if account.id == g.account.id:
        # Also keeps at least one active admin: the one who is signed in.
        return redirect(url_for("admin.index", problem="self", account=account.id) + f"#account-{account.id}")
    if account.is_active:
        account.is_active = False
        # Unused codes go too, so reactivating later does not bring an old code back to life.
        db.execute(update(Activation)
                   .where(Activation.account_id == account.id, Activation.used_at.is_(None),
                          Activation.revoked_at.is_(None))
                   .values(revoked_at=now()))
        end_sign_ins(db, account, "deactivated")
        record(db, g.account, "account-deactivate", None, _describe(account))
        db.commit()
    return redirect(url_for("admin.index", done="deactivated", account=account.id) + f"#account-{account.id}")


@bp.post("/accounts/<int:account_id>/sign-out")
@allow("admin")
def end_sessions(account_id: int):
    """Sign the person out everywhere: a lost phone, a shared computer, a cookie that may be copied."""
    db = database.session()
    account = _staff_account(db, account_id)
    ended = end_sign_ins(db, account, "ended_by_admin")
    record(db, g.account, "account-signed-out", None, f"{_describe(account)}: {ended} sign-in(s) ended")
    db.commit()
    return redirect(url_for("admin.index", done="signed-out", account=account.id) + f"#account-{account.id}")


@bp.post("/accounts/<int:account_id>/reactivate")
@allow("admin")
def reactivate(account_id: int):
    db = database.session()
    account = _staff_account(db, account_id)
    if not account.is_active:
        account.is_active = True
        record(db, g.account, "account-reactivate", None, _describe(account))
        db.commit()
    return redirect(url_for("admin.index", done="reactivated", account=account.id) + f"#account-{account.id}")


def _sent_page(account: Account, new: bool):
    return render_template("admin/activation_sent.html", person=account, new=new,
                           days=current_app.config["ACTIVATION_DAYS"])


from . import api_clients, notifications  # noqa: E402,F401  (their routes join bp)
