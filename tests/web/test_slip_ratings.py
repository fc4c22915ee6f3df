"""Rating a service from its slip's QR, on the person's own phone (/w/<token>/rate,
/q/<token>/rate): one rating per slip, stored with the service it rates; offered on the
page the QR opens; refused kindly once rated, before a ticket is called and after
RATING_SLIP_DAYS days.

Every test runs on the frozen clock (2026-11-28 10:00 in the hall, a Saturday).
"""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.crypto import vault
from app.extensions import db
from app.models import AuditEntry, Rating, RatingFollowUp, Ticket, Worker
from app.services import queue, slips, workers
from printers.cjk import display_width
from tests.conftest import at_once, csrf_from
from tests.factories import make_id, staff_user, ticket, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")

DAY = date(2026, 11, 28)
HX = {"HX-Request": "true"}


# -- helpers ---------------------------------------------------------------------------------

def served_ticket(app, window: int = 3) -> tuple[int, str]:
    """A 招工 ticket called to ``window`` and done, by staff through the queue service."""
    with app.app_context():
        issued = ticket()
        staff = staff_user(username=f"window{window}").id
        called = queue.call_next(DAY, window, staff)
        assert called.id == issued.id
        queue.act(called, "done", staff, window)
        return issued.id, issued.status_token


def waiting_ticket(app) -> tuple[int, str]:
    with app.app_context():
        issued = ticket()
        return issued.id, issued.status_token


def registered(app, **fields) -> tuple[int, str]:
    with app.app_context():
        w = worker(**fields)
        return w.id, w.qr_token


def text(resp) -> str:
    return resp.get_data(as_text=True)


def any_csrf(client) -> str:
    """A form token for a page that has no form (the sign-in or first-run page has one)."""
    return csrf_from(text(client.get("/staff/login", follow_redirects=True)))


def rate(client, url: str, **fields):
    """Open the rating page (for its form's token), then send ``fields``."""
    token = csrf_from(text(client.get(url)))
    return client.post(url, data={"csrf_token": token, **fields})


def stored(app) -> list[Rating]:
    with app.app_context():
        ratings = db.session.scalars(select(Rating).order_by(Rating.id)).all()
        for rating in ratings:
            db.session.expunge(rating)
        return ratings


def counts(app) -> tuple[int, int, int]:
    """Ratings, follow-ups, and audit entries about ratings."""
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Rating)),
                db.session.scalar(select(func.count()).select_from(RatingFollowUp)),
                db.session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.record_type == "rating")))


# -- the slip and its page offer the rating ---------------------------------------------------

def lines_under_the_qr(receipt) -> list[str]:
    items = receipt.items
    qr = next(i for i, item in enumerate(items) if type(item).__name__ == "QR")
    return [item.text for item in items[qr + 1:] if hasattr(item, "text")]


def test_each_slip_says_under_its_qr_that_it_also_rates_the_service(app):
    with app.app_context():
        w = worker()
        t = ticket()
        worker_lines = lines_under_the_qr(slips.worker_slip(w, "http://hall.test")["receipt"])
        ticket_lines = lines_under_the_qr(slips.ticket_slip(t, 0, "http://hall.test")["receipt"])
    assert worker_lines[0] == "手机扫码查看登记信息、评价服务"
    assert ticket_lines[0] == "手机扫码查看排队进度、评价服务"
    for line in ("手机扫码查看登记信息、评价服务", "手机扫码查看排队进度、评价服务"):
        assert display_width(line) <= 32  # one line on 58 mm paper, nothing wrapped alone


