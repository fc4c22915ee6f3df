"""The score page (考核评分): an assessment year's sheet, live or as locked, with the grade
and the money; the records behind each figure (page and CSV); the JSON; the A4 print;
what-if figures; the assessor's manual points, locking and unlocking.

The manager and the assessor read everything here (personal data masked); only the assessor
enters points and locks. The views are thin: ``app.services.score_page`` arranges the card
of ``app.services.scoring``, ``app.services.score_evidence`` lists the records.
"""

from io import BytesIO

from flask import Response, abort, flash, jsonify, render_template, request, send_file, stream_with_context
from flask_login import current_user

from app import htmx
from app.clock import local_now
from app.domain import Conflict, DomainError, Invalid
from app.extensions import db
from app.policy import Audience, allow
from app.security import no_store
from app.services import assessment, score_evidence, score_exports, score_locks, score_page, scoring
from app.services import score_what_if as scenario  # the what-if form (score_what_if is its view)

from .routes import bp

READERS = (Audience.MANAGER, Audience.ASSESSOR)


def _known(number: int) -> int:
    """A year the page offers, or 404; without a service start date, the domain's 422."""
    if assessment.service_start() is None:
        raise Invalid("请经理先在考核设置中填写服务起始日期")
    if number not in assessment.numbers():
        abort(404)
    return number


def _arg_number() -> int:
    raw = request.args.get("period", "")
    if not raw:
        return assessment.current_number()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
        abort(404)
    return _known(int(raw))


@bp.get("/score")
@allow(*READERS)
def score():
    if assessment.service_start() is None:
        return render_template("admin/score/no_settings.html",
                               settings_url=score_page.endpoint_url("admin.score_settings"))
    return _page(_arg_number())


def _page(number: int, status: int = 200, errors: dict | None = None, typed: dict | None = None):
    view = score_page.overview(number)
    what_if = None
    if view.figures is not None:
        what_if = {"fields": scenario.what_if_fields(view.card.rubric),
                   "filled": scenario.what_if_values(view.card.rubric, view.figures),
                   "errors": {}, "result": None}
    return render_template("admin/score/page.html", view=view, card=view.card, what_if=what_if,
                           errors=errors or {}, typed=typed or {}, money=score_page.money), status


@bp.post("/score/<int:period>/items/<item>/manual")
@allow(Audience.ASSESSOR)
def score_manual(period: int, item: str):
    number, key = _known(period), item[:10]
    try:
        assessment.enter_manual(number, key, request.form.get("points", ""),
                             request.form.get("note", ""), current_user)
    except Invalid as err:
        db.session.rollback()
        return _page(number, 422, errors={"key": key, "fields": err.errors},
                     typed={"key": key, "points": request.form.get("points", "")[:20],
                            "note": request.form.get("note", "")[:300]})
    flash(f"已保存 {key} 的评分", "ok")
    return htmx.redirect_to("admin.score", period=number, _anchor=f"item-{key}")


@bp.get("/score/<int:period>/what-if")
@allow(*READERS)
def score_what_if(period: int):
    """Figures typed by the manager: the total, grade and money they would give."""
    number = _known(period)
    card = scoring.card(number)
    rubric, status = card.rubric, 200
    state = {"fields": scenario.what_if_fields(rubric), "errors": {}, "result": None}
    if request.args:
        state["filled"] = request.args
        try:
            figures = scenario.parse_what_if(rubric, request.args, len(scoring.months(card.period)))
            state["result"] = scenario.what_if(card, figures)
        except Invalid as err:
            state["errors"], status = err.errors, 422
    else:
        state["filled"] = scenario.what_if_values(rubric, scoring.live_figures(number))
    return htmx.render("admin/score/what_if.html", "admin/score/_what_if.html", status=status,
                       card=card, what_if=state, money=score_page.money)


