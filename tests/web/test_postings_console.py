"""招工信息 on the staff screens: entry by phone and for an enterprise (G1), bad input
answered beside its field with nothing written, one posting per form however often it is
sent, the discrimination flags, publication and its validity, closing, voiding and
confirming false (off the board; C4), a worker record confirmed false, who may read and
act, and free text shown as text."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import hall_tz
from app.domain import Conflict
from app.domain.deals import DealSource, DealStatus
from app.domain.periods import LocalPeriod
from app.extensions import db
from app.hall_config import hall
from app.models import AuditEntry, Employer, EmployerType, FalseRecord, Role, StaffUser, TaskOrder, TaskStatus
from app.services import deals, metrics, task_orders
from tests.conftest import csrf_from
from tests.deal_steps import deal_at
from tests.factories import VALID_USCC, as_user, posting, staff_user, task_order, text_of, worker
from tests.web.test_staff_guards import Page

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall

TODAY = date(2026, 11, 28)


@pytest.fixture
def users(app):
    with app.app_context():
        for role in Role:
            staff_user(username=role.value, role=role)


@pytest.fixture
def staff(app, users):
    return as_user(app, "staff")


def entry(**overrides) -> dict:
    data = {"source": "phone", "employer_type": "individual", "employer_name": "", "uscc": "",
            "contact_name": "王老板", "phone": "13905980001", "trade": "porter", "headcount": "3", "pay": "200",
            "pay_unit": "day", "work_date": (TODAY + timedelta(days=10)).isoformat(), "work_time": "07:30",
            "duration_days": "5", "location": "凤岗街道水南村", "description": "包吃，日结",
            "requirements": "能吃苦"}
    return data | overrides


def enterprise_entry(**overrides) -> dict:
    return entry(**{"source": "enterprise", "employer_type": "enterprise", "employer_name": "沙县鑫达建材有限公司",
                    "uscc": VALID_USCC, "contact_name": "林经理", "phone": "13905980002"} | overrides)


def send(client, data: dict):
    page = client.get("/staff/postings/new")
    return client.post("/staff/postings/new", data={**data, "csrf_token": csrf_from(page.text),
                                                     "form_key": _form_key(page.text)})


def _form_key(html: str) -> str:
    return re.search(r'name="form_key" value="([^"]+)"', html)[1]


def new_posting(client, **overrides) -> int:
    resp = send(client, entry(**overrides))
    assert resp.status_code == 303, text_of(resp)
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def step(client, task_id: int, action: str, **data):
    page = client.get(f"/staff/postings/{task_id}")
    return client.post(f"/staff/postings/{task_id}/{action}", data={**data, "csrf_token": csrf_from(page.text)})


def task(app, task_id: int) -> TaskOrder:
    with app.app_context():
        found = db.session.get(TaskOrder, task_id)
        db.session.expunge(found)
        return found


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def value(app, key: str) -> int:
    with app.app_context():
        return metrics.values(LocalPeriod.day(TODAY, hall_tz()), [key])[key]


def on_board(app, task_id: int) -> bool:
    with app.app_context():
        return task_id in {t.id for t in db.session.scalars(task_orders.board(TODAY))}


def _user(name: str) -> StaffUser:
    return db.session.scalar(select(StaffUser).where(StaffUser.username == name))


# -- entry -------------------------------------------------------------------------------------

def test_staff_enter_a_posting_by_phone_as_a_draft_with_everything_they_heard(app, staff):
    task_id = new_posting(staff)
    saved = task(app, task_id)
    assert saved.status == TaskStatus.DRAFT and saved.source == "phone"
    assert (saved.headcount, str(saved.pay), saved.duration_days, saved.requirements) == (3, "200.00", 5, "能吃苦")
    assert saved.created_by_id is not None and saved.outside_fujian is False
    page = text_of(staff.get(f"/staff/postings/{task_id}"))
    assert f"ZG{task_id:06d}" in page and "电话登记" in page and "待审核" in page and "王**" in page
    assert "13905980001" not in page and "尾号 0001" in page
    with app.app_context():
        created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "create",
                                                             AuditEntry.record_id == task_id,
                                                             AuditEntry.record_type == "task_order"))
        assert created.actor_label == "staff" and created.after["source"] == "phone"
    listing = text_of(staff.get("/staff/postings?tab=review"))
    assert f"ZG{task_id:06d}" in listing and "电话登记" in listing and "未发布" in listing


def test_only_the_posting_for_an_enterprise_counts_in_g1_once_published(app, staff):
    by_phone = new_posting(staff)
    resp = send(staff, enterprise_entry())
    assert resp.status_code == 303
    for_enterprise = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert task(app, for_enterprise).source == "enterprise"
    assert value(app, "postings_for_enterprises") == 0  # drafts count nowhere
    for task_id in (by_phone, for_enterprise):
        assert step(staff, task_id, "publish").status_code == 303
    assert value(app, "postings_for_enterprises") == 1
    assert value(app, "task_orders_published") == 2


def test_the_outside_fujian_box_is_suggested_from_the_place_and_kept_as_sent(app, staff):
    html = staff.get("/staff/postings/outside-fujian?location=江西省南昌市红谷滩").text
    assert "checked" in html and "自动勾选" in html
    assert "checked" not in staff.get("/staff/postings/outside-fujian?location=凤岗街道").text
    task_id = new_posting(staff, location="江西省南昌市红谷滩", outside_fujian="1")
    assert task(app, task_id).outside_fujian is True
    assert "福建省外" in text_of(staff.get(f"/staff/postings/{task_id}"))


@pytest.mark.parametrize("overrides, field, message", [
    ({"pay": "0"}, "pay", "工资"),
    ({"pay": "-50"}, "pay", "工资"),
    ({"pay": "9999999"}, "pay", "工资"),
    ({"work_date": "2026-11-27"}, "work_date", "用工日期不能早于今天"),
    ({"headcount": "0"}, "headcount", "招工人数"),
    ({"source": "enterprise", "employer_type": "enterprise", "employer_name": "沙县鑫达建材有限公司", "uscc": ""},
     "uscc", "统一社会信用代码"),
    ({"source": "enterprise"}, "employer_type", "代企业发布只能为企业/单位发布"),
])
def test_bad_input_is_answered_beside_its_field_and_nothing_is_written(app, staff, overrides, field, message):
    before = (count(app, TaskOrder), count(app, Employer), count(app, AuditEntry))
    resp = send(staff, entry(**overrides))
    assert resp.status_code == 422
    page = Page(resp.text)
    assert f"{field}-error" in page.ids
    assert message in text_of(resp)
    assert (count(app, TaskOrder), count(app, Employer)) == before[:2]
    assert count(app, AuditEntry) == before[2]


def test_a_household_phone_cannot_be_used_for_a_posting_for_an_enterprise(app, staff):
    new_posting(staff)  # 13905980001 is now a household employer
    resp = send(staff, enterprise_entry(phone="13905980001"))
    assert resp.status_code == 422 and "已登记为个人/家庭用工方" in text_of(resp)
    assert count(app, TaskOrder) == 1
    with app.app_context():
        assert db.session.scalar(select(Employer)).employer_type == EmployerType.INDIVIDUAL


def test_the_same_form_sent_twice_enters_one_posting(app, staff):
    page = staff.get("/staff/postings/new")
    data = {**entry(), "csrf_token": csrf_from(page.text), "form_key": _form_key(page.text)}
    first = staff.post("/staff/postings/new", data=data)
    second = staff.post("/staff/postings/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, TaskOrder) == 1


# -- review ------------------------------------------------------------------------------------

def test_discriminating_wording_is_flagged_to_the_reviewer_before_publication(app, staff):
    task_id = new_posting(staff, requirements="只招男性，35岁以下")
    page = text_of(staff.get(f"/staff/postings/{task_id}"))
    assert "发布前请核实" in page and "性别" in page and "年龄" in page
    assert page.index("发布前请核实") < page.index("发布到招工板")
    listing = staff.get("/staff/postings?tab=review").text
    assert "措辞可能含歧视性内容" in listing
    clean = new_posting(staff, phone="13905980009", requirements="能吃苦")
    assert "发布前请核实" not in text_of(staff.get(f"/staff/postings/{clean}"))


def test_publishing_sets_the_validity_from_the_setting_or_the_days_given(app, staff):
    default = new_posting(staff)
    assert step(staff, default, "publish").status_code == 303
    published = task(app, default)
    with app.app_context():
        valid_days = hall().posting_valid_days
    assert published.status == TaskStatus.PUBLISHED
    assert published.valid_until == TODAY + timedelta(days=valid_days - 1)
    assert on_board(app, default)
    longer = new_posting(staff, phone="13905980003")
    assert step(staff, longer, "publish", valid_days="7").status_code == 303
    assert task(app, longer).valid_until == TODAY + timedelta(days=6)
    soon = new_posting(staff, phone="13905980004", work_date=TODAY.isoformat())
    assert step(staff, soon, "publish", valid_days="7").status_code == 303
    assert task(app, soon).valid_until == TODAY  # never past the work date
    bad = new_posting(staff, phone="13905980005")
    resp = step(staff, bad, "publish", valid_days="abc")
    assert resp.status_code == 422 and "有效天数" in text_of(resp)
    assert task(app, bad).status == TaskStatus.DRAFT


def test_a_second_publication_is_refused_with_the_reason(app, staff):
    task_id = new_posting(staff)
    step(staff, task_id, "publish")
    resp = step(staff, task_id, "publish")
    assert resp.status_code == 409 and "已审核发布" in text_of(resp)


def test_rejecting_keeps_it_off_the_board(app, staff):
    task_id = new_posting(staff)
    assert step(staff, task_id, "reject").status_code == 303
    assert task(app, task_id).status == TaskStatus.REJECTED and not on_board(app, task_id)
    assert f"ZG{task_id:06d}" in text_of(staff.get("/staff/postings?tab=ended"))


def test_closing_takes_it_off_the_board_and_it_still_counts(app, staff):
    with app.app_context():
        task_id = posting(work_date=TODAY + timedelta(days=2)).id
    assert on_board(app, task_id)
    resp = step(staff, task_id, "close", reason="")
    assert resp.status_code == 422 and "下架的原因" in text_of(resp) and on_board(app, task_id)
    ask = step(staff, task_id, "close", reason="用工方已招满")
    assert ask.status_code == 200 and "此操作不能撤销" in text_of(ask) and on_board(app, task_id)
    assert step(staff, task_id, "close", reason="用工方已招满", confirm="yes").status_code == 303
    closed = task(app, task_id)
    assert closed.status == TaskStatus.CLOSED and closed.close_reason == "用工方已招满"
    assert not on_board(app, task_id)
    assert value(app, "task_orders_published") == 1
    assert "用工方已招满" in text_of(staff.get(f"/staff/postings/{task_id}"))


def test_voiding_asks_first_then_takes_it_off_the_board_uncounted(app, staff):
    with app.app_context():
        task_id = posting().id
    ask = step(staff, task_id, "void", reason="重复登记")
    assert ask.status_code == 200 and "作废招工信息" in text_of(ask) and "不能撤销" in text_of(ask)
    assert task(app, task_id).status == TaskStatus.PUBLISHED  # asking changed nothing
    confirm = staff.post(f"/staff/postings/{task_id}/void",
                         data={"reason": "重复登记", "confirm": "yes", "csrf_token": csrf_from(ask.text)})
    assert confirm.status_code == 303
    assert task(app, task_id).status == TaskStatus.VOIDED and not on_board(app, task_id)
    assert value(app, "task_orders_published") == 0


def test_void_is_refused_while_a_deal_holds_a_place(app, staff):
    with app.app_context():
        held = posting()
        deal_at(DealStatus.ACCEPTED, _user("staff"), task=held)
        task_id = held.id
    resp = step(staff, task_id, "void", reason="重复登记", confirm="yes")
    assert resp.status_code == 409 and "已有零工接单，不能作废" in text_of(resp)
    assert task(app, task_id).status == TaskStatus.PUBLISHED


def test_a_posting_confirmed_false_leaves_the_board_and_counts_in_c4(app, staff):
    with app.app_context():
        task_id = posting().id
    resp = step(staff, task_id, "false", reason="查", evidence="")
    assert resp.status_code == 422 and "evidence-error" in Page(resp.text).ids
    ask = step(staff, task_id, "false", reason="电话核实该企业无此岗位", evidence="2026-11-28 致电用工方，对方承认虚构")
    assert ask.status_code == 200 and "虚假信息处置（C4）" in text_of(ask)
    assert count(app, FalseRecord) == 0
    confirm = staff.post(f"/staff/postings/{task_id}/false", data={
        "reason": "电话核实该企业无此岗位", "evidence": "2026-11-28 致电用工方，对方承认虚构", "confirm": "yes",
        "csrf_token": csrf_from(ask.text)})
    assert confirm.status_code == 303
    assert task(app, task_id).status == TaskStatus.FALSE and not on_board(app, task_id)
    assert value(app, "false_records") == 1 and value(app, "task_orders_published") == 0
    page = text_of(staff.get(f"/staff/postings/{task_id}"))
    assert "已确认为虚假信息" in page and "电话核实该企业无此岗位" in page
    assert f"ZG{task_id:06d}" in text_of(staff.get("/staff/postings?tab=false"))


def test_a_worker_confirmed_false_can_no_longer_apply(app, staff):
    with app.app_context():
        person = worker()
        worker_id, open_task = person.id, posting().id
    page = staff.get(f"/staff/workers/{worker_id}")
    assert "确认该登记信息为虚假信息" in text_of(page)
    ask = staff.post(f"/staff/workers/{worker_id}/false", data={
        "reason": "冒用他人身份证登记", "evidence": "本人持证到大厅核实", "csrf_token": csrf_from(page.text)})
    assert ask.status_code == 200 and "不能再在终端或窗口报名" in text_of(ask)
    assert count(app, FalseRecord) == 0
    done = staff.post(f"/staff/workers/{worker_id}/false", data={
        "reason": "冒用他人身份证登记", "evidence": "本人持证到大厅核实", "confirm": "yes",
        "csrf_token": csrf_from(ask.text)})
    assert done.status_code == 303
    shown = text_of(staff.get(f"/staff/workers/{worker_id}"))
    assert "已确认为虚假信息" in shown and "冒用他人身份证登记" in shown
    assert value(app, "false_records") == 1
    with app.app_context():
        with pytest.raises(Conflict):
            deals.accept(db.session.get(TaskOrder, open_task), db.session.get(type(person), worker_id),
                         source=DealSource.STAFF, user=_user("staff"))


def test_a_worker_false_without_reason_is_answered_on_the_workers_page(app, staff):
    with app.app_context():
        worker_id = worker().id
    page = staff.get(f"/staff/workers/{worker_id}")
    resp = staff.post(f"/staff/workers/{worker_id}/false", data={"reason": "", "evidence": "",
                                                                 "csrf_token": csrf_from(page.text)})
    assert resp.status_code == 422 and {"reason-error", "evidence-error"} <= Page(resp.text).ids
    assert count(app, FalseRecord) == 0


# -- who may read and act ----------------------------------------------------------------------

def test_the_assessor_reads_masked_lists_without_buttons_and_cannot_act(app, users):
    with app.app_context():
        from tests.factories import employer

        company = employer(employer_type=EmployerType.ENTERPRISE, employer_name="沙县鑫达建材有限公司",
                           uscc=VALID_USCC, contact_name="林经理")
        draft_id = task_order(employer=company, requirements="只招男性").id
    assessor = as_user(app, "assessor")
    listing = assessor.get("/staff/postings?tab=review")
    assert listing.status_code == 200
    assert "沙县鑫达建材有限公司" not in listing.text and "登记招工信息" not in text_of(listing)
    detail = assessor.get(f"/staff/postings/{draft_id}")
    assert detail.status_code == 200
    html = text_of(detail)
    assert "沙县鑫达建材有限公司" not in html and "林经理" not in html and VALID_USCC not in html
    assert "发布前请核实" in html and "不能办理" in html
    assert not Page(detail.text).forms or all("logout" in f["action"] for f in Page(detail.text).forms)
    token = csrf_from(detail.text)
    for action in ["publish", "reject", "close", "void", "false"]:
        resp = assessor.post(f"/staff/postings/{draft_id}/{action}", data={
            "csrf_token": token, "reason": "看看情况", "evidence": "看看情况", "confirm": "yes"})
        assert resp.status_code == 403, action
    assert assessor.get("/staff/postings/new").status_code == 403
    assert task(app, draft_id).status == TaskStatus.DRAFT
    with app.app_context():
        worker_id = worker().id
    resp = assessor.post(f"/staff/workers/{worker_id}/false", data={
        "csrf_token": token, "reason": "看看情况", "evidence": "看看情况", "confirm": "yes"})
    assert resp.status_code == 403 and count(app, FalseRecord) == 0


def test_free_text_is_shown_as_text(app, staff):
    task_id = new_posting(staff, requirements="<script>alert(1)</script>", description="<b>包吃</b>")
    html = staff.get(f"/staff/postings/{task_id}").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>包吃</b>" not in html and "&lt;b&gt;包吃&lt;/b&gt;" in html


def test_the_windows_check_in_draft_shows_the_same_flags_before_publication(app, users):
    from tests.web.test_checkin import post as check_in

    kiosk = app.test_client()
    assert check_in(kiosk, description="只招男性，35岁以下").status_code in (200, 303)
    window = as_user(app, "staff")
    token = csrf_from(window.get("/staff/queue/1").text)
    window.post("/staff/queue/1/call-next", data={"csrf_token": token}, headers={"HX-Request": "true"})
    console = text_of(window.get("/staff/queue/1"))
    assert "审核通过并发布" in console
    assert "发布前请核实" in console and "性别" in console and "年龄" in console
    assert console.index("发布前请核实") < console.index("审核通过并发布")
