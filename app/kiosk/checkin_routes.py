"""Employer check-in at the kiosk: form, returning-employer lookup, review, ticket."""

from flask import request

from app.clock import local_today
from app.domain import Invalid, InvalidFields
from app.domain.masking import mask_name
from app.domain.validation import clean_phone
from app.forms import first_errors, new_form_key
from app.hall_config import hall
from app.policy import Audience, allow
from app.security import checks_characters, client_address, no_store
from app.services import queue
from app.services.checkin import (
    CheckinData,
    TooManyLookups,
    check_in,
    find_employer,
    lookup_employer,
    resolve_contact,
    returning_summary,
)
from app.services.slips import public_base_url

from . import bp, step
from .checkin_forms import CheckinForm, is_masked


def _form(formdata=None, **defaults) -> CheckinForm:
    return CheckinForm(formdata=formdata, services=queue.services(), today=local_today(), **defaults)


def _valid(form: CheckinForm) -> bool:
    """The form's own rules, then: a masked name must be the stored one of this phone."""
    ok = form.validate()
    if ok and is_masked(form.contact_name.cleaned) and \
            resolve_contact(form.phone.cleaned, form.contact_name.cleaned) is None:
        form.contact_name.errors = ["请输入联系人姓名"]
        ok = False
    return ok


def _returning(form: CheckinForm) -> str | None:
    """The masked summary a returning employer confirmed (see ``checkin_lookup``)."""
    if not form.is_returning:
        return None
    try:
        employer = find_employer(clean_phone(form.phone.data))
    except Invalid:
        employer = None
    return returning_summary(employer) if employer else None


def _show(form, status=200, errors=None, **extra):
    return step("kiosk/_checkin_form.html", status, form=form, errors=errors or {},
                services=queue.services(), phrases=hall().phrases, today=local_today(),
                returning=_returning(form), **extra)


@bp.get("/checkin")
@allow(Audience.KIOSK)
@no_store
def checkin_form():
    form = _form(form_key=new_form_key(), service="hire", work_date=local_today().isoformat())
    return _show(form)


@bp.post("/checkin/lookup")
@allow(Audience.KIOSK)
@no_store
def checkin_lookup():
    """A returning employer is recognised by phone and confirms a masked summary; the
    stored details are then used as they are and never sent to the kiosk."""
    form = _form(request.form)
    if not form.phone.validate(form):
        return _show(form, errors={"phone": form.phone.errors[0]})
    try:
        employer = lookup_employer(form.phone.cleaned, client_address())
    except TooManyLookups as err:
        return _show(form, 429, errors={"phone": err.message})
    if employer is None:
        return _show(form, errors={"phone": "没有找到这个手机号的登记，请填写下面的信息"})
    form.returning.data = "1"
    form.contact_name.data = mask_name(employer.contact_name)
    return _show(form)


@bp.post("/checkin/review")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def checkin_review():
    form = _form(request.form)
    if request.form.get("edit") == "1":
        return _show(form)
    if not _valid(form):
        return _show(form, 422, first_errors(form))
    return step("kiosk/_checkin_review.html", form=form, data=_data(form), services=queue.services(),
                returning=_returning(form))


@bp.post("/checkin")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def checkin_submit():
    form = _form(request.form)
    if not _valid(form):
        return _show(form, 422, first_errors(form))
    try:
        result = check_in(_data(form), form_key=form.form_key.cleaned, today=local_today(),
                          public_base_url=public_base_url())
    except InvalidFields as err:
        return _show(form, 422, err.errors)
    return step("kiosk/_checkin_done.html", ticket=result.ticket, ahead=result.ahead,
                service=queue.services()[result.ticket.issued_service], base_url=public_base_url())


def _data(form: CheckinForm) -> CheckinData:
    task = form.wants_task
    cleaned = lambda name: getattr(form[name], "cleaned", None)  # noqa: E731
    return CheckinData(
        employer_type=form.employer_type.data,
        employer_name=cleaned("employer_name") if form.is_enterprise else None,
        uscc=cleaned("uscc") if form.is_enterprise else None,
        contact_name=form.contact_name.cleaned,
        phone=form.phone.cleaned,
        service=form.service.data,
        trade=cleaned("trade") if task else None,
        headcount=cleaned("headcount") if task else None,
        pay=cleaned("pay") if task else None,
        pay_unit=cleaned("pay_unit") if task else None,
        work_date=cleaned("work_date") if task else None,
        work_time=cleaned("work_time") if task else None,
        location=cleaned("location") if task else None,
        description=cleaned("description") or "",
        returning=form.is_returning,
    )
