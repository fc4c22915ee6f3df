"""Serial printers (RS-232 or USB-serial adapters) through python-escpos ``Serial``."""

from __future__ import annotations

from escpos.printer import Serial

from printers.drivers.base import EscposDriver


class SerialDriver(EscposDriver):
    def make_printer(self) -> Serial:
        return Serial(self.config.device, baudrate=self.config.baud,
                      timeout=self.config.timeout)

    def after_open(self) -> None:
        # Without a write timeout a printer holding the handshake line blocks forever.
        self.printer.device.write_timeout = self.config.timeout

    def send_timeout(self, size: int) -> float:
        # 10 bits per byte on the wire; allow for the printer pausing the line.
        rate = min(self.config.baud / 10 * 0.5, self.slowest_bytes_per_second)
        return self.config.timeout + size / rate

    def set_send_timeout(self, seconds: float | None) -> None:
        self.printer.device.write_timeout = seconds or self.config.timeout

    def read_reply(self) -> bytes:
        # read(16) would wait for 16 bytes or the timeout; a reply is one byte.
        device = self.printer.device
        first = device.read(1)
        rest = device.read(device.in_waiting) if first and device.in_waiting else b""
        return bytes(first + rest)
