"""The patient decides who among their relatives sees what, and can withdraw it at any time."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, url_for
from sqlalchemy import select

from .. import database, sharing
from ..auth.access import allow
from ..forms import ScopeForm, ShareForm
from ..links import public_url
from ..models import Patient, Share
from . import bp


def _own_share(db, share_id: int) -> Share:
    share = db.get(Share, share_id)
    if share is None or share.patient_id != g.account.patient_id:
        abort(404)
    return share


@bp.route("/my/relatives", methods=["GET", "POST"])
@allow("patient")
def relatives():
    db = database.session()
    form = ShareForm()
    if form.validate_on_submit():
        patient = db.get(Patient, g.account.patient_id)
        share, token = sharing.invite(db, patient, g.account, form.relative_name.data, form.relation.data,
                                      form.data)
        db.commit()
        return render_template("patient/invitation.html", share=share,
                               link=public_url("relative.invitation", token=token))
    active = db.scalars(select(Share).where(Share.patient_id == g.account.patient_id, Share.withdrawn_at.is_(None))
                        .order_by(Share.id.desc()))
    return render_template("patient/relatives.html", form=form,
                           shares=[(share, ScopeForm(formdata=None, obj=share)) for share in active])


@bp.post("/my/relatives/<int:share_id>/scopes")
@allow("patient")
def change_scopes(share_id: int):
    db = database.session()
    share = _own_share(db, share_id)
    form = ScopeForm()
    if form.validate_on_submit():
        sharing.change_scopes(db, share, g.account, form.data)
        db.commit()
    return redirect(url_for("patient.relatives", changed=share.id) + f"#share-{share.id}")


@bp.post("/my/relatives/<int:share_id>/withdraw")
@allow("patient")
def withdraw(share_id: int):
    db = database.session()
    share = _own_share(db, share_id)
    sharing.withdraw(db, share, g.account)
    db.commit()
    return redirect(url_for("patient.relatives", withdrawn=share.id))
