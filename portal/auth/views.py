"""Signing in and out, and activation: the one-time code (typed, or followed as a link) with
which a person sets their password, the first time or after forgetting it."""
from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _

from .. import database
from ..addresses import safe_next
from ..audit import record
from ..clock import now
from ..links import public_url
from ..models import Activation
from ..rate_limits import guessing_limit, limiter
from . import devices, oidc
from .access import allow, current_account, end_sign_ins, public, sign_in, sign_out
from .accounts import activate, attempt_login, find_activation, is_usable
from .forms import CodeForm, LoginForm, NewAccountForm, NewPasswordForm

bp = Blueprint("auth", __name__)

PENDING = "pending_activation_id"


def home_for(account) -> str:
    return {
        "patient": url_for("patient.my_timeline"),
        "relative": url_for("relative.index"),
        "admin": url_for("admin.index"),
    }.get(account.role, url_for("staff.worklist"))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(guessing_limit, methods=["POST"])
def login():
    form = LoginForm()
    problem = None
    device = devices.this_device()
    if form.validate_on_submit():
        db = database.session()
        result = attempt_login(db, form.username.data, form.password.data, device.account_id if device else None)
        if result.account is not None:
            sign_in(result.account)
            db.commit()
            response = redirect(safe_next(request.args.get("next"), home_for(result.account)))
            devices.remember(response, result.account)
            return response
        db.commit()  # failed attempts and lockouts are counted and logged
        if result.locked_until:
            problem = _("Too many wrong attempts. You can try again after %(time)s, or ask your coordinator "
                        "for a new activation code.", time=format_time(result.locked_until, "HH:mm"))
        else:
            problem = _("The username or the password is wrong.")
        form.password.data = ""
    response = make_response(render_template("auth/login.html", form=form, problem=problem, **_sign_in_choices(),
                                             signed_out_everywhere=request.args.get("everywhere") == "1"))
    if problem and device is not None:
        devices.count_wrong_password(response, device)
    return response


@bp.get("/login/<slug>")
@public
@limiter.limit(guessing_limit)
def login_with(slug: str):
    return oidc.redirect_to(_provider_or_404(slug), public_url("auth.login_callback", slug=slug))


@bp.get("/login/<slug>/callback")
@public
@limiter.limit(guessing_limit)
def login_callback(slug: str):
    provider = _provider_or_404(slug)
    db = database.session()
    outcome = oidc.account_from_callback(db, provider)
    if outcome.account is None:
        db.rollback()
        unknown = (_("We did not find you as a patient here. Your coordinator can give you an activation code, or "
                     "register you with your fødselsnummer.") if provider.name == "idporten" else
                   _("No staff account has your fødselsnummer. Ask the administrator to register it on your account."))
        problems = {
            "cancelled": _("The sign-in was not completed. Try again."),
            "level": _("You were not signed in securely enough. Try again with BankID, MinID with a code, Buypass or "
                       "Commfides."),
            "unknown": unknown,
            "inactive": _("This account is closed. Contact your coordinator."),
        }
        return render_template("auth/login.html", form=LoginForm(), problem=problems[outcome.problem],
                               **_sign_in_choices()), 400
    account = outcome.account
    account.last_login_at = now()
    record(db, account, "sign-in", account.patient_id, provider.slug)
    sign_in(account)
    db.commit()
    return redirect(home_for(account))


def _provider_or_404(slug: str) -> oidc.Provider:
    provider = oidc.offered(slug)
    if provider is None:
        abort(404)
    return provider


def _sign_in_choices() -> dict:
    """Which electronic IDs the login page offers."""
    return {"id_porten": oidc.offered("id-porten") is not None, "helseid": oidc.offered("helseid") is not None}


@bp.post("/logout")
@public
def logout():
    sign_out()
    return redirect(url_for("public.index"))


@bp.post("/logout/everywhere")
@allow("patient", "relative", "nurse", "coordinator", "admin")
def logout_everywhere():
    """End every sign-in of the account: a phone left signed in, a computer someone else uses."""
    db = database.session()
    account = current_account()
    ended = end_sign_ins(db, account, "signed_out")
    record(db, account, "sign-out-everywhere", account.patient_id, f"{ended} sign-in(s) ended")
    db.commit()
    sign_out()
    return redirect(url_for("auth.login", everywhere=1))


@bp.get("/t/<code>")
@public
@limiter.limit(guessing_limit)
def activation_link(code: str):
    """The link printed on the activation letter. The code moves into the session and out of the
    address bar, so it is not left in the browser's history."""
    activation = find_activation(database.session(), code)
    if activation is None:
        return render_template("auth/activation_invalid.html"), 404
    sign_out()
    session[PENDING] = activation.id
    return redirect(url_for("auth.set_password"))


@bp.route("/activate", methods=["GET", "POST"])
@public
@limiter.limit(guessing_limit, methods=["POST"])
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        activation = find_activation(database.session(), form.code.data)
        if activation is not None:
            sign_out()
            session[PENDING] = activation.id
            return redirect(url_for("auth.set_password"))
        form.code.errors.append(_("This code is not valid. It may have been used already or have expired. "
                                  "Ask your coordinator for a new one."))
    return render_template("auth/enter_code.html", form=form)


@bp.route("/activate/password", methods=["GET", "POST"])
@public
def set_password():
    db = database.session()
    activation = db.get(Activation, session.get(PENDING) or 0)
    if not is_usable(activation):
        session.pop(PENDING, None)
        return redirect(url_for("auth.enter_code"))
    account = activation.account
    form = NewAccountForm() if account.username is None else NewPasswordForm()
    if form.validate_on_submit():
        activate(db, activation, form.password.data, getattr(form, "username", None) and form.username.data)
        session.pop(PENDING, None)
        sign_in(account)
        db.commit()
        return redirect(home_for(account))
    return render_template("auth/set_password.html", form=form, account=account)


@bp.get("/account")
@allow("patient", "relative", "nurse", "coordinator", "admin")
def account_home():
    return redirect(home_for(current_account()))
