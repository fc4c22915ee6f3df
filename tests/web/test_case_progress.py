"""A case's progress page on the phone (/c/<token>, the QR on a party's case slip): the stage,
the dates so far and the next step in plain words, for the applicant and the other party;
never the other party's personal data; the mediation rated from the slip once it is over.

On the frozen clock (2026-11-28 10:00 in the hall, a Saturday).
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.disputes import NEXT_FOR_APPLICANT, CaseStatus, Party
from app.extensions import db
from app.log_redaction import redact
from app.models import DisputeCase, Rating, utcnow
from app.services import disputes
from app.services.disputes import Signed
from tests.conftest import csrf_from
from tests.factories import dispute, signature, staff_user, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")

APPLICANT = {"applicant_name": "李四海", "applicant_phone": "13800000001"}
OTHER = {"other_party_name": "王大富", "other_party_phone": "13900000002", "other_party_company": "沙县富达装修公司"}
PERSONAL = ("李四海", "13800000001", "王大富", "13900000002", "沙县富达装修公司")


def file_case(app) -> dict:
    with app.app_context():
        case = dispute(**APPLICANT, **OTHER)
        return {"id": case.id, "applicant": case.applicant_token, "respondent": case.respondent_token}


def move(app, case_id: int, *steps: str, **extra) -> None:
    """Staff move the case through the service, as the console would."""
    with app.app_context():
        user = staff_user(username=f"mediator{case_id}{len(steps)}")
        case = db.session.get(DisputeCase, case_id)
        for name in steps:
            if name == "accept":
                disputes.accept(case, user)
            elif name == "session":
                disputes.record_session(case, held_at=utcnow(), attendees="双方", text="双方对工钱数额有分歧",
                                        user=user)
            elif name == "agree":
                disputes.agree(case, amount="1000", pay_by=(utcnow() + timedelta(days=7)).date(), method="wechat",
                               terms="王某于一周内通过微信支付工钱1000元", user=user,
                               signatures={p: Signed(p.label, signature()) for p in Party})
            elif name == "merge":
                disputes.merge(case, extra["into"], "同一件事重复申请", user)
            else:  # decline, fail, refer, withdraw, perform: with a reason
                getattr(disputes, name)(case, extra.get("reason", "双方各执一词"), user)


def page(client, token):
    resp = client.get(f"/c/{token}")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    return resp


def test_the_applicants_page_shows_the_case_and_the_next_step_and_nothing_personal(app, client):
    case = file_case(app)
    resp = page(client, case["applicant"])
    shown = text_of(resp)
    assert "2026-JF-0001" in shown and "欠薪" in shown and "待受理" in shown
    assert "3 个工作日内受理，工作人员会电话联系您" in shown
    assert "您是 申请人" in shown and "申请人 李**（零工）" in shown
    assert "2026年11月28日 提交申请" in shown
    html = resp.get_data(as_text=True)
    for secret in PERSONAL:
        assert secret not in html, secret


def test_the_other_partys_page_says_respondent_and_shows_the_applicant_masked(app, client):
    case = file_case(app)
    resp = page(client, case["respondent"])
    shown = text_of(resp)
    assert "您是 被申请人" in shown and "李**" in shown and "2026-JF-0001" in shown
    assert "工作人员正在审核这份申请" in shown
    html = resp.get_data(as_text=True)
    for secret in PERSONAL:
        assert secret not in html, secret


@pytest.mark.parametrize("steps,status", [
    (("accept",), CaseStatus.ACCEPTED),
    (("accept", "session"), CaseStatus.MEDIATING),
    (("accept", "session", "agree", "perform"), CaseStatus.PERFORMED),
    (("accept", "fail", "refer"), CaseStatus.REFERRED),
    (("withdraw",), CaseStatus.WITHDRAWN),
])
def test_each_state_says_its_own_next_step(app, client, steps, status):
    case = file_case(app)
    move(app, case["id"], *steps)
    shown = text_of(page(client, case["applicant"]))
    assert status.label in shown and NEXT_FOR_APPLICANT[status] in shown
    if "session" in steps:
        assert "第1次调解" in shown and "双方对工钱数额有分歧" not in shown  # the date, not what was said


def test_a_declined_or_failed_case_shows_its_reason(app, client):
    declined, failed = file_case(app), file_case(app)
    move(app, declined["id"], "decline", reason="不属于劳动争议调解范围")
    move(app, failed["id"], "accept", "fail", reason="对方拒绝调解")
    shown = text_of(page(client, declined["applicant"]))
    assert "不予受理" in shown and "不予受理的原因： 不属于劳动争议调解范围" in shown
    shown = text_of(page(client, failed["applicant"]))
    assert "调解不成" in shown and "对方拒绝调解" in shown and NEXT_FOR_APPLICANT[CaseStatus.FAILED] in shown


def test_a_reason_naming_the_other_party_shows_the_name_masked(app, client):
    """Staff write the reasons; the slip's holder reads them with the names the case knows
    masked, so the other party's name is never on the phone page."""
    case = file_case(app)  # the other party: 王大富 of 沙县富达装修公司
    move(app, case["id"], "accept", "fail", reason="王大富（沙县富达装修公司）拒绝调解，电话13900000002已停机")
    shown = text_of(page(client, case["applicant"]))
    assert "王**（沙县******）拒绝调解" in shown
    assert "王大富" not in shown and "富达装修" not in shown and "13900000002" not in shown