def test_a_ticket_slip_rates_its_service_once_as_the_employer(app, client):
    ticket_id, token = served_ticket(app, window=3)
    status = text(client.get(f"/q/{token}"))
    assert "评价本次服务" in status and f'href="/q/{token}/rate"' in status

    form = client.get(f"/q/{token}/rate")
    html = text(form)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    assert "排队办理 A001 · 招工" in html and "2026年11月28日 · 3号窗口" in html
    assert 'name="role" value="employer"' in html and "您的身份" not in html  # known from the slip, not asked
    for face, label in (("😄", "非常满意"), ("🙂", "满意"), ("😐", "基本满意"), ("🙁", "不满意"), ("😠", "非常不满意")):
        assert face in html and label in html.replace("<wbr>", "")  # 非常<wbr>不满意 may break there
    assert 'type="tel"' in html and "提交" in html

    thanks = rate(client, f"/q/{token}/rate", level="2", role="employer")
    assert thanks.status_code == 200 and "感谢您的评价" in text(thanks) and "满意" in text(thanks)
    [rating] = stored(app)
    assert (rating.level, rating.role.value, rating.channel.value) == (2, "employer", "slip")
    assert (rating.service, rating.service_kind, rating.window) == (f"ticket:{ticket_id}", "ticket", 3)
    assert rating.terminal is None and rating.phone_cipher is None and not rating.reasons

    # The second try, by the form or by a reload of the thanks: already rated, and when.
    again = client.get(f"/q/{token}/rate")
    assert again.status_code == 409 and "这项服务已经评价过了" in text(again)
    assert "评价时间：2026年11月28日 10:00" in text(again)
    assert "满意" not in text(again).replace("不满意", "")  # what was said is not shown
    assert 'name="level"' not in text(again)
    resent = client.post(f"/q/{token}/rate", data={"csrf_token": any_csrf(client), "level": "5",
                                                   "role": "employer", "reasons": "waited"})
    assert resent.status_code == 409 and "这项服务已经评价过了" in text(resent)
    assert [r.level for r in stored(app)] == [2] and counts(app)[1] == 0

    status = text(client.get(f"/q/{token}"))
    assert "已评价，谢谢" in status and "评价本次服务" not in status and "/rate" not in status


def test_a_registration_slip_rates_as_the_worker_with_reasons_and_a_masked_phone(app, client):
    worker_id, token = registered(app, phone="13812345678")
    page = text(client.get(f"/w/{token}"))
    assert "评价本次服务" in page and f'href="/w/{token}/rate"' in page
    html = text(client.get(f"/w/{token}/rate"))
    assert "零工登记" in html and "2026年11月28日" in html and "窗口" not in html
    assert 'name="role" value="worker"' in html

    thanks = rate(client, f"/w/{token}/rate", level="5", role="worker", reasons=["waited", "attitude"],
                  comment="  排队  太久 ", phone="139 0598 7654")
    html = text(thanks)
    assert thanks.status_code == 200 and "非常不满意" in html
    assert "尾号 7654" in html and f"{app.config['RATING_FOLLOW_UP_WORKING_DAYS']} 个工作日内" in html
    assert "13905987654" not in html and "139 0598 7654" not in html
    [rating] = stored(app)
    assert (rating.level, rating.role.value, rating.channel.value) == (5, "worker", "slip")
    assert (rating.service, rating.service_kind, rating.window) == (f"registration:{worker_id}:1", "registration", None)
    assert rating.comment == "排队 太久" and rating.phone_last4 == "7654"
    assert sorted(r.reason.value for r in rating.reasons) == ["attitude", "waited"]
    with app.app_context():
        assert vault().decrypt(rating.phone_cipher) == "13905987654"
        assert db.session.scalar(select(func.count()).select_from(RatingFollowUp)) == 1
        trail = " ".join(f"{e.before} {e.after} {e.detail}" for e in db.session.scalars(select(AuditEntry)))
        assert "7654" not in trail  # never in the audit trail, not even its end
    # No page shows the call-back phone in clear, nor more of it than the last four.
    for url in (f"/w/{token}", f"/w/{token}/rate"):
        page = re.sub(r"\s", "", text(client.get(url)))
        assert "13905987654" not in page and "05987654" not in page


def test_the_role_is_the_slips_whatever_the_form_says(app, client):
    _, token = registered(app)
    assert rate(client, f"/w/{token}/rate", level="1", role="employer").status_code == 200
    assert [r.role.value for r in stored(app)] == ["worker"]


def test_a_waiting_ticket_cannot_be_rated_yet(app, client):
    ticket_id, token = waiting_ticket(app)
    status = text(client.get(f"/q/{token}"))
    assert "评价本次服务" not in status and "已评价" not in status
    page = client.get(f"/q/{token}/rate")
    assert page.status_code == 409 and "办理结束后即可在这里评价本次服务" in text(page)
    assert f'href="/q/{token}"' in text(page) and 'name="level"' not in text(page)
    sent = client.post(f"/q/{token}/rate", data={"csrf_token": any_csrf(client), "level": "1", "role": "employer"})
    assert sent.status_code == 409 and counts(app) == (0, 0, 0)


