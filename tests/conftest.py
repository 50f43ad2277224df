"""Shared fixtures: apps on databases of their own (a copy of a migrated template, with the
standard cast of tests/support/world.py or empty), one read-only app that reading tests share,
clients, signing in as anyone in the cast, and the clock.

The databases are SQLite files, or with TEST_DATABASE_URL=postgresql://... databases on that
server (`make test` runs the suite both ways); see tests/support/databases.py."""
from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import Engine, event, select

from portal import database
from portal.clock import NORWAY, now
from portal.models import Account

from .support import factories
from .support.databases import TEST_DATABASE_URL, Databases, app_on
from .support.messages import Mailbox
from .support.people import login
from .support.world import TODAY, USERNAMES, build_cast


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass runs only the tests whose outcome the database could change. The others
    would repeat the SQLite pass's run unchanged: those that reach no database (the engine,
    content, public pages and their PDFs), and the browser tests, which check what a person meets
    in Chromium (axe-core, layout, keyboard, pages without JavaScript), while every page's work
    with the database is tested on both databases through the test client."""
    if not TEST_DATABASE_URL:
        return
    elsewhere = [item for item in items
                 if "databases" not in item.fixturenames or item.get_closest_marker("no_database")
                 or item.get_closest_marker("browser")]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        left_out = set(elsewhere)
        items[:] = [item for item in items if item not in left_out]


@pytest.fixture(autouse=True)
def _reaches_no_database(request):
    """A test marked no_database must not run a single SQL statement (it is left out of the
    PostgreSQL pass on that promise)."""
    if request.node.get_closest_marker("no_database") is None:
        yield
        return
    statements = []

    def record(_connection, _cursor, statement, *_):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert not statements, f"marked no_database, but it ran SQL: {statements[:3]}"


@pytest.fixture(scope="session", autouse=True)
def on_the_day_of_the_tests():
    """Every test runs on TODAY, from noon in Norway on, with the clock ticking: pages, stored
    moments and the engine's today all agree, as in real use."""
    with time_machine.travel(datetime.combine(TODAY, time(12), NORWAY), tick=True):
        yield


def _migrated(url: str, cast: bool) -> None:
    with app_on(url) as app:
        database.migrate(app)
        if cast:
            with app.app_context():
                build_cast(database.session(), app.extensions["library"])


@pytest.fixture(scope="session")
def databases(tmp_path_factory, on_the_day_of_the_tests):
    """This run's databases, and its two templates, each built once: "empty" (migrated) and
    "cast" (migrated, with the standard cast)."""
    databases = Databases(tmp_path_factory.mktemp("databases"))
    databases.template("empty", lambda url: _migrated(url, cast=False))
    databases.template("cast", lambda url: _migrated(url, cast=True))
    yield databases
    databases.close()


@pytest.fixture
def database_url(databases):
    """An empty database of this test's own, not migrated (`make_app` gives migrated ones)."""
    with databases.empty() as url:
        yield url


@pytest.fixture
def make_app(databases):
    """make_app(cast=True, **config) -> an app on a database of its own: a copy of the migrated
    template with the standard cast (or, with cast=False, of the empty one), its config
    overridden by `config`. For tests that write; removed after the test."""
    with ExitStack() as stack:
        def make(cast: bool = True, **config):
            url = stack.enter_context(databases.copy("cast" if cast else "empty"))
            return stack.enter_context(app_on(url, **config))

        yield make


@pytest.fixture
def mailbox():
    """A real SMTP server on loopback that keeps what it receives (tests/support/messages.py)."""
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def app(make_app):
    """The portal on a copy of the standard cast's database, for this test alone."""
    return make_app()


@pytest.fixture
def mailing_app(make_app, mailbox):
    """`app`, sending its e-mail to `mailbox`: for tests where someone reads what was sent (an
    activation code goes to its owner's address, never to the screen of whoever made it)."""
    return make_app(SMTP_PORT=mailbox.port)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def read_only_app(databases):
    """The portal on one copy of the standard cast's database, shared by every test that only
    reads without signing in (public pages, the API, PDFs of the pathways). Its database refuses
    writes: a test that writes fails, and belongs on `app`."""
    with databases.copy("cast") as url, app_on(url, read_only=True) as app:
        yield app


@pytest.fixture
def read_only_client(read_only_app):
    return read_only_app.test_client()


@pytest.fixture
def sign_in(app):
    """sign_in(name) -> a new client logged in as that person of the cast, through the login form."""
    def sign_in_as(name: str):
        client = app.test_client()
        response = login(client, USERNAMES[name])
        assert response.status_code == 302, (name, response.status_code)
        return client

    return sign_in_as


@pytest.fixture
def activation_link(app):
    """activation_link(name) -> the path of an activation link for that person of the cast, as if
    they had never activated their account: following it, they choose a username and a password."""
    def link_for(name: str) -> str:
        with app.app_context():
            db = database.session()
            account = db.scalar(select(Account).where(Account.display_name == name))
            code = factories.activation_code(db, account, first_time=True)
            db.commit()
        return f"/t/{code}"

    return link_for


@pytest.fixture
def clock():
    """clock(**timedelta arguments) moves time forward (or back), for the portal and the test alike."""
    with time_machine.travel(now(), tick=True) as traveller:
        yield lambda **delta: traveller.shift(timedelta(**delta))
