"""Rating a service from the slip's QR on a phone (390×844), by touch: the page the QR opens
offers 评价本次服务; a face and 提交 store the rating; the page then says 已评价.

A phone is not a kiosk: it has its own keyboard, so the comment and the call-back phone are
typed (fill), everything else is tapped.
"""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.clock import local_today
from app.domain.queue import TicketStatus
from app.extensions import db
from app.models import Rating
from app.services import queue, slips
from tests.factories import staff_user, ticket, worker

from .conftest import shot
from .test_accessibility import Audit

PHONE = (390, 844)
POLL_MS = 15_000  # the ticket page polls every 10 s


def ratings(app) -> list[Rating]:
    with app.app_context():
        found = db.session.scalars(select(Rating).order_by(Rating.id)).all()
        for rating in found:
            _ = rating.reasons
            db.session.expunge(rating)
        return found


def no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_employer_rates_the_ticket_from_the_slips_qr(page_at, live_server, live_app):
    with live_app.app_context():
        issued = ticket()
        staff = staff_user().id
        url, ticket_id = slips.ticket_url(issued, live_server), issued.id
    page = page_at(*PHONE)
    page.goto(url)
    expect(page.locator(".lead")).to_contain_text("等候中")
    expect(page.get_by_text("评价本次服务")).to_have_count(0)  # not before it is called
    page.goto(f"{url}/rate")  # the rating page typed in early: not yet, and the way back
    expect(page.locator("h1")).to_contain_text("现在还不能评价")
    shot(page, "phone-rate-0-ticket-not-yet-390x844")
    page.get_by_role("link", name="返回排队进度").tap()
    expect(page.locator(".lead")).to_contain_text("等候中")

    # Staff call it to window 3 and finish it; the open page's poll brings the offer.
    with live_app.app_context():
        called = queue.call_next(local_today(), 3, staff)
        queue.act(called, "done", staff, 3)
    offer = page.get_by_role("link", name="评价本次服务")
    expect(offer).to_be_visible(timeout=POLL_MS)
    expect(page.locator(".lead")).to_have_text("已办结，谢谢！")
    no_sideways_scrolling(page)
    shot(page, "phone-rate-1-ticket-done-390x844")

    offer.tap()
    expect(page.locator("h1")).to_have_text("评价本次服务")
    expect(page.locator(".rated-service")).to_contain_text("排队办理 A001 · 招工")
    expect(page.locator(".rated-service")).to_contain_text("3号窗口")
    expect(page.locator("#rate-bad")).to_be_hidden()
    no_sideways_scrolling(page)
    shot(page, "phone-rate-2-form-390x844")
    page.get_by_text("非常满意", exact=True).tap()
    expect(page.locator("input[name=level][value='1']")).to_be_checked()
    expect(page.locator("#rate-bad")).to_be_hidden()  # no reasons for a good rating
    shot(page, "phone-rate-3-face-chosen-390x844")
    page.get_by_role("button", name="提交").tap()
    expect(page.locator("h1")).to_contain_text("感谢您的评价")
    shot(page, "phone-rate-4-thanks-390x844")
    [rating] = ratings(live_app)
    assert (rating.level, rating.role.value, rating.channel.value, rating.window) == (1, "employer", "slip", 3)
    assert rating.service == f"ticket:{ticket_id}"

    page.goto(url)
    expect(page.locator(".rate-rated")).to_have_text("✔ 已评价，谢谢")
    expect(page.get_by_text("评价本次服务")).to_have_count(0)
    shot(page, "phone-rate-5-ticket-rated-390x844")
    page.goto(f"{url}/rate")  # the rating page again: already rated, when, nothing else
    expect(page.locator("h1")).to_contain_text("这项服务已经评价过了")
    expect(page.locator("input[name=level]")).to_have_count(0)
    shot(page, "phone-rate-6-already-rated-390x844")


