"""Writes each job to ``<dir>/<timestamp>-<job>.bin`` plus a readable ``.txt`` transcript.

For demos and for printing by hand (``cat job.bin > /dev/usb/lp0``). The transcript is
decoded from the very bytes written, so it shows what the printer would get.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from escpos.printer import File

from printers.decode import decode, describe
from printers.drivers.base import EscposDriver


def safe_job_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:60] or "job"


class FileDriver(EscposDriver):
    def make_printer(self) -> File:
        directory = Path(self.config.directory or ".")
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        base = f"{stamp}-{safe_job_name(self.job_name)}"
        path = directory / f"{base}.bin"
        counter = 1
        while path.exists() or path.with_suffix(".txt").exists():
            path = directory / f"{base}-{counter}.bin"
            counter += 1
        return File(str(path))

    def query_status(self) -> None:
        return None

    def send(self, data: bytes) -> None:
        super().send(data)
        with self.transport("writing the transcript"):
            Path(self.printer.devfile).with_suffix(".txt").write_text(describe(decode(data)),
                                                         encoding="utf-8")
