"""Receipt printing for the hall's kiosks: model, rendering, drivers and delivery.

This package never imports the Flask app. The print worker calls
``deliver(config, render(receipt, config), job_name)``.
"""

from printers.config import PrinterConfig, parse_printer_url
from printers.decode import decode, describe, text_of
from printers.delivery import DRIVERS, check_status, deliver, make_driver
from printers.errors import (
    DeliveryDoubtful,
    JobBroken,
    PrinterConfigError,
    PrinterError,
    PrinterUnavailable,
)
from printers.memory import MemoryPrinter, memory_printer, reset_memory_printers
from printers.receipt import QR, Feed, Receipt, ReceiptFormatError, Rule, Text, plain_text
from printers.render import clear_sequence, print_seconds, render, unprintable_glyphs
from printers.status import STATUS_QUERIES, PrinterStatus, parse_status

__all__ = [
    "DRIVERS",
    "QR",
    "STATUS_QUERIES",
    "DeliveryDoubtful",
    "Feed",
    "JobBroken",
    "MemoryPrinter",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterError",
    "PrinterStatus",
    "PrinterUnavailable",
    "Receipt",
    "ReceiptFormatError",
    "Rule",
    "Text",
    "check_status",
    "clear_sequence",
    "decode",
    "deliver",
    "describe",
    "make_driver",
    "memory_printer",
    "parse_printer_url",
    "parse_status",
    "plain_text",
    "print_seconds",
    "render",
    "reset_memory_printers",
    "text_of",
    "unprintable_glyphs",
]
