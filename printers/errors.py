"""Error types raised by the printers package.

The print worker decides what to do from the type alone:

* ``PrinterUnavailable``: nothing was sent; retry later (back off per printer).
* ``DeliveryDoubtful``: bytes went out but success is uncertain; reprint marked 补打.
* ``JobBroken``: the job can never print as built; do not retry.
* ``PrinterConfigError``: the printer URL or its options are wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from printers.status import PrinterStatus


class PrinterError(Exception):
    """Base class for every error about printing a job."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PrinterUnavailable(PrinterError):
    """The printer cannot take the job now; no job byte was sent, so retrying is safe."""

    def __init__(self, reason: str, status: PrinterStatus | None = None) -> None:
        super().__init__(reason)
        self.status = status


class DeliveryDoubtful(PrinterError):
    """Some or all bytes were sent, but it is not certain that the job printed."""

    def __init__(self, reason: str, status: PrinterStatus | None = None) -> None:
        super().__init__(reason)
        self.status = status


class JobBroken(PrinterError):
    """The job itself can never print (unencodable text, image too wide...)."""


class PrinterConfigError(ValueError):
    """A printer URL or one of its options is invalid."""
