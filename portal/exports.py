"""A unit's pathway events in the code format hospitals report (`person_id,code,date,unit`), so
what was recorded here can go back to the hospital's own reporting. The same columns as an import
(portal.imports), so a file exported and imported again changes nothing. Steps with no code (an
evaluation, a step of a pathway whose codes were not found) and patients with no national id are
left out: the FHIR export carries everything."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .content.library import Library
from .imports import CSV_COLUMNS
from .models import Enrolment, Patient, Unit


def coded_rows(db: Session, library: Library, unit: Unit) -> list[tuple[str, str, str, str]]:
    enrolments = db.scalars(
        select(Enrolment).join(Patient).where(Enrolment.unit_id == unit.id, Patient.national_id.is_not(None))
        .options(selectinload(Enrolment.events), selectinload(Enrolment.patient))
        .order_by(Patient.national_id, Enrolment.id))
    rows = []
    for enrolment in enrolments:
        for event in enrolment.current_events:
            code = library.codes.code_for(enrolment.pathway_id, event.date, event.milestone, event.outcome,
                                          event.treatment, event.reason)
            if code is not None:
                rows.append((enrolment.patient.national_id, code, event.date.isoformat(), unit.name))
    return rows


def as_csv(rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()
