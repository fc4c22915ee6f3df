"""交易 on the staff screens: a deal walked through every step by POSTs (each step's record on
the page), a step out of order refused with its reason (409), bad amounts answered beside
the field with nothing written (422), cancellation confirmed on a page of its own, staff's
match and its refusals, a dispute filed from a deal and linked both ways, the G3 decision,
the deal's phone page and its one rating, the assessor reading masked without acting, and
typed text shown as text."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.deals import DealStatus, Side
from app.extensions import db
from app.models import AuditEntry, Deal, DisputeCase, PrintJob, Rating, Role, TaskOrder, Worker
from app.services import deals
from app.services.disputes import Signed
from tests.conftest import csrf_from
from tests.deal_steps import deal_at
from tests.factories import as_user, hall_today, make_id, posting, signature, staff_user, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall


@pytest.fixture
def users(app):
    with app.app_context():
        for role in Role:
            staff_user(username=role.value, role=role)


@pytest.fixture
def staff(app, users):
    return as_user(app, "staff")


def _user(username="staff"):
    from app.models import StaffUser

    return db.session.scalar(select(StaffUser).where(StaffUser.username == username))


def new_deal(app, state=DealStatus.ACCEPTED, **fields) -> int:
    with app.app_context():
        return deal_at(state, _user(), **fields).id


def deal_of(app, deal_id) -> Deal:
    with app.app_context():
        found = db.session.get(Deal, deal_id)
        db.session.expunge(found)
        return found


def trail(app, deal_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.record_type == "deal", AuditEntry.record_id == deal_id).order_by(AuditEntry.id)))


def step(client, deal_id, action, **data):
    page = client.get(f"/staff/deals/{deal_id}")
    return client.post(f"/staff/deals/{deal_id}/{action}", data={**data, "csrf_token": csrf_from(page.text)})


def detail(client, deal_id) -> str:
    resp = client.get(f"/staff/deals/{deal_id}")
    assert resp.status_code == 200
    return text_of(resp)


PAID = {"amount": "200.00", "method": "wechat", "reference": "4200001234", "on": "2026-11-28", "time": "10:00"}


# -- the whole deal ------------------------------------------------------------------------------

def test_staff_match_a_worker_and_walk_the_deal_through_every_step(app, staff):
    with app.app_context():
        task_id = posting(trade_code="porter").id
        worker(name="李四", phone="13800001234")
    found = staff.post(f"/staff/deals/new?posting={task_id}",
                       data={"q": "1234", "csrf_token": csrf_from(staff.get(f"/staff/deals/new?posting={task_id}").text)})
    assert found.status_code == 200 and "李*" in text_of(found) and "李四" not in text_of(found)
    created = staff.post("/staff/deals", data={
        "posting": task_id, "worker": _id_in(found.text, "worker"), "form_key": _id_in(found.text, "form_key"),
        "csrf_token": csrf_from(found.text)})
    assert created.status_code == 303
    deal_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = detail(staff, deal_id)
    assert "已接单" in page and "工作人员撮合" in page and "剩余 2 个" in page
    with app.app_context():
        kinds = set(db.session.scalars(select(PrintJob.kind)))
    assert "deal_application" in kinds  # the worker's application slip

    assert step(staff, deal_id, "price", side="worker", pay="220", pay_unit="day").status_code == 303
    page = detail(staff, deal_id)
    assert "零工（乙方）：已确认（工作人员按本人口头确认登记" in page and "用工方（甲方）： 未确认" in page
    assert "工价 220 元/天" in page
    assert step(staff, deal_id, "price", side="employer", pay="220", pay_unit="day").status_code == 303
    page = detail(staff, deal_id)
    assert "价格已确认" in page and "用工方（甲方）：已确认" in page
    assert f'href="/staff/deals/{deal_id}/agreement"' in staff.get(f"/staff/deals/{deal_id}").text

    with app.app_context():  # both sign on the touchscreen (their own page)
        deals.sign(db.session.get(Deal, deal_id), {Side.WORKER: Signed("李四", signature(30)),
                                                   Side.EMPLOYER: Signed("王老板", signature(35))}, _user())
    page = detail(staff, deal_id)
    assert "协议已签订" in page and "协议真实有效，内容未被改动" in page and "李四" not in page

    insured = step(staff, deal_id, "insure", insurer="中国人寿沙县支公司", policy_number="PICC-2026-7",
                   premium="3.50", cover_from="2026-11-29", cover_to="2026-11-29")
    assert insured.status_code == 303
    assert "中国人寿沙县支公司，保单号 PICC-2026-7，保费 3.5 元" in detail(staff, deal_id)

    assert step(staff, deal_id, "pay", **PAID).status_code == 303
    assert "200 元，微信，单号 4200001234，2026-11-28 10:00" in detail(staff, deal_id)

    settled = step(staff, deal_id, "settle", **{**PAID, "method": "cash", "reference": "", "time": "10:00"})
    assert settled.status_code == 303
    assert "200 元，现金，2026-11-28 10:00" in detail(staff, deal_id)
    with app.app_context():
        slip = db.session.scalar(select(PrintJob).where(PrintJob.kind == "deal_settlement"))
        assert slip is not None and slip.subject == f"deal:{deal_id}"

    assert step(staff, deal_id, "complete").status_code == 303
    page = detail(staff, deal_id)
    assert "已完成" in page
    assert trail(app, deal_id) == ["accept", "accept_price", "confirm_price", "sign", "insure", "pay", "settle",
                                   "complete"]
    # the history: each step with who did it
    assert page.count("· 小李") == 8


def _id_in(html: str, name: str) -> str:
    import re

    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, name
    return match.group(1)


def test_a_step_out_of_order_is_refused_with_the_reason(app, staff):
    deal_id = new_deal(app)
    resp = step(staff, deal_id, "pay", **PAID)
    assert resp.status_code == 409
    assert "该交易当前为“已接单”，不能登记雇主付款。请先确认双方接受的价格" in text_of(resp)
    assert trail(app, deal_id) == ["accept"]
    assert step(staff, deal_id, "complete").status_code == 409


@pytest.mark.parametrize("amount, message", [("0", "应大于0"), ("-5", "应大于0"), ("1000000000", "不能超过"),
                                             ("12.345", "最多保留两位小数"), ("abc", "应为数字")])
@pytest.mark.parametrize("action, state", [("pay", DealStatus.INSURED), ("settle", DealStatus.PAID)])
def test_a_bad_amount_is_answered_beside_the_field_and_nothing_is_written(app, staff, amount, message, action,
                                                                          state):
    deal_id = new_deal(app, state)
    before = trail(app, deal_id)
    resp = step(staff, deal_id, action, **{**PAID, "amount": amount})
    assert resp.status_code == 422
    assert 'id="amount-error"' in resp.text and message in text_of(resp)
    assert deal_of(app, deal_id).status == state and trail(app, deal_id) == before


def test_a_payment_needs_a_method_a_reference_unless_cash_and_no_time_in_the_future(app, staff):
    deal_id = new_deal(app, DealStatus.INSURED)
    resp = step(staff, deal_id, "pay", amount="200", method="bank", reference="", on="2026-11-29", time="08:00")
    assert resp.status_code == 422
    shown = text_of(resp)
    assert "银行转账付款请填写交易单号" in shown and "付款时间不能晚于现在" in shown
    assert deal_of(app, deal_id).paid_at is None


def test_insurance_or_the_reason_for_none(app, staff):
    deal_id = new_deal(app, DealStatus.SIGNED)
    resp = step(staff, deal_id, "insure", insurer="", policy_number="P1", premium="0",
                cover_from="2026-11-29", cover_to="2026-11-28")
    assert resp.status_code == 422
    shown = text_of(resp)
    assert "请输入保险公司" in shown and "保费应大于0" in shown and "保障结束日期不能早于开始日期" in shown
    assert step(staff, deal_id, "insure", uninsured="1", uninsured_reason="").status_code == 422
    assert step(staff, deal_id, "insure", uninsured="1", uninsured_reason="用工方不同意投保").status_code == 303
    assert "未投保：用工方不同意投保" in detail(staff, deal_id)


def test_cancel_from_a_middle_state_asks_first_and_gives_the_place_back(app, staff):
    deal_id = new_deal(app, DealStatus.SIGNED)
    assert step(staff, deal_id, "cancel", reason="").status_code == 422
    asked = step(staff, deal_id, "cancel", reason="用工方临时取消了活")
    assert asked.status_code == 200 and "确认取消交易" in text_of(asked) and "名额退回岗位" in text_of(asked)
    assert deal_of(app, deal_id).status == DealStatus.SIGNED  # only asked
    done = staff.post(f"/staff/deals/{deal_id}/cancel", data={
        "reason": "用工方临时取消了活", "confirm": "yes", "csrf_token": csrf_from(asked.text)})
    assert done.status_code == 303
    deal = deal_of(app, deal_id)
    assert deal.status == DealStatus.CANCELLED and deal.cancelled_from == DealStatus.SIGNED
    with app.app_context():
        assert db.session.get(TaskOrder, deal.task_order_id).taken == 0
    page = detail(staff, deal_id)
    assert "原因：用工方临时取消了活" in page and "登记确认" not in page
    assert step(staff, deal_id, "cancel", reason="再取消一次", confirm="yes").status_code == 409


# -- staff's match: the refusals --------------------------------------------------------------------

def _match(app, client, task_id, worker_id):
    """Staff find the worker (by the phone's last four digits) and press 撮合接单."""
    with app.app_context():
        last4 = db.session.get(Worker, int(worker_id)).phone_last4 if worker_id else "0000"
    url = f"/staff/deals/new?posting={task_id}"
    page = client.post(url, data={"q": last4, "csrf_token": csrf_from(client.get(url).text)})
    return client.post("/staff/deals", data={"posting": task_id, "worker": worker_id,
                                             "form_key": _id_in(page.text, "form_key") if worker_id else "",
                                             "csrf_token": csrf_from(page.text)})


def test_staff_match_refuses_a_minor_for_a_forbidden_trade_a_second_application_and_a_full_posting(app, staff):
    with app.app_context():
        today = hall_today()
        minor = worker(id_number=make_id(today.replace(year=today.year - 17).strftime("%Y%m%d"), seq="777")).id
        heavy = posting(trade_code="porter").id
        single = posting(trade_code="cleaner", headcount=1).id
        first, second = worker().id, worker().id
    refused = _match(app, staff, heavy, minor)
    assert refused.status_code == 409 and "未满18周岁不能报名" in text_of(refused)
    assert _match(app, staff, single, first).status_code == 303
    again = _match(app, staff, single, first)
    assert again.status_code == 409 and "您已经报名了这个岗位" in text_of(again)
    full = _match(app, staff, single, second)
    assert full.status_code == 409 and "名额刚刚被别人报满了" in text_of(full)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Deal)) == 1
    assert _match(app, staff, single, "").status_code == 422


