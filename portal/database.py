"""The database: one engine per app, one session per request, schema by Alembic migrations."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def private_file(path: str) -> None:
    """Make a SQLite file (and its folder) that only the portal's own user can read: it holds
    health data. SQLite gives its -wal and -shm files the same mode."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def _engine_for(url: str):
    if url.startswith("sqlite:///"):
        private_file(url.removeprefix("sqlite:///"))
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL is crash-safe for the application; it skips an fsync per commit,
            # which every page view pays for its audit-log row.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    engine = _engine_for(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessions"] = sessionmaker(engine, expire_on_commit=False)

    @app.teardown_appcontext
    def close_session(_exc):
        session = g.pop("db", None)
        if session is not None:
            session.close()


def session() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["db_sessions"]()
    return g.db


def discard_changes() -> None:
    """Roll back this request's transaction, if it has one: after a failed flush the session
    refuses every query, even the ones an error page makes."""
    db = g.get("db")
    if db is not None:
        db.rollback()


def migrate(app: Flask) -> None:
    """Bring the schema up to the newest migration."""
    run_migrations(app.extensions["db_engine"], "head")


def run_migrations(engine: Engine, revision: str, down: bool = False) -> None:
    """Upgrade (or downgrade) the schema to `revision`.

    On SQLite, Alembic changes a table by copying it, and dropping the old copy breaks foreign keys
    that point to it; so enforcement is off while migrating, the result is checked, and it is back
    on before the connection returns to the pool."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # ends the autobegun transaction; the pragma is only read outside one
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, revision)
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise RuntimeError(f"Migration to {revision} left rows whose references are missing: {broken}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
