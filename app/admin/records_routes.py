"""What only staff know, for the score sheet: livestream sessions (D1), follower counts (F1),
and the manager's score settings (service start, the money, each year's rubric).

Staff and the manager enter and void records; the assessor reads everything, voided
entries included. Registered on the ``admin`` blueprint (see ``app/admin/__init__.py``).
"""

from datetime import timedelta

from flask import current_app, flash, render_template, request, url_for
from flask_login import current_user

from app import htmx
from app import scoring as rubrics
from app.clock import local_today
from app.domain import Conflict, Invalid
from app.extensions import db
from app.forms import first_errors
from app.models import FollowerCount, Livestream, LivestreamKind, Role
from app.policy import Audience, allow
from app.security import checks_characters
from app.services import assessment, audit, outreach, voiding
from app.template_helpers import cn_date

from .forms import ScoreSettingsForm
from .routes import bp

LIVESTREAM_FIELDS = ("held_on", "platform", "kind", "minutes", "viewers", "postings_promoted", "note")
FOLLOWER_FIELDS = ("counted_on", "followers", "note")


def _year() -> outreach.Year:
    raw = request.args.get("year", "")
    return outreach.year(int(raw) if raw.isdigit() and len(raw) <= 4 else None)


def entry_days() -> dict:
    """Today and yesterday in the hall, for the date fields' quick-fill chips."""
    today = local_today()
    return {"today_iso": today.isoformat(), "yesterday_iso": (today - timedelta(days=1)).isoformat()}


def year_choices(shown: outreach.Year) -> list[tuple[int, str]]:
    if shown.assessment:
        return [(n, f"第{n}考核年度") for n in assessment.numbers()]
    this = outreach.year().number
    return [(n, f"{n}年") for n in range(this - 2, this + 1)]


# -- livestreams (D1) --------------------------------------------------------------------

def _livestream_page(status=200, values=None, errors=None):
    shown = _year()
    month = outreach.month_of(shown, request.args.get("month"))
    rows = outreach.livestreams(shown, month)
    return render_template(
        "admin/livestreams.html", shown=shown, month=month, rows=rows, people=voiding.people(rows),
        per_month=outreach.sessions_per_month(shown), year_choices=year_choices(shown),
        platforms=outreach.PLATFORMS, kinds=list(LivestreamKind), values=values or {},
        errors=errors or {}, can_enter=current_user.role != Role.ASSESSOR, **entry_days()), status


@bp.get("/livestreams")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
def livestreams():
    return _livestream_page()


@bp.post("/livestreams/add")
@allow(Audience.STAFF, Audience.MANAGER)
def livestream_add():
    values = {name: request.form.get(name, "") for name in LIVESTREAM_FIELDS}
    try:
        row = outreach.add_livestream(**values, user=current_user)
    except Invalid as err:
        return _livestream_page(422, values, err.errors)
    flash(f"已保存：{cn_date(row.held_on)} {row.platform} {row.kind.label}直播", "ok")
    return htmx.redirect_to("admin.livestreams")


@bp.post("/livestreams/<id:row_id>/void")
@allow(Audience.STAFF, Audience.MANAGER)
def livestream_void(row_id: int):
    row = db.get_or_404(Livestream, row_id)
    lines = [f"{cn_date(row.held_on)} · {row.platform} · {row.kind.label} · {row.minutes}分钟 · "
             f"观看{row.viewers:,}人"]
    return void_page(row, outreach.void_livestream, "作废这条直播记录", lines, "不再计入直播场次（D1）",
                 back="admin.livestreams", listed="livestream-list")


# -- follower counts (F1) ----------------------------------------------------------------

def _follower_page(status=200, values=None, errors=None):
    shown = outreach.year()
    rows = outreach.follower_counts()
    return render_template(
        "admin/followers.html", shown=shown, rows=rows, people=voiding.people(rows),
        counted=outreach.counted_follower(shown), values=values or {}, errors=errors or {},
        can_enter=current_user.role != Role.ASSESSOR, **entry_days()), status


@bp.get("/followers")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
def followers():
    return _follower_page()


@bp.post("/followers/add")
@allow(Audience.STAFF, Audience.MANAGER)
def follower_add():
    values = {name: request.form.get(name, "") for name in FOLLOWER_FIELDS}
    try:
        row = outreach.add_follower_count(**values, user=current_user)
    except Invalid as err:
        return _follower_page(422, values, err.errors)
    flash(f"已保存：{cn_date(row.counted_on)} 关注人数 {row.followers:,} 人", "ok")
    return htmx.redirect_to("admin.followers")


