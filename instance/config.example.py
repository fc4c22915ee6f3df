# instance/config.py — this hall's settings. Copy this file to instance/config.py and edit it:
#
#     cp instance/config.example.py instance/config.py
#
# Every setting is optional: what is left out keeps its default (app/config.py). The values
# below are the defaults unless the comment says "example". The file is plain Python.
#
# Every hall setting is checked when the app starts (app/hall_config.py). A mistake stops
# the start with a message naming the setting and what is wrong, e.g.
#     HALL_WINDOWS: window 3 serves unknown service 'consul' (configured: 'hire', 'consult', 'other')
# Fix it and start again (`make run`). Changes take effect at the next start.
#
# Environment variables win over this file: DATABASE_URL, PRINTER_URL, and any setting as
# LINGGONG_<NAME> (JSON where it reads as JSON, e.g. LINGGONG_HALL_WINDOWS='{"1": ["hire"]}').
#
# Not here: the database (set DATABASE_URL in the environment; unset, the SQLite file
# instance/linggong.sqlite3), and the keys (SECRET_KEY, PII_ENCRYPTION_KEYS, PII_HASH_KEY),
# which live in instance/secrets.json (see instance/README.md). SERVED_AT is set by `make run`.


# ---------------------------------------------------------------------------------------
# The hall: shown on the kiosk, the slips and the phone pages
# ---------------------------------------------------------------------------------------

# The hall's name (at most 30 characters): headers, welcome line, slips.
HALL_NAME = "沙县区零工市场"

# The service phone (服务电话) on screens and slips: a landline with its area code
# ("0598-5820000"), a mobile ("13800000000"), a 400 number or a short hotline ("12345").
HALL_PHONE = "0598-5820000"

# Who supervises the hall (监督单位) and the complaint phone (监督投诉电话). Both are shown
# on the kiosk's start screen, its footer and the privacy notice (assessment item B1).
# 12333 is the national 人社 hotline; put the bureau's local complaint number here.
HALL_SUPERVISOR = "沙县区人力资源和社会保障局"
HALL_COMPLAINT_PHONE = "12333"

# Disputes that mediation does not settle are referred to labour arbitration. The referral
# slip (转仲裁告知单) names the committee, its address and phone. Name: at most 40 characters;
# address: at most 60; phone: like HALL_PHONE. Leave the address or the phone empty ("") until
# you have the real ones: the slip then says "请向服务窗口咨询地址" instead of guessing. Example:
#     ARBITRATION_ADDRESS = "沙县区××路××号××楼"
#     ARBITRATION_PHONE = "0598-0000000"
ARBITRATION_COMMITTEE = "三明市沙县区劳动人事争议仲裁委员会"
ARBITRATION_ADDRESS = ""
ARBITRATION_PHONE = ""

# ---------------------------------------------------------------------------------------
# Job postings (招工信息) and what a worker's application slip tells of the employer
# ---------------------------------------------------------------------------------------
# A published posting stays on the board POSTING_VALID_DAYS (1–90) days, never past its work
# date; one published more than POSTING_LATE_HOURS (1–720) hours after it was received is
# shown as late beside item C4. SLIP_EMPLOYER_CONTACT: "hall" (the slip says to ask at the
# counter), "masked" (the contact's name masked and the phone's last 4 digits) or "full".
POSTING_VALID_DAYS = 3
POSTING_LATE_HOURS = 24
SLIP_EMPLOYER_CONTACT = "hall"

# ---------------------------------------------------------------------------------------
# Privacy notice (个人信息收集告知)
# ---------------------------------------------------------------------------------------

# The version of the notice's text, stored with each worker's consent (letters, digits,
# . _ -; at most 20). Change it whenever the notice's wording changes, so that every
# record says which text the person agreed to.
PRIVACY_NOTICE_VERSION = "2026-11"

# How long a registration is kept after the person's last visit, as the notice says (1–30).
RETENTION_YEARS = 3

# The hall's time zone: days, ticket numbers and the times on screens and slips.
HALL_TIMEZONE = "Asia/Shanghai"

# The score sheet a period is scored with unless the manager chooses another for it on the
# score page's settings: a file of app/scoring/rubrics/ without .toml. A new standard from the
# bureau is a new file there. (The service start date, contract amount and bid price are the
# manager's settings on the score page, kept in the database with their audit trail.)
SCORE_RUBRIC = "shaxian-2026"

# Satisfaction ratings (score item B7). The exit terminal (/kiosk/rate) takes at most one
# rating every RATING_MIN_INTERVAL_SECONDS (0–3600) and RATING_MAX_PER_HOUR (1–3600) in any
# hour, counted by its name and by its network address; more presses are refused and counted
# (stuffing). After a rating it thanks the person for RATING_THANKS_SECONDS (1–60), then shows
# the faces again. A slip's QR rates its service for RATING_SLIP_DAYS (1–90) days after it.
# A bad rating is followed up within RATING_FOLLOW_UP_WORKING_DAYS (1–60) working days of the
# hall's working-day calendar (/staff/calendar).
RATING_MIN_INTERVAL_SECONDS = 8
RATING_MAX_PER_HOUR = 60
RATING_THANKS_SECONDS = 5
RATING_SLIP_DAYS = 7
RATING_FOLLOW_UP_WORKING_DAYS = 15

