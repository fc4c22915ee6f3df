"""转仲裁告知单: the two copies printed when a case is referred, what they say (what to bring,
the time bar, where the committee is; never an invented address), their QR codes, the
reprint from the case (rebuilt, marked 补打), and the committee's settings."""

import re

import pytest
from sqlalchemy import select

from app.config import Defaults
from app.extensions import db
from app.hall_config import HallConfig, HallConfigError
from app.models import DisputeCase, PrintJob, Role
from app.services import disputes
from printers import Receipt
from printers.receipt import plain_text
from tests.conftest import csrf_from
from tests.factories import as_user, dispute, staff_user

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall

DEFAULTS = {name: getattr(Defaults, name) for name in dir(Defaults) if name.isupper()}


def referred_case(app) -> int:
    """A case that mediation did not settle, referred at the staff screen."""
    with app.app_context():
        user = staff_user(username="staff", role=Role.STAFF)
        case = dispute(applicant_name="李四", other_party_name="王老板", amount="1200")
        disputes.accept(case, user)
        disputes.fail(case, "双方分歧太大", user)
        case_id = case.id
    client = as_user(app, "staff")
    token = csrf_from(client.get(f"/staff/disputes/{case_id}").text)
    resp = client.post(f"/staff/disputes/{case_id}/refer", data={"csrf_token": token, "reason": "申请人要求仲裁"})
    assert resp.status_code == 303
    return case_id


def printed(app) -> dict[str, str]:
    """The referral slips printed so far, as text, by kind (the newest of each)."""
    with app.app_context():
        jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        return {job.kind: plain_text(Receipt.from_dict(job.receipt), 80) for job in jobs}


def tokens(app, case_id) -> tuple[str, str]:
    with app.app_context():
        case = db.session.get(DisputeCase, case_id)
        return case.applicant_token, case.respondent_token


def test_the_applicant_s_copy_says_what_to_bring_the_time_bar_and_where_to_go(app):
    case_id = referred_case(app)
    slip = printed(app)["referral_applicant"]
    flat = slip.replace("\n", "")
    assert "转仲裁告知单" in slip and "申请人联" in slip and "2026-JF-0001" in slip
    assert "申请人：李四" in slip and "被申请人：王**" in slip and "申请金额：1,200元" in slip
    assert "转仲裁日期：2026年11月28日" in slip
    for item in ("身份证", "调解记录或调解协议书", "工资条", "聊天记录", "证人"):
        assert item in flat, item
    assert "仲裁时效：一年" in slip and "申请仲裁的时效为一年" in flat
    assert "仲裁委员会：三明市沙县区劳动人事争议仲裁委员会" in flat
    assert "地址：请向服务窗口咨询地址" in flat and "电话：请向服务窗口咨询" in flat  # never a guessed address
    applicant_token, respondent_token = tokens(app, case_id)
    assert f"[QR] http://hall.test/c/{applicant_token}" in slip and respondent_token not in slip
    assert "13800000001" not in slip and "13900000002" not in slip


def test_the_other_party_s_copy_carries_its_own_qr_and_no_list_of_evidence(app):
    case_id = referred_case(app)
    slip = printed(app)["referral_respondent"]
    applicant_token, respondent_token = tokens(app, case_id)
    assert "被申请人联" in slip and "被申请人：王老板" in slip and "申请人：李*" in slip
    assert f"[QR] http://hall.test/c/{respondent_token}" in slip and applicant_token not in slip
    assert "三明市沙县区劳动人事争议仲裁委员会" in slip.replace("\n", "") and "申请仲裁请带上" not in slip


def test_the_committee_s_address_and_phone_are_the_hall_s_settings(make_app):
    app = make_app(ARBITRATION_ADDRESS="沙县区某某路 8 号 3 楼", ARBITRATION_PHONE="0598-5800000",
                   ARBITRATION_COMMITTEE="三明市沙县区劳动人事争议仲裁院")
    referred_case(app)
    slip = printed(app)["referral_applicant"].replace("\n", "")
    assert "仲裁委员会：三明市沙县区劳动人事争议仲裁院" in slip
    assert "地址：沙县区某某路 8 号 3 楼" in slip and "电话：0598-5800000" in slip and "请向服务窗口咨询" not in slip
    page = as_user(app, "staff").get("/staff/disputes/1").text
    assert "沙县区某某路 8 号 3 楼" in page and "0598-5800000" in page  # on the case too