# -- task not completed: the dispute -----------------------------------------------------------------

def test_a_dispute_filed_from_a_deal_is_linked_both_ways(app, staff):
    deal_id = new_deal(app, DealStatus.INSURED)
    page = staff.get(f"/staff/deals/{deal_id}")
    assert f'href="/staff/disputes/new?deal={deal_id}"' in page.text and "申请纠纷调解" in page.text
    form = staff.get(f"/staff/disputes/new?deal={deal_id}")
    deal = deal_of(app, deal_id)
    assert f"关联交易 {deal.number}" in text_of(form)
    resp = staff.post("/staff/disputes/new", data={
        "channel": "counter", "applicant_role": "worker", "applicant_name": "张三", "applicant_phone": "",
        "other_party_name": "王老板", "kind": "wages", "amount": "200", "facts": "干完两天活，用工方没付钱",
        "wants": "付清工钱", "deal": str(deal_id), "form_key": _id_in(form.text, "form_key"),
        "csrf_token": csrf_from(form.text)})
    assert resp.status_code == 303
    with app.app_context():
        case = db.session.scalar(select(DisputeCase))
        assert case.deal_id == deal_id and case.worker_id == deal.worker_id and case.employer_id == deal.employer_id
        number, case_id = case.number, case.id
    assert number in detail(staff, deal_id)
    case_page = staff.get(f"/staff/disputes/{case_id}")
    assert f'href="/staff/deals/{deal_id}"' in case_page.text and deal.number in text_of(case_page)