# ---------------------------------------------------------------------------------------
# The queue: services at check-in and the windows that serve them
# ---------------------------------------------------------------------------------------

# The services an employer chooses at check-in, in this order:
#   code          stored with each ticket: lower-case letters, digits, _ (never reuse one)
#   name          shown on the kiosk, the slip and the hall display (at most 10 characters)
#   prefix        the letter of the ticket numbers (A007): one or two capitals, one per service
#   icon          an emoji for the kiosk button (optional)
#   creates_task  True: a check-in also creates a draft task order (招工) for staff to review
QUEUE_SERVICES = [
    {"code": "hire", "name": "招工", "prefix": "A", "icon": "📋", "creates_task": True},
    {"code": "consult", "name": "政策咨询", "prefix": "B", "icon": "💬"},
    {"code": "other", "name": "其他", "prefix": "C", "icon": "❓"},
]

# Window number (1–99) -> the services it calls. Every service needs at least one window.
HALL_WINDOWS = {
    1: ["hire"],
    2: ["hire", "consult"],
    3: ["hire", "consult", "other"],
}

# ---------------------------------------------------------------------------------------
# Trades (工种) on the picture grids of registration and check-in, in this order
# ---------------------------------------------------------------------------------------

# Each trade:
#   code              stored with workers and task orders: lower-case letters, digits, _
#                     (at most 20). Never reuse a retired code for another trade.
#   name              at most 8 characters
#   icon              an emoji
#   minors_forbidden  True for work a 16–17-year-old (未成年工) may not be given: heavy physical
#                     labour, work at height, underground, toxic or harmful work, and jobs
#                     needing a certificate or licence only adults hold (《未成年工特殊保护规定》).
#                     Required for every trade, so that nobody forgets to decide.
# The list below is the default; a hall may shorten, reorder or extend it, e.g. add
#     {"code": "tea", "name": "采茶", "icon": "🍃", "minors_forbidden": False},
TRADES = [
    {"code": "general", "name": "普工杂工", "icon": "🛠️", "minors_forbidden": False},
    {"code": "porter", "name": "搬运装卸", "icon": "📦", "minors_forbidden": True},
    {"code": "mason", "name": "泥瓦工", "icon": "🧱", "minors_forbidden": True},
    {"code": "carpenter", "name": "木工", "icon": "🪚", "minors_forbidden": True},
    {"code": "rebar", "name": "钢筋工", "icon": "🏗️", "minors_forbidden": True},
    {"code": "electrician", "name": "水电工", "icon": "🔌", "minors_forbidden": True},
    {"code": "painter", "name": "油漆工", "icon": "🖌️", "minors_forbidden": True},
    {"code": "welder", "name": "电焊工", "icon": "🔥", "minors_forbidden": True},
    {"code": "cleaner", "name": "保洁", "icon": "🧹", "minors_forbidden": False},
    {"code": "housekeeping", "name": "家政保姆", "icon": "🏠", "minors_forbidden": False},
    {"code": "carer", "name": "护工陪护", "icon": "🩺", "minors_forbidden": False},
    {"code": "cook", "name": "厨师帮厨", "icon": "🍳", "minors_forbidden": False},
    {"code": "snack", "name": "沙县小吃", "icon": "🥟", "minors_forbidden": False},
    {"code": "waiter", "name": "餐厅服务", "icon": "🍽️", "minors_forbidden": False},
    {"code": "farm", "name": "农活采摘", "icon": "🌾", "minors_forbidden": False},
    {"code": "gardening", "name": "园林绿化", "icon": "🌳", "minors_forbidden": False},
    {"code": "driver", "name": "驾驶员", "icon": "🚗", "minors_forbidden": True},
    {"code": "courier", "name": "快递配送", "icon": "🛵", "minors_forbidden": False},
    {"code": "security", "name": "保安", "icon": "🛡️", "minors_forbidden": True},
    {"code": "factory", "name": "工厂流水线", "icon": "🏭", "minors_forbidden": False},
]

# The quick-fill chips under 补充说明 on the check-in form: one tap adds the words.
# At most 12 chips of at most 8 characters each; [] shows none. What an employer writes
# goes on the hall display, so a phone number there is refused when the form is sent.
CHECKIN_PHRASES = ["包吃", "包住", "日结", "当天结算", "需自带工具", "有经验优先", "女工优先", "长期合作"]

# ---------------------------------------------------------------------------------------
# Receipt printers and kiosk terminals (see instance/README.md)
# ---------------------------------------------------------------------------------------

