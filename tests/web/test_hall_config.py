"""The hall's configuration: built once at start, every wrong setting refused by name."""

import re

import pytest
from sqlalchemy import select

from app import create_app, instance_secrets
from app.config import Defaults
from app.extensions import db
from app.hall_config import HallConfig, HallConfigError, hall
from app.models import Worker
from tests.conftest import csrf_from

DEFAULTS = {name: getattr(Defaults, name) for name in dir(Defaults) if name.isupper()}
GOOD = {**DEFAULTS, "PRINTER_URL": "memory:default"}
SERVICES = DEFAULTS["QUEUE_SERVICES"]
TRADE = {"code": "porter", "name": "搬运装卸", "icon": "📦", "minors_forbidden": True}


def _services(**changes):
    """The default services with one of them changed."""
    return [{**s, **changes.get(s["code"], {})} for s in SERVICES]


# (what is wrong, the settings that say it, the message expected: the setting's name first)
BAD = [
    ("duplicate prefix", {"QUEUE_SERVICES": _services(consult={"prefix": "A"})},
     "QUEUE_SERVICES: services 'hire' and 'consult' both use prefix 'A'"),
    ("duplicate service code", {"QUEUE_SERVICES": [*SERVICES, {**SERVICES[0], "prefix": "D"}]},
     "QUEUE_SERVICES: service code 'hire' is used twice"),
    ("prefix not a capital letter", {"QUEUE_SERVICES": _services(other={"prefix": "c1"})},
     "QUEUE_SERVICES: service 'other': the prefix must be one or two capital letters"),
    ("misspelt service key", {"QUEUE_SERVICES": _services(hire={"creates_tasks": True})},
     "QUEUE_SERVICES: service 'hire' has unknown key 'creates_tasks'"),
    ("service flag not a bool", {"QUEUE_SERVICES": _services(hire={"creates_task": "yes"})},
     "QUEUE_SERVICES: service 'hire': creates_task must be True or False"),
    ("service without a name", {"QUEUE_SERVICES": [{"code": "hire", "prefix": "A"}]},
     "QUEUE_SERVICES: service 'hire' lacks 'name'"),
    ("no services", {"QUEUE_SERVICES": []}, "QUEUE_SERVICES: needs at least one service"),
    ("window serving an unknown service",
     {"HALL_WINDOWS": {1: ["hire"], 2: ["consult"], 3: ["consul", "other"]}},
     "HALL_WINDOWS: window 3 serves unknown service 'consul'"),
    ("window services not a list", {"HALL_WINDOWS": {1: "hire", 2: ["consult", "other"]}},
     "HALL_WINDOWS: window 1 must list its services"),
    ("window not a number", {"HALL_WINDOWS": {"一号": ["hire", "consult", "other"]}},
     "HALL_WINDOWS: window '一号': a window is a number from 1 to 99"),
    ("window 0", {"HALL_WINDOWS": {0: ["hire", "consult", "other"]}},
     "HALL_WINDOWS: window 0: a window is a number from 1 to 99"),
    ("service served by no window", {"HALL_WINDOWS": {1: ["hire"], 2: ["consult"]}},
     "HALL_WINDOWS: no window serves service 'other'"),
    ("misspelt trade flag", {"TRADES": [{**TRADE, "minors_forbidden": None} | {"minor_forbidden": True}]},
     "TRADES: trade 'porter' has unknown key 'minor_forbidden'"),
    ("trade without its flag", {"TRADES": [{k: v for k, v in TRADE.items() if k != "minors_forbidden"}]},
     "TRADES: trade 'porter' lacks 'minors_forbidden'"),
    ("trade flag not a bool", {"TRADES": [{**TRADE, "minors_forbidden": "是"}]},
     "TRADES: trade 'porter': minors_forbidden must be True or False"),
    ("trade of the wrong shape", {"TRADES": [("porter", "搬运装卸", "📦")]},
     "TRADES: trade 1 must be a mapping"),
    ("trades not a list", {"TRADES": "porter, cleaner"}, "TRADES: must be a list of trades"),
    ("duplicate trade code", {"TRADES": [TRADE, {**TRADE, "name": "装卸"}]},
     "TRADES: trade code 'porter' is used twice"),
    ("trade code with capitals", {"TRADES": [{**TRADE, "code": "Porter"}]},
     "TRADES: trade 'Porter': the code must be lower-case"),
    ("terminal using an unknown printer", {"KIOSK_TERMINALS": {"kiosk-1": {"printer": "front"}}},
     "KIOSK_TERMINALS: terminal 'kiosk-1' uses unknown printer 'front'"),
    ("misspelt terminal key", {"KIOSK_TERMINALS": {"kiosk-1": {"printr": "default"}}},
     "KIOSK_TERMINALS: terminal 'kiosk-1' has unknown key 'printr'"),
    ("terminal name with a space", {"KIOSK_TERMINALS": {"kiosk 1": {}}},
     "KIOSK_TERMINALS: terminal name 'kiosk 1'"),
    ("terminal address not an IP", {"KIOSK_TERMINALS": {"kiosk-1": {"address": "kiosk1.local"}}},
     "KIOSK_TERMINALS: terminal 'kiosk-1': address 'kiosk1.local' is not an IP address"),
    ("two terminals at one address",
     {"KIOSK_TERMINALS": {"kiosk-1": {"address": "192.168.1.21"}, "kiosk-2": {"address": "192.168.1.21"}}},
     "KIOSK_TERMINALS: terminals 'kiosk-1' and 'kiosk-2' both have address '192.168.1.21'"),
    ("terminal label too long", {"KIOSK_TERMINALS": {"kiosk-1": {"label": "大厅" * 11}}},
     "KIOSK_TERMINALS: terminal 'kiosk-1': the label must be 1 to 20 characters"),
    ("printer with a bad URL", {"PRINTERS": {"front": "tpc://192.168.1.50"}},
     "PRINTERS: printer 'front': printer URL 'tpc://192.168.1.50': unknown scheme"),
    ("printer with a bad option", {"PRINTERS": {"front": "tcp://192.168.1.50?paper=57"}},
     "PRINTERS: printer 'front': .*option paper must be one of 58|80"),
    ("bad PRINTER_URL", {"PRINTER_URL": "192.168.1.50:9100"}, "PRINTER_URL: printer URL"),
    ("bad phone", {"HALL_PHONE": "5820000"}, "HALL_PHONE: '5820000' is not a phone number"),
    ("bad complaint phone", {"HALL_COMPLAINT_PHONE": "人社局"},
     "HALL_COMPLAINT_PHONE: '人社局' is not a phone number"),
    ("empty hall name", {"HALL_NAME": "  "}, "HALL_NAME: must not be empty"),
    ("hall name too long", {"HALL_NAME": "沙县区" * 11}, "HALL_NAME: at most 30 characters"),
    ("no supervising department", {"HALL_SUPERVISOR": None}, "HALL_SUPERVISOR: must not be empty"),
    ("chip too long", {"CHECKIN_PHRASES": ["包吃", "包吃包住包接送还有班车"]},
     "CHECKIN_PHRASES: chip '包吃包住包接送还有班车' is too long"),
    ("too many chips", {"CHECKIN_PHRASES": [f"选项{i}" for i in range(13)]},
     "CHECKIN_PHRASES: at most 12 chips"),
    ("chips not a list", {"CHECKIN_PHRASES": "包吃、日结"}, "CHECKIN_PHRASES: must be a list"),
    ("duplicate chip", {"CHECKIN_PHRASES": ["日结", "日结"]}, "CHECKIN_PHRASES: chip '日结' is listed twice"),
    ("empty privacy version", {"PRIVACY_NOTICE_VERSION": ""}, "PRIVACY_NOTICE_VERSION: must be a short version"),
    ("retention of no years", {"RETENTION_YEARS": 0}, "RETENTION_YEARS: must be a whole number of years"),
    ("undo time in words", {"QUEUE_UNDO_SECONDS": "两分钟"},
     "QUEUE_UNDO_SECONDS: must be a whole number of seconds from 0 to 3600"),
    ("undo time of an hour and more", {"QUEUE_UNDO_SECONDS": 7200},
     "QUEUE_UNDO_SECONDS: must be a whole number of seconds from 0 to 3600"),
    # a kiosk that never resets would leave the last person's details on the screen
    ("idle time in words", {"KIOSK_IDLE_SECONDS": "一分钟"},
     "KIOSK_IDLE_SECONDS: must be a whole number of seconds from 1 to 3600"),
    ("no idle reset on forms", {"KIOSK_FORM_IDLE_SECONDS": 0},
     "KIOSK_FORM_IDLE_SECONDS: must be a whole number of seconds from 1 to 3600"),
    ("a warning as long as a film", {"KIOSK_IDLE_WARNING_SECONDS": 600},
     "KIOSK_IDLE_WARNING_SECONDS: must be a whole number of seconds from 0 to 60"),
    ("a rubric that does not exist", {"SCORE_RUBRIC": "shaxian-2025"},
     r"SCORE_RUBRIC: shaxian-2025.toml: no such rubric \(available: shaxian-2026\)"),
    ("a rubric named with its file ending", {"SCORE_RUBRIC": "shaxian-2026.toml"},
     "SCORE_RUBRIC: shaxian-2026.toml.toml: no such rubric"),
    ("no rubric", {"SCORE_RUBRIC": ""}, "SCORE_RUBRIC: must name a rubric file"),
]


