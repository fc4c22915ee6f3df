"""满意度统计: the satisfaction figures of a month or an assessment year, and their CSV, for
the manager and the bureau's assessor (no personal data on either). Registered on the
``admin`` blueprint; the figures come from ``app.services.rating_figures``.
"""

from flask import Response, render_template, request, stream_with_context

from app.domain import Invalid
from app.policy import Audience, allow
from app.security import no_store
from app.services import rating_figures

from .routes import bp

READERS = (Audience.MANAGER, Audience.ASSESSOR)


def _asked() -> dict:
    return {"month": request.args.get("month", "")[:20], "year": request.args.get("year", "")[:10]}


def _picker(asked: dict, choice=None, errors=None) -> dict:
    return {"months": rating_figures.recent_months(), "years": rating_figures.begun_years(),
            "asked": asked, "choice": choice, "errors": errors or {}}


@bp.get("/ratings")
@allow(*READERS)
def ratings():
    asked = _asked()
    try:
        choice = rating_figures.choose(**asked)
    except Invalid as err:
        return render_template("admin/ratings.html", figures=None, **_picker(asked, errors=err.errors)), 422
    return render_template("admin/ratings.html", figures=rating_figures.figures(choice.period),
                           **_picker(asked, choice))


@bp.get("/ratings.csv")
@allow(*READERS)
@no_store
def ratings_csv():
    asked = _asked()
    try:
        choice = rating_figures.choose(**asked)
    except Invalid as err:
        return render_template("admin/ratings.html", figures=None, **_picker(asked, errors=err.errors)), 422
    return Response(stream_with_context(rating_figures.csv_lines(choice.period)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="{rating_figures.csv_filename(choice)}"'})