def test_the_ticket_pages_poll_brings_the_offer_once_done(app, client):
    ticket_id, token = waiting_ticket(app)
    assert "评价本次服务" not in text(client.get(f"/q/{token}", headers=HX))
    with app.app_context():
        staff = staff_user().id
        called = queue.call_next(DAY, 1, staff)
    polled = client.get(f"/q/{token}", headers=HX)
    assert polled.status_code == 200 and "请到 <b>1</b> 号窗口" in text(polled)
    # at the window: not yet (the service is not over), and the page still polls
    assert f'href="/q/{token}/rate"' not in text(polled) and 'hx-trigger="every 10s"' in text(polled)
    with app.app_context():
        queue.act(db.session.get(Ticket, called.id), "done", staff, 1)
    done = client.get(f"/q/{token}", headers=HX)
    assert done.status_code == 286 and "已办结" in text(done) and f'href="/q/{token}/rate"' in text(done)
    rate(client, f"/q/{token}/rate", level="1", role="employer")
    assert "已评价，谢谢" in text(client.get(f"/q/{token}", headers=HX))


# -- one rating per slip: re-registration, expiry, two phones at once -----------------------------

def test_a_new_registration_prints_a_slip_that_rates_it_again_while_the_old_qr_is_replaced(app, client):
    person = make_id("19851230", seq="777")
    worker_id, old = registered(app, id_number=person)
    assert rate(client, f"/w/{old}/rate", level="1", role="worker").status_code == 200
    _, new = registered(app, id_number=person)
    assert new != old
    for resp in (client.get(f"/w/{old}/rate"), client.post(f"/w/{old}/rate", data={
            "csrf_token": any_csrf(client), "level": "5", "role": "worker"})):
        assert resp.status_code == 410 and "这张凭条已被新的凭条替换" in text(resp)
    assert "评价本次服务" in text(client.get(f"/w/{new}"))  # the new registration is not rated yet
    assert rate(client, f"/w/{new}/rate", level="3", role="worker").status_code == 200
    assert [(r.service, r.level) for r in stored(app)] == [
        (f"registration:{worker_id}:1", 1), (f"registration:{worker_id}:2", 3)]


def test_the_link_expires_after_the_configured_days(app, client, frozen_clock):
    days = app.config["RATING_SLIP_DAYS"]
    _, token = served_ticket(app)
    _, worker_token = registered(app)
    frozen_clock.move_to(f"{DAY + timedelta(days=days)} 23:59")
    status = client.get(f"/q/{token}")  # a ticket of an earlier day: the number has expired …
    assert status.status_code == 410 and "已经作废" in text(status)
    assert f'href="/q/{token}/rate"' in text(status)  # … but its service can still be rated
    assert client.get(f"/q/{token}/rate").status_code == 200
    csrf = csrf_from(text(client.get(f"/w/{worker_token}/rate")))

    frozen_clock.move_to(f"{DAY + timedelta(days=days + 1)} 00:00")
    for url in (f"/q/{token}/rate", f"/w/{worker_token}/rate"):
        page = client.get(url)
        assert page.status_code == 410 and "这张凭条的评价已过期" in text(page)
        assert f"{days} 天内" in text(page) and 'name="level"' not in text(page)
        sent = client.post(url, data={"csrf_token": csrf, "level": "1", "role": "worker"})
        assert sent.status_code == 410
    assert "/rate" not in text(client.get(f"/q/{token}")) and "/rate" not in text(client.get(f"/w/{worker_token}"))
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize("letter", ["q", "w"])
def test_two_phones_on_one_slips_link_store_one_rating(app, letter):
    token = served_ticket(app)[1] if letter == "q" else registered(app)[1]
    url, role = f"/{letter}/{token}/rate", "employer" if letter == "q" else "worker"
    phones = [app.test_client() for _ in range(2)]
    forms = [csrf_from(text(phone.get(url))) for phone in phones]  # both opened the form

    def send(n):
        resp = phones[n].post(url, data={"csrf_token": forms[n], "level": str(1 + 4 * n), "role": role,
                                         **({"reasons": "attitude"} if n else {})})
        return resp.status_code, text(resp)

    answers = at_once(app, 2, send)
    assert sorted(status for status, _ in answers) == [200, 409], answers
    assert any("这项服务已经评价过了" in html for status, html in answers if status == 409)
    [rating] = stored(app)
    thanked = next(n for n, (status, _) in enumerate(answers) if status == 200)
    assert rating.level == 1 + 4 * thanked
    assert counts(app) == (1, thanked, 1)  # the loser's follow-up and audit entry were rolled back


