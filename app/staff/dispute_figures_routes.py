"""纠纷与事件统计: the dispute cases and incidents of an assessment year in figures (the
calendar year until the service start date is set), for staff, the manager and the
assessor. Nothing personal on the page; the figures come from
``app.services.dispute_figures``; the CSV lists the year's cases without names or numbers.
"""

from flask import Response, render_template, request, stream_with_context

from app.admin.records_routes import year_choices
from app.domain.disputes import CaseKind, CaseStatus, IncidentKind
from app.policy import Audience, allow
from app.security import no_store
from app.services import dispute_figures, outreach

from .routes import bp

READERS = (Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)


def _year() -> outreach.Year:
    raw = request.args.get("year", "")
    return outreach.year(int(raw) if raw.isdigit() and len(raw) <= 4 else None)


@bp.get("/dispute-figures")
@allow(*READERS)
def dispute_figures_page():
    shown = _year()
    return render_template("staff/dispute_figures.html", shown=shown, year_choices=year_choices(shown),
                           f=dispute_figures.figures(shown.period), case_kinds=list(CaseKind),
                           incident_kinds=list(IncidentKind), statuses=list(CaseStatus),
                           days_text=dispute_figures.days_text)


@bp.get("/dispute-figures.csv")
@allow(*READERS)
@no_store
def dispute_figures_csv():
    shown = _year()
    name = f"disputes-{'year-' if shown.assessment else ''}{shown.number}.csv"
    return Response(stream_with_context(dispute_figures.csv_lines(shown.period)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
