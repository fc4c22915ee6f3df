"""The hall's configuration, typed and checked once at start.

``create_app`` builds one ``HallConfig`` from the settings (``app/config.py`` defaults, then
``instance/config.py``, then the environment, then a test's overrides) and keeps it in
``app.extensions["hall"]``; code reads it with ``hall()``. Every setting is checked here, so
a typo in ``instance/config.py`` stops the start with a message that names the setting and
what is wrong (``HallConfigError``), instead of a 500 at the first kiosk that needs it.

Each check names the setting as the operator writes it, e.g.
``HALL_WINDOWS: window 3 serves unknown service 'consul' (configured: 'hire', …)``.
All problems are reported at once, one per setting.
"""

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from flask import current_app

from printers import PrinterConfigError, parse_printer_url

from . import scoring
from .domain.queue import Service, check_keys, parse_services, parse_windows
from .domain.ratings import StuffingLimits
from .domain.rubric import Rubric
from .domain.trades import Trade, TradeMap, parse_trades

# A landline (0598-5820000, 05985820000), a mobile, a 400 number, or a short public hotline
# (12333, 12345).
PHONE = re.compile(r"^(0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4}|1\d{4})$", re.ASCII)
# Printer and terminal names: stored in print_job.printer (40 characters); ASCII, no spaces.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$", re.ASCII)
MAX_PHRASES = 12
MAX_PHRASE_LENGTH = 8  # a chip is one tap: 包吃, 日结, 有经验优先
TERMINAL_KEYS = ("printer", "label", "address")


