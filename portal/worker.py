"""What the job worker runs: `huey_consumer portal.worker.queue` (see portal.jobs). The portal's
settings come from the environment, as for the web servers."""
from . import create_app

app = create_app()
queue = app.extensions["jobs"].queue
