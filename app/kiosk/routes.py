"""The hall terminal: start screen and worker registration. Thin routes only."""

import secrets

from flask import request

from app.clock import local_today
from app.domain import ValidationErrors
from app.forms import first_errors
from app.security import no_store
from app.services.registration import (
    RegistrationData,
    UnderageRefused,
    register_worker,
    screen_age,
)
from app.services.workers import card

from . import base_url, bp, step
from .forms import RegistrationForm


@bp.get("/")
def start():
    return step("kiosk/_start.html")


@bp.get("/privacy")
def privacy():
    return step("kiosk/_privacy.html")


@bp.get("/register")
@no_store
def register_form():
    form = RegistrationForm(formdata=None, consent="1" if request.args.get("consent") == "1" else "",
                            form_key=secrets.token_urlsafe(24))
    return step("kiosk/_register_form.html", form=form, errors={})


@bp.post("/register/review")
@no_store
def register_review():
    form = RegistrationForm()
    if request.form.get("edit") == "1":
        return step("kiosk/_register_form.html", form=form, errors={})
    if not form.validate():
        return step("kiosk/_register_form.html", 422, form=form, errors=first_errors(form))
    try:
        screen_age(form.id_number.cleaned, local_today())
    except UnderageRefused:
        return step("kiosk/_refused.html", 422)
    return step("kiosk/_register_review.html", form=form, data=_data(form))


@bp.post("/register")
@no_store
def register_submit():
    form = RegistrationForm()
    if not form.validate():
        return step("kiosk/_register_form.html", 422, form=form, errors=first_errors(form))
    try:
        result = register_worker(_data(form), today=local_today(), public_base_url=base_url(),
                                 form_key=(form.form_key.data or "")[:43] or None)
    except UnderageRefused:
        return step("kiosk/_refused.html", 422)
    except ValidationErrors as err:
        return step("kiosk/_register_form.html", 422, form=form, errors=err.errors)
    # Answered directly (not 303): the done page is personal, kept out of history by
    # no-store, and a repeated POST only updates the same record.
    return step("kiosk/_register_done.html", worker=result.worker, is_new=result.is_new,
                info=card(result.worker, local_today()), base_url=base_url())


def _data(form: RegistrationForm) -> RegistrationData:
    return RegistrationData(
        name=form.name.cleaned,
        id_number=form.id_number.cleaned,
        phone=form.phone.cleaned,
        trades=form.trades.data,
        expected_wage=form.expected_wage.cleaned,
        availability=form.availability.data,
    )
