"""Command-line tools: `flask --app portal <command>`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from . import clock, database
from .content import LANGUAGES, ContentError, load_library
from .problem_messages import problems_as_json
from .timeline.model import EVENT_FIELDS
from .timeline_request import RequestProblems, compute_from_json

# What an --event may say after its step and date: the engine's other Event fields.
EXTRA_FIELDS = tuple(spec.name for spec in EVENT_FIELDS if not spec.required)


def _parse_event(text: str) -> dict:
    """`milestone=YYYY-MM-DD[,outcome=...][,treatment=...]...` -> the API's event object."""
    first, *rest = text.split(",")
    milestone, _, day = first.partition("=")
    event = {"milestone": milestone.strip(), "date": day.strip()}
    for part in rest:
        key, _, value = part.partition("=")
        if key.strip() not in EXTRA_FIELDS:
            raise click.BadParameter(f"unknown field {key.strip()!r} in {text!r}; use {', '.join(EXTRA_FIELDS)}")
        event[key.strip()] = value.strip()
    return event


@click.command("timeline")
@with_appcontext
@click.argument("pathway_id")
@click.option("--event", "events", multiple=True, metavar="MILESTONE=DATE[,KEY=VALUE...]",
              help="A recorded event, e.g. referral_received=2026-03-02 or "
                   "clinical_decision=2026-03-12,outcome=cancer_confirmed,treatment=surgery. Repeatable.")
@click.option("--today", default=None, metavar="DATE", help="The day to compute for (default: today).")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="The planned branch before it is recorded: treatment=..., setting=... or severity=...")
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], help="Language of error messages.")
def timeline_command(pathway_id, events, today, options, lang):
    """Print the timeline of PATHWAY_ID for the given events as JSON (the same JSON as POST /api/v1/timeline)."""
    request = {
        "pathway": pathway_id,
        "today": today or clock.today().isoformat(),
        "events": [_parse_event(e) for e in events],
        "options": dict(o.partition("=")[::2] for o in options),
    }
    try:
        result = compute_from_json(current_app.extensions["library"], json.dumps(request))
    except RequestProblems as error:
        with force_locale(lang):
            errors = problems_as_json(error.problems)
        click.echo(json.dumps({"errors": errors}, ensure_ascii=False, indent=2), err=True)
        sys.exit(2)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@click.group("content")
def content_group():
    """Pathway content in content/."""


def _in_folders(path: str, root: Path, only: tuple[str, ...]) -> bool:
    """Whether `path` lies in one of the named folders of content/ (a pathway id, or _shared/<family>)."""
    return not only or any(str(path).startswith(str(root / name) + "/") for name in only)


@content_group.command("check")
@with_appcontext
@click.option("--only", multiple=True, metavar="FOLDER",
              help="Report only problems in this folder of content/ (a pathway id or _shared/<family>). Repeatable.")
def content_check(only):
    """Validate every pathway definition and text; exit non-zero on any error."""
    root = Path(current_app.config["CONTENT_DIR"])
    try:
        library = load_library(root)
    except ContentError as error:
        problems = [p for p in error.problems if _in_folders(p, root, only)]
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1 if problems else 0)
    click.echo(f"{len(library.pathways)} pathway(s) checked: no problems.")


@content_group.command("readability")
@with_appcontext
@click.option("--count", default=10, show_default=True, help="How many of the hardest texts to list.")
@click.option("--only", multiple=True, metavar="FOLDER",
              help="Score only this folder of content/ (a pathway id or _shared/<family>). Repeatable.")
