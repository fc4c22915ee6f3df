"""Administration: staff accounts and the security log (manager), the audit trail (manager, assessor)."""

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user

from app import htmx
from app.auth.forms import UserForm
from app.clock import hall_period, hall_tz
from app.extensions import db
from app.forms import first_errors
from app.models import Role, StaffUser
from app.policy import Audience, allow
from app.security import checks_characters
from app.services import accounts, audit, metrics

from . import labels

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@allow(Audience.MANAGER)
@checks_characters
def users():
    form = UserForm()
    errors, status = {}, 200
    if request.method == "POST":
        if form.validate():
            try:
                accounts.create_user(form.username.data, form.password.data, Role(form.role.data),
                                     form.display_name.data, full_time=form.full_time.data)
                return htmx.redirect_to("admin.users")
            except accounts.AccountError as err:
                errors = {err.field: err.message}
        else:
            errors = first_errors(form)
        status = 422
    return render_template("admin/users.html", form=form, errors=errors, users=accounts.list_users(),
                           full_time=metrics.measure("full_time_staff", hall_period()).value), status


@bp.post("/users/<id:user_id>/full-time")
@allow(Audience.MANAGER)
def user_full_time(user_id: int):
    """专职 or not (item B5 asks for at least 3 full-time staff); the button says which."""
    accounts.set_full_time(db.get_or_404(StaffUser, user_id), request.form.get("full_time") == "1")
    return htmx.redirect_to("admin.users")


@bp.get("/attempts")
@allow(Audience.MANAGER)
def attempts():
    """Sign-ins and 老客户 lookups per day, kind, client address and outcome (last 7 days):
    repeated probing or guessing shows up here."""
    return render_template("admin/attempts.html", rows=accounts.attempt_summary(days=7))


@bp.get("/audit")
@allow(Audience.MANAGER, Audience.ASSESSOR)
def audit_trail():
    """The trail, filtered by record, user and hall-local dates; the chain checked on request."""
    args = request.args
    since, until = _local_day(args.get("from")), _local_day(args.get("to"))
    record_id = args.get("id", "")
    rows = audit.entries(record_type=args.get("type") or None,
                         record_id=int(record_id) if record_id.isdigit() and len(record_id) < 10 else None,
                         actor_label=(args.get("user") or "").strip()[:80] or None,
                         since=since, until=until + timedelta(days=1) if until else None)
    verdict = audit.verify() if args.get("verify") == "1" else None
    return render_template("admin/audit.html", rows=rows, verdict=verdict, args=args,
                           record_labels=audit.RECORD_LABELS, action_labels=audit.ACTION_LABELS,
                           change_text=labels.values, detail_text=_detail_for(current_user.role))


# Records whose steps carry a reason typed by staff, which may name the people of a case or an
# incident: the assessor reads it on the case's page or the incident log, where names are masked.
FREE_TEXT_RECORDS = {"dispute_case", "incident"}


def _detail_for(role: Role):
    if role != Role.ASSESSOR:
        return labels.detail

    def detail(record_type: str, action: str, text: str | None) -> str:
        if record_type in FREE_TEXT_RECORDS and text:
            return "（说明文字见案件页面或事件登记，姓名已隐去）"
        return labels.detail(record_type, action, text)

    return detail


def _local_day(raw: str | None):
    """The UTC start of a hall-local date given as YYYY-MM-DD, or None."""
    try:
        day = date.fromisoformat((raw or "")[:10])
    except ValueError:
        return None
    return datetime.combine(day, time(), hall_tz()).astimezone(UTC).replace(tzinfo=None)


from . import rating_routes, records_routes, score_routes  # noqa: E402,F401  (they register on bp)
