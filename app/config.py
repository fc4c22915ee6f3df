"""Default configuration. No I/O at import time.

Order of precedence (see ``create_app``): these defaults, then ``instance/config.py``,
then environment variables (``DATABASE_URL``, ``PRINTER_URL``, ``LINGGONG_*``), then
the mapping a test passes in.
"""

from dataclasses import asdict

from .domain.trades import DEFAULT_TRADES


class Defaults:
    # Read from instance/secrets.json, which `make db` creates (see app/instance_secrets.py).
    SECRET_KEY: str | None = None
    PII_ENCRYPTION_KEYS: list[str] | None = None  # Fernet keys for ID and phone numbers, newest first
    PII_HASH_KEY: str | None = None  # HMAC key for the blind index used to find a person again

    # None means: SQLite file instance/linggong.sqlite3 (WAL, foreign keys on).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # None means file printer writing to instance/printouts/. It is the printer named
    # "default"; PRINTERS names more (name -> URL), e.g. {"front": "tcp://192.168.1.50:9100"}.
    PRINTER_URL: str | None = None
    PRINTERS: dict = {}
    # The kiosks: name -> {"printer": a printer name, "label": what staff call it, and
    # optionally "address": its fixed IP}. A kiosk learns its name at /kiosk/terminal
    # (app/terminals.py); an unknown kiosk prints to "default".
    KIOSK_TERMINALS: dict = {}
    # A print worker's lease on a printer lasts this long unless renewed; its heartbeat
    # renews it every PRINT_BEAT_SECONDS, so a dead worker's printer is free again soon.
    PRINT_LEASE_SECONDS = 10
    PRINT_BEAT_SECONDS = 2
    # Staff see "打印服务未运行" when no print worker has beaten for this long.
    PRINT_SERVICE_STALE_SECONDS = 8
    # A printer that could not take a job is probed (status query, no job bytes) this often.
    PRINT_PROBE_SECONDS = 2
    # Back-off per printer after a doubtful delivery: first wait, doubled each time, capped.
    PRINT_BACKOFF_FIRST = 5
    PRINT_BACKOFF_MAX = 300
    PRINT_POLL_SECONDS = 1.0
    # The file printer's printouts (names, masked numbers) are deleted after this many days.
    PRINTOUT_RETENTION_DAYS = 7

    # Base of the URLs printed in QR codes (the hall's address as a phone on the hall
    # Wi-Fi reaches it). None: taken from the request that created the slip.
    PUBLIC_BASE_URL: str | None = None
    # Where this server listens (`make run` sets it from HOST and PORT): the QR address until
    # PUBLIC_BASE_URL is set.
    SERVED_AT = "http://127.0.0.1:5000"

    # Kiosk behaviour
    # Idle kiosk: back to the start screen after KIOSK_IDLE_SECONDS on the start, notice and
    # done screens, after KIOSK_FORM_IDLE_SECONDS on a form or its review (typing takes
    # longer); the last KIOSK_IDLE_WARNING_SECONDS show "还需要更多时间吗？" with a countdown.
    KIOSK_IDLE_SECONDS = 60
    KIOSK_FORM_IDLE_SECONDS = 180
    KIOSK_IDLE_WARNING_SECONDS = 15
    HALL_NAME = "沙县区零工市场"
    HALL_PHONE = "0598-5820000"
    # Shown on the kiosk's start screen and footer (assessment item B1): who supervises the
    # hall and where to complain. 12333 is the national 人社 hotline; set the local number.
    HALL_SUPERVISOR = "沙县区人力资源和社会保障局"
    HALL_COMPLAINT_PHONE = "12333"
    HALL_TIMEZONE = "Asia/Shanghai"
    # How long a worker's registration is kept after their last visit (told in the
    # privacy notice).
    RETENTION_YEARS = 3
    # The version of the privacy notice's text, stored with each worker's consent: change
    # it whenever the notice's wording changes.
    PRIVACY_NOTICE_VERSION = "2026-11"
    # The trades on the picture grids, in order; minors_forbidden marks work a 16–17-year-old
    # may not be given (see app/domain/trades.py).
    TRADES = [asdict(t) for t in DEFAULT_TRADES]
    # The quick-fill chips under the check-in form's 补充说明 (at most 12, 8 characters each).
    CHECKIN_PHRASES = ["包吃", "包住", "日结", "当天结算", "需自带工具", "有经验优先", "女工优先", "长期合作"]

    # Satisfaction ratings (item B7). The exit terminal (/kiosk/rate) takes at most one rating
    # per RATING_MIN_INTERVAL_SECONDS and RATING_MAX_PER_HOUR in any hour; more presses are
    # refused and counted (stuffing). After a rating it thanks the person for
    # RATING_THANKS_SECONDS, then shows the faces again. A slip's rating link works for
    # RATING_SLIP_DAYS days after the service. A bad rating is followed up within
    # RATING_FOLLOW_UP_WORKING_DAYS working days (the hall's working-day calendar).
    RATING_MIN_INTERVAL_SECONDS = 8
    RATING_MAX_PER_HOUR = 60
    RATING_THANKS_SECONDS = 5
    RATING_SLIP_DAYS = 7
    RATING_FOLLOW_UP_WORKING_DAYS = 15

    # Where a dispute that mediation did not settle goes (劳动人事争议仲裁委员会): printed on the
    # referral slip (转仲裁告知单). An empty address or phone prints "请向服务窗口咨询地址":
    # set the committee's real ones; never guess.
    ARBITRATION_COMMITTEE = "三明市沙县区劳动人事争议仲裁委员会"
    ARBITRATION_ADDRESS = ""
    ARBITRATION_PHONE = ""

    # Job postings: a published posting stays on the board POSTING_VALID_DAYS days (never
    # past its work date); one published more than POSTING_LATE_HOURS hours after it was
    # received is late (a warning beside item C4). SLIP_EMPLOYER_CONTACT: what a worker's
    # application slip tells of the employer: "hall" (ask at the counter), "masked" (the
    # name masked and the phone's last 4 digits) or "full" (name and phone).
    POSTING_VALID_DAYS = 3
    POSTING_LATE_HOURS = 24
    SLIP_EMPLOYER_CONTACT = "hall"

    # The rubric a period is scored with unless the manager chose another for it: the name of
    # a file in app/scoring/rubrics/ without its .toml. The service start date, contract
    # amount and bid price are the manager's settings on the score page (kept in the database).
    SCORE_RUBRIC = "shaxian-2026"

    # Request size limits (larger requests get a 413 page in Chinese; nothing is read further).
    # The largest real form, a registration, is a few dozen fields and about 2 KiB.
    MAX_CONTENT_LENGTH = 64 * 1024  # whole request body, in bytes
    MAX_FORM_MEMORY_SIZE = 16 * 1024  # one form field's value, in bytes (UTF-8)
    MAX_FORM_PARTS = 200  # number of form fields, repeated names (checkboxes) counted each time

    WTF_CSRF_TIME_LIMIT = None  # a kiosk form may stay open longer than an hour
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # True once the hall serves over HTTPS (a reverse proxy in front): cookies then never
    # travel over plain HTTP.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # How many reverse proxies in front of the app to trust for X-Forwarded-For, -Proto
    # and -Host (0: none; the client address is the connection's).
    TRUSTED_PROXIES = 0
    # How staff passwords are hashed (werkzeug's scrypt, N=32768: about 0.2 s a check).
    PASSWORD_HASH_METHOD = "scrypt"
    # A staff session ends after this many minutes without a request of the person's own.
    STAFF_IDLE_MINUTES = 30

    # The employers' queue: services offered at check-in (each with its own prefix) and
    # the windows with the services each serves. Configure per hall in instance/config.py.
    # All of the hall's settings are checked at start (app/hall_config.py).
    QUEUE_SERVICES = [
        {"code": "hire", "name": "招工", "prefix": "A", "icon": "📋", "creates_task": True},
        {"code": "consult", "name": "政策咨询", "prefix": "B", "icon": "💬"},
        {"code": "other", "name": "其他", "prefix": "C", "icon": "❓"},
    ]
    HALL_WINDOWS = {1: ["hire"], 2: ["hire", "consult"], 3: ["hire", "consult", "other"]}
    # How long the window that pressed 办结 or 过号 can take it back (撤销) on the console.
    QUEUE_UNDO_SECONDS = 120
    # The hall display: how many recent calls to list and how often it refreshes.
    DISPLAY_RECENT_CALLS = 5
    DISPLAY_REFRESH_SECONDS = 3
    # Spoken calls: the espeak-ng program (a name on PATH, or a path) that renders them on the
    # server (`make kiosk-deps` installs it). "" turns them off: the display then chimes only,
    # or speaks with the browser's own Chinese voice where it has one.
    DISPLAY_SPEECH_PROGRAM = "espeak-ng"
    # Rendered calls are kept in instance/announcements/ up to this many megabytes.
    DISPLAY_SPEECH_CACHE_MB = 20
    # The handwriting pad's recogniser model (Zinnia; `make kiosk-deps` installs Debian's). Missing:
    # the pad says it is unavailable and the pinyin keyboard still works.
    HANDWRITING_MODEL = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"
