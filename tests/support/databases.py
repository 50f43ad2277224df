"""The tests' databases and apps. Each kind of database the tests start from (empty but migrated,
or migrated with the standard cast) is built once per run as a template; a test that writes gets
a copy of its own, which costs a file copy on SQLite and a `CREATE DATABASE ... TEMPLATE` on
PostgreSQL, instead of a migration and the cast's inserts.

The databases are SQLite files, or with TEST_DATABASE_URL=postgresql://... databases of their
own on that server (`make test` runs the suite both ways). The server's user must be allowed to
create databases (the throwaway server of scripts/test-postgres runs as a superuser)."""
from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import psycopg
from flask import Flask
from flask.testing import FlaskClient
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.engine import make_url

from portal import create_app

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Forms carry CSRF tokens in real use (tests/test_security.py checks that); here they are off so
# tests can post forms directly. Argon2's cheapest profile keeps sign-ins fast. Jobs run at once in
# the test's own process (tests/test_notifications.py also runs the real worker).
TEST_CONFIG = {"TESTING": True, "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_CHEAP": True,
               "RATELIMIT_ENABLED": False, "JOB_QUEUE_URL": "memory://"}


class WholeResponses(FlaskClient):
    """A test client that reads each response whole and closes it, as a browser does: a PDF sent
    from a temporary file closes that file at once, not whenever the response is collected."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def new_app(database_url: str, read_only: bool = False, **config) -> Flask:
    """The portal on `database_url` (not migrated here), with TEST_CONFIG and `config`. A
    read-only app's database refuses every write, so a test that shares it cannot change what
    the next test reads."""
    if read_only and TEST_DATABASE_URL:
        database_url = _with_options(database_url, "-cdefault_transaction_read_only=on")
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, **config})
    app.test_client_class = WholeResponses
    if read_only and not TEST_DATABASE_URL:
        @event.listens_for(app.extensions["db_engine"], "connect")
        def _query_only(connection, _record):
            connection.execute("PRAGMA query_only = ON")
    return app


@contextmanager
def app_on(database_url: str, **config) -> Iterator[Flask]:
    """new_app(), its connections closed afterwards (a PostgreSQL database with open
    connections cannot be dropped)."""
    app = new_app(database_url, **config)
    try:
        yield app
    finally:
        app.extensions["db_engine"].dispose()


class Databases:
    """Where this run's databases live: a folder of SQLite files, or the TEST_DATABASE_URL server."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.templates: dict[str, str] = {}
        self._admin = psycopg.connect(TEST_DATABASE_URL, autocommit=True) if TEST_DATABASE_URL else None
        if self._admin:
            # A connection left open by a test must fail the cleanup, not hang the run.
            self._admin.execute("SET lock_timeout = '10s'")

    def template(self, name: str, build: Callable[[str], None]) -> None:
        """Make the template `name`: an empty database that `build(url)` fills (and closes every
        connection to: a template being read cannot be copied on PostgreSQL)."""
        if self._admin:
            database = f"template_{name}_{uuid4().hex[:12]}"
            self._admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            self.templates[name] = database
            build(_on_database(database))
            return
        path = self.folder / f"template-{name}.sqlite"
        build(f"sqlite:///{path}")
        # The copies are plain file copies: everything must be in the main file, not in a WAL.
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
        connection.close()
        self.templates[name] = str(path)

    @contextmanager
    def empty(self) -> Iterator[str]:
        """The URL of an empty database (not migrated) that nothing else uses, removed afterwards."""
        with self._database(None) as url:
            yield url

    @contextmanager
    def copy(self, template: str) -> Iterator[str]:
        """The URL of a new copy of the template `template`, removed afterwards."""
        with self._database(template) as url:
            yield url

    @contextmanager
    def _database(self, template: str | None) -> Iterator[str]:
        name = f"test_{uuid4().hex}"
        if self._admin:
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                # FILE_COPY copies the directory as it is: twice as fast as the default for a
                # database this small, and the server's fsync is off (scripts/test-postgres).
                create += sql.SQL(" TEMPLATE {} STRATEGY FILE_COPY").format(sql.Identifier(self.templates[template]))
            self._admin.execute(create)
            try:
                yield _on_database(name)
            finally:
                self._admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            return
        path = self.folder / f"{name}.sqlite"
        if template:
            shutil.copyfile(self.templates[template], path)
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)

    def close(self) -> None:
        if self._admin:
            for database in self.templates.values():
                self._admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
            self._admin.close()


def _on_database(name: str) -> str:
    """TEST_DATABASE_URL, on the database `name` of its server."""
    return make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)


def _with_options(url: str, options: str) -> str:
    return make_url(url).update_query_dict({"options": options}).render_as_string(hide_password=False)
