"""The portal works when installed as a package, not only from this checkout: its templates,
static files, pathway content, translations and migrations travel inside the package."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run by the installed copy, away from the checkout: it serves the pages a visitor reads first.
SERVE = """
import sys
from pathlib import Path
import portal
from portal import create_app, database

assert Path(portal.__file__).is_relative_to(sys.argv[1]), portal.__file__
app = create_app({"DATABASE_URL": "sqlite:///" + sys.argv[2], "SECRET_KEY": "test-only"})
database.migrate(app)
client = app.test_client()
for path in ("/", "/pathways/cancer-breast?lang=nn", "/static/style.css", "/pathways/hph.pdf"):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
assert 'lang="nb"' in client.get("/").get_data(as_text=True)
assert "brystkreft" in client.get("/?q=bryst").get_data(as_text=True)
print("served")
"""


def test_the_installed_package_serves_its_pages(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(ROOT)],
                   check=True, capture_output=True)
    environment = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", SERVE, str(target), str(tmp_path / "installed.sqlite")],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "served"


def test_the_lock_file_pins_every_dependency_as_pyproject_does():
    """requirements.lock holds one exact version of every package, and each pin pyproject.toml
    makes is the same there: an audit of the lock file is an audit of what runs."""
    locked = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[name.lower().replace("_", "-")] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = project["dependencies"] + [pin for extra in project["optional-dependencies"].values() for pin in extra]
    for pin in pins:
        name, version = pin.split("==")
        assert locked.get(name.split("[")[0].lower().replace("_", "-")) == version, pin
