"""纠纷调解 on the staff screens: the case list (overdue first, filters, the search), every
step through HTTP (allowed ones move the case, refused ones answer 409 with the reason, bad
input 422 beside its field with nothing changed), who may read and act, the audited phone
reveal, and free text shown as text."""

from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from app.domain.disputes import CaseStatus, Party
from app.domain.ratings import read_answer
from app.extensions import db
from app.models import AuditEntry, DisputeCase, DisputeEntry, PrintJob, Role
from app.services import disputes, ratings
from tests.conftest import csrf_from
from tests.factories import as_user, dispute, signature, staff_user, text_of
from tests.web.test_staff_guards import Page

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall

APPLICANT_PHONE, OTHER_PHONE = "13800000001", "13900000002"


@pytest.fixture
def users(app):
    with app.app_context():
        for role in Role:
            staff_user(username=role.value, role=role)


@pytest.fixture
def staff(app, users):
    return as_user(app, "staff")


def new_case(app, **form) -> int:
    with app.app_context():
        return dispute(**form).id


def status_of(app, case_id) -> CaseStatus:
    with app.app_context():
        return db.session.get(DisputeCase, case_id).status


def step(client, case_id, action, **data):
    page = client.get(f"/staff/disputes/{case_id}")
    return client.post(f"/staff/disputes/{case_id}/{action}", data={**data, "csrf_token": csrf_from(page.text)})


def move(app, case_id, *actions):
    """Move a case along through the service, as the member of staff "staff"."""
    with app.app_context():
        user = _user("staff")
        case = db.session.get(DisputeCase, case_id)
        for action in actions:
            if action == "accept":
                disputes.accept(case, user)
            elif action == "session":
                disputes.record_session(case, held_at=_now(), attendees="双方和调解员", text="双方各自说明情况", user=user)
            elif action == "agree":
                disputes.agree(case, amount="1000", pay_by=date(2026, 12, 5), method="cash", terms="12月5日前付清工钱",
                               signatures={p: disputes.Signed(p.label, signature()) for p in Party}, user=user)
            else:
                getattr(disputes, action)(case, "按双方意见办理", user)


def _user(username):
    from app.models import StaffUser

    return db.session.scalar(select(StaffUser).where(StaffUser.username == username))


def _now():
    from app.models import utcnow

    return utcnow()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# -- who may do what ----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/staff/disputes", "/staff/disputes/1", "/staff/disputes/new"])
def test_signed_out_is_sent_to_sign_in(client, url):
    resp = client.get(url)
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


def test_the_assessor_reads_every_case_masked_and_cannot_act(app, users):
    case_id = new_case(app, applicant_name="李四", other_party_name="王老板")
    merged_id = new_case(app)
    move(app, case_id, "accept")
    with app.app_context():
        disputes.merge(db.session.get(DisputeCase, merged_id), "2026-JF-0001", "同一件事重复申请", _user("staff"))
    assessor = as_user(app, "assessor")
    listing = text_of(assessor.get("/staff/disputes?show=all"))
    assert "2026-JF-0001" in listing and "2026-JF-0002" in listing and "已合并" in listing  # merged too
    assert "李*" in listing and "李四" not in listing and "登记口头或电话申请" not in listing
    html = text_of(assessor.get(f"/staff/disputes/{case_id}"))
    assert "李*" in html and "王**" in html and "李四" not in html and "王老板" not in html
    assert "138****0001" in html and APPLICANT_PHONE not in html and "查看电话" not in html
    assert "不能办理" in html and "记录一次调解" not in html
    token = csrf_from(assessor.get("/staff/login").text)
    for action in ["accept", "decline", "session", "fail", "follow-up", "perform", "refer", "withdraw", "merge",
                   "phone", "referral-slip"]:
        resp = assessor.post(f"/staff/disputes/{case_id}/{action}", data={"csrf_token": token, "reason": "看看",
                                                                          "party": "applicant"})
        assert resp.status_code == 403, action
    assert assessor.get("/staff/disputes/new").status_code == 403
    assert status_of(app, case_id) == CaseStatus.ACCEPTED
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "reveal_party_phone")) == 0


def test_every_post_needs_the_csrf_token(app, staff):
    case_id = new_case(app)
    for action, data in [("accept", {}), ("decline", {"reason": "不属于调解范围"}), ("phone", {"party": "applicant"})]:
        resp = staff.post(f"/staff/disputes/{case_id}/{action}", data=data)
        assert resp.status_code == 400, action
        assert APPLICANT_PHONE not in resp.text
    assert staff.post("/staff/disputes/new", data={"channel": "phone"}).status_code == 400
    assert status_of(app, case_id) == CaseStatus.RECEIVED and count(app, DisputeCase) == 1


