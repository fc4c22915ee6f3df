"""The hall terminal: start screen and worker registration. Thin routes only."""

from flask import request, session

from app.clock import local_today
from app.domain import InvalidFields
from app.forms import first_errors, new_form_key
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services.printing import slip_can_print
from app.services.registration import (
    RegistrationData,
    UnderageRefused,
    refuse_other_name,
    register_worker,
    screen_age,
)
from app.services.slips import public_base_url, worker_subject
from app.services.workers import card

from . import bp, step
from .forms import RegistrationForm


@bp.get("/")
@allow(Audience.KIOSK)
def start():
    return step("kiosk/_start.html")


@bp.get("/privacy")
@allow(Audience.KIOSK)
def privacy():
    return step("kiosk/_privacy.html")


@bp.get("/register")
@allow(Audience.KIOSK)
@no_store
def register_form():
    form = RegistrationForm(formdata=None, consent="1" if request.args.get("consent") == "1" else "",
                            form_key=new_form_key())
    return step("kiosk/_register_form.html", form=form, errors={})


@bp.post("/register/review")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def register_review():
    form = RegistrationForm()
    if request.form.get("edit") == "1":
        return step("kiosk/_register_form.html", form=form, errors={})
    if not form.validate():
        return step("kiosk/_register_form.html", 422, form=form, errors=first_errors(form))
    try:
        screen_age(form.id_number.cleaned, local_today(), count=_not_yet_refused(form))
        refuse_other_name(form.id_number.cleaned, form.name.cleaned)
    except UnderageRefused:
        return _refused(form)
    except InvalidFields as err:
        return step("kiosk/_register_form.html", 422, form=form, errors=err.errors)
    return step("kiosk/_register_review.html", form=form, data=_data(form))


@bp.post("/register")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def register_submit():
    form = RegistrationForm()
    if not form.validate():
        return step("kiosk/_register_form.html", 422, form=form, errors=first_errors(form))
    try:
        result = register_worker(_data(form), today=local_today(), public_base_url=public_base_url(),
                                 form_key=form.form_key.cleaned, count_refusal=_not_yet_refused(form))
    except UnderageRefused:
        return _refused(form)
    except InvalidFields as err:
        return step("kiosk/_register_form.html", 422, form=form, errors=err.errors)
    # Answered directly (not 303): the done page is personal, kept out of history by
    # no-store, and a repeated POST only updates the same record.
    return step("kiosk/_register_done.html", worker=result.worker, is_new=result.is_new,
                info=card(result.worker, local_today()), base_url=public_base_url(),
                slip_prints=slip_can_print(worker_subject(result.worker)))


def _not_yet_refused(form: RegistrationForm) -> bool:
    """Each refused form counts once in the day's under-16 count, however often it is sent
    (the count is anonymous, so the form's key is remembered in the kiosk's session)."""
    key = form.form_key.cleaned
    return not key or key not in session.get("refused_forms", [])


def _refused(form: RegistrationForm):
    if key := form.form_key.cleaned:
        session["refused_forms"] = [*session.get("refused_forms", [])[-9:], key]
    return step("kiosk/_refused.html", 422)


def _data(form: RegistrationForm) -> RegistrationData:
    return RegistrationData(
        name=form.name.cleaned,
        id_number=form.id_number.cleaned,
        phone=form.phone.cleaned,
        trades=form.trades.data,
        expected_wage=form.expected_wage.cleaned,
        availability=form.availability.data,
    )
