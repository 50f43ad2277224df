"""`flask --app portal pdf ...`: the printouts from the command line, e.g. for a print room."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import clock, database
from ..addresses import whole_number
from ..audit import record
from ..content import LANGUAGES
from ..enrolment_timeline import latest_enrolment
from ..models import Unit
from .batch import clinic_day, print_patients
from .documents import PrintOptions, pathway_pdf, timeline_pdf

ACTOR = "cli:pdf"


@click.group("pdf")
def pdf_group():
    """Printable PDFs of pathways and patients' timelines."""


def _in_portal(work):
    """Run `work` as if on a page of the portal: links in the PDF point at PUBLIC_BASE_URL."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return work()


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)


@pdf_group.command("pathway")
@with_appcontext
@click.argument("pathway_id")
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True)
@click.option("--large-print", is_flag=True, help="Body text of at least 16 pt.")
@click.option("--out", type=click.File("wb"), required=True, help="The PDF file to write ('-' for standard output).")
def pathway_command(pathway_id, lang, large_print, out):
    """The public explanation of PATHWAY_ID, to hand out."""
    pathway = current_app.extensions["library"].get(pathway_id)
    if pathway is None:
        _fail(f"No pathway {pathway_id!r}. Known: {', '.join(p.id for p in current_app.extensions['library'].all())}")
    out.write(_in_portal(lambda: pathway_pdf(pathway, PrintOptions(lang, large_print), clock.today())))


@pdf_group.command("patient")
@with_appcontext
@click.argument("patient_id")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Default: the patient's preferred language.")
@click.option("--large-print/--normal-print", default=None, help="Default: the patient's own choice.")
@click.option("--goals/--no-goals", default=True, show_default=True, help="The patient's current goals on page 1.")
@click.option("--out", type=click.File("wb"), required=True, help="The PDF file to write ('-' for standard output).")
def patient_command(patient_id, lang, large_print, goals, out):
    """PATIENT_ID's timeline, as the patient would print it."""
    db = database.session()
    number = whole_number(patient_id)
    enrolment = latest_enrolment(db, number) if number else None
    if enrolment is None:
        _fail(f"No patient {patient_id!r} in a pathway.")
    default = PrintOptions.for_patient(enrolment.patient)
    options = PrintOptions(lang or default.language, default.large_print if large_print is None else large_print, goals)
    out.write(_in_portal(lambda: timeline_pdf(enrolment, options, clock.today())))
    record(db, ACTOR, "print", number, f"timeline PDF ({options.describe()})")
    db.commit()


@pdf_group.command("clinic-day")
@with_appcontext
@click.option("--unit", "unit_ref", required=True, help="The unit's id or name.")
@click.option("--date", "day", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--out", type=click.File("wb"), required=True, help="The PDF file to write ('-' for standard output).")
def clinic_day_command(unit_ref, day, out):
    """The timelines of everyone with an appointment in UNIT on DATE, in one PDF: each in the
    patient's own language and print size."""
    db = database.session()
    unit = _unit(db, unit_ref)
    patients = clinic_day(db, unit.id, day.date())
    if not patients:
        _fail(f"No appointments in {unit.name} on {day.date().isoformat()}.")
    count = _in_portal(lambda: print_patients(db, [p.id for p in patients], clock.today(), ACTOR, out))
    db.commit()
    click.echo(f"{count} patient(s) from {unit.name} on {day.date().isoformat()}.", err=True)


def _unit(db, reference: str) -> Unit:
    unit_id = whole_number(reference)
    unit = db.get(Unit, unit_id) if unit_id else db.scalar(select(Unit).where(Unit.name == reference))
    if unit is None:
        names = ", ".join(f"{u.id}: {u.name}" for u in db.scalars(select(Unit).order_by(Unit.id)))
        _fail(f"No unit {reference!r}. Units: {names}")
    return unit
