"""app/services/agreements.py: which cases have a signed agreement, how the A4 agreement names
the parties (names in full, numbers masked), and the parties' agreement slips."""

from datetime import timedelta

import pytest

from app.domain import Conflict
from app.domain.disputes import Party
from app.extensions import db
from app.models import PrintJob
from app.services import agreements, disputes
from tests.dispute_steps import agreed_case, mediating_case
from tests.factories import hall_today, staff_user, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def clerk(ctx):
    return staff_user()


def texts(receipt) -> list[str]:
    return [item.text for item in receipt.items if hasattr(item, "text")]


def qr_payloads(receipt) -> list[str]:
    return [item.payload for item in receipt.items if type(item).__name__ == "QR"]


def test_a_case_has_an_agreement_from_its_signing_until_it_ends(clerk):
    case = mediating_case(clerk)
    assert agreements.can_sign(case) and not agreements.has_agreement(case)
    disputes.agree(case, amount="800", pay_by=hall_today() + timedelta(days=3), method="cash",
                   terms="三日内现金支付八百元", user=clerk, signatures=_three())
    assert agreements.has_agreement(case) and not agreements.can_sign(case)
    disputes.refer(case, "到期未付款，申请人要求仲裁", clerk)
    assert agreements.has_agreement(case)  # referred after the agreement: it still shows


def test_a_case_referred_after_a_failed_mediation_has_no_agreement(clerk):
    case = mediating_case(clerk)
    disputes.fail(case, "双方意见分歧太大", clerk)
    disputes.refer(case, "调解不成，转仲裁", clerk)
    assert not agreements.has_agreement(case)
    with pytest.raises(Conflict):
        agreements.queue_slips(case, clerk, printer="default")
    assert db.session.query(PrintJob).count() == 0


def test_each_slip_opens_its_own_partys_progress_page(clerk):
    case = agreed_case(clerk)
    for party, token in ((Party.APPLICANT, case.applicant_token), (Party.RESPONDENT, case.respondent_token)):
        slip = agreements.agreement_slip(case, party, "http://hall.test/")
        assert qr_payloads(slip["receipt"]) == [f"http://hall.test/c/{token}"]
        lines = texts(slip["receipt"])
        assert f"调解协议凭条 · {party.label}联" in lines and case.number in lines
        assert "协议金额：1,000 元" in lines and "支付方式：微信" in lines
        assert f"履行期限：{hall_today().year}年" in lines[lines.index("协议金额：1,000 元") + 1]
        assert "请按期履行；工作人员会回访" in lines
        assert slip["subject"] == f"case:{case.id}" and slip["kind"] == agreements.SLIP_KIND


def test_an_agreement_without_payment_says_so_on_the_slip(clerk):
    case = mediating_case(clerk)
    disputes.agree(case, amount="", pay_by=hall_today(), method="", terms="双方互相道歉，不再追究",
                   user=clerk, signatures=_three())
    lines = texts(agreements.agreement_slip(case, Party.APPLICANT, "http://hall.test")["receipt"])
    assert "协议金额：无（见协议内容）" in lines
    assert not [line for line in lines if line.startswith("支付方式")]


def test_the_parties_on_paper_have_full_names_and_masked_numbers(clerk):
    registered = worker(name="李四", id_number="360426199101010071", phone="13800000001")
    case = agreed_case(clerk, id_number="360426199101010071")
    assert case.worker_id == registered.id
    applicant, respondent = agreements.parties(case)
    assert (applicant.name, applicant.role, applicant.phone) == ("李四", "零工", "138****0001")
    assert applicant.id_number == "**************0071"  # from the linked worker's record
    assert (respondent.name, respondent.role, respondent.phone, respondent.id_number) == (
        "王老板", "用工方", "139****0002", "")


def test_an_employers_application_names_the_worker_as_the_other_party(clerk):
    case = agreed_case(clerk, applicant_role="employer", applicant_name="沙县某餐馆", other_party_name="张三",
                       other_party_phone="")
    applicant, respondent = agreements.parties(case)
    assert applicant.role == "用工方" and respondent.role == "零工"
    assert respondent.phone == "" and applicant.id_number == ""


def test_slips_waiting_for_the_printer_are_not_queued_twice(clerk):
    case = agreed_case(clerk)
    first = agreements.queue_slips(case, clerk, printer="default")
    again = agreements.queue_slips(case, clerk, printer="default")
    assert [j.id for j in first] == [j.id for j in again] and len(first) == 2


def test_the_mediator_is_offered_as_the_signed_in_member_of_staff(clerk):
    case = mediating_case(clerk)
    assert agreements.signer_defaults(case, clerk) == {
        Party.APPLICANT: "李四", Party.RESPONDENT: "王老板", Party.MEDIATOR: "小李"}


def _three():
    from app.services.disputes import Signed
    from tests.factories import signature

    return {party: Signed(name, signature(30)) for party, name in
            ((Party.APPLICANT, "李四"), (Party.RESPONDENT, "王老板"), (Party.MEDIATOR, "小李"))}


def test_two_signings_at_the_same_moment_store_one_agreement(app):
    """Two tablets at the same table, both sent: one agreement, the other told to look again."""
    from app.models import DisputeSignature, StaffUser
    from tests.conftest import at_once

    with app.app_context():
        case_id = mediating_case(staff_user()).id

    def sign(n):
        user = db.session.scalar(db.select(StaffUser))
        return disputes.agree(disputes.get(case_id), amount="100", pay_by=hall_today(), method="cash",
                              terms=f"当场现金付清一百元（{n}）", user=user, signatures=_three())

    results = at_once(app, 2, sign)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "DisputeCase"]
    with app.app_context():
        assert db.session.query(DisputeSignature).count() == 3
