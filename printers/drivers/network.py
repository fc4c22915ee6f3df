"""TCP printers (port 9100, "raw" / JetDirect) through python-escpos ``Network``."""

from __future__ import annotations

from escpos.printer import Network

from printers.drivers.base import EscposDriver, NoReply


class NetworkDriver(EscposDriver):
    def make_printer(self) -> Network:
        # escpos waits 60 s by default; config.timeout bounds connect, send and receive.
        return Network(self.config.host, port=self.config.port or 9100,
                       timeout=self.config.timeout)

    def set_send_timeout(self, seconds: float | None) -> None:
        self.printer.device.settimeout(seconds or self.config.timeout)

    def read_reply(self) -> bytes:
        try:
            reply = self.printer.device.recv(16)
        except TimeoutError:
            raise NoReply(f"no status reply within {self.config.timeout:g} s") from None
        if not reply:
            raise NoReply("the printer closed the connection")
        return bytes(reply)
