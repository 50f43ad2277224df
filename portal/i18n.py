"""Languages: bokmål by default, nynorsk and English on request, remembered in the session."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date
from flask import Flask, g, has_request_context, redirect, request, session
from flask_babel import Babel, get_locale, get_translations

from . import database
from .addresses import safe_next
from .auth.access import current_account, public
from .clock import in_norway
from .content import LANGUAGES
from .history import Edit
from .saving import save

LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
_DATE_PATTERNS = {"nb": "EEEE d. MMMM y", "nn": "EEEE d. MMMM y", "en": "EEEE d MMMM y"}
_CLOCK_PATTERNS = {"nb": "{day} kl. {time}", "nn": "{day} kl. {time}", "en": "{day}, {time}"}


def select_locale() -> str:
    if not has_request_context():
        return LANGUAGES[0]
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else LANGUAGES[0]


def accepted_language() -> str:
    """For a system, which has no session: the language its Accept-Language header asks for."""
    return request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0])


def current_language() -> str:
    locale = get_locale()  # None outside a request
    return str(locale) if locale else LANGUAGES[0]


def long_date(day: date | datetime | None) -> str:
    """A day as people write it ("tirsdag 10. mars 2026"). A moment is dated by the calendar in
    Norway; an appointment's wall time by its own date."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = in_norway(day).date() if day.tzinfo else day.date()
    return _written(day, current_language(), weekday=True)


def day_of_record(day: date) -> str:
    """A date in a record ("1. mai 2021"): no weekday, which only helps with days ahead. Never an
    ISO date (2021-05-01) where people read it."""
    return _written(day, current_language(), weekday=False)


@lru_cache(maxsize=8192)
def _written(day: date, language: str, weekday: bool) -> str:
    # Kept per process: pages write the same few hundred days over and over, and Babel takes a
    # while over each.
    pattern = _DATE_PATTERNS[language]
    return format_date(day, pattern if weekday else pattern.removeprefix("EEEE "), locale=language)


def local_time(moment: datetime | None) -> str:
    """A moment (audit log, history, sign-ins), as the clock in Norway showed it ("9. mars 2026 kl. 14:05")."""
    if moment is None:
        return ""
    return wall_time(in_norway(moment))


def wall_time(moment: datetime) -> str:
    """A date and time as a clock shows it, with no conversion (an appointment's time on its letter)."""
    return _CLOCK_PATTERNS[current_language()].format(day=day_of_record(moment.date()), time=moment.strftime("%H:%M"))


@public
def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        _remember_for_patient(code)
    return redirect(safe_next(request.args.get("next")))


def _remember_for_patient(code: str) -> None:
    """A patient's choice is their preferred language from now on: at the next sign-in, and in
    what the care team prints for them. The change is in the patient's history."""
    account = current_account()
    patient = account.patient if account is not None else None
    if patient is None or patient.preferred_language == code:
        return

    def choose():
        patient.preferred_language = code
        return Edit("patient", "changed", patient)

    save(database.session(), patient, choose)


def translations():
    """The catalogue of the language in force, for the templates' texts. flask-babel's own lookup
    walks the request context several times for each text, and a page has dozens; this looks once,
    at the locale flask-babel chose (or force_locale set), and keeps one catalogue per locale."""
    chosen = getattr(g.get("_flask_babel") if g else None, "babel_locale", None)
    if chosen is None:
        return get_translations()
    # By its parts: comparing Locale objects costs more than the lookup saves.
    key = (chosen.language, chosen.territory, chosen.script, chosen.variant)
    found = _CATALOGUES.get(key)
    if found is None:
        found = _CATALOGUES[key] = get_translations()
    return found


_CATALOGUES: dict = {}


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: translations().ugettext(text),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True)
    # A POST with the form's token: the choice is stored (the session's language, and a patient's
    # preferred language), so no link or image elsewhere can change it.
    app.add_url_rule("/language/<code>", "switch_language", switch_language, methods=["POST"])
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["wall_time"] = wall_time
    app.jinja_env.filters["day_of_record"] = day_of_record
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, LANGUAGE_NAMES=LANGUAGE_NAMES, current_language=current_language
    )
