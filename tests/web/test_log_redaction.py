"""Personal-page tokens (/w/, /q/, /c/, /d/, /v/<token>) never reach a log line."""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn import util
from gunicorn.config import Config

from app.log_redaction import RedactingLogger, redact
from app.policy import Audience, allow

TOKEN = "Zq3xS3cr3tT0kenAbc_-9"
MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def gunicorn_logger(access_log_format=None) -> RedactingLogger:
    cfg = Config()
    cfg.set("accesslog", "-")
    if access_log_format:
        cfg.set("access_log_format", access_log_format)
    return RedactingLogger(cfg)


def fake_request(raw_uri: str, referer: str = "-"):
    path = raw_uri.split("?", 1)[0]
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": raw_uri, "PATH_INFO": path,
        "QUERY_STRING": raw_uri.partition("?")[2], "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.168.1.23", "HTTP_REFERER": referer, "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14)",
    }
    req = SimpleNamespace(headers=[("REFERER", referer), ("USER-AGENT", environ["HTTP_USER_AGENT"]),
                                   ("HX-CURRENT-URL", f"http://hall.test{raw_uri}")])
    resp = SimpleNamespace(status="200 OK", headers=[("Content-Type", "text/html")], sent=1234)
    return resp, req, environ, timedelta(milliseconds=12)


@pytest.mark.parametrize("raw_uri,path", [
    (f"/w/{TOKEN}", "/w/***"),
    (f"/w/{TOKEN}/delete", "/w/***/delete"),
    (f"/w/{TOKEN}/rate", "/w/***/rate"),  # the slip's rating page, and what it posts to
    (f"/q/{TOKEN}/rate?x=1", "/q/***/rate?x=1"),
    (f"/q%2F{TOKEN}%2Frate", "/q%2F***%2Frate"),
    (f"/q/{TOKEN}?t=1", "/q/***?t=1"),
    (f"/%77/{TOKEN}", "/%77/***"),
    (f"/q%2F{TOKEN}", "/q%2F***"),
    (f"//w/{TOKEN}", "//w/***"),
    (f"/c/{TOKEN}/rate", "/c/***/rate"),  # a dispute case's page, a deal's, an agreement's check
    (f"/d/{TOKEN}", "/d/***"),
    (f"/v/{TOKEN}", "/v/***"),
    (f"/%76/{TOKEN}", "/%76/***"),
])
def test_access_log_atoms_carry_no_token(raw_uri, path):
    atoms = gunicorn_logger().atoms(*fake_request(raw_uri, referer=f"http://192.168.1.10:5000/w/{TOKEN}"))
    assert atoms["r"] == f"GET {path} HTTP/1.1"
    assert atoms["U"] == path.split("?")[0]
    assert atoms["f"] == "http://192.168.1.10:5000/w/***"
    assert not [key for key, value in atoms.items() if isinstance(value, str) and TOKEN in value]


@pytest.mark.parametrize("path", ["/kiosk/", "/kiosk/checkin", "/staff/workers/12", "/staff/queue/1/live",
                                  "/static/vendor/htmx-2.0.11.min.js", "/display/board", "/admin/users",
                                  "/setup", "/"])
def test_other_paths_are_logged_unchanged(path):
    atoms = gunicorn_logger().atoms(*fake_request(path + "?x=1", referer=f"http://192.168.1.10:5000{path}"))
    assert atoms["r"] == f"GET {path}?x=1 HTTP/1.1" and atoms["U"] == path
    assert atoms["f"] == f"http://192.168.1.10:5000{path}"
    assert atoms["a"] == "Mozilla/5.0 (Linux; Android 14)" and atoms["h"] == "192.168.1.23"


def capture(logger: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    return stream


def test_the_access_log_line_and_the_error_log_carry_no_token():
    log = gunicorn_logger('%(h)s "%(r)s" %(s)s "%(f)s" "%({hx-current-url}i)s" %(U)s')
    access, error = capture(log.access_log), capture(log.error_log)
    log.access(*fake_request(f"/q/{TOKEN}", referer=f"http://hall.test/q/{TOKEN}"))
    log.exception("Error handling request %s", f"/w/{TOKEN}")
    assert access.getvalue().strip() == (
        '192.168.1.23 "GET /q/*** HTTP/1.1" 200 "http://hall.test/q/***" "http://hall.test/q/***" /q/***')
    assert error.getvalue().startswith("Error handling request /w/***")
    assert TOKEN not in access.getvalue() + error.getvalue()


def test_make_run_uses_the_redacting_logger():
    run_recipe = MAKEFILE.read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    name = re.search(r"--logger-class\s+(\S+)", run_recipe).group(1)
    assert util.load_class(name, default="gunicorn.glogging.Logger", section="gunicorn.loggers") is RedactingLogger


def test_flask_and_development_server_logs_carry_no_token(make_app, caplog, monkeypatch):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    # Other tests in this process may have silenced these loggers: Alembic's fileConfig (the
    # migration tests) disables existing loggers, the browser tests quieten Werkzeug's.
    for logger in (app.logger, logging.getLogger("werkzeug")):
        monkeypatch.setattr(logger, "disabled", False)

    @app.get("/w/<token>/boom")
    @allow(Audience.PUBLIC)
    def boom(token):
        raise RuntimeError("boom")

    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="werkzeug"), \
            caplog.at_level(logging.INFO, logger=app.logger.name):
        assert app.test_client().get(f"/w/{TOKEN}/boom").status_code == 500
        # what Werkzeug's development server logs for each request (flask run)
        logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s %s', "127.0.0.1", "01/Dec/2026 07:30:00",
                                           f"GET /q/{TOKEN} HTTP/1.1", "200", "-")
    messages = [record.getMessage() for record in caplog.records]
    assert "Exception on /w/***/boom [GET]" in messages
    assert any('"GET /q/*** HTTP/1.1" 200' in m for m in messages)
    assert TOKEN not in caplog.text


def test_redact_leaves_ordinary_text_alone():
    assert redact("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36") == "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"
    assert redact(f"see http://hall.test/w/{TOKEN}#top and /q/{TOKEN}") == "see http://hall.test/w/***#top and /q/***"