@pytest.mark.parametrize("state", [(), ("accept",), ("accept", "session"), ("accept", "session", "agree")])
def test_every_form_on_the_pages_is_guarded_and_carries_its_token(app, staff, state):
    case_id = new_case(app)
    move(app, case_id, *state)
    for url in ["/staff/disputes", f"/staff/disputes/{case_id}", "/staff/disputes/new"]:
        page = Page(staff.get(url).text)
        assert "/static/staff.js" in page.scripts
        for form in page.forms:
            assert form["buttons"] and form["fields"].count("csrf_token") == 1, (url, form)


# -- the list -----------------------------------------------------------------------------

def test_the_list_puts_overdue_cases_first_and_flags_the_clocks(app, users, frozen_clock):
    frozen_clock.move_to("2026-11-05 09:00")
    mediating_long = new_case(app, applicant_name="赵一")  # accepted on the 5th: due the 20th
    move(app, mediating_long, "accept", "session")
    frozen_clock.move_to("2026-11-16 09:00")
    warned = new_case(app, applicant_name="钱二")  # accepted on the 16th: day 12 of 15 on the 28th
    move(app, warned, "accept")
    frozen_clock.move_to("2026-11-20 09:00")
    new_case(app, applicant_name="孙三")  # received Friday 20th: to accept by Wednesday 25th
    frozen_clock.move_to("2026-11-28 10:00")
    new_case(app, applicant_name="周四")  # due Wednesday 2 December
    declined = new_case(app, applicant_name="吴五")
    move(app, declined, "decline")

    staff = as_user(app, "staff")
    html = staff.get("/staff/disputes").text
    rows = html[html.index('id="case-list"'):]
    order = [rows.index(name) for name in ("赵*", "孙*", "钱*", "周*")]
    assert order == sorted(order)  # overdue (by deadline), then the nearest deadline
    assert "吴*" not in rows  # closed: not 办理中
    assert rows.count('class="case-row case-overdue"') == 2 and rows.count('class="case-row case-warn"') == 1
    listing = text_of(staff.get("/staff/disputes"))
    assert "调解期限 第 23 天 / 15 天" in listing and "调解期限 第 12 天 / 15 天" in listing
    assert "受理期限 2026年11月25日" in listing and "受理期限 2026年12月2日" in listing
    table = listing[listing.index("申请金额 状态 期限"):]
    assert table.count("已超期") == 2 and table.count("即将到期") == 1
    assert "待受理 2" in listing and "已受理 1" in listing and "调解中 1" in listing
    assert "2 件纠纷案件已超期" in listing  # the alert bar, on every staff page
    assert "2 件纠纷案件已超期" in text_of(as_user(app, "manager").get("/staff/follow-ups"))
    assert "纠纷案件" not in text_of(as_user(app, "assessor").get("/staff/follow-ups"))


def test_staff_are_told_of_applications_waiting_to_be_accepted(app, staff):
    assert "纠纷申请待受理" not in text_of(staff.get("/staff/disputes"))
    new_case(app)
    assert "1 件纠纷申请待受理" in text_of(staff.get("/staff/follow-ups"))


def test_the_filters_and_the_search_by_number(app, staff):
    new_case(app, applicant_name="周四")
    declined_id, merged_id = new_case(app, applicant_name="吴五"), new_case(app, applicant_name="郑六")
    move(app, declined_id, "decline")
    with app.app_context():
        disputes.merge(db.session.get(DisputeCase, merged_id), "2026-JF-0001", "重复申请", _user("staff"))

    def names(url):
        html = text_of(staff.get(url))
        return {name for name in ("周*", "吴*", "郑*") if name in html}

    assert names("/staff/disputes") == {"周*"}
    assert names("/staff/disputes?show=closed") == {"吴*", "郑*"}
    assert names("/staff/disputes?show=all") == {"周*", "吴*", "郑*"}
    assert names("/staff/disputes?show=nonsense") == {"周*"}
    found = text_of(staff.get("/staff/disputes?q=jf-0003"))
    assert "2026-JF-0003" in found and "并入 2026-JF-0001" in found and names("/staff/disputes?q=jf-0003") == {"郑*"}
    assert names("/staff/disputes?q=0002") == {"吴*"}
    assert "没有找到这个编号的案件" in text_of(staff.get("/staff/disputes?q=2025-JF-9999"))
    assert staff.get("/staff/disputes?q=%27%3Cscript%3E").status_code == 200


