"""USB printers through python-escpos ``Usb`` (needs libusb-1.0 on the machine).

Endpoints: ``in_ep``/``out_ep`` options when given, otherwise the first bulk IN and OUT
endpoints of interface 0, otherwise python-escpos's defaults (0x82, 0x01).
Not tested against real hardware.
"""

from __future__ import annotations

from typing import Any

from escpos.printer import Usb

from printers.drivers.base import EscposDriver


def _bulk_endpoints(device: Any) -> tuple[int | None, int | None]:
    import usb.util

    try:
        interface = device.get_active_configuration()[(0, 0)]
    except Exception:  # no active configuration or no interface 0: keep the defaults
        return None, None
    found: dict[int, int] = {}
    for endpoint in interface:
        if usb.util.endpoint_type(endpoint.bmAttributes) != usb.util.ENDPOINT_TYPE_BULK:
            continue
        direction = usb.util.endpoint_direction(endpoint.bEndpointAddress)
        found.setdefault(direction, endpoint.bEndpointAddress)
    return found.get(usb.util.ENDPOINT_IN), found.get(usb.util.ENDPOINT_OUT)


class UsbDriver(EscposDriver):
    def timeout_ms(self) -> int:
        return max(int(self.config.timeout * 1000), 1)

    def make_printer(self) -> Usb:
        # escpos waits forever by default (timeout=0); pyusb counts milliseconds.
        return Usb(self.config.vendor_id, self.config.product_id, timeout=self.timeout_ms(),
                   in_ep=self.config.in_ep or 0x82, out_ep=self.config.out_ep or 0x01)

    def after_open(self) -> None:
        if self.config.in_ep is not None and self.config.out_ep is not None:
            return
        in_ep, out_ep = _bulk_endpoints(self.printer.device)
        if self.config.in_ep is None and in_ep is not None:
            self.printer.in_ep = in_ep
        if self.config.out_ep is None and out_ep is not None:
            self.printer.out_ep = out_ep

    def set_send_timeout(self, seconds: float | None) -> None:
        # escpos passes printer.timeout (milliseconds) to every write.
        self.printer.timeout = int((seconds or self.config.timeout) * 1000)

    def read_reply(self) -> bytes:
        device = self.printer.device
        return bytes(device.read(self.printer.in_ep, 16, self.timeout_ms()))