def test_a_negotiation_note_is_kept_with_the_deal(app, staff):
    deal_id = new_deal(app, DealStatus.PAID)
    assert step(staff, deal_id, "note", kind="negotiation", text="零工只干了半天，双方同意按半天结算").status_code == 303
    page = detail(staff, deal_id)
    assert "任务未完成协商" in page and "双方同意按半天结算" in page
    assert step(staff, deal_id, "note", kind="negotiation", text="").status_code == 422


# -- inter-provincial (G3) ------------------------------------------------------------------------------

def test_an_inter_provincial_suggestion_is_explained_and_decided_once(app, staff):
    with app.app_context():
        outsider = worker(id_number="360426199101010071")  # 36: Jiangxi
        deal_id = deal_at(DealStatus.ACCEPTED, _user(), person=outsider).id
        away = deal_at(DealStatus.ACCEPTED, _user(), outside_fujian=True, location="江西省南昌市红谷滩").id
    page = detail(staff, deal_id)
    assert "零工身份证显示户籍地不在福建省" in page and "确认为省际用工" in page
    assert "工作地点在福建省外（江西省南昌市红谷滩）" in detail(staff, away)
    listed = text_of(staff.get("/staff/deals?show=suggested"))
    assert deal_of(app, deal_id).number in listed and deal_of(app, away).number in listed
    assert step(staff, deal_id, "inter-provincial", decision="confirm").status_code == 303
    assert deal_of(app, deal_id).interprovincial_at is not None
    assert step(staff, deal_id, "inter-provincial", decision="dismiss").status_code == 409
    assert step(staff, away, "inter-provincial", decision="maybe").status_code == 422
    assert step(staff, away, "inter-provincial", decision="dismiss").status_code == 303
    assert deal_of(app, away).interprovincial_dismissed_at is not None
    assert "已排除" in detail(staff, away)
    assert deal_of(app, deal_id).number not in text_of(staff.get("/staff/deals?show=suggested"))