def test_a_reprint_from_the_case_prints_both_copies_again_rebuilt_and_marked(app):
    case_id = referred_case(app)
    client = as_user(app, "staff")
    app.extensions["hall"] = HallConfig.from_mapping({**app.config, "ARBITRATION_PHONE": "0598-5811111"})
    token = csrf_from(client.get(f"/staff/disputes/{case_id}").text)
    resp = client.post(f"/staff/disputes/{case_id}/referral-slip", data={"csrf_token": token})
    assert resp.status_code == 303
    with app.app_context():
        jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        assert [(j.kind, j.reprint_of_id) for j in jobs] == [
            ("referral_applicant", None), ("referral_respondent", None),
            ("referral_applicant", 1), ("referral_respondent", 2)]
        again = plain_text(Receipt.from_dict(jobs[2].receipt), 80)
    assert again.lstrip().startswith("补打") and "电话：0598-5811111" in again  # as configured now
    assert "正在重新打印转仲裁告知单" in client.get(f"/staff/disputes/{case_id}").text


def test_the_print_jobs_page_reprints_a_referral_slip_as_the_case_is_now(app):
    referred_case(app)
    client = as_user(app, "staff")
    app.extensions["hall"] = HallConfig.from_mapping({**app.config, "ARBITRATION_ADDRESS": "沙县区某某路 9 号"})
    token = csrf_from(client.get("/staff/print-jobs").text)
    assert client.post("/staff/print-jobs/1/reprint", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        copy = db.session.scalars(select(PrintJob).where(PrintJob.reprint_of_id == 1)).one()
        assert "地址：沙县区某某路 9 号" in plain_text(Receipt.from_dict(copy.receipt), 80).replace("\n", "")


def test_no_slip_is_printed_when_the_referral_is_refused(app):
    with app.app_context():
        staff_user(username="staff", role=Role.STAFF)
        case_id = dispute().id  # received: not yet failed
    client = as_user(app, "staff")
    token = csrf_from(client.get(f"/staff/disputes/{case_id}").text)
    assert client.post(f"/staff/disputes/{case_id}/refer", data={"csrf_token": token, "reason": "要仲裁"}
                       ).status_code == 409
    assert client.post(f"/staff/disputes/{case_id}/refer", data={"csrf_token": token, "reason": ""}
                       ).status_code in (409, 422)
    assert client.post(f"/staff/disputes/{case_id}/referral-slip", data={"csrf_token": token}).status_code == 409
    assert printed(app) == {}


def test_a_bad_reason_for_a_referral_prints_nothing(app):
    with app.app_context():
        user = staff_user(username="staff", role=Role.STAFF)
        case = dispute()
        disputes.accept(case, user)
        disputes.fail(case, "双方分歧太大", user)
        case_id = case.id
    client = as_user(app, "staff")
    token = csrf_from(client.get(f"/staff/disputes/{case_id}").text)
    resp = client.post(f"/staff/disputes/{case_id}/refer", data={"csrf_token": token, "reason": "x"})
    assert resp.status_code == 422 and "转仲裁的原因至少2个字" in resp.text
    assert printed(app) == {}


# -- the settings -------------------------------------------------------------------------

@pytest.mark.parametrize(("settings", "message"), [
    ({"ARBITRATION_COMMITTEE": ""}, "ARBITRATION_COMMITTEE: must not be empty"),
    ({"ARBITRATION_COMMITTEE": "仲裁委" * 14}, "ARBITRATION_COMMITTEE: at most 40 characters"),
    ({"ARBITRATION_ADDRESS": "路" * 61}, "ARBITRATION_ADDRESS: at most 60 characters"),
    ({"ARBITRATION_PHONE": "仲裁委"}, "ARBITRATION_PHONE: '仲裁委' is not a phone number"),
])
def test_a_wrong_committee_setting_is_refused_by_name(settings, message):
    with pytest.raises(HallConfigError) as caught:
        HallConfig.from_mapping({**DEFAULTS, "PRINTER_URL": "memory:default", **settings})
    assert [p for p in caught.value.problems if re.match(message, p)], caught.value.problems


def test_the_committee_defaults_to_shaxian_s_with_no_invented_address():
    config = HallConfig.from_mapping({**DEFAULTS, "PRINTER_URL": "memory:default"})
    assert config.arbitration_committee == "三明市沙县区劳动人事争议仲裁委员会"
    assert config.arbitration_address == "" and config.arbitration_phone == ""
