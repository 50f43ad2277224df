"""After a conflict the kept entry can be sent again, and then it is saved: the form carries the
version it was shown with, not the stale one it was first sent from."""
from __future__ import annotations

from sqlalchemy import select

from portal import database
from portal.models import Patient

from .support.pages import send, text_of, version_of
from .support.world import COORDINATOR, NURSE


def test_details_sent_again_after_a_conflict_are_saved(app, sign_in):
    nurse, coordinator = sign_in(NURSE), sign_in(COORDINATOR)
    with app.app_context():
        kari = database.session().scalar(select(Patient).where(Patient.display_name == "Kari Demo"))
    both_opened = {"version": kari.version, "display_name": "Kari Demo",
                   "date_of_birth": kari.date_of_birth.isoformat(), "preferred_language": "nb"}
    path = f"/staff/patients/{kari.id}/edit"
    assert nurse.post(path, data={**both_opened, "phone": "+47 11 11 11 11"}).status_code == 302

    late = coordinator.post(path + "?lang=en", data={**both_opened, "address": "Storgata 1"})
    assert "Someone else changed this while you were working" in text_of(late)
    assert version_of(late) == str(kari.version + 1)
    again = send(coordinator, late, phone="+47 11 11 11 11")  # the address is kept on the page
    assert again.status_code == 302
    with app.app_context():
        saved = database.session().get(Patient, kari.id)
        assert (saved.phone, saved.address) == ("+47 11 11 11 11", "Storgata 1")
