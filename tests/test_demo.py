"""`flask --app portal demo`, which gives people trying the portal someone to be: it makes the
demo people once and prints a working activation link for each of them, every time it runs; the
first time, also the token of the cancer unit's system. The other tests do not use the demo data
(tests/support/world.py has their own cast)."""
from __future__ import annotations

import re

from portal import database
from portal.auth.clients import client_from_request
from portal.imports import held_for

from .support.pages import find
from .support.world import PASSWORD

LINK = re.compile(r"http://demo\.example(/t/[0-9A-Z-]+)$")  # at the end of each person's line
TOKEN = re.compile(r" api-client .* (forlop_\S+)$")  # at the end of the system's line


def printed(app) -> tuple[list[str], list[str]]:
    """The activation links and the API tokens `flask demo` prints, one a line."""
    result = app.test_cli_runner().invoke(args=["demo", "--base-url", "http://demo.example"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    tokens = [TOKEN.search(line).group(1) for line in lines if TOKEN.search(line)]
    links = [LINK.search(line).group(1) for line in lines if not TOKEN.search(line)]
    assert len(links) + len(tokens) == len(lines)
    return links, tokens


def printed_links(app) -> list[str]:
    return printed(app)[0]


def test_the_cancer_units_system_gets_a_token_once_and_an_event_waits_for_a_person(make_app):
    app = make_app(cast=False)
    _, (token,) = printed(app)
    with app.test_request_context(headers={"Authorization": f"Bearer {token}"}):
        db = database.session()
        system = client_from_request(db)
        assert system.name == "DIPS Brystdiagnostisk senter (demo)"
        (waiting,) = held_for(db, system.unit_id)
        assert waiting.received_from == system.display_name
    assert printed(app)[1] == []  # the token is not kept, and the system is not made twice


def test_every_demo_person_gets_a_working_activation_link(make_app):
    app = make_app(cast=False)
    links = printed_links(app)
    assert len(links) > 10  # patients, staff of every unit and an admin
    for number, link in enumerate(links):
        person = app.test_client()
        assert person.get(link).headers["Location"] == "/activate/password"
        form = person.get("/activate/password")
        data = {"password": PASSWORD, "confirm": PASSWORD}
        if find(form, "#field-username"):  # patients choose theirs; staff have one from the admin
            data["username"] = f"demo.person{number}"
        chosen = person.post("/activate/password", data=data)
        assert chosen.status_code == 302, (link, chosen.status_code)
        assert person.get("/account").status_code == 302 and not person.get("/account").location.startswith("/login")

    again = printed_links(app)  # new codes for the same people, none of them made twice
    assert len(again) == len(links) and not set(again) & set(links)