@bp.post("/score/<int:period>/lock")
@allow(Audience.ASSESSOR)
def score_lock(period: int):
    """Two steps: the first POST shows what locking does; the second (confirm=yes) locks."""
    number = _known(period)
    if assessment.current_snapshot(number) is not None:
        raise Conflict("该考核年度已经锁定")
    if request.form.get("confirm") != "yes":
        card = scoring.card(number)
        return render_template("admin/score/confirm.html", action="lock", card=card,
                               figures=score_locks.figures_hash(card),
                               pending=[r["key"] for r in card.content["rows"]
                                        if r["source"] == "assessor" and not r["entered"]])
    score_locks.lock(number, current_user, confirmed=request.form.get("figures", ""))
    flash(f"第{number}年已锁定", "ok")
    return htmx.redirect_to("admin.score", period=number)


@bp.post("/score/<int:period>/unlock")
@allow(Audience.ASSESSOR)
def score_unlock(period: int):
    """Two steps, the second with the reason (kept with the snapshot and in the trail)."""
    number = _known(period)
    if assessment.current_snapshot(number) is None:
        raise Conflict("该考核年度没有锁定")
    if request.form.get("confirm") != "yes":
        return render_template("admin/score/confirm.html", action="unlock", card=scoring.card(number))
    reason = request.form.get("reason", "")
    try:
        score_locks.unlock(number, reason, current_user)
    except Invalid as err:
        db.session.rollback()
        return render_template("admin/score/confirm.html", action="unlock", card=scoring.card(number),
                               errors=err.errors, reason=reason[:200]), 422
    flash(f"第{number}年已解锁", "ok")
    return htmx.redirect_to("admin.score", period=number)


def _evidence(period: int, key: str, everything: bool = False) -> score_evidence.Evidence:
    number = _known(period)
    page = request.args.get("page", "1")
    number_of_page = int(page) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    try:
        return score_evidence.evidence(number, key[:10], request.args.get("counter") or None,
                                       page=number_of_page, everything=everything)
    except KeyError:
        abort(404)


@bp.get("/score/<int:period>/items/<key>")
@allow(*READERS)
@no_store
def score_records(period: int, key: str):
    """The records behind an item's figure, 50 a page, masked."""
    found = _evidence(period, key)
    snapshot = assessment.current_snapshot(period)
    locked_value = None
    if snapshot is not None:
        locked_value = next((i["value"] for i in snapshot.content["items"]
                             if i["key"] == found.item.key), None)
    return render_template("admin/score/records.html", found=found, locked_value=locked_value,
                           period=assessment.period(period))


@bp.get("/score/<int:period>/items/<key>.csv")
@allow(*READERS)
@no_store
def score_records_csv(period: int, key: str):
    found = _evidence(period, key, everything=True)
    filename = f"score-{period}-{found.item.key}-{found.source.name}.csv"
    return Response(stream_with_context(score_evidence.csv_lines(found)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/score.json")
@allow(*READERS)
def score_json():
    """Exactly ``card.json()``; a wrong period is answered in JSON too, never a 500."""
    try:
        raw = request.args.get("period", "")
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
            return jsonify(error="考核年度应为数字，例如 period=1"), 404
        number = int(raw) if raw else assessment.current_number()
        if assessment.service_start() is None:
            raise Invalid("请经理先在考核设置中填写服务起始日期")
        if number not in assessment.numbers():
            return jsonify(error=f"没有第{number}年的考核"), 404
        return jsonify(scoring.card(number).json())
    except DomainError as err:
        db.session.rollback()
        return jsonify(error=err.message), 422 if isinstance(err, Invalid) else 409


@bp.get("/score/<int:period>/print")
@allow(*READERS)
def score_print(period: int):
    """The sheet on A4: figures, totals, grade, the SHA-256 when locked, signature lines."""
    view = score_page.overview(_known(period))
    return render_template("admin/score/print.html", view=view, card=view.card, money=score_page.money,
                           remark=score_exports.remark, printed_at=local_now().strftime("%Y-%m-%d %H:%M"))


@bp.get("/score/<int:period>.xlsx")
@allow(*READERS)
def score_xlsx(period: int):
    """《沙县区零工市场运营绩效考核评分表》 filled in, to print on A4 and sign."""
    card = scoring.card(_known(period))
    return send_file(BytesIO(score_exports.xlsx(card)), mimetype=score_exports.XLSX_TYPE,
                     as_attachment=True, download_name=f"考核评分表-第{period}年.xlsx", max_age=0)
