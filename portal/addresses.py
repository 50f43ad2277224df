"""What an address (or a form) carries that the portal acts on: where to go next, and numbers.
People, browsers and scanners send anything. These are the one check of a redirect target and
the one reading of a number, so that a line break never reaches a header and a digit other than
0-9 never reaches int() or the database."""
from __future__ import annotations

import unicodedata

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, ValidationError

# The largest id a database integer column holds (PostgreSQL's integer, and SQLite's too).
LARGEST_ID = 2**31 - 1


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: a `next` address cannot send people
    elsewhere ("//host", "https://host", "/\\host", which browsers read as "//host") nor put a line
    break in the Location header. Control characters are refused too: browsers drop a tab or a
    line break inside an address, so "/\\t/host" would reach them as "//host"."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(unicodedata.category(character) == "Cc" for character in target)):
        return default
    return target


def whole_number(text: str | None, smallest: int = 1, largest: int = LARGEST_ID) -> int | None:
    """The number `text` writes with the digits 0-9, if it lies from `smallest` to `largest`; else
    None. int() alone takes "٣", " 7" and "1_0" too, and refuses "²", which str.isdigit() lets by."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(largest)):
        return None
    number = int(text)
    return number if smallest <= number <= largest else None


class BadNumber(BadRequest):
    """A parameter of the address that should be a number and is not: the error page names it."""

    def __init__(self, name: str):
        super().__init__(_("The value of “%(name)s” in the address is not a number we can use.", name=name))


def numbers_asked(name: str) -> list[int]:
    """Every value of the query parameter `name`, as ids without repeats; one that is not an id is
    refused with 400 (BadNumber)."""
    numbers = [whole_number(value) for value in request.args.getlist(name)]
    if None in numbers:
        raise BadNumber(name)
    return list(dict.fromkeys(numbers))


class IdConverter(IntegerConverter):
    """`<int:...>` in a route: an id written with 0-9 within what the database holds. Werkzeug's own
    also matches "٣" (its pattern is \\d) and numbers no column holds; those are simply not found."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = whole_number(value)
        if number is None:
            raise ValidationError()
        return number
