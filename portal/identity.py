"""Norwegian national identity numbers: fødselsnummer and D-nummer, with their check digits.

A hospital's system names a person by one of these; the Norwegian FHIR base profile gives each
its own identifier system. python-stdnum checks the digits and the date of birth they carry.
Synthetic numbers (Skatteetaten's test numbers, with 80 added to the month) are accepted only when
the setting `SYNTHETIC_NATIONAL_IDS` is on: demo data and tests use them, so no real person's
number is ever made up here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

FNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
DNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.2"
SYSTEMS = (FNR_SYSTEM, DNR_SYSTEM)
_SYNTHETIC_MONTH = 80


@dataclass(frozen=True)
class NationalIdError(ValueError):
    """Why a number is not a national id: "format" (not eleven digits), "check_digits" or "date"."""

    code: str


def normalise(text: str, synthetic_allowed: bool = False) -> str:
    """The eleven digits of a valid fødselsnummer or D-nummer, or NationalIdError."""
    number = fodselsnummer.compact(text or "")
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        raise NationalIdError("format")
    if number[9] != fodselsnummer.calc_check_digit1(number) or number[10] != fodselsnummer.calc_check_digit2(number):
        raise NationalIdError("check_digits")
    if int(number[2:4]) > _SYNTHETIC_MONTH and not synthetic_allowed:
        raise NationalIdError("date")
    try:
        birth_date(number)
    except ValidationError:
        raise NationalIdError("date") from None
    return number


def birth_date(number: str) -> date:
    """The date of birth a valid number carries (a D-nummer's day less 40, a synthetic month less 80)."""
    month = int(number[2:4])
    if month > _SYNTHETIC_MONTH:
        number = number[:2] + f"{month - _SYNTHETIC_MONTH:02d}" + number[4:]
    return fodselsnummer.get_birth_date(number)


def system_of(number: str) -> str:
    """The identifier system of a valid number: a D-nummer has 40 added to the day."""
    return DNR_SYSTEM if int(number[0]) >= 4 else FNR_SYSTEM


def spaced(number: str) -> str:
    """A number as people write it: the date part, a space, the personal number (DDMMYY NNNNN)."""
    return f"{number[:6]} {number[6:]}"


def synthetic(day: int, month: int, year: int, serial: int) -> str:
    """A synthetic fødselsnummer (month + 80) with correct check digits, for demo data and tests.
    `serial` (0-499 for people born 1900-1999, 500-999 from 2000) picks one of the numbers."""
    base = f"{day:02d}{month + _SYNTHETIC_MONTH:02d}{year % 100:02d}{serial:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    second = fodselsnummer.calc_check_digit2(base + first)
    if "10" in (first, second):  # no check digit fits this serial: use the next one
        return synthetic(day, month, year, serial + 1)
    return base + first + second
