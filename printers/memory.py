"""In-memory printers for tests: ``memory:NAME`` keeps every job in a module registry.

    printer = memory_printer("kiosk")
    printer.status = replace(PrinterStatus.ready(), paper_out=True)  # next jobs refused
    printer.fail_open = True       # connecting fails: PrinterUnavailable
    printer.fail_mid_job = True    # half the bytes arrive, then DeliveryDoubtful
    printer.status_after_send = ...  # status reported once a job was received
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from printers.drivers.base import Driver
from printers.errors import DeliveryDoubtful, PrinterUnavailable
from printers.status import PrinterStatus


@dataclass
class MemoryPrinter:
    name: str
    jobs: list[bytes] = field(default_factory=list)
    partial_jobs: list[bytes] = field(default_factory=list)
    status: PrinterStatus | None = field(default_factory=PrinterStatus.ready)
    status_after_send: PrinterStatus | None = None
    fail_open: bool = False
    fail_mid_job: bool = False
    status_queries: int = 0


_registry: dict[str, MemoryPrinter] = {}
_lock = threading.Lock()


def memory_printer(name: str = "default") -> MemoryPrinter:
    """The memory printer called ``name`` (created on first use)."""
    with _lock:
        return _registry.setdefault(name, MemoryPrinter(name))


def reset_memory_printers() -> None:
    with _lock:
        _registry.clear()


class MemoryDriver(Driver):
    printer: MemoryPrinter

    def open(self) -> None:
        self.printer = memory_printer(self.config.name or "default")
        if self.printer.fail_open:
            raise PrinterUnavailable(f"memory printer {self.printer.name!r} refused to open")

    def query_status(self) -> PrinterStatus | None:
        if not self.config.status:
            return None
        with _lock:
            self.printer.status_queries += 1
            return self.printer.status

    def send(self, data: bytes) -> None:
        self.sending_started = True
        with _lock:
            if self.printer.fail_mid_job:
                self.printer.partial_jobs.append(bytes(data[: len(data) // 2]))
                raise DeliveryDoubtful(f"memory printer {self.printer.name!r} dropped the "
                                       "connection mid-job")
            self.printer.jobs.append(bytes(data))
            if self.printer.status_after_send is not None:
                self.printer.status = self.printer.status_after_send

    def close(self) -> None:
        pass
