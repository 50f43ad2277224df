"""A unit of its own with made-up history, for the tests of a unit's figures (portal.figures): its
coordinator, Åse waiting for her decision, and earlier patients whose decisions took known times."""
from __future__ import annotations

from datetime import timedelta

from portal import database
from portal.figures.store import refresh
from portal.timeline import Event

from . import factories
from .world import PASSWORD, TODAY

UNIT = "Testklinikken"
# 20 people whose clinical decision came this many days after their first visit: half within 5
# days, 9 in 10 within 6 (the 18th of 20 in order); 19 of 20 within the norm of 12 days.
DECIDED_IN = [3] * 5 + [5] * 10 + [6] * 3 + [9, 14]


def unit_with_history(make_app, days_to_decision: list[int]):
    """A unit of its own (no other patients), its coordinator, and Åse, who waits for her decision;
    plus made-up earlier patients whose decision came `days` after their first visit. The figures
    are computed as the daily job does."""
    app = make_app(cast=False)
    with app.app_context():
        db = database.session()
        unit = factories.unit(db, UNIT)
        factories.account(db, "coordinator", "Kora Koordinator", "kora", PASSWORD, unit=unit)
        ase = factories.patient(db, "Åse Test", unit)
        factories.enrolment(db, ase, "cancer-breast", [Event("referral_received", TODAY - timedelta(days=6)),
                                                       Event("first_attendance", TODAY - timedelta(days=2))])
        factories.account(db, "patient", "Åse Test", "ase", PASSWORD, patient=ase)
        for number, days in enumerate(days_to_decision):
            referral = TODAY - timedelta(days=40 + number)
            visit = referral + timedelta(days=3)
            patient = factories.patient(db, f"Tidligere {number}", unit)
            factories.enrolment(db, patient, "cancer-breast", [
                Event("referral_received", referral), Event("first_attendance", visit),
                Event("clinical_decision", visit + timedelta(days=days), outcome="no_disease")])
        refresh(db, app.extensions["library"], TODAY)
        db.commit()
    return app
