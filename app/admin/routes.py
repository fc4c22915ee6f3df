"""Manager's administration: staff accounts."""

from flask import Blueprint, render_template, request

from app import htmx
from app.auth.forms import UserForm
from app.forms import first_errors
from app.models import Role
from app.policy import Audience, allow
from app.security import checks_characters
from app.services import accounts

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@allow(Audience.MANAGER)
@checks_characters
def users():
    form = UserForm()
    errors, status = {}, 200
    if request.method == "POST":
        if form.validate():
            try:
                accounts.create_user(form.username.data, form.password.data, Role(form.role.data),
                                     form.display_name.data)
                return htmx.redirect_to("admin.users")
            except accounts.AccountError as err:
                errors = {err.field: err.message}
        else:
            errors = first_errors(form)
        status = 422
    return render_template("admin/users.html", form=form, errors=errors,
                           users=accounts.list_users()), status


@bp.get("/attempts")
@allow(Audience.MANAGER)
def attempts():
    """Sign-ins and 老客户 lookups per day, kind, client address and outcome (last 7 days):
    repeated probing or guessing shows up here."""
    return render_template("admin/attempts.html", rows=accounts.attempt_summary(days=7))