# -- the list -----------------------------------------------------------------------------------------

def test_the_list_filters_by_state_and_searches_by_number_and_masked_name(app, staff):
    accepted = deal_of(app, new_deal(app))
    completed = deal_of(app, new_deal(app, DealStatus.COMPLETED))
    with app.app_context():
        named = deal_at(DealStatus.PRICED, _user(), person=worker(name="欧阳娜娜")).id
    named = deal_of(app, named)
    shown = text_of(staff.get("/staff/deals"))
    assert accepted.number in shown and completed.number not in shown
    assert completed.number in text_of(staff.get("/staff/deals?show=completed"))
    priced_only = text_of(staff.get("/staff/deals?state=priced"))
    assert named.number in priced_only and accepted.number not in priced_only
    assert [accepted.number] == [n for n in (accepted.number, completed.number)
                                 if n in text_of(staff.get(f"/staff/deals?q={accepted.number}"))]
    by_name = text_of(staff.get("/staff/deals?q=欧***"))
    assert named.number in by_name and accepted.number not in by_name
    assert named.number not in text_of(staff.get("/staff/deals?q=欧**"))  # four characters, not three


# -- the deal's phone page -------------------------------------------------------------------------------

def test_the_phone_page_shows_progress_and_rates_once_the_deal_is_over(app, client):
    with app.app_context():
        staff_user()
    deal_id = new_deal(app, DealStatus.SIGNED)
    deal = deal_of(app, deal_id)
    page = client.get(f"/d/{deal.worker_token}")
    assert page.status_code == 200
    shown = text_of(page)
    assert deal.number in shown and "协议已签订" in shown and "零工（乙方）" in shown
    assert "核验协议真伪" in shown and f"/v/{deal.verify_token}" in page.text
    assert "评价本次服务" not in shown
    assert client.get(f"/d/{deal.worker_token}/rate").status_code == 409
    assert client.get(f"/d/{deal.employer_token}").status_code == 200
    assert "用工方（甲方）" in text_of(client.get(f"/d/{deal.employer_token}"))
    assert client.get("/d/no-such-token").status_code == 404

    with app.app_context():
        user = _user("xiaoli")
        d = db.session.get(Deal, deal_id)
        d = deals.insure(d, uninsured_reason="用工方不同意投保", user=user)
        d = deals.pay(d, amount=Decimal("200"), method=deals.PaymentMethod.CASH, reference="",
                      paid_at=d.accepted_at + timedelta(minutes=1), user=user)
        d = deals.settle(d, amount=Decimal("200"), method=deals.PaymentMethod.CASH, reference="",
                         settled_at=d.accepted_at + timedelta(minutes=2), user=user)
        deals.complete(d, user)
    url = f"/d/{deal.worker_token}/rate"
    assert f'href="{url}"' in client.get(f"/d/{deal.worker_token}").text
    form = client.get(url)
    assert form.status_code == 200
    sent = client.post(url, data={"csrf_token": csrf_from(form.text), "level": "5", "role": "worker"})
    assert sent.status_code == 200
    again = client.post(url, data={"csrf_token": csrf_from(form.text), "level": "1", "role": "worker"})
    assert again.status_code == 409 and "这项服务已经评价过了" in text_of(again)
    assert "已评价，谢谢" in text_of(client.get(f"/d/{deal.worker_token}"))
    with app.app_context():
        assert [(r.service, r.level) for r in db.session.scalars(select(Rating))] == [(f"deal:{deal_id}:worker", 5)]