# -- bad input: 422 beside the field, nothing stored ----------------------------------------------

@pytest.mark.parametrize("fields,field,message", [
    ({"role": "worker"}, "level", "请点选一个表情"),
    ({"level": "6", "role": "worker"}, "level", "请点选一个表情"),
    ({"level": "²", "role": "worker"}, "level", "请点选一个表情"),
    ({"level": "9" * 5000, "role": "worker"}, "level", "请点选一个表情"),
    ({"level": "1", "role": "boss"}, "role", "请选择您的身份"),
    ({"level": "1", "role": "worker", "reasons": ["waited"]}, "level", "只有“不满意”和“非常不满意”需要填写原因"),
    ({"level": "2", "role": "worker", "phone": "13905987654"}, "level", "只有“不满意”和“非常不满意”需要填写原因"),
    ({"level": "4", "role": "worker", "reasons": ["waited", "bribe"]}, "reasons", "原因不在可选范围内"),
    ({"level": "4", "role": "worker", "comment": "慢" * 201}, "comment", "补充说明最多200个字"),
    # a control character (before: a bare 400 that lost what was typed), and a phone number
    # in the remark, which would be shown in clear to staff
    ({"level": "4", "role": "worker", "comment": "等了\x01很久"}, "comment", "无法显示的字符"),
    ({"level": "4", "role": "worker", "comment": "请回电13812345678"}, "comment", "回访电话"),
    ({"level": "5", "role": "worker", "phone": "12345"}, "phone", ""),
])
def test_bad_values_are_refused_beside_the_field_and_nothing_is_stored(app, client, fields, field, message):
    _, token = registered(app)
    resp = rate(client, f"/w/{token}/rate", **fields)
    html = text(resp)
    assert resp.status_code == 422, html[:500]
    error = re.search(r'<p class="field-error"[^>]*>([^<]+)</p>', html)
    assert error and message in error.group(1)
    if field in ("level", "comment", "phone"):
        assert f'id="{field}-error"' in html
    assert 'name="level"' in html and counts(app) == (0, 0, 0)
    # What was chosen stays chosen, so the person only fixes the one thing.
    if fields.get("level") in ("1", "2", "4", "5"):
        assert f'value="{fields["level"]}" checked' in html
    for reason in [r for r in fields.get("reasons", []) if r != "bribe"]:
        assert f'value="{reason}" checked' in html
    assert "感谢您的评价" not in html


def test_a_bad_level_keeps_its_reasons_on_the_form_after_a_wrong_phone(app, client):
    _, token = registered(app)
    resp = rate(client, f"/w/{token}/rate", level="4", role="worker", reasons=["attitude", "other"],
                comment="窗口没人", phone="139")
    html = text(resp)
    assert resp.status_code == 422 and 'id="phone-error"' in html
    assert 'value="attitude" checked' in html and 'value="other" checked' in html
    assert 'value="窗口没人"' in html and 'value="4" checked' in html


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("url", ["/w/no-such-token/rate", "/q/no-such-ticket/rate", f"/w/{'x' * 65}/rate"])
def test_an_unknown_slip_is_not_found(app, client, url, method):
    resp = client.open(url, method=method, data={"csrf_token": any_csrf(client), "level": "1", "role": "worker"}
                       if method == "POST" else None)
    assert resp.status_code == 404 and counts(app) == (0, 0, 0)


def test_an_anonymised_workers_slip_rates_nothing(app, client):
    worker_id, token = registered(app)
    with app.app_context():
        workers.anonymise(db.session.get(Worker, worker_id))
        db.session.commit()
    assert client.get(f"/w/{token}/rate").status_code == 404
