"""The database, the instance folder and the file printer's printouts are for this user only,
whatever the process umask."""

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import JobStatus, PrintJob
from app.services.print_worker import PrintWorker
from tests.conftest import csrf_from
from tests.factories import registration


@pytest.fixture
def permissive_umask():
    """The widest umask there is: nothing may depend on the umask taking bits away."""
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def register(client):
    token = csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))
    resp = client.post("/kiosk/register", data={**registration(), "csrf_token": token})
    assert resp.status_code == 200


def sqlite_file(app) -> Path | None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    return Path(uri.removeprefix("sqlite:///")) if uri.startswith("sqlite:///") else None


def test_database_instance_folder_and_printouts_are_private(make_app, tmp_path, permissive_umask):
    printouts = tmp_path / "slips" / "printouts"
    app = make_app(PRINTER_URL=f"file://{printouts}")
    client = app.test_client()
    register(client)
    with app.app_context():
        assert PrintWorker().run_once() == 1
        assert db.session.scalars(select(PrintJob)).one().status == JobStatus.PRINTED

    if (database := sqlite_file(app)) is not None:
        with app.app_context(), db.engine.connect():  # an open connection keeps -wal and -shm
            companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
            assert all(p.exists() for p in companions)
            for path in (database, *companions):
                assert oct(mode(path)) == "0o600", path
    files = sorted(printouts.iterdir())
    assert [f.suffix for f in files] == [".bin", ".txt"]
    for path in files:
        assert oct(mode(path)) == "0o600", path
    assert oct(mode(printouts)) == "0o700"
    instance = Path(app.instance_path)
    assert instance.is_dir() and oct(mode(instance)) == "0o700"


def test_existing_world_readable_files_are_made_private(make_app, tmp_path, database_url, permissive_umask):
    instance = Path(os.environ["LINGGONG_INSTANCE_PATH"])
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)
    printouts = tmp_path / "printouts"
    printouts.mkdir()
    os.chmod(printouts, 0o775)
    database = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
    if database is not None:
        database.touch()
        os.chmod(database, 0o644)

    app = make_app(PRINTER_URL=f"file://{printouts}")
    register(app.test_client())
    with app.app_context():
        assert PrintWorker().run_once() == 1
    if database is not None:
        assert oct(mode(database)) == "0o600"
    assert oct(mode(instance)) == "0o700" and oct(mode(printouts)) == "0o700"


def test_a_folder_of_someone_else_is_left_alone_but_the_files_are_private(tmp_path, permissive_umask):
    """file:///tmp is the operator's choice: the folder is not ours to change."""
    from printers import PrinterConfig, deliver, parse_printer_url, render
    from printers.receipt import Receipt, Text

    config: PrinterConfig = parse_printer_url("file:///tmp")
    before = mode(Path("/tmp"))
    deliver(config, render(Receipt(items=[Text("测试")]), config), f"perm-test-{os.getpid()}")
    written = sorted(Path("/tmp").glob(f"*-perm-test-{os.getpid()}.*"))
    try:
        assert [p.suffix for p in written] == [".bin", ".txt"]
        assert [oct(mode(p)) for p in written] == ["0o600", "0o600"]
        assert mode(Path("/tmp")) == before
    finally:
        for path in written:
            path.unlink()
