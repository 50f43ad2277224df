"""Relatives: accepting an invitation, and a read-only view of what each patient shares with them.
Nothing the patient has not shared is loaded into these pages."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, url_for

from .. import database, sharing
from ..audit import record
from ..auth.access import allow, current_account, public, sign_in
from ..auth.forms import NewAccountForm
from ..auth.secrets import hash_password
from ..clock import now, today
from ..enrolment_timeline import latest_enrolment
from ..forms import Form
from ..goals import current_goals_of
from ..i18n import current_language
from ..links import public_url
from ..models import Account
from ..notifications.choices import choice_page
from ..rate_limits import guessing_limit, limiter
from ..record_page import print_urls, render_record

bp = Blueprint("relative", __name__)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit(guessing_limit, methods=["POST"])
def invitation(token: str):
    db = database.session()
    share = sharing.find_invitation(db, token)
    if share is None:
        return render_template("relative/invitation_invalid.html"), 404
    account = current_account()
    if account is not None and account.role != "relative":
        # Signed in as someone else (the patient who made it, perhaps, or a nurse): the link is for
        # the relative, and nothing here can be accepted in this account's name.
        made_it = account.role == "patient" and account.patient_id == share.patient_id
        return render_template("relative/invitation_for_someone_else.html", share=share, made_it=made_it,
                               link=public_url("relative.invitation", token=token) if made_it else None)
    if account is not None:
        # Already has an account as a relative (of someone else): add this share to it.
        form = Form()
        if form.validate_on_submit():
            sharing.accept(db, share, account)
            db.commit()
            return redirect(url_for("relative.view", share_id=share.id))
        return render_template("relative/invitation.html", share=share, form=form, as_relative=True)
    form = NewAccountForm()
    if form.validate_on_submit():
        account = Account(role="relative", display_name=share.relative_name, username=form.username.data,
                          password_hash=hash_password(form.password.data), created_at=now(),
                          is_active=True, failed_logins=0)
        db.add(account)
        db.flush()
        sharing.accept(db, share, account)
        sign_in(account)
        db.commit()
        return redirect(url_for("relative.view", share_id=share.id))
    return render_template("relative/invitation.html", share=share, form=form)


@bp.get("/shared")
@allow("relative")
def index():
    shares = sharing.active_shares_for(database.session(), g.account)
    if len(shares) == 1:
        return redirect(url_for("relative.view", share_id=shares[0].id))
    return render_template("relative/index.html", shares=shares)


@bp.get("/shared/<int:share_id>")
@allow("relative")
def view(share_id: int):
    """The patient's timeline as far as it is shared. Without the timeline (its steps, dates,
    appointments, results and contacts), only the goals and the care team's note, if those are shared."""
    db = database.session()
    share = sharing.share_for_relative(db, share_id, g.account)
    enrolment = latest_enrolment(db, share.patient_id) if share else None
    if enrolment is None:
        abort(404)
    language = current_language()
    goals = current_goals_of(db, share.patient_id) if share.see_goals else None
    if share.see_appointments:
        page = render_record(enrolment, language, today(), audience="relative", see_notes=share.see_notes,
                             goals=goals, print_urls=print_urls("pdf.shared", language, share_id=share.id))
    else:
        page = render_template("relative/without_timeline.html", audience="relative", patient=share.patient,
                               goals=goals, delay_note=enrolment.delay_note if share.see_notes else None,
                               delay_note_at=enrolment.delay_note_at)
    seen = "timeline" if share.see_appointments else "goals and notes"
    record(db, g.account, "read", share.patient_id, f"{seen} via share {share.id}")
    db.commit()
    return page


@bp.route("/shared/notifications", methods=["GET", "POST"])
@allow("relative")
def notifications():
    """A relative is told only about those who allow it; the page names them."""
    shares = sharing.active_shares_for(database.session(), g.account)
    return choice_page(allowed_by=[share.patient.display_name for share in shares if sharing.told_of_news(share)])
