"""The exit terminal (/kiosk/rate): a screen by the hall's door where visitors rate the service.
Thin routes; the rules are app/domain/ratings.py (``read_answer``) and the storing and the
stuffing limits app/services/ratings.py (``rate_at_terminal``).

Its own page (``kiosk/rate/page.html``), not a step of the kiosk's start screen: nothing leads
to registration or check-in, and every way back (idle, after the thanks, an error) is to the
five faces. The screens, each a partial swapped by htmx (a full page without it):

- ``GET /kiosk/rate``: the five faces (1 非常满意 … 5 非常不满意);
- ``GET /kiosk/rate/<level>``: 您是？ 零工 / 用工方 / 其他. For a good level (1–3) the role
  buttons post the rating: face and role, two taps, done;
- ``GET /kiosk/rate/<level>/<role>`` (bad levels only): the reasons, a short remark and a
  call-back phone, all optional, and 提交评价;
- ``POST /kiosk/rate`` (level, role, reasons…, comment, phone, csrf_token): 200 the thanks
  screen; 429 a kind "您刚刚已经评价过了" when the terminal is pressed too often
  (``StuffingRefused``, counted by the service); 422 for a bad value, nothing stored;
- ``GET /kiosk/rate/speech/<key>.wav``: one of the terminal's fixed words spoken by
  espeak-ng (``SPOKEN``), for a browser without a Chinese voice; 404 for any other key.
"""

from flask import abort, current_app, make_response, request, send_file, url_for

from app import htmx
from app.domain import InvalidFields
from app.domain.masking import mask_phone
from app.domain.ratings import (
    COMMENT_MAX,
    LEVEL_BY_VALUE,
    LEVELS,
    ROLE_ICONS,
    Level,
    RaterRole,
    Reason,
    read_answer,
)
from app.hall_config import hall
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import announcements
from app.services.ratings import StuffingRefused, rate_at_terminal
from app.terminals import current_terminal

from . import bp

PAGE = "kiosk/rate/page.html"
REFUSED_SAYING = "谢谢，您刚刚已经评价过了"
DETAIL_FIELDS = {"reasons", "comment", "phone"}  # asked on the third screen (bad levels only)
# A picture beside each reason, for visitors who read little (each is spoken when tapped too).
REASON_ICONS = {Reason.WAITED: "⏳", Reason.ATTITUDE: "😤", Reason.FALSE_INFO: "📋",
                Reason.INCONVENIENT: "🚧", Reason.OTHER: "💬"}

# Everything the terminal may say aloud, by key: the five level words, the three roles, the
# five reasons and the thanks. The speech route renders these and nothing else.
SPOKEN: dict[str, str] = {
    **{f"level-{level.value}": level.label for level in LEVELS},
    **{f"role-{role.value}": role.label for role in RaterRole},
    **{f"reason-{reason.value}": reason.label for reason in Reason},
    "thanks": "谢谢您的评价！",
    "refused": REFUSED_SAYING,
}


def screen(partial: str, status: int = 200, **context):
    """One screen of the exit terminal: the partial for htmx, else the whole page."""
    return htmx.render(PAGE, partial, status=status, step=partial, terminal=current_terminal(),
                       levels=LEVELS, roles=list(RaterRole), role_icons=ROLE_ICONS, reasons=list(Reason),
                       reason_icons=REASON_ICONS,
                       spoken=SPOKEN, speech=announcements.available(), **context)


@bp.get("/rate")
@allow(Audience.KIOSK)
@no_store
def rate():
    return screen("kiosk/rate/_faces.html")


@bp.get("/rate/<int:level>")
@allow(Audience.KIOSK)
@no_store
def rate_role(level: int):
    return screen("kiosk/rate/_role.html", level=_level_or_404(level))


@bp.get("/rate/<int:level>/<role>")
@allow(Audience.KIOSK)
@no_store
def rate_details(level: int, role: str):
    chosen = _level_or_404(level)
    if not chosen.bad:  # a good rating is done with its role: there is nothing more to ask
        abort(404)
    return _details(chosen, _role_or_404(role))


@bp.post("/rate")
@allow(Audience.KIOSK)
@checks_characters  # a control character in the remark is answered beside the field
@no_store
def rate_submit():
    form = request.form
    try:
        answer = read_answer(form.get("level", ""), form.get("role", ""), form.getlist("reasons"),
                             form.get("comment", ""), form.get("phone", ""))
    except InvalidFields as err:
        return _refused_values(err.errors)
    try:
        rate_at_terminal(answer)
    except StuffingRefused as err:
        return _after(screen("kiosk/rate/_thanks.html", 429, refused=err.message, level=answer.level))
    return _after(screen("kiosk/rate/_thanks.html", level=answer.level,
                         phone=mask_phone(answer.phone) if answer.phone else "",
                         follow_up=answer.level.bad))


@bp.get("/rate/speech/<key>.wav")
@allow(Audience.KIOSK)
def rate_speech(key: str):
    """One of the fixed words as audio/wav (rendered once, then cached); 503 without espeak-ng
    (rate.js then stays silent)."""
    text = SPOKEN.get(key)
    if text is None:
        abort(404)
    try:
        path = announcements.speech_wav(text)
    except announcements.SpeechUnavailable as exc:
        current_app.logger.warning("exit terminal speech unavailable: %s", exc)
        return "语音不可用", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return send_file(path, mimetype="audio/wav", max_age=3600)


# -- helpers ---------------------------------------------------------------------------------

def _level_or_404(value: int) -> Level:
    level = LEVEL_BY_VALUE.get(value)
    if level is None:
        abort(404)
    return level


def _role_or_404(value: str) -> RaterRole:
    try:
        return RaterRole(value)
    except ValueError:
        abort(404)


def _details(level: Level, role: RaterRole, status: int = 200, errors=None, posted=None):
    posted = posted or {}
    phone = posted.get("phone", "")
    return screen("kiosk/rate/_details.html", status, level=level, role=role, errors=errors or {},
                  comment_max=COMMENT_MAX,
                  chosen=posted.get("reasons", []), comment=posted.get("comment", ""), phone=phone,
                  # a number that was accepted is shown masked; one to correct, as typed
                  phone_shown=phone if (errors or {}).get("phone") else mask_phone(phone))


def _refused_values(errors: dict[str, str]):
    """422, nothing stored. A bad reason, remark or phone on a bad rating: that screen again
    with the message beside the field. Anything else (no such level or role, reasons sent
    with a good level: a forged or stale form): a page that says so, and back to the faces."""
    form = request.form
    level_value, role_value = form.get("level", "").strip(), form.get("role", "")
    level = next((level for level in LEVELS if str(level.value) == level_value), None)
    role = RaterRole(role_value) if role_value in set(RaterRole) else None
    if level is not None and level.bad and role is not None and not errors.keys() - DETAIL_FIELDS:
        comment = "".join(ch for ch in form.get("comment", "")[:400] if ch >= " " and ch != "\x7f")
        posted = {"reasons": form.getlist("reasons"), "comment": comment,
                  "phone": "".join(form.get("phone", "").split())[:20]}
        return _details(level, role, 422, errors, posted)
    return screen("kiosk/rate/_invalid.html", 422, errors=errors)


def _after(answer):
    """The thanks (or the kind refusal) goes back to the faces by itself: rate.js counts
    down; a browser without JavaScript follows the Refresh header of the whole page."""
    resp = make_response(answer)
    if not htmx.wants_fragment():
        resp.headers["Refresh"] = f"{hall().rating_thanks_seconds}; url={url_for('kiosk.rate')}"
    return resp