def test_a_merged_case_names_its_original(app, client):
    file_case(app)  # the original, 2026-JF-0001
    duplicate = file_case(app)
    move(app, duplicate["id"], "merge", into="2026-JF-0001")
    shown = text_of(page(client, duplicate["applicant"]))
    assert "已合并" in shown and "2026-JF-0001" in shown and NEXT_FOR_APPLICANT[CaseStatus.MERGED] in shown


def test_an_agreed_case_shows_the_amount_deadline_and_method(app, client):
    case = file_case(app)
    move(app, case["id"], "accept", "session", "agree")
    for token in (case["applicant"], case["respondent"]):
        resp = page(client, token)
        shown = text_of(resp)
        assert "已达成协议" in shown and "协议金额 1,000 元" in shown
        assert "2026年12月5日前" in shown and "微信" in shown and "达成调解协议" in shown
        for secret in PERSONAL:
            assert secret not in resp.get_data(as_text=True), secret


# -- rating the mediation ------------------------------------------------------------------------

def rate(client, url, **fields):
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def test_the_mediation_is_not_rated_before_it_is_over(app, client):
    case = file_case(app)
    move(app, case["id"], "accept", "session")
    shown = page(client, case["applicant"]).get_data(as_text=True)
    assert "评价本次服务" not in shown and "/rate" not in shown
    resp = client.get(f"/c/{case['applicant']}/rate")
    assert resp.status_code == 409 and "调解结束后即可在这里评价本次调解服务" in text_of(resp)
    with app.app_context():
        assert db.session.scalars(select(Rating)).all() == []


def test_each_party_rates_the_mediation_once_from_their_slip(app, client):
    case = file_case(app)
    move(app, case["id"], "accept", "session", "agree")
    applicant_url, respondent_url = f"/c/{case['applicant']}/rate", f"/c/{case['respondent']}/rate"
    assert f'href="{applicant_url}"' in page(client, case["applicant"]).get_data(as_text=True)
    form = client.get(applicant_url)
    assert form.status_code == 200 and "纠纷调解 2026-JF-0001" in text_of(form)
    assert rate(client, applicant_url, level="1", role="worker").status_code == 200
    assert rate(client, respondent_url, level="3", role="worker").status_code == 200  # the slip says who
    again = client.post(applicant_url, data={"csrf_token": csrf_from(form.get_data(as_text=True)),
                                             "level": "5", "role": "worker"})
    assert again.status_code == 409 and "这项服务已经评价过了" in text_of(again)
    assert "已评价，谢谢" in text_of(page(client, case["applicant"]))
    with app.app_context():
        stored = {r.service: (r.level, r.role.value) for r in db.session.scalars(select(Rating))}
        assert stored == {f"case:{case['id']}:applicant": (1, "worker"),
                          f"case:{case['id']}:respondent": (3, "employer")}
        assert [r.level for r in disputes.satisfaction(db.session.get(DisputeCase, case["id"]))] == [1, 3]


@pytest.mark.parametrize("url", ["/c/no-such-token", "/c/no-such-token/rate"])
def test_an_unknown_case_slip_is_not_found(client, url):
    resp = client.get(url)
    assert resp.status_code == 404 and "页面不存在" in text_of(resp)


def test_case_tokens_stay_out_of_the_logs():
    assert redact("GET /c/AbC_123-xyz/rate HTTP/1.1") == "GET /c/***/rate HTTP/1.1"
    assert redact("GET /%63/AbC_123 HTTP/1.1") == "GET /%63/*** HTTP/1.1"
