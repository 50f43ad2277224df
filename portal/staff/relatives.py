"""A coordinator records a relative's access on the patient's behalf, only with the consent noted
(for a patient who does not use the portal themselves). The patient can withdraw it later."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, url_for

from .. import database, sharing
from ..auth.access import allow
from ..links import public_url
from ..models import Share
from ..unit_scope import patient_or_404
from . import bp
from .forms import ConsentShareForm


@bp.route("/patients/<int:patient_id>/relatives/new", methods=["GET", "POST"])
@allow("coordinator")
def new_share(patient_id: int):
    db = database.session()
    patient = patient_or_404(db, patient_id)
    form = ConsentShareForm()
    if form.validate_on_submit():
        share, token = sharing.invite(db, patient, g.account, form.relative_name.data, form.relation.data,
                                      form.data, form.consent_note.data)
        db.commit()
        return render_template("staff/share_created.html", patient=patient, share=share,
                               link=public_url("relative.invitation", token=token))
    return render_template("staff/share_form.html", form=form, patient=patient)


@bp.post("/patients/<int:patient_id>/relatives/<int:share_id>/withdraw")
@allow("coordinator")
def withdraw_share(patient_id: int, share_id: int):
    """When the patient asks the coordinator to stop a relative's access."""
    db = database.session()
    patient = patient_or_404(db, patient_id)
    share = db.get(Share, share_id)
    if share is None or share.patient_id != patient.id:
        abort(404)
    sharing.withdraw(db, share, g.account)
    db.commit()
    return redirect(url_for("staff.patient", patient_id=patient.id) + "#relatives")
