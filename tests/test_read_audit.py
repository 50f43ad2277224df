"""Every staff page that shows a patient leaves a read row for that patient (portal.read_audit):
each GET route under /staff is opened as the coordinator of Kari's unit, and wherever the page (or
the PDF) shows Kari, her "who has looked" must have a new row for it. A new page that forgets fails
here."""
from __future__ import annotations

from sqlalchemy import func, select

from portal import database
from portal.models import AuditEntry

from .support.routes import PATIENT_A, build_world


def _reads_of(app, patient_id: int) -> int:
    with app.app_context():
        return database.session().scalar(select(func.count()).where(
            AuditEntry.patient_id == patient_id, AuditEntry.actor_role == "coordinator",
            AuditEntry.action.in_(("read", "print"))))


def test_every_staff_page_that_shows_a_patient_records_that_it_was_read(make_app):
    app = make_app()
    world = build_world(app)
    kari = world.values["patient_id"]
    coordinator = world.client_for("coordinator")
    checked = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or not rule.rule.startswith("/staff"):
            continue
        before = _reads_of(app, kari)
        response = coordinator.get(world.url_for(rule))
        shows_kari = response.status_code == 200 and (
            response.mimetype == "application/pdf" or PATIENT_A in response.get_data(as_text=True))
        if shows_kari:
            assert _reads_of(app, kari) > before, f"{rule.endpoint} shows {PATIENT_A} but records no read"
            checked.append(rule.endpoint)
    # The pages that show her: her record, its forms and history, the worklist, goals and printouts.
    assert {"staff.patient", "staff.worklist", "staff.goals", "staff.new_event"} <= set(checked), checked
    assert len(checked) >= 20, checked