def test_a_worker_rates_the_registration_badly_with_a_reason(page_at, live_server, live_app):
    with live_app.app_context():
        record = worker(name="林建国")
        url = slips.worker_url(record, live_server)
        worker_id = record.id
    page = page_at(*PHONE)
    page.goto(url)
    offer = page.get_by_role("link", name="评价本次服务")
    expect(offer).to_be_in_viewport()
    shot(page, "phone-rate-0-record-offer-390x844")
    offer.tap()
    expect(page.locator(".rated-service")).to_contain_text("零工登记")

    page.get_by_role("button", name="提交").tap()  # no face yet: said beside the faces
    expect(page.locator("#level-error")).to_contain_text("请点选一个表情")
    shot(page, "phone-rate-7-no-face-390x844")
    assert ratings(live_app) == []

    page.get_by_text("不满意", exact=True).tap()
    expect(page.locator("#rate-bad")).to_be_visible()
    expect(page.locator("#level-error")).to_be_hidden()  # answered
    page.get_by_text("等待太久", exact=True).tap()
    page.get_by_text("办事不方便", exact=True).tap()
    expect(page.locator("input[name=reasons][value=waited]")).to_be_checked()
    page.locator("#rate-comment").fill("登记要排两次队")
    page.locator("#rate-phone").fill("13905981234")
    no_sideways_scrolling(page)
    page.locator("#rate-phone").blur()
    shot(page, "phone-rate-8-bad-with-reasons-390x844")

    # Changing the mind to a good face hides (and does not send) the reasons; back again,
    # they are still there.
    page.get_by_text("满意", exact=True).tap()
    expect(page.locator("#rate-bad")).to_be_hidden()
    page.get_by_text("不满意", exact=True).tap()
    expect(page.locator("input[name=reasons][value=inconvenient]")).to_be_checked()
    page.get_by_text("办事不方便", exact=True).tap()  # a reason untapped
    page.locator("#rate-bad").scroll_into_view_if_needed()
    shot(page, "phone-rate-9-bad-reason-chips-390x844")
    page.get_by_role("button", name="提交").tap()
    expect(page.locator("h1")).to_contain_text("感谢您的评价")
    expect(page.locator(".notice-ok")).to_contain_text("尾号 1234")
    assert "13905981234" not in page.content()
    shot(page, "phone-rate-10-bad-thanks-390x844")
    [rating] = ratings(live_app)
    assert (rating.level, rating.role.value, rating.service) == (4, "worker", f"registration:{worker_id}:1")
    assert [r.reason.value for r in rating.reasons] == ["waited"] and rating.comment == "登记要排两次队"

    page.goto(url)
    expect(page.locator(".rate-rated")).to_have_text("✔ 已评价，谢谢")
    shot(page, "phone-rate-11-record-rated-390x844")


def test_a_good_face_after_a_bad_one_sends_no_reasons(page_at, live_server, live_app):
    with live_app.app_context():
        record = worker()
        url = slips.worker_url(record, live_server)
    page = page_at(*PHONE)
    page.goto(f"{url}/rate")
    page.get_by_text("非常不满意", exact=True).tap()
    page.get_by_text("态度不好", exact=True).tap()
    page.locator("#rate-comment").fill("没人理")
    page.get_by_text("基本满意", exact=True).tap()
    page.get_by_role("button", name="提交").tap()
    expect(page.locator("h1")).to_contain_text("感谢您的评价")  # not refused for stale reasons
    [rating] = ratings(live_app)
    assert (rating.level, rating.reasons, rating.comment) == (3, [], "")


def test_the_rating_pages_pass_the_accessibility_audit(page_at, live_server, live_app):
    with live_app.app_context():
        url = slips.worker_url(worker(), live_server)
    audit = Audit()
    page = page_at(*PHONE, bypass_csp=True)
    page.goto(f"{url}/rate")
    audit(page, "rating form", public=True)
    page.get_by_text("非常不满意", exact=True).tap()
    page.locator("#rate-phone").fill("123")
    page.get_by_role("button", name="提交").tap()
    expect(page.locator("#phone-error")).to_be_visible()
    audit(page, "rating form with errors", public=True)
    page.locator("#rate-phone").fill("")
    page.get_by_role("button", name="提交").tap()
    expect(page.locator("h1")).to_contain_text("感谢您的评价")
    audit(page, "rating thanks", public=True)
    page.goto(f"{url}/rate")
    audit(page, "already rated", public=True)
    assert not audit.found, audit.report()
    assert not audit.english, audit.english


def test_yesterdays_ticket_has_expired_but_its_service_can_still_be_rated(page_at, live_server, live_app):
    with live_app.app_context():
        old = ticket(day=local_today() - timedelta(days=1))
        old.status, old.window = TicketStatus.DONE, 2
        db.session.commit()
        url = slips.ticket_url(old, live_server)
    page = page_at(*PHONE)
    page.goto(url)
    expect(page.locator("h1")).to_contain_text("排队号，已经作废")
    shot(page, "phone-rate-12-expired-ticket-offer-390x844")
    page.get_by_role("link", name="评价本次服务").tap()
    expect(page.locator(".rated-service")).to_contain_text("2号窗口")
    page.get_by_text("基本满意", exact=True).tap()
    page.get_by_role("button", name="提交").tap()
    expect(page.locator("h1")).to_contain_text("感谢您的评价")
    page.goto(url)
    expect(page.locator(".rate-rated")).to_be_visible()
