"""The benches' made-up patients: their pathways, a database full of them, and their sign-ins.

Importing this module also puts the project on the path, so a bench run by file name imports the
checkout it lives in.
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The programs (gunicorn, flask, huey_consumer) of the environment the bench runs in.
BIN = Path(sys.executable).parent

import time_machine  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal import database  # noqa: E402
from portal.auth.secrets import digest, new_token  # noqa: E402
from portal.clock import now  # noqa: E402
from portal.demo_history import MAKERS  # noqa: E402
from portal.enrolment_timeline import refresh_summary  # noqa: E402
from portal.models import Account, Enrolment, NotificationChoice, Patient, RecordedEvent, SignIn, Unit  # noqa: E402

TODAY = date(2026, 11, 23)


def synthetic_patients(library, count: int, seed: int = 7) -> list[tuple]:
    """(definition, events, options) of `count` people, the pathways in turn: the demo's whole
    pathways (portal.demo_history), started in the last 400 days and cut at a random step, so every
    phase is there and some are over; only what happened by TODAY."""
    rng = random.Random(seed)
    pathway_ids = list(MAKERS)
    patients = []
    for n in range(count):
        pathway_id = pathway_ids[n % len(pathway_ids)]
        events, options = MAKERS[pathway_id](rng, TODAY - timedelta(days=rng.randint(0, 400)))
        events = [e for e in events[:rng.randint(1, len(events))] if e.date <= TODAY]
        patients.append((library.get(pathway_id).definition, events, options))
    return patients


def populate(app, count: int) -> list[int]:
    """A fresh schema with one unit, its coordinator and `count` patients (synthetic_patients), each
    with an account that asked for e-mail about new dates and steps at an address of its own; made
    on TODAY. The enrolments' ids."""
    library = app.extensions["library"]
    with app.app_context(), time_machine.travel(TODAY, tick=True):
        database.migrate(app)
        db = database.session()
        unit = Unit(name="Skaleringsavdelingen", kind="hospital", created_at=now())
        db.add_all([unit, Account(role="coordinator", display_name="Kim Koordinator", unit=unit, created_at=now())])
        for n, (definition, events, options) in enumerate(synthetic_patients(library, count)):
            patient = Patient(display_name=f"Pasient {n}", unit=unit, created_at=now())
            enrolment = Enrolment(patient=patient, unit=unit, pathway_id=definition.id, created_at=now(),
                                  treatment=options.treatment, setting=options.setting)
            enrolment.events = [RecordedEvent(milestone=e.milestone, date=e.date, outcome=e.outcome,
                                              treatment=e.treatment, setting=e.setting, reason=e.reason,
                                              until=e.until, recorded_by="bench", recorded_at=now())
                                for e in events]
            refresh_summary(enrolment, library, TODAY)
            account = Account(role="patient", display_name=patient.display_name, patient=patient,
                              username=f"pasient.{n}", created_at=now())
            # An address per patient, so a mail sink's count per address is a count per person.
            db.add_all([account, NotificationChoice(account=account, channel="email", email=f"p{n}@bench.example",
                                                    topics="new_date,step", language="nb", updated_at=now())])
        db.commit()
        return list(db.scalars(select(Enrolment.id)))


def sign_in_everyone(app) -> tuple[list[str], str]:
    """A sign-in for every account, as the server makes them (now, on the real clock): the
    patients' session cookies and the coordinator's."""
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        db = database.session()
        accounts = list(db.scalars(select(Account).order_by(Account.role.desc(), Account.id)))  # patients first
        tokens = [new_token() for _ in accounts]
        db.add_all(SignIn(token_hash=digest(token), account=account, started_at=now())
                   for token, account in zip(tokens, accounts, strict=True))
        db.commit()
    cookies = [serializer.dumps({"sign_in": token}) for token in tokens]
    return cookies[:-1], cookies[-1]


def reading_in_turn(cookies: list[str], path: str) -> str:
    """A wrk Lua script: each request reads `path` as the next of these signed-in people."""
    return ("local cookies = {" + ",".join(f'"{c}"' for c in cookies) + "}\nlocal n = 0\n"
            "request = function()\n  n = n + 1\n  return wrk.format('GET', '" + path + "', "
            "{['Cookie'] = 'session=' .. cookies[(n % #cookies) + 1]})\nend\n")