# -- the steps ----------------------------------------------------------------------------

def test_a_case_goes_from_acceptance_through_a_session_to_arbitration(app, staff):
    case_id = new_case(app)
    url = f"/staff/disputes/{case_id}"
    resp = step(staff, case_id, "accept")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)
    page = text_of(staff.get(url))
    assert "已受理 2026-JF-0001" in page and "调解期限 受理当天 / 15 天" in page and "承办人 小李" in page
    resp = step(staff, case_id, "session", held_on="2026-11-28", held_time="10:00",
                attendees="申请人李四，被申请人王老板，调解员小李", text="王老板说活没干完，李四说干完了")
    assert resp.status_code == 303
    page = text_of(staff.get(url))
    assert "已记录本次调解" in page and "2026-11-28 10:00 调解" in page
    assert "申请人李四，被申请人王老板，调解员小李" in page and "王老板说活没干完" in page
    assert step(staff, case_id, "fail", reason="双方对工钱数额分歧太大").status_code == 303
    assert step(staff, case_id, "refer", reason="申请人要求仲裁").status_code == 303
    page = text_of(staff.get(url))
    assert "已转仲裁，正在打印转仲裁告知单" in page and "调解不成 · 小李 双方对工钱数额分歧太大" in page
    assert "已转仲裁 · 小李 申请人要求仲裁" in page and "三明市沙县区劳动人事争议仲裁委员会" in page
    assert status_of(app, case_id) == CaseStatus.REFERRED
    with app.app_context():
        jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        assert [j.kind for j in jobs] == ["referral_applicant", "referral_respondent"]
        assert all(j.subject == f"case:{case_id}" for j in jobs)
    assert "转仲裁告知单（申请人联） 2026-JF-0001" in page  # the print record on the case


def test_an_agreement_is_followed_up_until_performed(app, staff):
    case_id = new_case(app)
    move(app, case_id, "accept", "session", "agree")
    page = text_of(staff.get(f"/staff/disputes/{case_id}"))
    assert "履行期限 2026年12月5日" in page and "记录履行回访" in page and "确认协议已履行" in page
    assert "记录一次调解" not in page and "终止调解" not in page
    assert step(staff, case_id, "follow-up", at_on="2026-11-28", at_time="10:00", text="已付500元，余款下周付").status_code == 303
    assert step(staff, case_id, "perform", reason="12月1日现金付清").status_code == 303
    page = text_of(staff.get(f"/staff/disputes/{case_id}"))
    assert "履行回访 · 小李 已付500元，余款下周付" in page and "协议已履行 · 小李 12月1日现金付清" in page
    assert "案件已结束（协议已履行）" in page
    assert status_of(app, case_id) == CaseStatus.PERFORMED


@pytest.mark.parametrize(("action", "data", "moved_to"), [
    ("decline", {"reason": "不属于劳动纠纷，请到派出所"}, CaseStatus.DECLINED),
    ("withdraw", {"reason": "申请人来电说工钱已拿到"}, CaseStatus.WITHDRAWN),
])
def test_a_received_case_is_declined_or_withdrawn_with_its_reason(app, staff, action, data, moved_to):
    case_id = new_case(app)
    assert step(staff, case_id, action, **data).status_code == 303
    assert status_of(app, case_id) == moved_to
    page = text_of(staff.get(f"/staff/disputes/{case_id}"))
    assert f"{moved_to.label} · 小李 {data['reason']}" in page and "查看电话" not in page  # closed: no reveal


def test_a_duplicate_is_merged_into_its_original_and_both_link_to_each_other(app, staff):
    original, duplicate = new_case(app), new_case(app)
    assert step(staff, duplicate, "merge", into=" 2026-jf-0001 ", reason="同一人同一件事").status_code == 303
    resp = staff.get(f"/staff/disputes/{duplicate}")
    assert "已合并到 2026-JF-0001，请到原案件继续办理" in text_of(resp)  # the flash, then the note
    page = resp.text
    assert f'href="/staff/disputes/{original}"' in page[page.index('id="merged-into"'):]
    page = staff.get(f"/staff/disputes/{original}").text
    assert f'href="/staff/disputes/{duplicate}"' in page[page.index('id="duplicates"'):]


