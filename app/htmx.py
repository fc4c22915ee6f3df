"""The one place that reads HX-* request headers and writes HX-* response headers."""

from urllib.parse import urlsplit

from flask import Response, redirect, render_template, request, url_for


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    """True for an htmx swap; boosted links and history restores need the full page."""
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def current_page_path() -> str:
    """The page the person is on: for htmx requests the page that sent them (a polled
    fragment is no place to come back to), else this request's path. Never a query
    string, which may hold what someone searched for."""
    if is_htmx() and (current := request.headers.get("HX-Current-URL")):
        try:
            parts = urlsplit(current)
        except ValueError:  # a malformed header (http://[::1) is ignored, never an error
            return request.path
        path = parts.path or "/"
        if parts.netloc == request.host and _is_local_path(path):
            return path
    return request.path


def _is_local_path(path: str) -> bool:
    """A path on this site, fit to come back to: not //host or /\\host (which browsers
    read as another site), not absurdly long."""
    return path.startswith("/") and not path.startswith(("//", "/\\")) and len(path) <= 1000


def render(page: str, fragment: str, status: int = 200, **context) -> tuple[str, int]:
    """One fragment, two callers: the page includes the partial; htmx gets the partial."""
    return render_template(fragment if wants_fragment() else page, **context), status


def redirect_to(endpoint: str, **values) -> Response:
    """After a state change: 303 for plain requests, HX-Redirect (full load) for htmx."""
    target = url_for(endpoint, **values)
    if is_htmx():
        resp = Response(status=204)
        resp.headers["HX-Redirect"] = target
        return resp
    return redirect(target, code=303)


def login_redirect(login_url: str) -> Response:
    """An htmx request after the login expired is sent to the login page by a full load."""
    if is_htmx():
        resp = Response(status=401)
        resp.headers["HX-Redirect"] = login_url
        return resp
    return redirect(login_url)
