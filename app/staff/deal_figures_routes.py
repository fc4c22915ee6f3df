"""招工与交易统计: the postings and deals of a month, an assessment year or a run of days in
figures, for staff, the manager and the assessor (item A1's 数据存储反馈及统计分析). Nothing
personal on the page or in the CSV; the figures come from ``app.services.deal_figures``.
"""

from flask import Response, render_template, request, stream_with_context

from app.domain import Invalid
from app.policy import Audience, allow
from app.security import no_store
from app.services import deal_figures as figures
from app.services import rating_figures

from .routes import bp

READERS = (Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)


def _asked() -> dict:
    args = request.args
    return {"month": args.get("month", "")[:20], "year": args.get("year", "")[:10],
            "since": args.get("from", "")[:20], "until": args.get("to", "")[:20]}


def _refused(asked: dict, err: Invalid):
    return render_template("staff/deal_figures.html", f=None, choice=None, asked=asked, errors=err.errors,
                           months=rating_figures.recent_months(), years=rating_figures.begun_years()), 422


@bp.get("/deal-figures")
@allow(*READERS)
def deal_figures():
    asked = _asked()
    try:
        choice = figures.choose(**asked)
    except Invalid as err:
        return _refused(asked, err)
    return render_template("staff/deal_figures.html", f=figures.figures(choice.period), choice=choice,
                           asked=asked, errors={}, months=rating_figures.recent_months(),
                           years=rating_figures.begun_years(), hours_text=figures.hours_text)


@bp.get("/deal-figures.csv")
@allow(*READERS)
@no_store
def deal_figures_csv():
    asked = _asked()
    try:
        choice = figures.choose(**asked)
    except Invalid as err:
        return _refused(asked, err)
    return Response(stream_with_context(figures.csv_lines(choice.period)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="deals-{choice.slug}.csv"'})
