"""Error pages in Chinese, one per area of the hall, as a full page or as an htmx fragment.

The area is chosen here, once, from the route's declared audience (``app.policy``):

- kiosk (kiosk pages and the hall display): ``errors/_kiosk.html``, the root ``#kiosk-step``
  so that it swaps into the kiosk like any step, with one big button back to the start screen
  (the display: back to the display; the exit terminal: back to its faces);
- staff (staff, manager and assessor pages, and the sign-in pages): ``errors/_staff.html`` in
  the staff layout with its nav, back to the page the person was on;
- phone (``/w/<token>``, ``/q/<token>``, ``/c/<token>``, ``/v/<token>``): ``errors/_phone.html``, no
  kiosk to go back to, the hall's phone number.

The domain's error family maps here too: ``Invalid`` is 422, ``Conflict`` 409, with the
domain's Chinese message, so that a route that does not catch them still answers properly.
"""

from flask import current_app, g, render_template, request, url_for
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import htmx, policy
from .domain import Conflict, DomainError, Invalid
from .extensions import db, login_manager
from .policy import Audience

MESSAGES = {
    400: "请求有误，请返回重试。",
    403: "您没有权限查看此页面。",
    404: "页面不存在。",
    405: "不支持这种操作。",
    413: "提交的内容太多，超出了允许的大小。请返回重新填写。",
    500: "系统出了点问题，请稍后再试或联系工作人员。",
    503: "系统暂时无法使用，请稍后再试。急事请到服务窗口办理。",
}

KIOSK, STAFF, PHONE = "kiosk", "staff", "phone"

# Where no URL can be built (an unusable Host header), the way back by plain paths.
BARE_WAY_BACK = {KIOSK: {"url": "/kiosk/", "label": "返回首页", "icon": "🏠"},
                 STAFF: {"url": "/staff/", "label": "返回", "icon": "↩️"},
                 PHONE: {"url": None}}


def _audiences() -> frozenset[Audience] | None:
    """The declared audiences of the route this request was for, also when it was refused
    for its method (405); None when no route matched."""
    endpoint = request.url_rule.endpoint if request.url_rule else None
    exc, adapter = request.routing_exception, request_ctx.url_adapter
    if endpoint is None and isinstance(exc, MethodNotAllowed) and exc.valid_methods and adapter:
        try:
            endpoint = adapter.match(method=exc.valid_methods[0])[0]
        except HTTPException:
            endpoint = None
    return policy.audiences_of(endpoint)


def _area(audiences: frozenset[Audience] | None) -> str:
    if audiences is None:  # no route matched (a mistyped address): its part of the site
        if request.path.startswith(("/w/", "/q/", "/c/", "/v/")):
            return PHONE
        return STAFF if request.path.startswith(("/staff", "/admin", "/setup")) else KIOSK
    if audiences & policy.SIGNED_IN or Audience.SIGN_IN in audiences:
        return STAFF
    return PHONE if Audience.PUBLIC in audiences else KIOSK


def _render(code: int, message: str):
    audiences = _audiences()
    area = _area(audiences)
    if request_ctx.url_adapter is None:
        # The Host header was unusable (e.g. a name label over 63 characters): no URL can be
        # built, so a page that builds URLs would fail with a 500 of its own.
        return render_template("errors/bare.html", area=area, code=code, message=message,
                               back=BARE_WAY_BACK[area]), code
    context = dict(code=code, message=message, back=_way_back(area, audiences),
                   idle_reset=area == KIOSK and (Audience.KIOSK in (audiences or ())
                                                 or request.path.startswith("/kiosk")))
    template = f"errors/_{area}.html" if htmx.wants_fragment() else f"errors/{area}.html"
    return render_template(template, **context), code


def _way_back(area: str, audiences: frozenset[Audience] | None) -> dict:
    """The error page's one button."""
    if area == PHONE:  # a person's own phone: no kiosk to go to
        return {"url": None}
    if area == KIOSK:
        if audiences and Audience.DISPLAY in audiences:
            return {"url": url_for("display.hall"), "label": "重新打开大厅屏幕", "icon": "🔄"}
        if request.url_rule and request.url_rule.endpoint.startswith("kiosk.rate"):
            # the exit terminal by the door: back to its faces, never to the kiosk's start screen
            return {"url": url_for("kiosk.rate"), "label": "重新评价", "icon": "↺"}
        return {"url": url_for("kiosk.start"), "label": "返回首页", "icon": "🏠"}
    page = htmx.current_page_path()  # staff: back to the page they were on
    rule = request.url_rule
    if page == request.path and (request.method == "GET" or rule is None or "GET" not in rule.methods):
        page = url_for("staff.home")  # this very address is what failed
    return {"url": page, "label": "返回", "icon": "↩️"}


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_err):
        # A staff screen whose session ended: back to the login page, not an error box.
        if htmx.is_htmx() and _area(_audiences()) == STAFF and not current_user.is_authenticated:
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

    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError):
        # A route that re-renders its form with the field's message catches Invalid itself;
        # anything that reaches here is answered with the domain's message on the area's page.
        db.session.rollback()  # nothing half-done is written by the page's own queries
        status = 422 if isinstance(err, Invalid) else 409 if isinstance(err, Conflict) else 400
        return _render(status, err.message)
