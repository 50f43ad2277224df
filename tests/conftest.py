"""Shared fixtures: an app on a fresh migrated database with the demo data, a client, and ways to
sign in as a demo person.

The database is a SQLite file, or with TEST_DATABASE_URL=postgresql://... a schema of its own on
that PostgreSQL server (`make test` runs the suite both ways)."""
from __future__ import annotations

import atexit
import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
import time_machine
from psycopg import sql
from sqlalchemy.engine import make_url

from portal import create_app, database
from portal.clock import NORWAY, now
from portal.demo import DEMO_STAFF, create_demo_patients

TODAY = "2026-03-10"
PASSWORD = "en lang setning som passord"
# Forms carry CSRF tokens in real use (tests/test_security.py checks that); here they are off so
# tests can post forms directly. Argon2's cheapest profile keeps hundreds of sign-ins fast.
TEST_CONFIG = {"TESTING": True, "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_CHEAP": True,
               "RATELIMIT_ENABLED": False}


@pytest.fixture(scope="session", autouse=True)
def on_the_day_of_the_tests():
    """Every test runs on TODAY, from noon in Norway on, with the clock ticking: pages, stored
    moments and the engine's today all agree, as in real use."""
    with time_machine.travel(datetime.combine(date.fromisoformat(TODAY), time(12), NORWAY), tick=True):
        yield


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@functools.cache
def _postgres_admin() -> psycopg.Connection:
    """One connection that creates and drops the test schemas, open for the whole run: opening
    one costs about 10 ms (the password exchange), paid twice per test otherwise."""
    connection = psycopg.connect(TEST_DATABASE_URL, autocommit=True)
    # A connection left open by a test must fail the cleanup, not hang the run.
    connection.execute("SET lock_timeout = '10s'")
    atexit.register(connection.close)
    return connection


@contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """The URL of an empty database that nothing else uses, removed afterwards: a SQLite file in
    `folder`, or a new schema on the TEST_DATABASE_URL server. Creating and dropping a schema
    takes about 10 ms and needs no right to create databases; copying a migrated template
    database instead was no faster."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{folder / 'test.sqlite'}"
        return
    name = f"test_{uuid4().hex}"
    schema = sql.Identifier(name)
    _postgres_admin().execute(sql.SQL("CREATE SCHEMA {}").format(schema))
    try:
        # Unqualified names (the app's and Alembic's) resolve to the new schema only.
        url = make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        _postgres_admin().execute(sql.SQL("DROP SCHEMA {} CASCADE").format(schema))


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """An empty database of this test's own (not migrated: `app` does that)."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def app(database_url):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    database.migrate(app)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def demo_links(app) -> dict[str, str]:
    """Demo person's name -> activation link path (patients and staff)."""
    with app.app_context():
        return {name: link for name, _, _, link in create_demo_patients(date.fromisoformat(TODAY))}


@pytest.fixture
def client(app):
    return app.test_client()


def activate(client, link: str, username: str | None = None, password: str = PASSWORD):
    """Follow an activation link and choose a password (and a username, for a patient)."""
    assert client.get(link).status_code == 302
    data = {"password": password, "confirm": password}
    if username:
        data["username"] = username
    response = client.post("/activate/password", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def sign_in(app, demo_links):
    """sign_in(name) -> a client signed in as that demo person (activated on first use)."""
    # Staff keep the username the admin gave them; a patient chooses one when activating.
    usernames: dict[str, str] = {name: username for name, username, *_ in DEMO_STAFF}
    activated: set[str] = set()

    def sign_in_as(name: str):
        client = app.test_client()
        if name not in activated:
            usernames.setdefault(name, name.split(maxsplit=1)[0].lower().replace("ø", "o") + ".test")
            activate(client, demo_links[name], usernames[name])
            activated.add(name)
            return client
        response = client.post("/login", data={"username": usernames[name], "password": PASSWORD})
        assert response.status_code == 302
        return client

    return sign_in_as


@pytest.fixture
def clock():
    """clock(**timedelta arguments) moves time forward (or back), for the portal and the test alike."""
    with time_machine.travel(now(), tick=True) as traveller:
        yield lambda **delta: traveller.shift(timedelta(**delta))
