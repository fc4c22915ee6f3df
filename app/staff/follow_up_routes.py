"""差评回访: the follow-up of bad ratings. Staff and the manager record calls and corrective
actions; the assessor reads the list and the details (the phone masked, no reveal, no steps).
The alert bar's line about them is ``follow_up_alert`` (a lazy global: one COUNT query, made
only when the bar is drawn)."""

from flask import flash, render_template, request
from flask_login import current_user

from app import htmx
from app.clock import local_today
from app.domain import Conflict, Invalid
from app.domain.ratings import NOTE_MAX, FollowUpStatus, FollowUpStep
from app.extensions import db
from app.models import RatingFollowUp, Role
from app.policy import Audience, allow
from app.security import no_store
from app.services import follow_ups

from .routes import alert_line, bp

alert_line("follow_up_alert", follow_ups.alert_for)


@bp.get("/follow-ups")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def follow_ups_list():
    shown = follow_ups.Shown.of(request.args.get("show"))
    raw = request.args.get("page", "")
    number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    today = local_today()
    return render_template("staff/follow_ups.html", shown=shown, shown_labels=follow_ups.Shown.LABELS,
                           found=follow_ups.page(shown, number, today), today=today,
                           missing_year=follow_ups.next_year_missing(today))


def _detail(follow_up: RatingFollowUp, status: int = 200, *, values=None, errors=None,
            phone: str | None = None):
    can_act = current_user.role != Role.ASSESSOR
    return render_template(
        "staff/follow_up_detail.html", row=follow_ups.row(follow_up), follow_up=follow_up,
        steps=follow_ups.steps_offered(follow_up) if can_act else [], can_act=can_act,
        values=values or {}, errors=errors or {}, phone=phone, note_max=NOTE_MAX), status


@bp.get("/follow-ups/<id:follow_up_id>")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
@no_store
def follow_up(follow_up_id: int):
    return _detail(db.get_or_404(RatingFollowUp, follow_up_id))


@bp.post("/follow-ups/<id:follow_up_id>/steps")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def follow_up_step(follow_up_id: int):
    follow_up = db.get_or_404(RatingFollowUp, follow_up_id)
    values = {"step": request.form.get("step", ""), "note": request.form.get("note", "")}
    try:
        step = FollowUpStep(values["step"])
    except ValueError:
        return _detail(follow_up, 422, values=values, errors={"step": "请选择这次的处理结果"})
    try:
        follow_ups.record_step(follow_up, step, values["note"], user=current_user)
    except Invalid as err:
        return _detail(follow_up, 422, values=values, errors={err.field or "note": err.message})
    except Conflict as err:
        db.session.refresh(follow_up)
        return _detail(follow_up, 409, values=values, errors={"form": err.message})
    closed = follow_up.status == FollowUpStatus.DONE
    flash(f"已记录：{step.label}" + ("。本条回访已办结" if closed else ""), "ok")
    return htmx.redirect_to("staff.follow_up", follow_up_id=follow_up.id)


@bp.post("/follow-ups/<id:follow_up_id>/phone")
@allow(Audience.STAFF, Audience.MANAGER)
@no_store
def follow_up_phone(follow_up_id: int):
    """The full number, once, on this response (audited); never cached, never in a URL."""
    follow_up = db.get_or_404(RatingFollowUp, follow_up_id)
    try:
        phone = follow_ups.reveal_phone(follow_up, user=current_user)
    except (Invalid, Conflict) as err:
        return _detail(follow_up, 409 if isinstance(err, Conflict) else 422, errors={"phone": err.message})
    return _detail(follow_up, phone=phone)