# -- who may read and act -------------------------------------------------------------------------------

def test_the_assessor_reads_masked_and_cannot_act(app, users):
    deal_id = new_deal(app, DealStatus.PAID)
    with app.app_context():
        deals.add_note(db.session.get(Deal, deal_id), deals.NoteKind.NOTE, "张三说王老板电话13900001111", _user())
        name = db.session.get(Deal, deal_id).worker.name
    assessor = as_user(app, "assessor")
    listed = assessor.get("/staff/deals")
    assert listed.status_code == 200 and name not in text_of(listed)
    page = assessor.get(f"/staff/deals/{deal_id}")
    shown = text_of(page)
    assert page.status_code == 200 and "不能办理" in shown
    assert name not in shown and "13900001111" not in shown and "张*说王**电话***********" in shown
    assert "<form" not in page.text.split('id="steps-title"')[1].split("</section>")[0]
    resp = assessor.post(f"/staff/deals/{deal_id}/settle", data={**PAID, "csrf_token": csrf_from(page.text)})
    assert resp.status_code == 403
    assert deal_of(app, deal_id).status == DealStatus.PAID
    assert assessor.get(f"/staff/deals/new?posting={deal_of(app, deal_id).task_order_id}").status_code == 403


def test_typed_text_is_shown_as_text(app, staff):
    deal_id = new_deal(app, DealStatus.ACCEPTED)
    resp = step(staff, deal_id, "note", kind="note", text="<script>alert(1)</script>")
    assert resp.status_code == 422 and "<script>alert(1)</script>" not in resp.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in resp.text
    listed = staff.get("/staff/deals?q=<b>x</b>")
    assert listed.status_code == 200 and "<b>X</b>" not in listed.text and "<b>x</b>" not in listed.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Worker)) == 1


def test_the_deal_pages_token_stays_out_of_logs():
    from app.log_redaction import redact

    assert redact("GET /d/AbC_123-xyz/rate HTTP/1.1") == "GET /d/***/rate HTTP/1.1"
    assert redact("GET /%64/AbC_123 HTTP/1.1") == "GET /%64/*** HTTP/1.1"


def test_a_kiosk_application_shows_the_terminal_never_its_network_address(app, staff):
    """The history names the kiosk a worker applied at as staff know it (an unnamed one by a
    tag), never by its IP address."""
    from app.domain.deals import DealSource

    with app.app_context():
        task, person = posting(), worker()
        with app.test_request_context("/kiosk/jobs", environ_base={"REMOTE_ADDR": "10.0.0.7"}):
            deal_id = deals.accept(task, person, source=DealSource.KIOSK).id
    page = detail(staff, deal_id)
    assert "10.0.0.7" not in page
    assert "未命名终端" in page
