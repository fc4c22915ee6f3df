"""Writes each job to ``<dir>/<timestamp>-<job>.bin`` plus a readable ``.txt`` transcript.

For demos and for printing by hand (``cat job.bin > /dev/usb/lp0``). The transcript is
decoded from the very bytes written, so it shows what the printer would get.

Slips carry personal data: the folder is created 0700 and every file 0600, whatever the
process umask. An existing folder this user owns loses its group and other permissions; one
that belongs to someone else, or a shared one with the sticky bit (``file:///tmp``), is left
as it is.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import datetime
from pathlib import Path

from escpos.printer import File

from printers.decode import decode, describe
from printers.drivers.base import EscposDriver


def safe_job_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:60] or "job"


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, mode=PRIVATE_DIR)
        os.chmod(directory, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    except FileExistsError:
        info = directory.stat()
        if info.st_uid == os.geteuid() and not info.st_mode & stat.S_ISVTX \
                and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(directory, stat.S_IMODE(info.st_mode) & 0o700)


def open_private(path: Path, *, exclusive: bool) -> int:
    """A file descriptor for writing ``path``, which is created 0600 (never through a symlink)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        os.close(fd)
        raise
    return fd


class FileDriver(EscposDriver):
    def make_printer(self) -> File:
        directory = Path(self.config.directory or ".")
        private_directory(directory)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        base = f"{stamp}-{safe_job_name(self.job_name)}"
        path, counter = directory / f"{base}.bin", 1
        while True:
            if not path.with_suffix(".txt").exists():
                try:  # created here, 0600; python-escpos then opens it with "wb"
                    os.close(open_private(path, exclusive=True))
                    break
                except FileExistsError:
                    pass
            path = directory / f"{base}-{counter}.bin"
            counter += 1
        return File(str(path))

    def query_status(self) -> None:
        return None

    def send(self, data: bytes) -> None:
        super().send(data)
        with self.transport("writing the transcript"):
            transcript = Path(self.printer.devfile).with_suffix(".txt")
            with os.fdopen(open_private(transcript, exclusive=False), "w", encoding="utf-8") as fh:
                fh.write(describe(decode(data)))