# The printer called "default": every slip of a kiosk without a printer of its own.
# None: files under instance/printouts/ (no paper). Examples:
#     "tcp://192.168.1.50:9100?paper=80"     a network printer, 80 mm paper
#     "usb://0416:5011"                      a USB printer (vendor:product id)
#     "serial:///dev/ttyUSB0?baud=9600"      a serial printer
# Options: paper=58|80, text=native|image, font=/path, qr=native|image, timeout=3,
# status=1|0, speed=50 (see README, Receipt printers).
PRINTER_URL = None

# More printers, by name (letters, digits, . _ -): example.
# PRINTERS = {
#     "front": "tcp://192.168.1.50:9100",                  # 大厅入口的打印机
#     "side": "tcp://192.168.1.51:9100?text=image",        # 没有中文字库的打印机
# }
PRINTERS = {}

# The kiosks, by name (letters, digits, . _ -, e.g. "kiosk-1"): example.
#   printer  the printer its slips come out of: a name from PRINTERS, or "default" (the default)
#   label    what staff call it, shown in the kiosk's footer (at most 20 characters)
#   address  optional: the kiosk's fixed IP address, if it has one, so that it is known
#            even before staff name it at /kiosk/terminal
# KIOSK_TERMINALS = {
#     "kiosk-1": {"printer": "front", "label": "大厅1号机"},
#     "kiosk-2": {"printer": "side", "label": "大厅2号机", "address": "192.168.1.22"},
#     "kiosk-3": {"label": "门口3号机"},                     # prints on "default"
# }
KIOSK_TERMINALS = {}

# ---------------------------------------------------------------------------------------
# Addresses, sessions and screens
# ---------------------------------------------------------------------------------------

# The address phones on the hall Wi-Fi use, printed in every QR code. Set it before
# printing slips for real (example: "http://192.168.1.10:5000" or "https://hall.example").
PUBLIC_BASE_URL = None

# True once the hall is served over HTTPS behind a reverse proxy; then also TRUSTED_PROXIES = 1.
SESSION_COOKIE_SECURE = False
REMEMBER_COOKIE_SECURE = False
TRUSTED_PROXIES = 0

# A staff session ends after this many minutes without a click of the person's own.
STAFF_IDLE_MINUTES = 30

# How staff passwords are hashed: werkzeug's scrypt. Leave it; only the tests make it cheap.
# (A stored hash names its method, so a change here never locks anyone out.)
PASSWORD_HASH_METHOD = "scrypt"

# The kiosk goes back to its start screen after this many seconds without a touch: on the
# start, notice and done screens, and (longer: typing takes time) on a form or its review.
KIOSK_IDLE_SECONDS = 60
KIOSK_FORM_IDLE_SECONDS = 180
# The last seconds of either that show "还需要更多时间吗？" with a countdown and a 继续 button
# (at most half the idle time).
KIOSK_IDLE_WARNING_SECONDS = 15

# The hall display: how many recent calls it lists, and how often it refreshes (seconds).
DISPLAY_RECENT_CALLS = 5
DISPLAY_REFRESH_SECONDS = 3
# Spoken calls on the display are rendered by this espeak-ng program (`make kiosk-deps`
# installs it); "" turns them off (the display chimes, or uses the browser's Chinese voice).
DISPLAY_SPEECH_PROGRAM = "espeak-ng"
# Rendered calls are kept in instance/announcements/, up to this many megabytes.
DISPLAY_SPEECH_CACHE_MB = 20

# The call console: how long (seconds) the window that pressed 办结 or 过号 can take it back
# with 撤销 (only until it calls someone else, and only the same day).
QUEUE_UNDO_SECONDS = 120

# The kiosk's handwriting pad: the Zinnia model it is recognised with (Debian's package
# tegaki-zinnia-simplified-chinese; `make kiosk-deps` installs it). Without it the pad says
# "手写识别暂不可用，请用拼音输入" and the pinyin keyboard still works.
HANDWRITING_MODEL = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"

# The file printer's printouts (names, masked numbers) are deleted after this many days.
PRINTOUT_RETENTION_DAYS = 7

# Print worker timing (seconds): lease, heartbeat, when staff see "打印服务未运行", how often
# an unavailable printer is probed, and the back-off after a doubtful delivery.
PRINT_LEASE_SECONDS = 10
PRINT_BEAT_SECONDS = 2
PRINT_SERVICE_STALE_SECONDS = 8
PRINT_PROBE_SECONDS = 2
PRINT_BACKOFF_FIRST = 5
PRINT_BACKOFF_MAX = 300
# How often the print worker looks for new slips (seconds).
PRINT_POLL_SECONDS = 1.0

# Request size limits: the whole body, one form field (bytes), and the number of fields.
MAX_CONTENT_LENGTH = 64 * 1024
MAX_FORM_MEMORY_SIZE = 16 * 1024
MAX_FORM_PARTS = 200
