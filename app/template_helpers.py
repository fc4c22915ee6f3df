"""Filters and globals for templates. Templates only present ready data."""

from datetime import timedelta
from decimal import Decimal

from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from .clock import format_local, now_ms
from .domain.masking import mask_id_number, mask_name, mask_phone
from .domain.trades import AVAILABILITY, AVAILABILITY_BY_CODE
from .hall_config import hall
from .models import Role
from .qr import qr_svg


def error_text(text: str | None) -> Markup:
    """A stored error for staff: the Chinese first line, the technician's detail folded."""
    summary, _, detail = (text or "").partition("\n")
    if not detail:
        return escape(summary)
    return Markup('{}<details class="error-detail"><summary>详情</summary><code>{}</code></details>').format(
        summary, detail)


def yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def init_app(app) -> None:
    app.jinja_env.filters.update(
        localtime=format_local, mask_id=mask_id_number, mask_phone=mask_phone, mask_name=mask_name,
        yuan=yuan,
    )
    app.jinja_env.globals.update(
        qr_svg=qr_svg,
        hall_now_ms=now_ms,  # the screens' clocks (app/static/clock.js)
        error_text=error_text,
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
            "idle_seconds": app.config["KIOSK_IDLE_SECONDS"],
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
