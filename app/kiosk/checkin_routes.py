"""Employer check-in at the kiosk: form, returning-employer lookup, review, ticket."""

from flask import request

from app.clock import local_today
from app.domain import Invalid, InvalidFields
from app.domain.checkin import MAX_DAYS_AHEAD
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
from app.services.printing import slip_can_print
from app.services.slips import public_base_url, ticket_subject

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


# The first step's fields ("who"); the rest belong to the work step (see _checkin_form.html).
WHO_FIELDS = frozenset({"form_key", "phone", "contact_name", "employer_type", "employer_name",
                        "uscc", "service", "returning"})


def _show(form, status=200, errors=None, stage="who", **extra):
    return step("kiosk/_checkin_form.html", status, form=form, errors=errors or {}, stage=stage,
                services=queue.services(), phrases=hall().phrases, today=local_today(),
                max_days_ahead=MAX_DAYS_AHEAD, returning=_returning(form), **extra)


def _show_errors(form, errors: dict[str, str]):
    """The step that holds the first problem, with that step's errors only."""
    who = {name: message for name, message in errors.items() if name in WHO_FIELDS}
    if who or not form.wants_task:
        return _show(form, 422, who or errors, stage="who")
    return _show(form, 422, errors, stage="work")


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
    if employer is None:  # the phone stays in its field; the person goes on filling in
        return _show(form, not_found="没有找到记录，请填写以下信息")
    form.returning.data = "1"
    form.contact_name.data = mask_name(employer.contact_name)
    return _show(form)


@bp.post("/checkin/review")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def checkin_review():
    """The form's next step: from "who" on to the work (招工 only), from the work to the
    review; ``edit`` goes back (to the work step from the review, or to "who")."""
    form = _form(request.form)
    if edit := request.form.get("edit"):
        return _show(form, stage="work" if edit == "1" and form.wants_task else "who")
    if not _valid(form):
        errors = first_errors(form)
        if request.form.get("stage") == "who" and form.wants_task \
                and not WHO_FIELDS.intersection(errors):
            return _show(form, stage="work")  # the first step is right: on to the work
        return _show_errors(form, errors)
    if request.form.get("stage") == "who" and form.wants_task:
        return _show(form, stage="work")
    return step("kiosk/_checkin_review.html", form=form, data=_data(form), services=queue.services(),
                returning=_returning(form))


@bp.post("/checkin")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def checkin_submit():
    form = _form(request.form)
    if not _valid(form):
        return _show_errors(form, first_errors(form))
    try:
        result = check_in(_data(form), form_key=form.form_key.cleaned, today=local_today(),
                          public_base_url=public_base_url())
    except InvalidFields as err:
        return _show_errors(form, err.errors)
    return step("kiosk/_checkin_done.html", ticket=result.ticket, ahead=result.ahead,
                service=queue.services()[result.ticket.issued_service], base_url=public_base_url(),
                slip_prints=slip_can_print(ticket_subject(result.ticket)))


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
