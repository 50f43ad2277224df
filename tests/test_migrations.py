"""The Alembic migrations: they build what the models describe, and go down and up again, on
whichever database the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portal import create_app, database
from portal.models import Base


def test_migrations_build_the_models_and_keep_existing_rows(database_url):
    engine = create_app({"TESTING": True, "DATABASE_URL": database_url}).extensions["db_engine"]
    try:
        database.run_migrations(engine, "0001")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO patient (display_name, preferred_language, is_demo, created_at) "
                                    "VALUES ('Test', 'nb', false, :at)"), {"at": datetime(2026, 3, 1)})
            connection.execute(text("INSERT INTO enrolment (patient_id, pathway_id, created_at) "
                                    "SELECT id, 'hph', :at FROM patient"), {"at": datetime(2026, 3, 1)})
        database.run_migrations(engine, "head")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT version FROM enrolment")) == 1  # 0002 on a filled table
            assert connection.execute(text("SELECT display_name, large_print FROM patient")).one() == ("Test", False)
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        with pytest.raises(IntegrityError), engine.begin() as connection:  # references are checked again
            connection.execute(text("INSERT INTO enrolment (patient_id, pathway_id, created_at, version) "
                                    "VALUES (999, 'hph', :at, 1)"), {"at": datetime(2026, 3, 1)})
        database.run_migrations(engine, "base", down=True)
        assert inspect(engine).get_table_names() == ["alembic_version"]
        database.run_migrations(engine, "head")
        assert set(inspect(engine).get_table_names()) == {"alembic_version", *Base.metadata.tables}
    finally:
        engine.dispose()


def test_moments_in_the_history_say_they_are_utc_and_wall_times_stay_as_written(database_url):
    engine = create_app({"TESTING": True, "DATABASE_URL": database_url}).extensions["db_engine"]
    change = ('{"starts_at": "2026-03-12T09:30:00", "cancelled_at": "2026-03-10T09:15:00.123456", '
              '"what": "MR"}')
    try:
        database.run_migrations(engine, "0005")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO change (at, by, patient_id, version, subject, action, after) "
                                    "VALUES (:at, 'Test', 1, 1, 'appointment', 'cancelled', :after)"),
                               {"at": datetime(2026, 3, 10, 9, 15), "after": change})
        database.run_migrations(engine, "head")
        with engine.connect() as connection:
            after = json.loads(connection.scalar(text("SELECT after FROM change")))
        assert after == {"starts_at": "2026-03-12T09:30:00", "cancelled_at": "2026-03-10T09:15:00.123456+00:00",
                         "what": "MR"}
        database.run_migrations(engine, "0005", down=True)
        with engine.connect() as connection:
            assert json.loads(connection.scalar(text("SELECT after FROM change"))) == json.loads(change)
    finally:
        engine.dispose()
