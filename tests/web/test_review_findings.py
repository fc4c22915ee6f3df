"""Review of issue 12 (disputes and the incident log): each test states a defect found in
review and fails until it is fixed. See the review report for where and why."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DisputeCase, DisputeEntry, Role
from app.services import dispute_console, disputes
from tests.conftest import csrf_from
from tests.dispute_steps import agreed_case
from tests.factories import as_user, dispute, employer, make_id, staff_user, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall


@pytest.fixture
def users(app):
    with app.app_context():
        for role in Role:
            staff_user(username=role.value, role=role)


def _user(username):
    from app.models import StaffUser

    return db.session.scalar(select(StaffUser).where(StaffUser.username == username))


def _cases() -> int:
    return db.session.scalar(select(func.count()).select_from(DisputeCase))


# -- 1. The assessor reads the parties' full names in the free text of a case ----------------

def test_the_assessor_never_reads_a_party_s_full_name_on_a_case_page(app, users):
    """The console masks the names for the assessor (李*, 王**), but the session's 参加人员
    (the form's own hint asks for "申请人李四，被申请人王老板"), the agreement's terms and
    the other free text are shown as typed."""
    with app.app_context():
        case_id = agreed_case(_user("staff"), applicant_name="李四", other_party_name="王老板").id
    page = text_of(as_user(app, "assessor").get(f"/staff/disputes/{case_id}"))
    assert "李*" in page  # the masked name is there ...
    assert "李四" not in page and "王老板" not in page  # ... and the full one nowhere


# -- 2. The linked worker and employer are shown under the wrong party ----------------------

def test_an_employer_s_case_shows_the_linked_worker_as_the_respondent_not_the_applicant(app, users):
    """An employer files against a registered worker (found by the phone given for the other
    party): file_case links worker_id to that worker, but the case page prints
    "已登记零工 … 的登记记录" under 申请人 and the employer under 被申请人."""
    with app.app_context():
        employer(phone="13800000001")
        worker(name="王小二", phone="13900000002")
        case = dispute(applicant_role="employer", applicant_name="刘老板", applicant_phone="13800000001",
                       other_party_name="王小二", other_party_phone="13900000002", kind="no_show",
                       facts="说好的人没来", wants="退还预付的钱")
        assert case.worker_id is not None and case.employer_id is not None
        case_id = case.id
    html = as_user(app, "staff").get(f"/staff/disputes/{case_id}").text
    parties = html[html.index('id="case-parties"'):html.index("</dl>", html.index('id="case-parties"'))]
    applicant = parties[:parties.index("申请人电话")]
    respondent = parties[parties.index("被申请人"):]
    assert "已登记零工" not in applicant and "已登记用工方" not in respondent
    assert "已登记零工" in respondent and "已登记用工方" in applicant


def test_a_worker_s_case_shows_the_linked_worker_as_the_applicant(app, users):
    with app.app_context():
        worker(name="李四", id_number="360426199101010071")
        employer(phone="13900000002")
        case_id = dispute(id_number="360426199101010071").id
    html = as_user(app, "staff").get(f"/staff/disputes/{case_id}").text
    parties = html[html.index('id="case-parties"'):html.index("</dl>", html.index('id="case-parties"'))]
    applicant, respondent = parties[:parties.index("申请人电话")], parties[parties.index("被申请人"):]
    assert "已登记零工" in applicant and "已登记用工方" in respondent


# -- 3. A date far in the past crashes the session and follow-up forms -----------------------

def test_a_session_dated_in_year_one_is_answered_beside_the_date_not_a_crash(app, users):
    """_moment() turns 0001-01-01 00:00 (hall time) into UTC before any check: OverflowError,
    a 500. (The incident form refuses dates before 2000; the case forms do not.)"""
    with app.app_context():
        case = dispute()
        disputes.accept(case, _user("staff"))
        case_id = case.id
    staff = as_user(app, "staff")
    token = csrf_from(staff.get(f"/staff/disputes/{case_id}").text)
    resp = staff.post(f"/staff/disputes/{case_id}/session", data={
        "csrf_token": token, "held_on": "0001-01-01", "held_time": "00:00", "attendees": "双方", "text": "调解情况"})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DisputeEntry)) == 0


def test_a_follow_up_dated_in_year_one_is_answered_beside_the_date_not_a_crash(app, users):
    with app.app_context():
        case_id = agreed_case(_user("staff")).id
    staff = as_user(app, "staff")
    token = csrf_from(staff.get(f"/staff/disputes/{case_id}").text)
    resp = staff.post(f"/staff/disputes/{case_id}/follow-up", data={
        "csrf_token": token, "at_on": "0001-01-01", "at_time": "00:00", "text": "电话回访"})
    assert resp.status_code == 422


def test_a_follow_up_cannot_be_dated_before_the_agreement_it_follows(app, users):
    """record_follow_up checks only 'not in the future': a follow-up a year before the
    agreement is stored and sorts first on the case's timeline."""
    with app.app_context():
        case_id = agreed_case(_user("staff")).id
    staff = as_user(app, "staff")
    token = csrf_from(staff.get(f"/staff/disputes/{case_id}").text)
    resp = staff.post(f"/staff/disputes/{case_id}/follow-up", data={
        "csrf_token": token, "at_on": "2025-11-28", "at_time": "09:00", "text": "电话回访"})
    assert resp.status_code == 422


# -- 4. An ID number alone files a case in a registered worker's name -------------------------

KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')


def test_an_id_number_alone_does_not_file_a_case_in_a_registered_worker_s_name(app, client):
    """At the kiosk (unattended, public) anyone who knows a registered worker's ID number —
    printed on many papers — gets 已识别：张** and files a case in that worker's name with the
    phone stored at registration, linked to their record, without knowing either. The
    registration itself asks for the name with the ID number (NAME_MISMATCH)."""
    number = make_id("19900101")
    with app.app_context():
        worker(name="张三丰", phone="13712345678", id_number=number)
    html = client.get("/kiosk/dispute").text
    resp = client.post("/kiosk/dispute", data={
        "csrf_token": csrf_from(html), "form_key": KEY_RE.search(html).group(1), "applicant_role": "worker",
        "id_number": number, "applicant_name": "", "applicant_phone": "", "other_party_name": "王老板",
        "kind": "wages", "facts": "活干完了，工钱没给", "wants": "要回全部工钱"})
    assert resp.status_code == 422
    with app.app_context():
        assert _cases() == 0


# -- 5. The incident log's full names may be kept in the browser's cache --------------------

def test_the_incident_log_page_is_not_kept_in_the_browser_cache(app, users):
    """/staff/incidents shows who was involved in full to staff (decrypted) but, unlike every
    other staff page with personal data (cases, workers), is not marked no-store."""
    resp = as_user(app, "staff").get("/staff/incidents")
    assert resp.status_code == 200
    assert resp.headers.get("Cache-Control") == "no-store"


# -- 6. The alert bar and the list disagree on what is overdue ------------------------------

def test_the_alert_bar_counts_an_agreement_past_its_payment_deadline_as_the_list_does(app, users,
                                                                                       frozen_clock):
    """The list marks an agreed case past its payment day red (已过履行期限, sorted with the
    overdue ones); the alert bar's "N 件纠纷案件已超期" leaves it out, so staff are told
    nothing is late."""
    with app.app_context():
        agreed_case(_user("staff"))  # pay by today + 7
    frozen_clock.tick(timedelta(days=9))
    staff = as_user(app, "staff")
    listing = text_of(staff.get("/staff/disputes"))
    assert "已过履行期限" in listing
    assert "1 件纠纷案件已超期" in listing


def test_overdue_count_agrees_with_the_rows_it_summarises(app, users, frozen_clock):
    with app.app_context():
        agreed_case(_user("staff"))
        frozen_clock.tick(timedelta(days=9))
        rows = [dispute_console.row(c) for c in disputes.open_cases()]
        overdue_rows = sum(1 for r in rows if r.level == "overdue")
        assert overdue_rows == 1
        assert dispute_console.overdue_count() == overdue_rows


# -- 7. The agreement slips ignore the terminal's printer ------------------------------------

def test_the_agreement_slips_come_out_of_the_printer_of_the_terminal_where_they_are_signed(make_app):
    """The filing slip (kiosk) and the referral slips (staff console) go to the current
    terminal's printer; agreements.queue_slips enqueues without a printer, so the two slips
    for the parties at the mediation table print on "default" (perhaps the lobby kiosk)."""
    from app.models import PrintJob
    from tests.web.test_dispute_agreement import sign

    app = make_app(PRINTERS={"desk": "memory:desk"},
                   KIOSK_TERMINALS={"mediation": {"printer": "desk", "address": "127.0.0.1"}})
    with app.app_context():
        from tests.dispute_steps import mediating_case

        user = staff_user(username="staff", role=Role.STAFF)
        case_id = mediating_case(user).id
    resp = sign(as_user(app, "staff"), case_id)
    assert resp.status_code == 303
    with app.app_context():
        printers = {job.printer for job in db.session.scalars(select(PrintJob).where(
            PrintJob.kind == "agreement_slip"))}
    assert printers == {"desk"}


# -- 8. An application at the counter gets no slip: no QR to follow or rate the case --------

def test_an_application_at_the_counter_prints_the_applicant_s_slip(app, users):
    """The issue: a filing's result is the case number and a slip with the QR of its progress
    page (where the mediation is also rated). Only the kiosk prints it (file_case's
    slip_printer); the person who applies in person at the window leaves with nothing, and
    there is no button to print it: they can never follow the case on their phone, and can
    rate it only if it ends in an agreement or a referral (not when declined or withdrawn,
    although those are rateable)."""
    from app.models import PrintJob
    from tests.web.test_dispute_filing import the_form

    staff = as_user(app, "staff")
    resp = staff.post("/staff/disputes/new", data={**dispute_form_data(), **the_form(staff), "channel": "counter"})
    assert resp.status_code == 303
    with app.app_context():
        kinds = list(db.session.scalars(select(PrintJob.kind)))
    assert kinds == ["dispute_slip"]


def dispute_form_data() -> dict:
    from tests.factories import dispute_form

    return dispute_form()


# -- 1 (continued). The assessor reads the people of an incident or a reason nowhere in full ---

def test_an_incident_outcome_naming_the_people_is_masked_for_the_assessor(app, users):
    """The outcome often names who was involved again ("已将马六、赵七带离"): the assessor
    reads them masked on the incident log and on B8's drill-down; staff read them in full."""
    from datetime import date
    from decimal import Decimal

    from app.crypto import vault
    from app.services import assessment
    from tests.factories import incident

    with app.app_context():
        assessment.save_settings(service_start=date(2026, 1, 1), contract_amount=Decimal("500000"),
                                 bid_price=Decimal("500000"), network_fee=Decimal("100000"), user=_user("manager"))
        incident("fight", involved_cipher=vault().encrypt("马六、赵七（13800001234）"),
                 outcome="已将马六、赵七带离，马六电话13800001234")
    staff_page = text_of(as_user(app, "staff").get("/staff/incidents"))
    assert "已将马六、赵七带离" in staff_page
    assessor = as_user(app, "assessor")
    for page in (text_of(assessor.get("/staff/incidents")), text_of(assessor.get("/admin/score/1/items/B8"))):
        assert "马六" not in page and "赵七" not in page and "13800001234" not in page
        assert "已将马*、赵*带离" in page


def test_the_assessor_reads_no_case_reason_in_the_audit_trail(app, users):
    """A reason typed for a step (declined, withdrawn, merged …) may name the people; the audit
    trail shows the manager the reason and the assessor where to read it (masked)."""
    with app.app_context():
        case = dispute(applicant_name="李四")
        disputes.decline(case, "李四与王老板是亲戚间借款纠纷，不属于劳务纠纷", _user("staff"))
    manager = text_of(as_user(app, "manager").get("/admin/audit?type=dispute_case"))
    assert "李四与王老板是亲戚间借款纠纷" in manager
    assessor = text_of(as_user(app, "assessor").get("/admin/audit?type=dispute_case"))
    assert "李四" not in assessor and "王老板" not in assessor
    assert "说明文字见案件页面或事件登记" in assessor


def test_a_worker_s_record_lists_the_cases_linked_to_it(app, users):
    with app.app_context():
        person = worker(name="李四", id_number="360426199101010071")
        number, worker_id = dispute(id_number="360426199101010071").number, person.id
    page = text_of(as_user(app, "staff").get(f"/staff/workers/{worker_id}"))
    assert number in page and "欠薪 · 待受理" in page