def content_readability(count, only):
    """Score every text: LIX for bokmål and nynorsk (at most 40), Flesch reading ease for English
    (at least 60). Prints the hardest texts and the spread per language; exits non-zero if a text
    is past its limit."""
    from .content.readability import FLESCH_MIN, LIX_MAX, distribution, score_content, worst

    root = Path(current_app.config["CONTENT_DIR"])
    scores = [s for s in score_content(root, LANGUAGES) if _in_folders(s.path, root, only)]
    click.echo(f"The {count} hardest texts (LIX at most {LIX_MAX}, Flesch at least {FLESCH_MIN}):")
    for score in worst(scores, count):
        mark = "  " if score.passes else "✗ "
        click.echo(f"{mark}{score.measure} {score.value:5.1f}  {score.words:4d} words  {score.path.relative_to(root)}")
    click.echo("")
    for language, (texts, median, hardest) in distribution(scores).items():
        measure = "Flesch" if language == "en" else "LIX"
        click.echo(f"{language}: {texts} texts, {measure} median {median}, hardest {hardest}")
    failing = [s for s in scores if not s.passes]
    if failing:
        click.echo(f"{len(failing)} text(s) past the limit.", err=True)
        sys.exit(1)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (Alembic migrations)."""
    database.migrate(current_app)
    click.echo("Database is up to date.")


@click.command("demo")
@with_appcontext
@click.option("--base-url", default=None, help="Where the portal is served (for the printed links).")
def demo_command(base_url):
    """Create the synthetic demo units, staff and patients (once), and print a new activation link
    for each of them; the first time, also the token of the cancer unit's system (an API client)."""
    from .demo import create_demo_client, create_demo_patients

    database.migrate(current_app)
    base = (base_url or current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    for name, what, summary, link in create_demo_patients(clock.today()):
        click.echo(f"{name:<28} {what:<14} {summary:<44} {base}{link}")
    client = create_demo_client()
    if client is not None:
        name, unit, token = client
        click.echo(f"{name:<28} {'api-client':<14} {unit:<44} {token}")


@click.command("create-admin")
@with_appcontext
@click.option("--username", required=True, help="The admin's username: 3 to 40 of a-z, 0-9, dot, dash, underscore.")
@click.option("--name", "display_name", required=True, help="The admin's full name.")
@click.option("--email", "work_email", default=None,
              help="The admin's work e-mail: where later activation codes (a forgotten password) are sent.")
def create_admin_command(username, display_name, work_email):
    """Create an administrator account (no unit) and print its one-time activation code.

    The person opens the printed link (or types the code at /activate) and chooses their own
    password; nobody else ever knows it. This is how the first admin is made."""
    from email_validator import EmailNotValidError, validate_email
    from sqlalchemy import inspect

    from .admin.forms import outside_work_domains
    from .audit import record
    from .auth.accounts import issue_activation, username_taken
    from .auth.forms import USERNAME
    from .clock import now
    from .models import Account

    username = username.strip().lower()
    display_name = display_name.strip()
    if not USERNAME.match(username):
        click.echo(f"Username {username!r} is not allowed: use 3 to 40 characters a-z, 0-9, dot, dash or underscore.",
                   err=True)
        sys.exit(1)
    if not display_name or len(display_name) > 200:
        click.echo("Give the admin's full name with --name (at most 200 characters).", err=True)
        sys.exit(1)
    if work_email:
        try:
            work_email = validate_email(work_email.strip(), check_deliverability=False).normalized.lower()
        except EmailNotValidError as error:
            click.echo(f"--email: {error}", err=True)
            sys.exit(1)
        if allowed := outside_work_domains(work_email):
            click.echo(f"--email: use a work address ending in {allowed}.", err=True)
            sys.exit(1)
    if not inspect(current_app.extensions["db_engine"]).has_table("account"):
        click.echo("The database has no tables yet: run `flask --app portal init-db` first.", err=True)
        sys.exit(1)
    if username_taken(username):
        click.echo(f"Username {username!r} is taken. Choose another one.", err=True)
        sys.exit(1)

    db = database.session()
    account = Account(role="admin", display_name=display_name, username=username, password_hash=None,
                      work_email=work_email or None, unit_id=None, is_active=True, failed_logins=0, created_at=now())
    db.add(account)
    db.flush()
    record(db, "cli:create-admin", "account-create", None, f"account {account.id} (admin)")
    code = issue_activation(db, account, "cli:create-admin")
    db.commit()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    days = current_app.config["ACTIVATION_DAYS"]
    click.echo(f"Admin account {username!r} created for {display_name}.")
    click.echo(f"Activation code: {code}")
    click.echo(f"Activation link: {base}/t/{code}")
    click.echo(f"The code works once and expires after {days} days. Open the link (or type the code at "
               f"{base}/activate) and choose a password.")


def init_app(app: Flask) -> None:
    from .code_commands import export_group, import_group
    from .pdf.commands import pdf_group

    for command in (timeline_command, content_group, init_db_command, demo_command, create_admin_command, pdf_group,
                    import_group, export_group):
        app.cli.add_command(command)