class HallConfigError(ValueError):
    """The configuration cannot run the hall; ``problems`` lists each wrong setting."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            "the hall's configuration is wrong (app/config.py, instance/config.py or a "
            "LINGGONG_* variable); fix it and start again:\n"
            + "\n".join(f"  {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Terminal:
    """A kiosk: its name (in its cookie, see ``app/terminals.py``), what staff call it, the
    printer its slips go to, and optionally its fixed network address."""

    name: str
    label: str
    printer: str = "default"
    address: str | None = None


@dataclass(frozen=True)
class HallConfig:
    name: str  # HALL_NAME: 沙县区零工市场
    phone: str  # HALL_PHONE: the service phone on screens and slips
    supervisor: str  # HALL_SUPERVISOR: the supervising department (监督单位)
    complaint_phone: str  # HALL_COMPLAINT_PHONE: 监督投诉电话
    privacy_version: str  # PRIVACY_NOTICE_VERSION: stored with each worker's consent
    retention_years: int  # RETENTION_YEARS: told in the privacy notice
    undo_seconds: int  # QUEUE_UNDO_SECONDS: how long a window can take back 办结 or 过号
    idle_seconds: int  # KIOSK_IDLE_SECONDS: start, notice and done screens go back to the start
    form_idle_seconds: int  # KIOSK_FORM_IDLE_SECONDS: the same on a form or its review
    idle_warning_seconds: int  # KIOSK_IDLE_WARNING_SECONDS: "还需要更多时间吗？" before that
    services: Mapping[str, Service]  # QUEUE_SERVICES, by code, in check-in order
    windows: Mapping[int, tuple[str, ...]]  # HALL_WINDOWS: window -> service codes
    trades: tuple[Trade, ...]  # TRADES, in picture-grid order
    phrases: tuple[str, ...]  # CHECKIN_PHRASES: the quick-fill chips of the check-in form
    printers: Mapping[str, str]  # PRINTERS + PRINTER_URL: name -> URL ("default" always)
    terminals: Mapping[str, Terminal]  # KIOSK_TERMINALS, by name
    rubric: Rubric  # SCORE_RUBRIC: the rubric a period is scored with unless another is chosen
    # RATING_MIN_INTERVAL_SECONDS and RATING_MAX_PER_HOUR: what one exit terminal accepts
    rating_limits: StuffingLimits
    rating_thanks_seconds: int  # RATING_THANKS_SECONDS: the thanks screen, then the faces again
    rating_slip_days: int  # RATING_SLIP_DAYS: how long after its service a slip's link rates
    follow_up_days: int  # RATING_FOLLOW_UP_WORKING_DAYS: a bad rating's follow-up is due after
    arbitration_committee: str  # ARBITRATION_COMMITTEE: where a referred dispute goes
    arbitration_address: str  # ARBITRATION_ADDRESS: "" prints "ask at the counter"
    arbitration_phone: str  # ARBITRATION_PHONE: "" likewise
    posting_valid_days: int  # POSTING_VALID_DAYS: a posting's days on the board (default)
    posting_late_hours: int  # POSTING_LATE_HOURS: published later than this after receipt is late
    # SLIP_EMPLOYER_CONTACT: what a worker's application slip tells of the employer's contact:
    # "hall" (ask at the counter), "masked" (name masked, phone's last 4), "full"
    slip_employer_contact: str
    # The trades by code; a retired code still shows (as itself).
    trades_by_code: Mapping[str, Trade] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "trades_by_code", TradeMap({t.code: t for t in self.trades}))

    def terminal_at(self, address: str) -> Terminal | None:
        """The configured terminal with this fixed network address, if any."""
        return next((t for t in self.terminals.values() if t.address == address), None)

    @classmethod
    def from_mapping(cls, config: Mapping) -> "HallConfig":
        """Check every setting; ``HallConfigError`` lists all that are wrong."""
        problems: list[str] = []

        def checked(setting: str, check: Callable, *args, default=None):
            try:
                return check(*args)
            except (ValueError, TypeError, PrinterConfigError) as err:
                problems.append(f"{setting}: {err}")
                return default

        services = checked("QUEUE_SERVICES", parse_services, config.get("QUEUE_SERVICES"), default={})
        windows = checked("HALL_WINDOWS", parse_windows, config.get("HALL_WINDOWS"), services,
                          default={}) if services else {}
        default_url = checked("PRINTER_URL", _printer_url, config.get("PRINTER_URL"))
        printers = checked("PRINTERS", _printers, config.get("PRINTERS"), default_url,
                           default={"default": default_url})
        built = dict(
            name=checked("HALL_NAME", _text, config.get("HALL_NAME"), 30, "沙县区零工市场"),
            phone=checked("HALL_PHONE", _phone, config.get("HALL_PHONE")),
            supervisor=checked("HALL_SUPERVISOR", _text, config.get("HALL_SUPERVISOR"), 40,
                               "沙县区人力资源和社会保障局"),
            complaint_phone=checked("HALL_COMPLAINT_PHONE", _phone, config.get("HALL_COMPLAINT_PHONE")),
            privacy_version=checked("PRIVACY_NOTICE_VERSION", _version,
                                    config.get("PRIVACY_NOTICE_VERSION")),
            retention_years=checked("RETENTION_YEARS", _years, config.get("RETENTION_YEARS")),
            undo_seconds=checked("QUEUE_UNDO_SECONDS", _whole, config.get("QUEUE_UNDO_SECONDS", 120),
                                 0, 3600, "seconds"),
            # A kiosk that never goes back to its start screen would leave the last person's
            # details on it: the idle times are checked like everything else.
            idle_seconds=checked("KIOSK_IDLE_SECONDS", _whole, config.get("KIOSK_IDLE_SECONDS", 60),
                                 1, 3600, "seconds"),
            form_idle_seconds=checked("KIOSK_FORM_IDLE_SECONDS", _whole,
                                      config.get("KIOSK_FORM_IDLE_SECONDS", 180), 1, 3600, "seconds"),
            idle_warning_seconds=checked("KIOSK_IDLE_WARNING_SECONDS", _whole,
                                         config.get("KIOSK_IDLE_WARNING_SECONDS", 15), 0, 60, "seconds"),
            services=MappingProxyType(services),
            windows=MappingProxyType({n: tuple(c) for n, c in windows.items()}),
            trades=checked("TRADES", parse_trades, config.get("TRADES"), default=()),
            phrases=checked("CHECKIN_PHRASES", _phrases, config.get("CHECKIN_PHRASES"), default=()),
            printers=MappingProxyType(printers),
            terminals=MappingProxyType(checked(
                "KIOSK_TERMINALS", _terminals, config.get("KIOSK_TERMINALS"), printers, default={})),
            rubric=checked("SCORE_RUBRIC", _rubric, config.get("SCORE_RUBRIC")),
            rating_limits=StuffingLimits(
                interval=timedelta(seconds=checked(
                    "RATING_MIN_INTERVAL_SECONDS", _whole, config.get("RATING_MIN_INTERVAL_SECONDS", 8),
                    0, 3600, "seconds", default=8)),
                per_hour=checked("RATING_MAX_PER_HOUR", _whole, config.get("RATING_MAX_PER_HOUR", 60),
                                 1, 3600, "ratings", default=60)),
            rating_thanks_seconds=checked("RATING_THANKS_SECONDS", _whole,
                                          config.get("RATING_THANKS_SECONDS", 5), 1, 60, "seconds"),
            rating_slip_days=checked("RATING_SLIP_DAYS", _whole, config.get("RATING_SLIP_DAYS", 7),
                                     1, 90, "days"),
            follow_up_days=checked("RATING_FOLLOW_UP_WORKING_DAYS", _whole,
                                   config.get("RATING_FOLLOW_UP_WORKING_DAYS", 15), 1, 60, "working days"),
            arbitration_committee=checked("ARBITRATION_COMMITTEE", _text, config.get("ARBITRATION_COMMITTEE"),
                                          40, "三明市沙县区劳动人事争议仲裁委员会"),
            arbitration_address=checked("ARBITRATION_ADDRESS", _optional_text,
                                        config.get("ARBITRATION_ADDRESS", ""), 60, default=""),
            arbitration_phone=checked("ARBITRATION_PHONE", _optional_phone,
                                      config.get("ARBITRATION_PHONE", ""), default=""),
            posting_valid_days=checked("POSTING_VALID_DAYS", _whole, config.get("POSTING_VALID_DAYS", 3),
                                       1, 90, "days", default=3),
            posting_late_hours=checked("POSTING_LATE_HOURS", _whole, config.get("POSTING_LATE_HOURS", 24),
                                       1, 720, "hours", default=24),
            slip_employer_contact=checked("SLIP_EMPLOYER_CONTACT", _one_of,
                                          config.get("SLIP_EMPLOYER_CONTACT", "hall"),
                                          CONTACT_POLICIES, default="hall"),
        )
        if problems:
            raise HallConfigError(problems)
        return cls(**built)


def _rubric(version) -> Rubric:
    """A rubric file of app/scoring/rubrics/, read and checked (a broken one names its item)."""
    if not isinstance(version, str) or not version:
        raise ValueError(f"must name a rubric file without .toml, e.g. \"shaxian-2026\", not {version!r}")
    return scoring.load(version)


def hall() -> HallConfig:
    """The running app's hall configuration (built and checked by ``create_app``)."""
    return current_app.extensions["hall"]


