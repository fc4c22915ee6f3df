"""The kiosk's dispute application form (我要维权): its fields; every rule of an application is
``app.domain.disputes.read_filing``, and a registered worker is recognised by
``app.services.disputes`` and ``app.services.workers``."""

import re

from wtforms import StringField

from app.domain import Invalid
from app.domain.disputes import ApplicantRole
from app.forms import KeyedForm
from app.models import Worker
from app.services import slips, workers

# What a slip scanner types when a worker's registration slip is held to it: the QR's URL
# (…/w/<token>), sometimes with the scanner's line end; once recognised, the form keeps the
# bare token.
SLIP_URL = re.compile(r"(?:^|/w/)([A-Za-z0-9_-]{16,64})/?$")
NOT_A_WORKER_SLIP = "这不是零工登记凭条的二维码，请扫登记凭条，或输入身份证号"
SLIP_REPLACED = "这是一张旧凭条，已被新的凭条替换：请扫最新的凭条，或输入身份证号"


def slip_token(scanned: str | None) -> str:
    """The worker's token in what the scanner typed; ``Invalid`` for anything else."""
    match = SLIP_URL.search((scanned or "").strip())
    if match is None:
        raise Invalid(NOT_A_WORKER_SLIP)
    return match.group(1)


def slip_worker(scanned: str | None, unknown: str) -> Worker:
    """The registered worker whose slip the scanner read (their token: ``worker.qr_token``);
    ``Invalid`` with what to say beside the scan field otherwise (``unknown``: a slip that
    opens nothing)."""
    token = slip_token(scanned)
    worker = workers.by_token(token)
    if worker is None:
        raise Invalid(SLIP_REPLACED if slips.was_replaced(token) else unknown)
    return worker


class DisputeForm(KeyedForm):
    """Field names are the contract of ``POST /kiosk/dispute`` (see the README)."""

    applicant_role = StringField()
    applicant_name = StringField()
    applicant_phone = StringField()
    id_number = StringField()
    slip = StringField()  # what the slip scanner typed; the worker's token once recognised
    other_party_name = StringField()
    other_party_phone = StringField()
    other_party_company = StringField()
    kind = StringField()
    amount = StringField()
    facts = StringField()
    wants = StringField()

    FILING_FIELDS = ("applicant_role", "applicant_name", "applicant_phone", "id_number", "other_party_name",
                     "other_party_phone", "other_party_company", "kind", "amount", "facts", "wants")

    @property
    def is_worker(self) -> bool:
        return self.applicant_role.data == ApplicantRole.WORKER.value

    def filing(self) -> dict:
        """The posted application as ``read_filing`` reads it."""
        return {name: self[name].data or "" for name in self.FILING_FIELDS}
