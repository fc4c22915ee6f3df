"""Send one job to one printer, with status checks before and after."""

from __future__ import annotations

import time

from printers.config import PrinterConfig
from printers.drivers.base import Driver
from printers.drivers.file import FileDriver
from printers.drivers.network import NetworkDriver
from printers.drivers.serial import SerialDriver
from printers.drivers.usb import UsbDriver
from printers.errors import DeliveryDoubtful, PrinterConfigError, PrinterUnavailable
from printers.memory import MemoryDriver
from printers.status import PrinterStatus

DRIVERS: dict[str, type[Driver]] = {
    "tcp": NetworkDriver,
    "usb": UsbDriver,
    "serial": SerialDriver,
    "file": FileDriver,
    "memory": MemoryDriver,
}


def make_driver(config: PrinterConfig, job_name: str = "job") -> Driver:
    """A fresh driver (python-escpos objects fail forever after one failed open)."""
    try:
        cls = DRIVERS[config.scheme]
    except KeyError:
        raise PrinterConfigError(f"no printer driver for scheme {config.scheme!r}") from None
    return cls(config, job_name)


def deliver(config: PrinterConfig, data: bytes, job_name: str = "job",
            print_seconds: float = 0.0) -> PrinterStatus | None:
    """Send ``data`` as one job. Returns only when the job is believed printed, with the
    status read after it (None when the printer does not report one): paper near its end
    is a warning, not a failure.

    "Sent" is not "printed": a physical printer is given ``print_seconds`` (the time the
    paper takes to come out) before its status is read, so that paper running out during
    the slip, or a printer that stopped, is noticed before the job is called printed.

    Raises PrinterUnavailable (nothing sent, retry later), DeliveryDoubtful (sent, but
    the outcome is uncertain: reprint marked 补打) or PrinterConfigError.
    """
    driver = make_driver(config, job_name)
    try:
        driver.open()
        before = driver.query_status()
        if before is not None and not before.ok:
            raise PrinterUnavailable(f"{driver.describe()}: printer reports {before.problem}",
                                     status=before)
        driver.send(data)
        if config.physical and print_seconds > 0:
            time.sleep(print_seconds)
        after = driver.query_status()
        if after is not None and not after.ok:
            raise DeliveryDoubtful(f"{driver.describe()}: after the job the printer reports "
                                   f"{after.problem}", status=after)
        return after
    finally:
        driver.close()


def check_status(config: PrinterConfig) -> PrinterStatus | None:
    """The printer's status for a "test printer" button; None when it cannot report one.

    Raises PrinterUnavailable when the printer cannot be reached or does not answer.
    """
    driver = make_driver(config, "status")
    try:
        driver.open()
        return driver.query_status()
    finally:
        driver.close()