@bp.post("/followers/<id:row_id>/void")
@allow(Audience.STAFF, Audience.MANAGER)
def follower_void(row_id: int):
    row = db.get_or_404(FollowerCount, row_id)
    lines = [f"{cn_date(row.counted_on)} · 关注人数 {row.followers:,} 人"]
    return void_page(row, outreach.void_follower_count, "作废这条关注人数记录", lines,
                 "不再作为公众号关注人数（F1）计分", back="admin.followers", listed="follower-list")


def void_page(row, void, title: str, lines: list[str], effect: str, *, back: str, listed: str):
    """Voiding cannot be undone: the first POST shows the record and asks for the reason;
    the POST with ``confirm=yes`` and a reason voids it, then back to the list (``listed``,
    where the struck-through row is). Also the incident log's (app/staff/incident_routes.py)."""
    reason, errors, status = request.form.get("reason", ""), {}, 200
    if row.voided:
        raise Conflict("这条记录已经作废，无需再作废")
    if request.form.get("confirm") == "yes":
        try:
            void(row, reason, current_user)
            flash(f"已作废：{lines[0]}", "ok")
            return htmx.redirect_to(back, _anchor=listed)
        except Invalid as err:
            errors, status = err.errors, 422
    return render_template("admin/void.html", title=title, lines=lines, effect=effect,
                           endpoint=request.url_rule.endpoint, row_id=row.id, reason=reason,
                           errors=errors, cancel_url=url_for(back)), status


# -- score settings ----------------------------------------------------------------------

def _settings_page(form: ScoreSettingsForm | None = None, status=200, errors=None):
    row = assessment.settings()
    if form is None:
        form = ScoreSettingsForm(formdata=None, data=_settings_values(row))
    periods = [{"number": number, "version": assessment.rubric_for(number).version,
                "locked": assessment.current_snapshot(number) is not None,
                "period": assessment.period(number) if row and row.service_start else None,
                "changed": _last_change("period_rubric", number)} for number in assessment.numbers()]
    return render_template(
        "admin/score_settings.html", form=form, row=row, errors=errors or {}, periods=periods,
        versions=rubrics.versions(), default_version=current_app.config["SCORE_RUBRIC"],
        changed=_last_change("assessment_settings", 1),
        can_edit=current_user.role == Role.MANAGER), status


def _last_change(record_type: str, record_id: int):
    """Who changed it last, and when: the newest entry of the audit trail."""
    return next(iter(audit.entries(record_type=record_type, record_id=record_id, limit=1)), None)


def _settings_values(row) -> dict:
    if row is None:
        return {}
    money = {name: "" if getattr(row, name) is None else f"{getattr(row, name):.2f}"
             for name in assessment.MONEY_FIELDS}
    return {"service_start": row.service_start.isoformat() if row.service_start else "", **money}


@bp.get("/score/settings")
@allow(Audience.MANAGER, Audience.ASSESSOR)
def score_settings():
    return _settings_page()


@bp.post("/score/settings/save")
@allow(Audience.MANAGER)
@checks_characters
def score_settings_save():
    form = ScoreSettingsForm()
    if not form.validate():
        return _settings_page(form, 422, first_errors(form))
    try:
        assessment.save_settings(service_start=form.service_start.cleaned,
                              contract_amount=form.contract_amount.cleaned,
                              bid_price=form.bid_price.cleaned, network_fee=form.network_fee.cleaned,
                              user=current_user)
    except Invalid as err:
        return _settings_page(form, 422, err.errors)
    except Conflict as err:
        return _settings_page(form, 409, {"service_start": err.message})
    flash("考核设置已保存", "ok")
    return htmx.redirect_to("admin.score_settings")


@bp.post("/score/settings/rubric/<int:number>")
@allow(Audience.MANAGER)
def score_rubric_save(number: int):
    if number not in assessment.numbers():
        return _settings_page(status=422, errors={f"version-{number}": "没有这个考核年度"})
    try:
        assessment.set_rubric(number, request.form.get("version", ""), current_user)
    except Invalid as err:
        return _settings_page(status=422, errors={f"version-{number}": err.message})
    except Conflict as err:
        return _settings_page(status=409, errors={f"version-{number}": err.message})
    flash(f"第{number}考核年度的评分细则已保存", "ok")
    return htmx.redirect_to("admin.score_settings")
