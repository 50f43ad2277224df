"""`flask --app portal import codes FILE` and `flask --app portal export codes --unit NAME`:
pathway codes in and out as CSV files, for a hospital without an integration engine."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from . import clock, database
from .audit import record
from .exports import as_csv, coded_rows
from .imports import apply, read_csv
from .models import Unit
from .problem_messages import problem_message


@click.group("import")
def import_group():
    """Bring pathway events in from a hospital's own systems."""


@import_group.command("codes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_codes(file: Path):
    """Apply the pathway codes in FILE (CSV: person_id,code,date,unit, one event a line). Either
    every line is applied or, if one is wrong, none: each problem is printed with its line."""
    db = database.session()
    library = current_app.extensions["library"]
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        click.echo(f"{file}: not a UTF-8 text file", err=True)
        sys.exit(1)
    outcome = apply(db, f"cli:import {file.name}", None, read_csv(library, text), clock.today())
    if outcome.refusals:
        db.rollback()
        with force_locale("en"):
            for refusal in outcome.refusals:
                field = f"{refusal.problem.field}: " if refusal.problem.field else ""
                click.echo(f"{file}: {refusal.where}: {field}{problem_message(refusal.problem)}", err=True)
        click.echo(f"Nothing was imported: {len(outcome.refusals)} problem(s).", err=True)
        sys.exit(1)
    db.commit()
    counts = outcome.as_dict()
    click.echo(f"{counts['added']} added, {counts['corrected']} corrected, {counts['unchanged']} already recorded, "
               f"{counts['held']} held for a coordinator (no patient with that national id).")


@click.group("export")
def export_group():
    """Send what was recorded here back to a hospital's own reporting."""


@export_group.command("codes")
@click.option("--unit", "unit_name", required=True, help="The unit whose pathway events to export.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to the screen.")
@with_appcontext
def export_codes(unit_name: str, output: Path | None):
    """The unit's recorded steps as pathway codes (CSV, the columns an import reads)."""
    db = database.session()
    unit = db.scalar(select(Unit).where(Unit.name == unit_name))
    if unit is None:
        click.echo(f"There is no unit called {unit_name!r}.", err=True)
        sys.exit(1)
    rows = coded_rows(db, current_app.extensions["library"], unit)
    record(db, "cli:export codes", "codes-exported", None, f"{len(rows)} events of unit {unit.id}")
    db.commit()
    if output:
        output.write_text(as_csv(rows), encoding="utf-8")
        click.echo(f"{len(rows)} events written to {output}.")
    else:
        click.echo(as_csv(rows), nl=False)
