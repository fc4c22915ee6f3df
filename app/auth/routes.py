"""Sign-in, sign-out and the first-run setup of the first manager."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from app.forms import first_errors
from app.policy import Audience, allow
from app.security import checks_characters, client_address, start_session
from app.services import accounts

from .forms import LoginForm, SetupForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: never send a signed-in user to another site."""
    try:
        parts = urlsplit(target or "")
    except ValueError:  # not even a URL (e.g. "http://[::1")
        return url_for("staff.home")
    if not target or parts.netloc or parts.scheme or not target.startswith("/") or target.startswith("//"):
        return url_for("staff.home")
    return target


@bp.route("/staff/login", methods=["GET", "POST"])
@allow(Audience.SIGN_IN)
@checks_characters
def login():
    if not accounts.has_accounts():
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data, client_address())
        except accounts.TooManyAttempts as err:
            return render_template("auth/login.html", form=form, errors={"password": err.message}), 429
        if user:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")), code=303)
        return render_template("auth/login.html", form=form, errors={"password": "用户名或密码错误"}), 422
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, errors=first_errors(form)), status


@bp.post("/staff/logout")
@allow(Audience.SIGN_IN)
def logout():
    if current_user.is_authenticated:
        accounts.sign_out(current_user)
    logout_user()
    return redirect(url_for("auth.login"), code=303)


@bp.route("/setup", methods=["GET", "POST"])
@allow(Audience.SIGN_IN)
@checks_characters
def setup():
    if accounts.has_accounts():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_first_manager(form.username.data, form.password.data,
                                                 form.display_name.data)
        except accounts.AccountError as err:
            return render_template("auth/setup.html", form=form, errors={err.field: err.message}), 422
        start_session(user)
        return redirect(url_for("staff.home"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/setup.html", form=form, errors=first_errors(form)), status
