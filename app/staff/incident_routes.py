"""事件登记: the hall's incident log (items B8, B9). Staff and the manager enter incidents and
void those entered in error, with a reason; nothing is deleted. The assessor reads the list,
voided entries included, with who was involved masked (``incidents.involved_for``).

The list shows an assessment year (the calendar year until the service start date is set),
or one of its months, and one kind or all; it is the same shape as 直播场次 (the void step
and its page are ``app.admin.records_routes.void_page``).
"""

from flask import flash, render_template, request
from flask_login import current_user

from app import htmx
from app.admin.records_routes import entry_days, void_page, year_choices
from app.clock import format_local, local_now
from app.domain import Conflict, Invalid
from app.domain.disputes import IncidentKind
from app.extensions import db
from app.forms import checked_form_key, new_form_key
from app.models import Incident, Role
from app.policy import Audience, allow
from app.security import no_store
from app.services import dispute_figures, incidents, outreach, voiding

from .routes import bp

# Where in the hall, to tap (the field takes any other place too).
PLACES = ("大厅入口", "取号等候区", "服务窗口", "招工信息发布区", "自助终端旁", "大厅门外")


def _year() -> outreach.Year:
    raw = request.args.get("year", "")
    return outreach.year(int(raw) if raw.isdigit() and len(raw) <= 4 else None)


def _kind() -> IncidentKind | None:
    try:
        return IncidentKind(request.args.get("kind", ""))
    except ValueError:
        return None


def _page(status=200, values=None, errors=None):
    shown = _year()
    month = outreach.month_of(shown, request.args.get("month"))
    kind = _kind()
    within = month or shown.period
    rows = incidents.listed(within.start, within.end, kind)
    role = current_user.role
    now = local_now()
    return render_template(
        "staff/incidents.html", shown=shown, month=month, kind=kind, rows=rows,
        involved={row.id: incidents.involved_for(row, role) for row in rows},
        said=lambda row, text: incidents.said_for(row, text, role),
        people=voiding.people(rows), per_month=dispute_figures.incident_months(shown.period),
        year_choices=year_choices(shown), kinds=list(IncidentKind), places=PLACES,
        values=values or {"police_called": "no", "form_key": new_form_key()}, errors=errors or {},
        can_enter=role != Role.ASSESSOR,
        now_time=now.strftime("%H:%M"), **entry_days()), status


@bp.get("/incidents")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def incidents_list():
    return _page()


# The list's address: OPTIONS answers for the list (which the assessor may read), not for this.
@bp.post("/incidents", provide_automatic_options=False)
@allow(Audience.STAFF, Audience.MANAGER)
def incident_add():
    values = {name: request.form.get(name, "") for name in incidents.FIELDS}
    try:  # the page's own key; optional for other clients, but a key not issued here is refused
        raw_key = request.form.get("form_key")
        form_key = checked_form_key(raw_key) if raw_key else None
    except Invalid as err:
        values["form_key"] = new_form_key()
        return _page(422, values, {"form": err.message})
    values["form_key"] = form_key or new_form_key()
    try:
        row = incidents.log(incidents.read_form(values), current_user, form_key=form_key)
    except Invalid as err:
        return _page(422, values, err.errors)
    flash(f"已登记：{format_local(row.occurred_at)} {row.place} {row.kind.label}", "ok")
    return htmx.redirect_to("staff.incidents_list")


@bp.post("/incidents/<id:row_id>/void")
@allow(Audience.STAFF, Audience.MANAGER)
def incident_void(row_id: int):
    row = db.get_or_404(Incident, row_id)
    if row.voided:
        who = voiding.people([row]).get(row.voided_by_id)
        raise Conflict(f"这条记录已于 {format_local(row.voided_at)} 由 {who.display_name if who else '—'} "
                       f"作废（原因：{row.void_reason}），无需再作废")
    lines = [f"{format_local(row.occurred_at)} · {row.kind.label} · {row.place}",
             f"处理结果：{row.outcome}"]
    return void_page(row, incidents.void, "作废这条事件记录", lines,
                     f"不再计入{incidents.counts_for(row.kind)}", back="staff.incidents_list",
                     listed="incident-list")
