"""Cases brought to a stage through the dispute services, for the agreement's tests (web and
browser)."""

from datetime import timedelta

from app.domain.disputes import Party
from app.models import DisputeCase, StaffUser, utcnow
from app.services import disputes
from app.services.disputes import Signed
from tests.factories import dispute, signature


def mediating_case(user: StaffUser, **form) -> DisputeCase:
    """A case filed, accepted and with one session held: 调解中."""
    case = dispute(user=user, **form)
    disputes.accept(case, user)
    disputes.record_session(case, held_at=utcnow(), attendees="李四、王老板",
                            text="双方同意在大厅调解", user=user)
    return case


def agreed_case(user: StaffUser, **form) -> DisputeCase:
    """A mediating case whose agreement is signed (through the service)."""
    from tests.factories import hall_today

    case = mediating_case(user, **form)
    return disputes.agree(case, amount="1000", pay_by=hall_today() + timedelta(days=7), method="wechat",
                          terms="王老板于期限前支付李四工钱一千元", user=user,
                          signatures={Party.APPLICANT: Signed("李四", signature(30)),
                                      Party.RESPONDENT: Signed("王老板", signature(35)),
                                      Party.MEDIATOR: Signed("小李", signature(40))})

