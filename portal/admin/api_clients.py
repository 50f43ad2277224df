"""The admin's pages for API clients: the systems of a unit (a hospital's integration engine) that
send pathway events and read their patients' pathways (see portal.auth.clients). The token is
shown once, on the page that creates the client; only its hash is kept. A revoked client stays in
the list, so the history and the audit log keep naming it."""
from __future__ import annotations

from flask import abort, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import database
from ..addresses import whole_number
from ..auth.access import allow
from ..auth.clients import create_client, revoke
from ..models import ApiClient, Unit
from . import bp
from .forms import ApiClientForm, unit_choices


def _client_or_404(db, client_id: int) -> ApiClient:
    client = db.get(ApiClient, client_id)
    if client is None:
        abort(404)
    return client


@bp.get("/api-clients")
@allow("admin")
def api_clients():
    db = database.session()
    clients = db.scalars(select(ApiClient).options(joinedload(ApiClient.unit))
                         .order_by(ApiClient.revoked_at.is_not(None), func.lower(ApiClient.name))).all()
    # Only a client in the list is named: the address cannot put other text on the page.
    revoked_id = whole_number(request.args.get("revoked"))
    revoked = next((c for c in clients if c.id == revoked_id), None)
    return render_template("admin/api_clients.html", clients=clients, revoked=revoked)


@bp.route("/api-clients/new", methods=["GET", "POST"])
@allow("admin")
def new_api_client():
    db = database.session()
    form = ApiClientForm()
    form.unit.choices = unit_choices(db, _("Choose a unit"))
    if not form.validate_on_submit():
        return render_template("admin/api_client_form.html", form=form)
    try:
        client, token = create_client(db, form.name.data, db.get(Unit, whole_number(form.unit.data)), g.account)
    except IntegrityError:
        # Another admin took the name between the check and the insert.
        db.rollback()
        form.unit.choices = unit_choices(db, _("Choose a unit"))
        form.name.errors.append(_("There is already an API client with this name. Choose another name."))
        return render_template("admin/api_client_form.html", form=form)
    db.commit()
    response = make_response(render_template("admin/api_client_token.html", client=client, token=token))
    # The token is shown once: keep it out of the browser's and any proxy's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api-clients/<int:client_id>/revoke", methods=["GET", "POST"])
@allow("admin")
def revoke_api_client(client_id: int):
    """GET asks to confirm; POST revokes. The system is refused from its next request on."""
    db = database.session()
    client = _client_or_404(db, client_id)
    if request.method == "POST":
        if client.revoked_at is None:  # a second press changes nothing and logs nothing
            revoke(db, client, g.account)
            db.commit()
        return redirect(url_for("admin.api_clients", revoked=client.id) + f"#client-{client.id}")
    return render_template("admin/api_client_revoke.html", client=client)