def test_the_default_configuration_builds():
    config = HallConfig.from_mapping(GOOD)
    assert config.name == "沙县区零工市场" and config.supervisor == "沙县区人力资源和社会保障局"
    assert config.complaint_phone == "12333" and config.privacy_version == "2026-11"
    assert [s.prefix for s in config.services.values()] == ["A", "B", "C"]
    assert config.windows == {1: ("hire",), 2: ("hire", "consult"), 3: ("hire", "consult", "other")}
    assert config.trades_by_code["porter"].minors_forbidden is True
    assert config.trades_by_code["cleaner"].minors_forbidden is False
    assert config.trades_by_code["retired"].name == "retired"  # old records still show
    assert config.phrases[:3] == ("包吃", "包住", "日结")
    assert config.printers == {"default": "memory:default"} and config.terminals == {}


@pytest.mark.parametrize(("settings", "message"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_each_wrong_setting_is_refused_with_its_name(settings, message):
    with pytest.raises(HallConfigError) as caught:
        HallConfig.from_mapping({**GOOD, **settings})
    assert len(caught.value.problems) == 1, caught.value.problems
    assert re.match(message, caught.value.problems[0]), caught.value.problems[0]
    assert caught.value.problems[0] in str(caught.value)


def test_every_wrong_setting_is_reported_at_once():
    with pytest.raises(HallConfigError) as caught:
        HallConfig.from_mapping({**GOOD, "HALL_PHONE": "110", "HALL_NAME": "",
                                 "KIOSK_TERMINALS": {"kiosk-1": {"printer": "front"}}})
    assert [p.split(":")[0] for p in caught.value.problems] == ["HALL_NAME", "HALL_PHONE", "KIOSK_TERMINALS"]


def test_good_variants_are_accepted():
    config = HallConfig.from_mapping({
        **GOOD,
        "HALL_WINDOWS": {"2": ["consult", "other"], "1": ["hire"]},  # JSON from the environment
        "HALL_PHONE": "05985820000", "HALL_COMPLAINT_PHONE": 12345,  # LINGGONG_…=12345 is a number
        "PRINTERS": {"front": "memory:front", "back": "tcp://192.168.1.51:9100?paper=80&text=image"},
        "KIOSK_TERMINALS": {"kiosk-1": {"printer": "front", "label": "大厅1号机"},
                            "kiosk-2": {"address": "192.168.1.22"}},
        "CHECKIN_PHRASES": [],
    })
    assert list(config.windows) == [1, 2]
    assert config.complaint_phone == "12345"
    assert set(config.printers) == {"front", "back", "default"}
    assert config.terminals["kiosk-1"].printer == "front"
    assert config.terminals["kiosk-2"].printer == "default" and config.terminals["kiosk-2"].label == "kiosk-2"
    assert config.terminal_at("192.168.1.22").name == "kiosk-2" and config.terminal_at("10.0.0.1") is None


def test_a_wrong_setting_stops_create_app(make_app):
    with pytest.raises(HallConfigError, match="HALL_WINDOWS: window 3 serves unknown service 'consul'"):
        make_app(HALL_WINDOWS={1: ["hire"], 2: ["consult"], 3: ["consul", "other"]})


def test_a_typo_in_instance_config_stops_the_start(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance_secrets.create(str(tmp_path))
    (tmp_path / "config.py").write_text('HALL_PHONE = "0598-582000"\n')
    with pytest.raises(HallConfigError, match="HALL_PHONE: '0598-582000' is not a phone number"):
        create_app()
    (tmp_path / "config.py").write_text('HALL_SUPERVISOR = "三明市沙县区人力资源和社会保障局"\n')
    monkeypatch.setenv("LINGGONG_HALL_WINDOWS", '{"1": ["hire", "consult", "other"]}')
    app = create_app()
    with app.app_context():
        assert hall().supervisor == "三明市沙县区人力资源和社会保障局"
        assert hall().windows == {1: ("hire", "consult", "other")}


def test_configured_trades_chips_and_privacy_version_are_used(make_app):
    app = make_app(
        TRADES=[{"code": "tea", "name": "采茶", "icon": "🍃", "minors_forbidden": False}, TRADE],
        CHECKIN_PHRASES=["自带午饭", "按斤计价"], PRIVACY_NOTICE_VERSION="2027-01",
        QUEUE_SERVICES=SERVICES, HALL_WINDOWS={1: ["hire", "consult", "other"]},
    )
    client = app.test_client()
    form = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    assert "采茶" in form and "搬运装卸" in form and "保洁" not in form
    token_html = client.get("/kiosk/checkin").get_data(as_text=True)
    work_step = client.post("/kiosk/checkin/review", data={  # the phrases are on the work step
        "csrf_token": csrf_from(token_html), "stage": "who", "employer_type": "individual",
        "contact_name": "王老板", "phone": "13905980001", "service": "hire",
        "form_key": re.search(r'name="form_key" value="([^"]+)"', token_html).group(1),
    }).get_data(as_text=True)
    assert 'data-value="按斤计价"' in work_step and 'data-value="包吃"' not in work_step
    assert "告知版本：2027-01" in client.get("/kiosk/privacy").get_data(as_text=True)

    from tests.web.test_registration import post

    assert post(client, trades=["tea"]).status_code == 200
    assert post(client, trades=["cleaner"]).status_code == 422  # not this hall's trade
    with app.app_context():
        assert db.session.scalars(select(Worker.consent_version)).all() == ["2027-01"]


def test_start_screen_shows_the_supervising_department_and_complaint_phone(make_app):
    app = make_app(HALL_SUPERVISOR="沙县区人力资源和社会保障局", HALL_COMPLAINT_PHONE="0598-5831234")
    page = app.test_client().get("/kiosk/").get_data(as_text=True)
    block = page[page.index('class="supervision"'):]
    assert "监督单位" in block and "沙县区人力资源和社会保障局" in block
    assert "监督投诉电话" in block and "0598-5831234" in block
    privacy = app.test_client().get("/kiosk/privacy").get_data(as_text=True)
    assert "受沙县区人力资源和社会保障局监督" in privacy and "0598-5831234" in privacy


def test_the_example_instance_config_builds_and_lists_every_setting(tmp_path, monkeypatch):
    """instance/config.example.py, copied as it is, starts the hall with the defaults; it
    explains every setting a hall may change."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "instance" / "config.example.py"
    monkeypatch.setenv("LINGGONG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PRINTER_URL", raising=False)
    instance_secrets.create(str(tmp_path))
    (tmp_path / "config.py").write_text(example.read_text())
    app = create_app()
    with app.app_context():
        assert hall() == HallConfig.from_mapping({**GOOD, "PRINTER_URL": app.config["PRINTER_URL"]})
    text = example.read_text()
    not_per_hall = {"SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_HASH_KEY", "SQLALCHEMY_DATABASE_URI",
                    "SQLALCHEMY_ENGINE_OPTIONS", "SERVED_AT", "WTF_CSRF_TIME_LIMIT",
                    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE"}
    missing = [name for name in DEFAULTS if name not in not_per_hall
               and not re.search(rf"^#? ?{name} = ", text, re.M)]
    assert not missing, f"instance/config.example.py does not explain {missing}"
