"""The job worker, with huey: its queue in SQLite (one machine, the default) or in Redis (several
app servers); `memory://` runs each job at once in the process that queues it (the tests).

`huey_consumer portal.worker.queue` runs the worker (make run starts one). A message is put on the
queue once the save that made it is committed; each minute a sweep hands over what has come due
(after quiet hours, a retry, or a hand-over lost with a crash), so the outbox in the database,
not the queue, is what counts (portal.notifications.sending). The daily job runs at 06:00 UTC
(07:00 or 08:00 in Norway) and also computes every unit's figures again (portal.figures);
`flask jobs daily` runs it by hand."""
from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

from . import database
from .clock import today
from .database import private_file
from .figures.store import refresh
from .notifications.daily import run_daily
from .notifications.sending import deliver, due


@dataclass
class Jobs:
    queue: Huey
    deliver: TaskWrapper
    send_due: TaskWrapper
    daily: TaskWrapper

    def deliver_soon(self, notification_ids: list[int]) -> None:
        """Hand messages to the worker. If the queue cannot take them now, the sweep will."""
        for notification_id in notification_ids:
            try:
                self.deliver(notification_id)
            except Exception:  # the queue's store is down: nothing is lost, the outbox keeps it
                current_app.logger.exception("Could not queue notification %s; the sweep will", notification_id)
                return


def _queue(url: str) -> Huey:
    if url == "memory://":
        return Huey("forlop", immediate=True, results=False)
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("forlop", url=url, results=False)
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        private_file(path)  # the queue names messages to people
        return SqliteHuey("forlop", filename=path, results=False)
    raise ValueError(f"JOB_QUEUE_URL: not memory://, redis://… or sqlite:///…: {url}")


def init_app(app: Flask) -> None:
    queue = _queue(app.config["JOB_QUEUE_URL"])

    @queue.task(name="deliver")
    def deliver_one(notification_id: int) -> None:
        with app.app_context():
            deliver(database.session(), notification_id)

    # Every worker's scheduler queues the periodic jobs: a lock keeps two copies from running at once.
    @queue.periodic_task(crontab(minute="*"), name="send-due")
    @queue.lock_task("send-due")
    def send_due() -> None:
        with app.app_context():
            for notification_id in due(database.session()):
                deliver_one(notification_id)

    @queue.periodic_task(crontab(minute="0", hour="6"), name="daily")
    @queue.lock_task("daily")
    def daily() -> None:
        with app.app_context():
            app.logger.info("Daily job queued %s", _run_daily())

    app.extensions["jobs"] = Jobs(queue, deliver_one, send_due, daily)
    app.cli.add_command(jobs_command)


@click.group("jobs")
def jobs_command():
    """The job worker's work, run by hand."""


@jobs_command.command("daily")
def daily_command():
    """Queue today's messages and compute the units' figures now (the worker does it each morning)."""
    click.echo(", ".join(f"{topic}: {count}" for topic, count in _run_daily().items()))


def _run_daily() -> dict[str, int]:
    """The day's messages, and every unit's figures computed again (portal.figures)."""
    db = database.session()
    counts = run_daily(db, today())
    counts["figures"] = refresh(db, current_app.extensions["library"], today())
    db.commit()
    return counts