def init_app(app) -> None:
    """Build and check the configuration; the app does not start with a wrong one."""
    app.extensions["hall"] = HallConfig.from_mapping(app.config)


def _text(value, maximum: int, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must not be empty, e.g. \"{example}\", not {value!r}")
    text = " ".join(value.split())
    if len(text) > maximum:
        raise ValueError(f"at most {maximum} characters, not {len(text)}: {text!r}")
    if any(ch < " " or ch == "\x7f" for ch in value):
        raise ValueError(f"contains control characters: {value!r}")
    return text


def _phone(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):  # LINGGONG_…=12333 reads as a number
        value = str(value)
    if not isinstance(value, str) or not PHONE.match(value.strip()):
        raise ValueError(f"{value!r} is not a phone number; write a landline with its area "
                         "code (\"0598-5820000\"), a mobile (\"13800000000\") or a hotline (\"12333\")")
    return value.strip()


def _optional_text(value, maximum: int) -> str:
    """A text a hall may leave empty ("" or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return _text(value, maximum, "某某路某某号")


def _optional_phone(value) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return _phone(value)


def _version(value) -> str:
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 20 or \
            not re.fullmatch(r"[0-9A-Za-z._-]+", value.strip()):
        raise ValueError(f"must be a short version like \"2026-11\" (letters, digits, . _ -; at "
                         f"most 20), not {value!r}")
    return value.strip()


def _years(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
        raise ValueError(f"must be a whole number of years from 1 to 30, not {value!r}")
    return value


CONTACT_POLICIES = ("hall", "masked", "full")


def _one_of(value, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _whole(value, low: int, high: int, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"must be a whole number of {unit} from {low} to {high}, not {value!r}")
    return value


def _phrases(value) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list of short texts like [\"包吃\", \"日结\"], not {value!r}")
    if len(value) > MAX_PHRASES:
        raise ValueError(f"at most {MAX_PHRASES} chips fit on the form, not {len(value)}")
    phrases: list[str] = []
    for phrase in value:
        if not isinstance(phrase, str) or not phrase.strip():
            raise ValueError(f"each chip must be a non-empty text, not {phrase!r}")
        text = phrase.strip()
        if len(text) > MAX_PHRASE_LENGTH:
            raise ValueError(f"chip {text!r} is too long ({len(text)} characters; at most "
                             f"{MAX_PHRASE_LENGTH})")
        if any(ch < " " or ch == "\x7f" for ch in text):
            raise ValueError(f"chip {text!r} contains control characters")
        if text in phrases:
            raise ValueError(f"chip {text!r} is listed twice")
        phrases.append(text)
    return tuple(phrases)


def _printer_url(url) -> str:
    """One printer URL, checked (the fonts only on the print worker's machine)."""
    try:
        parse_printer_url(url, default_dir="printouts", check_files=False)
    except PrinterConfigError as err:
        raise ValueError(str(err)) from None
    return url.strip()


def _printers(value, default_url: str | None) -> dict[str, str]:
    """PRINTERS (name -> URL), with PRINTER_URL as "default" unless PRINTERS names a
    "default" itself (as before)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ValueError('must map printer names to URLs, e.g. {"front": "tcp://192.168.1.50:9100"}')
    printers: dict[str, str] = {}
    for name, url in value.items():
        if not isinstance(name, str) or not NAME.match(name):
            raise ValueError(f"printer name {name!r}: letters, digits, . _ - (at most 40)")
        try:
            printers[name] = _printer_url(url)
        except ValueError as err:
            raise ValueError(f"printer {name!r}: {err}") from None
    printers.setdefault("default", default_url)  # None only when PRINTER_URL is wrong (reported)
    return printers


def _terminals(value, printers: Mapping[str, str]) -> dict[str, Terminal]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError('must map terminal names to their settings, e.g. '
                         '{"kiosk-1": {"printer": "default", "label": "大厅1号机"}}')
    terminals: dict[str, Terminal] = {}
    addresses: dict[str, str] = {}
    for name, item in value.items():
        if not isinstance(name, str) or not NAME.match(name):
            raise ValueError(f"terminal name {name!r}: letters, digits, . _ - (at most 40), e.g. \"kiosk-1\"")
        label = f"terminal {name!r}"
        if not isinstance(item, dict):
            raise ValueError(f"{label} must be a mapping like {{\"printer\": \"default\", "
                             f"\"label\": \"大厅1号机\"}}, not {item!r}")
        check_keys(item, TERMINAL_KEYS, (), label)
        printer = item.get("printer", "default")
        if printer not in printers:
            known = ", ".join(repr(p) for p in printers)
            raise ValueError(f"{label} uses unknown printer {printer!r} (configured in "
                             f"PRINTERS/PRINTER_URL: {known})")
        shown = item.get("label", name)
        if not isinstance(shown, str) or not 1 <= len(shown.strip()) <= 20:
            raise ValueError(f"{label}: the label must be 1 to 20 characters, not {shown!r}")
        address = item.get("address")
        if address is not None:
            if not isinstance(address, str):
                raise ValueError(f"{label}: address must be text like \"192.168.1.21\", not {address!r}")
            try:
                address = str(ipaddress.ip_address(address))
            except ValueError:
                raise ValueError(f"{label}: address {address!r} is not an IP address") from None
            if address in addresses:
                raise ValueError(f"terminals {addresses[address]!r} and {name!r} both have "
                                 f"address {address!r}")
            addresses[address] = name
        terminals[name] = Terminal(name=name, label=shown.strip(), printer=printer, address=address)
    return terminals
