"""Cases brought to a stage through the dispute services, for the agreement's tests (web and
browser), and a stand-in for the case's page where the branch has none yet.

``ensure_case_page(app)``: the agreement panel lives on the case's page
(``staff.dispute_detail``, the case console's). Where that page is not part of the app, a
minimal one is added (before the app's first request) that shows the flashed messages and
the panel, so the signing page's redirect and the panel can be tested on their own. With
the real page present nothing is added and the tests use it.
"""

from datetime import timedelta

from flask import render_template_string

from app.domain.disputes import Party
from app.extensions import db
from app.models import DisputeCase, StaffUser, utcnow
from app.policy import Audience, allow
from app.services import disputes
from app.services.disputes import Signed
from tests.factories import dispute, signature

STAND_IN = """{% extends "staff/base.html" %}{% block content %}<h1>{{ case.number }}</h1>
{% include "admin/_saved.html" %}{% include "staff/_dispute_agreement_panel.html" %}{% endblock %}"""


def ensure_case_page(app) -> None:
    if "staff.dispute_detail" in app.view_functions:
        return

    @allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
    def dispute_detail(case_id: int):
        return render_template_string(STAND_IN, case=db.get_or_404(DisputeCase, case_id))

    app.add_url_rule("/staff/disputes/<id:case_id>", "staff.dispute_detail", dispute_detail)


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

