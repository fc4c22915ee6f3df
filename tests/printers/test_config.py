import pytest

from printers import config as config_module
from printers.config import PrinterConfig, parse_printer_url
from printers.errors import PrinterConfigError


@pytest.mark.parametrize(("url", "expected"), [
    ("tcp://192.168.1.50:9100", {"scheme": "tcp", "host": "192.168.1.50", "port": 9100}),
    ("tcp://printer.local", {"host": "printer.local", "port": 9100, "status": True}),
    ("tcp://10.0.0.9:9101?timeout=0.5&status=0",
     {"port": 9101, "timeout": 0.5, "status": False}),
    ("usb://0x0416:0x5011", {"scheme": "usb", "vendor_id": 0x0416, "product_id": 0x5011}),
    ("usb://0416:5011?in_ep=0x81&out_ep=0x03",
     {"vendor_id": 0x0416, "product_id": 0x5011, "in_ep": 0x81, "out_ep": 0x03}),
    ("serial:///dev/ttyUSB0", {"scheme": "serial", "device": "/dev/ttyUSB0", "baud": 9600}),
    ("serial:///dev/ttyS1?baud=115200", {"device": "/dev/ttyS1", "baud": 115200}),
    ("memory:", {"scheme": "memory", "name": "default", "status": True}),
    ("memory:kiosk-2", {"name": "kiosk-2"}),
    ("file:///var/spool/receipts", {"scheme": "file", "directory": "/var/spool/receipts",
                                    "status": False}),
    ("file:", {"directory": "/default/dir"}),
    ("tcp://h:1?paper=80&qr=image&text=native",
     {"paper_mm": 80, "qr_mode": "image", "text_mode": "native"}),
])
def test_valid_urls(url, expected):
    config = parse_printer_url(url, default_dir="/default/dir")
    for key, value in expected.items():
        assert getattr(config, key) == value, key
    assert config.url == url


def test_defaults():
    config = parse_printer_url("tcp://h")
    assert (config.paper_mm, config.dots, config.columns) == (58, 384, 32)
    assert (config.text_mode, config.qr_mode, config.timeout) == ("native", "native", 3.0)
    assert parse_printer_url("tcp://h?paper=80").dots == 576
    assert parse_printer_url("tcp://h?paper=80").columns == 48


def test_config_is_frozen():
    config = parse_printer_url("memory:")
    with pytest.raises(AttributeError):
        config.timeout = 9  # type: ignore[misc]
    assert isinstance(config, PrinterConfig)


@pytest.mark.parametrize(("url", "message"), [
    ("", "empty"),
    ("lpt://1", "unknown scheme"),
    ("tcp://", "tcp://192.168.1.50:9100"),
    ("tcp://h:99999", "port"),
    ("tcp://h:0", "port"),
    ("tcp://h:abc", "port"),
    ("usb://0416", "VID:PID"),
    ("usb://zz16:5011", "hexadecimal"),
    ("serial://", "device"),
    ("file:", "no directory"),
    ("file://host/dir", "no host"),
    ("tcp://h?paper=57", "paper must be one of 58|80"),
    ("tcp://h?text=bitmap", "text must be one of"),
    ("tcp://h?qr=svg", "qr must be one of"),
    ("tcp://h?timeout=soon", "timeout must be a number"),
    ("tcp://h?timeout=0", "between"),
    ("tcp://h?status=maybe", "status must be 1 or 0"),
    ("tcp://h?colour=red", "unknown option 'colour'"),
    ("tcp://h?baud=9600", "unknown option 'baud'"),
    ("tcp://h?paper=58&paper=80", "given twice"),
    ("tcp://h?font=/no/such/font.ttc", "does not exist"),
    ("file:///tmp/x?status=1", "cannot report status"),
])
def test_invalid_urls_raise_clear_errors(url, message):
    with pytest.raises(PrinterConfigError, match=message.replace("|", r"\|")):
        parse_printer_url(url)


def test_config_error_is_a_value_error():
    assert issubclass(PrinterConfigError, ValueError)


def test_font_defaults_to_first_existing_candidate(monkeypatch, tmp_path):
    font = tmp_path / "cjk.ttc"
    font.write_bytes(b"x")
    monkeypatch.setattr(config_module, "DEFAULT_FONTS", ("/missing.ttc", str(font)))
    assert parse_printer_url("tcp://h").font_path == str(font)
    assert parse_printer_url("tcp://h?text=image").font_path == str(font)


def test_text_image_without_any_font_is_a_config_error(monkeypatch):
    monkeypatch.setattr(config_module, "DEFAULT_FONTS", ("/missing.ttc",))
    assert parse_printer_url("tcp://h").font_path is None
    with pytest.raises(PrinterConfigError, match="text=image needs a CJK font"):
        parse_printer_url("tcp://h?text=image")
