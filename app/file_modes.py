"""Files with personal data are for this user only: folders 0700, files 0600, whatever the
process umask. (The ``printers`` package, which never imports the app, does the same for
the file printer's printouts.)"""

import logging
import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
log = logging.getLogger(__name__)


def private_dir(path: str | Path) -> None:
    """Create the folder 0700, or take group and other permissions off an existing one."""
    path = Path(path)
    try:
        path.mkdir(parents=True, mode=PRIVATE_DIR)
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    except FileExistsError:
        _tighten(path)
    except OSError as exc:  # e.g. a read-only instance folder that nothing is written to
        log.warning("cannot create %s: %s", path, exc)


def private_file(path: str | Path) -> None:
    """Create an empty file 0600, or take group and other permissions off an existing one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_FILE)
    except FileExistsError:
        _tighten(Path(path))
        return
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def private_sqlite_file(url: str) -> None:
    """A SQLite database file is created 0600 before SQLite opens it. SQLite gives its -wal
    and -shm files the database file's permissions, so they are private too."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite reports the missing folder itself
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion)


def _tighten(path: Path) -> None:
    """Group and other permissions off a file or folder this user owns. Someone else's, and
    shared folders with the sticky bit (/tmp, even when this user is root), are left alone."""
    try:
        info = path.stat()
        if info.st_uid == os.geteuid() and not info.st_mode & stat.S_ISVTX \
                and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError as exc:
        log.warning("cannot make %s private: %s", path, exc)
