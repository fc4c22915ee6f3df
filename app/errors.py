"""Error pages in Chinese, as a full page or as an htmx fragment."""

from flask import current_app, g, render_template, request, url_for
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

from . import htmx
from .extensions import db, login_manager

MESSAGES = {
    400: "请求有误，请返回重试。",
    403: "您没有权限查看此页面。",
    404: "页面不存在。",
    405: "不支持这种操作。",
    413: "提交的内容太多，超出了允许的大小。请返回重新填写。",
    500: "系统出了点问题，请稍后再试或联系工作人员。",
    503: "系统暂时无法使用，请稍后再试。急事请到服务窗口办理。",
}


def _render(code: int, message: str):
    if request_ctx.url_adapter is None:
        # The Host header was unusable (e.g. a name label over 63 characters): no URL can be
        # built, so a page that builds URLs would fail with a 500 of its own.
        return render_template("errors/bare.html", code=code, message=message), code
    template = "errors/_error.html" if htmx.wants_fragment() else "errors/error.html"
    return render_template(template, code=code, message=message, back=_way_back()), code


STAFF_AREAS = ("/staff/", "/admin/", "/setup")


def _way_back() -> dict:
    """The error page's one button: staff go back to the page they were on, everyone else
    (a kiosk visitor) to the start screen."""
    if request.path.startswith(("/w/", "/q/")):  # a person's own phone: no kiosk to go to
        return {"url": None}
    if not request.path.startswith(STAFF_AREAS):
        return {"url": url_for("kiosk.start"), "label": "返回首页", "icon": "🏠"}
    page = htmx.current_page_path()
    rule = request.url_rule
    if page == request.path and (request.method == "GET" or rule is None or "GET" not in rule.methods):
        page = url_for("staff.home")  # this very address is what failed
    return {"url": page, "label": "返回", "icon": "↩️"}


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_err):
        # A staff screen whose session ended: back to the login page, not an error box.
        if htmx.is_htmx() and request.path.startswith(("/staff", "/admin")) \
                and not current_user.is_authenticated:
            return htmx.login_redirect(url_for("auth.login", next=htmx.current_page_path()))
        return _render(400, "页面已过期，请返回重新操作。")

    for code, message in MESSAGES.items():
        app.register_error_handler(code, lambda _e, c=code, m=message: _render(c, m))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unreachable(err):
        # The database is down or unreachable: say so in Chinese, without touching it again.
        current_app.logger.error("database unavailable: %s", err.orig or err)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; nothing more to undo
            pass
        g._login_user = login_manager.anonymous_user()  # the page must not load the user
        return _render(503, MESSAGES[503])

    @app.errorhandler(409)
    def _conflict(err):  # the reason (in Chinese) comes from the service that refused
        return _render(409, err.description or "操作与当前状态冲突，请刷新后重试。")