@pytest.mark.parametrize(("state", "action", "data", "reason"), [
    ((), "perform", {"reason": "已付清"}, "该案件当前为“待受理”，不能确认协议已履行。请先受理或不予受理"),
    ((), "session", {"held_on": "2026-11-28", "held_time": "09:00", "attendees": "双方", "text": "谈了谈"},
     "不能记录调解。请先受理或不予受理"),
    (("accept",), "decline", {"reason": "不属于调解范围"}, "该案件当前为“已受理”，不能不予受理。请先记录一次调解"),
    (("accept",), "refer", {"reason": "申请人要求仲裁"}, "不能转仲裁"),
    (("decline",), "withdraw", {"reason": "不要了"}, "不予受理的案件已结束"),
    (("accept", "session", "fail"), "accept", {}, "调解不成的案件只能转仲裁"),
])
def test_a_step_the_case_does_not_allow_is_refused_with_the_reason(app, staff, state, action, data, reason):
    case_id = new_case(app)
    move(app, case_id, *state)
    before = status_of(app, case_id)
    entries, trail = count(app, DisputeEntry), count(app, AuditEntry)
    resp = step(staff, case_id, action, **data)
    assert resp.status_code == 409
    assert reason in text_of(resp)
    assert status_of(app, case_id) == before and count(app, DisputeEntry) == entries
    assert count(app, AuditEntry) == trail and count(app, PrintJob) == 0


@pytest.mark.parametrize(("state", "action", "data", "field", "message"), [
    ((), "decline", {"reason": ""}, "reason", "请输入不予受理的理由"),
    ((), "decline", {"reason": "<b>不受理</b>"}, "reason", "不能包含 < 或 > 符号"),
    ((), "merge", {"into": "2026-JF-0099", "reason": "重复"}, "into", "请输入原案件的编号"),
    ((), "merge", {"into": "2026-JF-0001", "reason": "重复"}, "into", "不能合并到本案件自己"),
    (("accept",), "session", {"held_on": "2026-11-29", "held_time": "09:00", "attendees": "双方", "text": "谈了"},
     "held_on", "调解时间不能晚于现在"),
    (("accept",), "session", {"held_on": "昨天", "held_time": "09:00", "attendees": "双方", "text": "谈了"},
     "held_on", "调解日期格式应为 年-月-日"),
    (("accept",), "session", {"held_on": "2026-11-28", "held_time": "25:00", "attendees": "双方", "text": "谈了"},
     "held_time", "请填写调解时间，如 09:30"),
    (("accept",), "session", {"held_on": "2026-11-28", "held_time": "09:00", "attendees": "", "text": "谈了"},
     "attendees", "请输入参加人员"),
    (("accept",), "session", {"held_on": "2026-11-27", "held_time": "09:00", "attendees": "双方", "text": "谈了"},
     "held_on", "调解时间不能早于受理时间"),
    (("accept",), "fail", {"reason": "x"}, "reason", "调解不成的原因至少2个字"),
    (("accept",), "withdraw", {"reason": "不要了\x00"}, "reason", "撤回的原因含有无法显示的字符"),
    (("accept", "session", "agree"), "follow-up", {"at_on": "2026-11-28", "at_time": "09:00", "text": ""},
     "text", "请输入回访情况"),
    (("accept", "session", "agree"), "follow-up", {"at_on": "2026-11-28", "at_time": "10:01", "text": "已付清"},
     "at_on", "回访时间不能晚于现在"),
    (("accept", "session", "agree"), "perform", {"reason": ""}, "reason", "请输入履行情况"),
])
def test_bad_input_is_answered_beside_its_field_and_nothing_changes(app, staff, state, action, data, field,
                                                                    message):
    case_id = new_case(app)
    move(app, case_id, *state)
    before = status_of(app, case_id)
    entries, trail = count(app, DisputeEntry), count(app, AuditEntry)
    resp = step(staff, case_id, action, **data)
    assert resp.status_code == 422
    html = resp.text
    error = unescape(html[html.index(f'id="{field}-error"'):][:300])
    assert message in error
    assert status_of(app, case_id) == before and count(app, DisputeEntry) == entries
    assert count(app, AuditEntry) == trail
    # the form that was sent comes back open, with what was typed
    assert f'id="step-{action.replace("-", "_")}" open' in html


# -- the phones ---------------------------------------------------------------------------

