"""The built wheel holds everything the app needs to run: the templates (the top-level
kiosk_templates/), the static files and the migrations; the app installed from it serves pages.

Built offline from a copy of the source tree (no build/ or egg-info left in the checkout).
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "instance", "test-artifacts", "build", "*.egg-info",
                                    "__pycache__", ".pytest_cache", ".ruff_cache", "tests", "bench")

# Run with the unpacked wheel first on sys.path, from an empty folder: the app as installed.
RUN_FROM_WHEEL = """
import json, sys
import app
from app import create_app
from app.extensions import db

flask_app = create_app(json.loads(sys.argv[1]))
with flask_app.app_context():
    db.create_all()
client = flask_app.test_client()
kiosk, css = client.get("/kiosk/"), client.get("/static/kiosk.css")
print(json.dumps({"module": app.__file__, "templates": flask_app.jinja_loader.searchpath,
                  "kiosk": [kiosk.status_code, kiosk.get_data(as_text=True)],
                  "css": [css.status_code, len(css.data)]}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, work / "src", ignore=NOT_SOURCE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(work / "src"), "--no-deps",
                    "--no-build-isolation", "--no-index", "--quiet", "-w", str(work / "dist")],
                   check=True, cwd=work)
    (built,) = (work / "dist").glob("linggong_hall-*.whl")
    return built


def files_under(folder: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_the_wheel_holds_every_template_static_file_and_migration(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("kiosk_templates", "app/static", "app/migrations"):
        wanted = files_under(folder)
        assert wanted, folder
        assert not wanted - names, f"missing from the wheel: {sorted(wanted - names)}"
    assert not any(n.startswith(("tests/", "bench/", "instance/")) for n in names)


def test_the_app_runs_from_the_installed_wheel(wheel, tmp_path):
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'hall.sqlite3'}",
              "PRINTER_URL": "memory:wheel", "PUBLIC_BASE_URL": "http://hall.test",
              "SECRET_KEY": "k", "PII_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
              "PII_HASH_KEY": "0f" * 32}
    env = {**os.environ, "PYTHONPATH": str(installed), "LINGGONG_INSTANCE_PATH": str(tmp_path / "instance")}
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    run = subprocess.run([sys.executable, "-c", RUN_FROM_WHEEL, json.dumps(config)], cwd=empty, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["module"].startswith(str(installed)), seen["module"]  # not the checkout
    assert all(path.startswith(str(installed)) for path in seen["templates"]), seen["templates"]
    status, html = seen["kiosk"]
    assert status == 200 and "我要找活" in html and "我要招工" in html
    assert seen["css"][0] == 200 and seen["css"][1] > 1000
