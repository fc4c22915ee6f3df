"""Filters and globals for templates. Templates only present ready data."""

import re
from datetime import date, timedelta

from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from .clock import format_local, now_ms
from .domain.masking import mask_id_number, mask_name, mask_phone
from .domain.trades import AVAILABILITY, AVAILABILITY_BY_CODE
from .domain.validation import format_yuan
from .hall_config import hall
from .models import Role
from .qr import qr_svg

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def error_text(text: str | None) -> Markup:
    """A stored error for staff: the Chinese first line, the technician's detail folded
    under 技术详情. A message with no Chinese in it (written by an older version, or raw
    from a library) is never shown as it is: staff read 打印出错 and the detail is folded."""
    summary, _, detail = (text or "").partition("\n")
    if summary and not _CHINESE.search(summary):
        summary, detail = "打印出错，请技术人员查看", text
    if not detail:
        return escape(summary)
    return escape(summary) + tech_detail(detail)


def tech_detail(text: str) -> Markup:
    """A note for the technician, folded on a staff screen under 技术详情."""
    return Markup('<details class="error-detail"><summary>技术详情</summary><code>{}</code></details>'
                  ).format(text)


def cn_date(value: date | str | None) -> str:
    """A date as the hall writes it, whatever the browser's language: 2026年12月1日."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return value
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def init_app(app) -> None:
    app.jinja_env.filters.update(
        localtime=format_local, mask_id=mask_id_number, mask_phone=mask_phone, mask_name=mask_name,
        yuan=format_yuan, cn_date=cn_date,
    )
    from .services.printing import printer_label

    app.jinja_env.filters["printer_label"] = printer_label
    app.jinja_env.globals.update(
        qr_svg=qr_svg,
        hall_now_ms=now_ms,  # the screens' clocks (app/static/clock.js)
        error_text=error_text,
        tech_detail=tech_detail,
        timedelta=timedelta,
        AVAILABILITY=AVAILABILITY,
        AVAILABILITY_BY_CODE=AVAILABILITY_BY_CODE,
    )

    @app.context_processor
    def _hall():
        config = hall()
        ctx = {
            "hall": config,
            "hall_name": config.name,
            "hall_phone": config.phone,
            "TRADES": config.trades,
            "TRADES_BY_CODE": config.trades_by_code,
        }
        try:
            # The printers and the QR address are the hall staff's business, not the assessor's.
            signed_in = bool(current_user and current_user.is_authenticated
                             and current_user.role != Role.ASSESSOR)
            if signed_in:
                from .services.printing import printer_alerts

                ctx["printer_alerts"] = printer_alerts()
        except SQLAlchemyError:  # the database is unreachable: error pages render without it
            return ctx
        if signed_in and not app.config["PUBLIC_BASE_URL"]:
            ctx["printer_alerts"].append({
                "printer": "PUBLIC_BASE_URL", "level": "warning",
                "text": f"未设置二维码地址：凭条二维码指向 {app.config['SERVED_AT']}，"
                        "手机可能扫码打不开"})
        return ctx
