"""Keep personal-page tokens out of logs.

``/w/<token>`` (a worker's own record), ``/q/<token>`` (a queue ticket's status),
``/c/<token>`` (a dispute case's progress), ``/d/<token>`` (a deal's) and ``/v/<token>`` (the
check page of a deal's agreement) are opened by whoever holds the token, and so are
the pages under them (``/w/<token>/delete``, ``/w/<token>/rate``, ``/q/<token>/rate``,
``/c/<token>/rate``, ``/d/<token>/rate``: whoever has the token can rate the slip's service),
so a token in a log file is as good as the QR on the slip. Every log line that could carry
such a URL shows ``/w/***`` (``/q/***/rate``) instead:

- gunicorn's access log (``make run`` passes ``--logger-class app.log_redaction.RedactingLogger``):
  the request line, path, referer and every other atom, and gunicorn's error log
  ("Error handling request /w/…");
- the Flask app's logger ("Exception on /w/… [GET]") and the Werkzeug development server's
  request log (``flask run``), through :func:`init_app`.
"""

import logging
import re

from gunicorn import glogging

# /w/, /q/, /c/, /d/ or /v/ followed by the token, up to the next /, ?, #, space or quote.
# Percent-encoded spellings (/%77/, /w%2F) reach the same page, so they are redacted too.
_TOKEN_PATH = re.compile(
    r"((?:/|%2f)(?:w|q|c|d|v|%77|%71|%63|%64|%76)(?:/|%2f))(?:(?!%2f)[^/?#\s\"'])+", re.IGNORECASE
)


def redact(text: str) -> str:
    """``text`` with every personal-page token replaced by ``***``."""
    return _TOKEN_PATH.sub(r"\1***", text)


class RedactTokens(logging.Filter):
    """A logging filter that rewrites the message of any record naming a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with tokens redacted from the access log and the error log."""

    def __init__(self, cfg):
        super().__init__(cfg)
        _add_filter(self.error_log)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


def _add_filter(logger: logging.Logger) -> None:
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())


def init_app(app) -> None:
    _add_filter(app.logger)
    _add_filter(logging.getLogger("werkzeug"))
