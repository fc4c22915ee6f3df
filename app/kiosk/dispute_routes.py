"""我要维权 at the kiosk: the dispute application form, recognising a registered worker (their
slip's QR on the scanner, or their ID number), filing, and the done screen with the case
number and the slip. Thin routes: the rules are app.domain.disputes, the filing
app.services.disputes."""

from dataclasses import dataclass

from app.crypto import vault
from app.domain import Invalid, InvalidFields
from app.domain.disputes import (
    FACTS,
    NEXT_FOR_APPLICANT,
    WANTS,
    CaseChannel,
    CaseKind,
    CaseStatus,
    read_filing,
)
from app.domain.idcard import parse_id_number
from app.domain.masking import mask_name
from app.domain.validation import clean_name
from app.forms import first_errors, new_form_key
from app.models import Worker
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import disputes, slips, workers
from app.services.dispute_slips import case_subject
from app.services.printing import slip_can_print
from app.services.registration import NAME_MISMATCH
from app.terminals import current_terminal

from . import bp, step
from .dispute_forms import DisputeForm, slip_worker

ID_NEEDS_NAME = "用身份证号识别时，请同时输入您的姓名"
SLIP_UNKNOWN = "没有找到这张凭条的登记信息，请输入身份证号，或填写姓名和电话"


@dataclass(frozen=True)
class Recognised:
    """A registered worker recognised at the kiosk: only the masked name is ever shown."""

    worker: Worker
    masked_name: str
    token: str | None  # the slip's token, kept in the form (None: recognised by ID number)


def _recognise(form: DisputeForm) -> tuple[Recognised | None, dict[str, str]]:
    """The worker behind the scanned slip, else behind the ID number typed (a worker's
    application only); a slip that opens nothing is said beside the scan field."""
    if not form.is_worker:
        return None, {}
    if (scanned := (form.slip.data or "").strip()):
        try:
            worker = slip_worker(scanned, SLIP_UNKNOWN)
        except Invalid as err:
            return None, {"slip": err.message}
        return Recognised(worker, mask_name(worker.name), worker.qr_token), {}
    try:
        number = parse_id_number(form.id_number.data)
    except Invalid:
        return None, {}  # no ID number (or a wrong one, said when filing): nobody recognised
    # An ID number is printed on many papers: with it, the name too, as registration asks
    # (a number alone would say who is registered, and file in their name).
    try:
        name = clean_name(form.applicant_name.data)
    except Invalid:
        return None, {"applicant_name": ID_NEEDS_NAME}
    worker = workers.by_id_number(number.number)
    if worker is None:
        return None, {}
    if name != worker.name:
        return None, {"id_number": NAME_MISMATCH}
    return Recognised(worker, mask_name(worker.name), None), {}


def _show(form: DisputeForm, status: int = 200, errors: dict | None = None,
          recognised: Recognised | None = None):
    if recognised is not None and recognised.token:
        form.slip.data = recognised.token
    return step("kiosk/_dispute_form.html", status, form=form, errors=errors or {}, recognised=recognised,
                kinds=list(CaseKind), facts=FACTS, wants=WANTS)


@bp.get("/dispute")
@allow(Audience.KIOSK)
@no_store
def dispute_form():
    return _show(DisputeForm(formdata=None, form_key=new_form_key()))


@bp.post("/dispute/recognise")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def dispute_recognise():
    """识别: the slip scanner's Enter, or the button beside the ID number. The form comes
    back as it was, with 已识别：张** (name and phone may then be left empty)."""
    form = DisputeForm()
    if not form.validate():
        return _show(form, 422, first_errors(form))
    recognised, errors = _recognise(form)
    if recognised is None and not errors and form.is_worker:
        if (form.id_number.data or "").strip():
            try:
                parse_id_number(form.id_number.data)
                errors = {"id_number": "没有找到这个身份证号的登记信息，请填写姓名和电话"}
            except Invalid as err:
                errors = {"id_number": err.message}
        else:
            errors = {"slip": "请扫登记凭条上的二维码，或输入身份证号"}
    return _show(form, 200, errors, recognised)


@bp.post("/dispute")
@allow(Audience.KIOSK)
@checks_characters
@no_store
def dispute_submit():
    form = DisputeForm()
    if not form.validate():
        return _show(form, 422, first_errors(form))
    recognised, errors = _recognise(form)
    known = recognised.worker if recognised else None
    try:
        filing = read_filing(form.filing(), known_name=known.name if known else None,
                             known_phone=vault().decrypt(known.phone_cipher) if known else None)
    except InvalidFields as err:
        errors = {**err.errors, **errors}
    if errors:
        return _show(form, 422, errors, recognised)
    case = disputes.file_case(filing, channel=CaseChannel.KIOSK, form_key=form.form_key.cleaned,
                              worker=known, slip_printer=current_terminal().printer)
    # Answered directly (not 303), like the other kiosk done screens: no-store keeps it out
    # of history, and the same form sent again shows the same case.
    return step("kiosk/_dispute_done.html", case=case, next_step=NEXT_FOR_APPLICANT[CaseStatus.RECEIVED],
                base_url=slips.public_base_url(), slip_prints=slip_can_print(case_subject(case)))