def test_a_party_s_phone_is_shown_once_audited_and_never_cached(app, staff):
    case_id = new_case(app)
    url = f"/staff/disputes/{case_id}"
    page = text_of(staff.get(url))
    assert "138****0001" in page and "139****0002" in page and APPLICANT_PHONE not in page
    resp = step(staff, case_id, "phone", party="respondent")
    assert resp.status_code == 200 and OTHER_PHONE in resp.text and APPLICANT_PHONE not in resp.text
    assert resp.headers["Cache-Control"] == "no-store"
    assert OTHER_PHONE not in staff.get(url).text  # on that response only
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal_party_phone")).one()
        assert entry.record_id == case_id and entry.detail == "查看被申请人电话" and entry.actor_label == "staff"
        assert OTHER_PHONE not in str([entry.before, entry.after, entry.detail])
    manager = as_user(app, "manager")
    assert APPLICANT_PHONE in step(manager, case_id, "phone", party="applicant").text


def test_no_phone_is_revealed_for_a_closed_case_or_an_unknown_party(app, staff):
    case_id = new_case(app, other_party_phone="")
    assert step(staff, case_id, "phone", party="respondent").status_code == 422
    assert step(staff, case_id, "phone", party="mediator").status_code == 422
    move(app, case_id, "withdraw")
    resp = step(staff, case_id, "phone", party="applicant")
    assert resp.status_code == 409 and "该案件已结束，不再显示完整号码" in text_of(resp)
    assert APPLICANT_PHONE not in resp.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "reveal_party_phone")) == 0


# -- the parties' ratings, the linked records ------------------------------------------------

def test_the_parties_ratings_and_the_worker_s_record_show_on_the_case(app, staff):
    from tests.factories import worker as registered

    with app.app_context():
        person = registered(name="李四", id_number="360426199101010071", phone=APPLICANT_PHONE)
        case_id = dispute(id_number="360426199101010071").id
        number = person.number
    move(app, case_id, "decline")
    with app.app_context():
        case = db.session.get(DisputeCase, case_id)
        ratings.rate_service(disputes.case_service((case, Party.APPLICANT)), read_answer("2", "worker"))
        ratings.rate_service(disputes.case_service((case, Party.RESPONDENT)),
                             read_answer("5", "employer", ["attitude"], "<i>太慢</i>"))
    page = staff.get(f"/staff/disputes/{case_id}").text
    assert f'href="/staff/workers/{person.id}"' in page and f"{number} 的登记记录" in page
    shown = text_of(staff.get(f"/staff/disputes/{case_id}"))
    assert "申请人： 🙂 满意" in shown and "被申请人： 😠 非常不满意" in shown
    assert "&lt;i&gt;太慢&lt;/i&gt;" in page


# -- free text is text ----------------------------------------------------------------------

def test_everything_a_kiosk_user_typed_is_shown_as_text(app, staff):
    evil = '<script>alert("x")</script>'
    case_id = new_case(app)
    move(app, case_id, "accept")
    with app.app_context():  # straight into the database, past the filing's checks
        case = db.session.get(DisputeCase, case_id)
        case.applicant_name = case.other_party_name = case.other_party_company = evil[:40]
        case.facts = case.wants = evil
        db.session.add(DisputeEntry(case_id=case_id, kind="session", at=_now(), attendees=evil, text=evil,
                                    by_id=_user("staff").id))
        case.closing_reason = evil
        db.session.commit()
    for client in (staff, as_user(app, "assessor")):
        for url in ["/staff/disputes", "/staff/disputes?show=all", f"/staff/disputes/{case_id}",
                    "/staff/disputes?q=0001"]:
            html = client.get(url).text
            assert "<script>alert" not in html, url
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in staff.get(f"/staff/disputes/{case_id}").text
    # the assessor reads the same text with the parties' names (here: the script) masked, still as text
    assert "&lt;s****" in as_user(app, "assessor").get(f"/staff/disputes/{case_id}").text
    html = step(staff, case_id, "decline", reason=evil).text  # typed into a step: 422, shown back as text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_a_kiosk_filing_names_the_terminal_never_its_address(app, staff):
    """A case filed at an unnamed kiosk shows 未命名终端 with its tag, as the ratings do; the
    network address a kiosk is known by is never on a staff screen."""
    from tests.factories import dispute_form

    client = app.test_client()
    form_page = client.get("/kiosk/dispute", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    from tests.web.test_kiosk_dispute import KEY_RE

    data = {**dispute_form(), "csrf_token": csrf_from(form_page.text), "form_key": KEY_RE.search(form_page.text)[1]}
    assert client.post("/kiosk/dispute", data=data, environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    with app.app_context():
        case_id = db.session.scalars(select(DisputeCase.id)).one()
    page = text_of(staff.get(f"/staff/disputes/{case_id}"))
    assert "未命名终端（标识" in page
    assert "10.20.30.40" not in page
