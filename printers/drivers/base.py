"""The driver interface and the shared error mapping for python-escpos transports."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from escpos.exceptions import DeviceNotFoundError

from printers.config import PrinterConfig
from printers.errors import DeliveryDoubtful, PrinterError, PrinterUnavailable
from printers.status import STATUS_QUERIES, PrinterStatus, parse_status

try:  # pyusb is optional at runtime; without it there is simply no USB error to catch
    from usb.core import NoBackendError
except ImportError:  # pragma: no cover
    NoBackendError = ValueError  # type: ignore[misc, assignment]

# What python-escpos 3.1 and the OS raise when a transport fails: DeviceNotFoundError when
# opening fails; OSError (timeouts, resets) after; AssertionError when a printer object whose
# open failed is used again; NoBackendError without libusb.
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    DeviceNotFoundError, OSError, AssertionError, NoBackendError,
)


class NoReply(OSError):
    """The printer did not answer a status query in time (or closed the connection)."""


class Driver(ABC):
    """One job's connection to one printer: open, query_status, send, close."""

    def __init__(self, config: PrinterConfig, job_name: str = "job") -> None:
        self.config = config
        self.job_name = job_name
        self.sending_started = False

    @abstractmethod
    def open(self) -> None: ...

    def query_status(self) -> PrinterStatus | None:
        """The printer's status, or None when status is disabled or cannot be read."""
        return None

    @abstractmethod
    def send(self, data: bytes) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def describe(self) -> str:
        return self.config.url or self.config.scheme

    @contextmanager
    def transport(self, action: str) -> Iterator[None]:
        """Map transport exceptions to PrinterUnavailable before any job byte went out,
        and to DeliveryDoubtful after."""
        try:
            yield
        except PrinterError:
            raise
        except TRANSPORT_ERRORS as exc:
            reason = f"{self.describe()}: {action} failed: {type(exc).__name__}: {exc}".strip()
            if self.sending_started:
                raise DeliveryDoubtful(reason) from exc
            raise PrinterUnavailable(reason) from exc


class EscposDriver(Driver):
    """A driver around one python-escpos printer object (Network, Usb, Serial, File)."""

    printer: Any = None

    @abstractmethod
    def make_printer(self) -> Any: ...

    def open(self) -> None:
        with self.transport("opening the connection"):
            self.printer = self.make_printer()
            self.printer.open()
            self.after_open()

    def after_open(self) -> None:
        """Hook for drivers that must adjust the opened device (timeouts, endpoints)."""

    # A printer takes a big job only as fast as it prints (image jobs: tens of KB), so
    # the send timeout grows with the job: config.timeout + len(data) / this rate.
    slowest_bytes_per_second = 5000.0

    def send_timeout(self, size: int) -> float:
        return self.config.timeout + size / self.slowest_bytes_per_second

    def set_send_timeout(self, seconds: float | None) -> None:
        """Hook: apply ``seconds`` to writes (None: back to config.timeout)."""

    def send(self, data: bytes) -> None:
        self.sending_started = True
        with self.transport(f"sending {len(data)} bytes"):
            self.set_send_timeout(self.send_timeout(len(data)))
            self.printer._raw(data)
            self.set_send_timeout(None)

    def read_reply(self) -> bytes:
        """What the printer answered to one status query, waiting at most config.timeout;
        b"" when nothing came."""
        return bytes(self.printer._read())

    def query_status(self) -> PrinterStatus | None:
        if not self.config.status or self.printer is None:
            return None
        replies: dict[int, int] = {}
        with self.transport("reading the printer status"):
            for n, query in STATUS_QUERIES.items():
                self.printer._raw(query)
                reply = self.read_reply()
                if not reply:
                    raise NoReply(f"no reply to DLE EOT {n} within {self.config.timeout:g} s")
                replies[n] = reply[-1]
        return parse_status(replies)

    def close(self) -> None:
        printer, self.printer = self.printer, None
        if printer is None:
            return
        try:
            printer.close()
        except Exception:  # closing must never hide the outcome of the job
            pass
