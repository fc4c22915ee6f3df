"""The score sheet as a file: the official 评分表 with a period's figures, for the manager and
the assessor (it holds no personal data)."""

from io import BytesIO

from flask import send_file

from app.policy import Audience, allow
from app.services import score_exports, scoring

from .routes import bp


@bp.get("/score/<int(min=1, max=100):period>.xlsx")
@allow(Audience.MANAGER, Audience.ASSESSOR)
def score_xlsx(period: int):
    """《沙县区零工市场运营绩效考核评分表》 filled in, to print on A4 and sign."""
    card = scoring.card(period)  # no service start date yet: Invalid, a 422 page that says so
    return send_file(BytesIO(score_exports.xlsx(card)), mimetype=score_exports.XLSX_TYPE,
                     as_attachment=True, download_name=f"考核评分表-第{period}年.xlsx", max_age=0)
