"""找工作 at the kiosk: the board (order, trade filter, pages, what a card says, what never
shows), the second screen, and applying by the slip's QR or by the ID number with the phone's
last 4: the review, the deal with the worker's price confirmation, the slip on the kiosk's
printer, and the refusals said kindly."""

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.crypto import vault
from app.domain.deals import NOT_OPEN, PLACE_GONE, DealSource, FalseKind, Side
from app.extensions import db
from app.models import AuditEntry, Deal, PrintJob, TaskOrder, Worker
from app.services import deals, task_orders
from printers.receipt import QR, Receipt, plain_text
from tests.conftest import csrf_from
from tests.factories import hall_today, make_id, posting, staff_user, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")

HX = {"HX-Request": "true"}
PHONE = "13800001234"
KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')


# ---- helpers ---------------------------------------------------------------------------

def card_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="posting-card" id="posting-(\d+)"', html)]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def person(app):
    """A registered worker: (id, ID number, slip token)."""
    with app.app_context():
        w = worker(id_number=make_id("19850315", seq="421"), phone=PHONE, name="李春花")
        return w.id, vault().decrypt(w.id_cipher), w.qr_token


def add_posting(app, **fields) -> int:
    with app.app_context():
        return posting(**fields).id


def review(client, task_id: int, headers=None, **fields):
    page = client.get(f"/kiosk/jobs/{task_id}/apply")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    return client.post(f"/kiosk/jobs/{task_id}/apply/review", headers=headers or {},
                       data={"csrf_token": csrf_from(html), "form_key": KEY_RE.search(html).group(1), **fields})


def confirm(client, task_id: int, reviewed, headers=None):
    """Press 接受工价，确认报名 on the review step (a response, or its HTML): its form sent as it is."""
    html = reviewed if isinstance(reviewed, str) else reviewed.get_data(as_text=True)
    form = html[html.index('action="/kiosk/jobs/'):]
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data["csrf_token"] = csrf_from(html)
    return client.post(f"/kiosk/jobs/{task_id}/apply", data=data, headers=headers or {})


def by_id(id_number: str, last4: str = PHONE[-4:]) -> dict:
    return {"id_number": id_number, "phone_last4": last4}


# ---- the way in --------------------------------------------------------------------------

def test_wo_yao_zhao_huo_offers_the_board_and_registration(client):
    start = client.get("/kiosk/").get_data(as_text=True)
    assert 'href="/kiosk/worker"' in start and "我要找活" in start
    menu = client.get("/kiosk/worker")
    text = text_of(menu)
    assert menu.status_code == 200 and "找工作" in text and "零工登记" in text
    html = menu.get_data(as_text=True)
    assert 'href="/kiosk/jobs"' in html and 'href="/kiosk/privacy"' in html


# ---- the board ---------------------------------------------------------------------------

def test_the_board_shows_open_postings_nearest_date_first_with_places_left(app, client):
    today = hall_today()
    later = add_posting(app, work_date=today + timedelta(days=3), trade_code="mason", pay=Decimal("260.50"),
                        location="城南工业园", requirements="会砌砖")
    soon = add_posting(app, work_date=today + timedelta(days=1), headcount=5, taken=3, work_time=time(7, 30))
    html = client.get("/kiosk/jobs").get_data(as_text=True)
    assert card_ids(html) == [soon, later]
    soon_card = html[html.index(f'id="posting-{soon}"'):html.index(f'id="posting-{later}"')]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", soon_card))
    assert "还差 2 人" in text and "07:30" in text and "搬运装卸" in text and "我要报名" in text
    later_card = text_of(client.get("/kiosk/jobs?trade=mason"))
    assert "260.5 元/天" in later_card and "城南工业园" in later_card and "会砌砖" in later_card


def test_one_tap_on_a_trade_shows_only_that_trade_and_only_open_trades_have_chips(app, client):
    porter = add_posting(app, trade_code="porter")
    mason = add_posting(app, trade_code="mason")
    html = client.get("/kiosk/jobs").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="/kiosk/jobs(?:\?trade=(\w+))?"', html)
    assert chips == ["", "mason", "porter"] or chips == ["", "porter", "mason"]  # 全部 first, hall order
    assert card_ids(client.get("/kiosk/jobs?trade=mason").get_data(as_text=True)) == [mason]
    assert card_ids(client.get("/kiosk/jobs?trade=porter").get_data(as_text=True)) == [porter]
    assert sorted(card_ids(client.get("/kiosk/jobs?trade=nonsense").get_data(as_text=True))) == \
        sorted([porter, mason])  # an unknown trade: every trade


def test_pages_of_four_with_big_buttons(app, client):
    today = hall_today()
    ids = [add_posting(app, work_date=today + timedelta(days=n)) for n in range(1, 7)]
    first = client.get("/kiosk/jobs").get_data(as_text=True)
    assert card_ids(first) == ids[:4] and 'id="page-next"' in first and 'id="page-prev"' not in first
    second = client.get("/kiosk/jobs?page=2").get_data(as_text=True)
    assert card_ids(second) == ids[4:] and 'id="page-prev"' in second and "第 2/2 页" in second
    assert card_ids(client.get("/kiosk/jobs?page=99").get_data(as_text=True)) == ids[4:]
    assert client.get("/kiosk/jobs?page=abc").status_code == 200


def test_full_expired_closed_and_false_postings_are_not_on_the_board(app, client):
    today = hall_today()
    shown = add_posting(app)
    full = add_posting(app, headcount=2, taken=2)
    expired = add_posting(app, valid_until=today - timedelta(days=1), work_date=today + timedelta(days=2))
    closed = add_posting(app)
    false = add_posting(app)
    with app.app_context():
        staff = staff_user()
        task_orders.close(db.session.get(TaskOrder, closed), "已招满", staff)
        task_orders.mark_false(FalseKind.POSTING, db.session.get(TaskOrder, false), "岗位不存在",
                               "电话核实，用工方否认发布", staff)
    assert card_ids(client.get("/kiosk/jobs").get_data(as_text=True)) == [shown]
    for gone in (full, expired, closed, false):
        resp = client.get(f"/kiosk/jobs/{gone}/apply")
        assert resp.status_code == 409 and NOT_OPEN in text_of(resp)


def test_an_empty_board_says_so_kindly_with_a_way_back(client):
    resp = client.get("/kiosk/jobs")
    text = text_of(resp)
    assert resp.status_code == 200 and "现在还没有招工信息" in text
    assert 'href="/kiosk/worker"' in resp.get_data(as_text=True)


def test_a_postings_text_is_shown_as_text(app, client):
    add_posting(app, description='<script>alert(1)</script>', requirements='<img src=x onerror=alert(2)>',
                location='"><b>村</b>')
    html = client.get("/kiosk/jobs").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>村</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_the_second_screen_shows_the_board_and_comes_back_to_it(app, client):
    task_id = add_posting(app)
    html = client.get("/kiosk/board").get_data(as_text=True)
    assert card_ids(html) == [task_id]
    assert 'data-home-url="/kiosk/board"' in html  # idle: back to the board, not the start
    assert f'href="/kiosk/jobs/{task_id}/apply?screen=board"' in html
    assert 'href="/kiosk/board?trade=porter"' in html
    apply = client.get(f"/kiosk/jobs/{task_id}/apply?screen=board").get_data(as_text=True)
    assert 'data-home-url="/kiosk/board"' in apply and 'name="screen" value="board"' in apply
    kiosk = client.get("/kiosk/jobs").get_data(as_text=True)
    assert 'data-home-url="/kiosk/"' in kiosk


# ---- applying ----------------------------------------------------------------------------

def test_the_apply_step_offers_the_scanner_and_the_keypad(app, client):
    task_id = add_posting(app)
    resp = client.get(f"/kiosk/jobs/{task_id}/apply")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert "扫描登记凭条上的二维码" in html and re.search(r'id="slip"[^>]*data-scan="apply-review-button"', html)
    assert re.search(r'id="id_number"[^>]*data-input="id"', html)
    assert re.search(r'id="phone_last4"[^>]*data-input="digits"', html)
    assert client.get("/kiosk/jobs/999999/apply").status_code == 404


@pytest.mark.parametrize("headers", [{}, HX])
def test_applying_by_id_number_and_last_4_makes_a_deal_with_the_workers_price(app, client, person, headers):
    worker_id, id_number, _ = person
    task_id = add_posting(app, pay=Decimal("230.00"), location="凤岗街道水南村", work_time=time(7, 0))
    reviewed = review(client, task_id, headers, **by_id(id_number))
    text = text_of(reviewed)
    assert reviewed.status_code == 200 and "李**" in text and "230 元/天" in text
    assert "接受工价，确认报名" in text and "李春花" not in text
    done = confirm(client, task_id, reviewed, headers)
    assert done.status_code == 200, text_of(done)
    with app.app_context():
        deal = db.session.scalars(select(Deal)).one()
        assert (deal.worker_id, deal.task_order_id, deal.source) == (worker_id, task_id, DealSource.KIOSK)
        assert deal.pay == Decimal("230.00") and deal.price_confirmed_by(Side.WORKER)
        assert not deal.price_confirmed_by(Side.EMPLOYER)
        assert db.session.get(TaskOrder, task_id).taken == 1
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.record_type == "deal", AuditEntry.record_id == deal.id).order_by(AuditEntry.id)))
        assert actions == ["accept", "accept_price"]
        number = deal.number
    html = done.get_data(as_text=True)
    assert re.search(rf'id="deal-number">{number}<', html)
    text = text_of(done)
    assert "凭条已打印，请取走凭条" in text or "凭条暂时无法打印" in text
    assert "凤岗街道水南村" in text and "07:00" in text and "签订劳务协议" in text and "确认价格" in text
    assert id_number not in html and "李春花" not in html


def test_the_slip_prints_on_the_kiosks_printer_with_the_deals_qr(make_app, person):
    app = make_app(PRINTERS={"front": "memory:front"},
                   KIOSK_TERMINALS={"kiosk-1": {"printer": "front", "label": "大厅1号机",
                                                "address": "192.168.1.21"}})
    with app.app_context():
        w = worker(id_number=make_id("19900101", seq="777"), phone="13900005678")
        id_number = vault().decrypt(w.id_cipher)
        task_id = posting(location="城西安置小区").id
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.168.1.21"
    done = confirm(client, task_id, review(client, task_id, **by_id(id_number, "5678")))
    assert done.status_code == 200
    with app.app_context():
        deal = db.session.scalars(select(Deal)).one()
        job = db.session.scalars(select(PrintJob).where(PrintJob.kind == "deal_application")).one()
        assert job.printer == "front" and job.subject == f"deal:{deal.id}"
        receipt = Receipt.from_dict(job.receipt)
        assert [i.payload for i in receipt.items if isinstance(i, QR)] == \
            [f"{app.config['PUBLIC_BASE_URL'].rstrip('/')}/d/{deal.worker_token}"]
        text = plain_text(receipt, 80)
        assert deal.number in text and "城西安置小区" in text and "报名凭条" in text
        assert id_number not in text


def test_applying_by_the_slips_qr(app, client, person):
    worker_id, _, token = person
    task_id = add_posting(app)
    reviewed = review(client, task_id, slip=f"http://hall.test/w/{token}\n".strip())
    assert reviewed.status_code == 200 and "李**" in text_of(reviewed)
    assert confirm(client, task_id, reviewed).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Deal.worker_id)).one() == worker_id


@pytest.mark.parametrize(("fields", "field", "message"), [
    (by_id(make_id("19850315", seq="421"), "0000"), "id_number", "没有找到您的登记信息，请先登记"),
    (by_id(make_id("19700101", seq="999")), "id_number", "没有找到您的登记信息，请先登记"),
    (by_id(make_id("19850315", seq="421"), "12"), "phone_last4", "请输入登记时所留手机号码的后4位数字"),
    (by_id("123"), "id_number", None),
    ({"slip": "https://example.com/elsewhere"}, "slip", "这不是零工登记凭条的二维码"),
    ({"slip": "http://hall.test/w/AAAAAAAAAAAAAAAAAAAAAA"}, "slip", "没有找到您的登记信息，请先登记"),
    ({}, "slip", "请扫登记凭条上的二维码，或输入身份证号码和手机号后4位"),
])
def test_not_recognised_is_422_beside_the_field_and_nothing_is_written(app, client, person, fields, field,
                                                                        message):
    task_id = add_posting(app)
    audit_before = count(app, AuditEntry)
    resp = review(client, task_id, **fields)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f'id="{field}-error"' in html and f'aria-invalid="true" aria-describedby="{field}-error"' in html
    if message:
        assert message in text_of(resp)
    if message == "没有找到您的登记信息，请先登记":
        assert 'href="/kiosk/privacy"' in html and "去登记" in html  # a button to register
    assert count(app, Deal) == 0 and count(app, AuditEntry) == audit_before


def test_a_wrong_last_4_on_the_final_step_writes_nothing(app, client, person):
    _, id_number, _ = person
    task_id = add_posting(app)
    reviewed = review(client, task_id, **by_id(id_number))
    tampered = reviewed.get_data(as_text=True).replace(f'value="{PHONE[-4:]}"', 'value="9999"')
    resp = confirm(client, task_id, tampered)
    assert resp.status_code == 422 and "没有找到您的登记信息，请先登记" in text_of(resp)
    assert count(app, Deal) == 0


def test_the_same_form_twice_is_one_deal(app, client, person):
    _, id_number, _ = person
    task_id = add_posting(app)
    reviewed = review(client, task_id, **by_id(id_number))
    first, second = confirm(client, task_id, reviewed), confirm(client, task_id, reviewed)
    assert first.status_code == second.status_code == 200
    number = re.compile(r'id="deal-number">([^<]+)<')
    assert number.search(first.get_data(as_text=True)).group(1) == \
        number.search(second.get_data(as_text=True)).group(1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Deal)) == 1
        assert db.session.get(TaskOrder, task_id).taken == 1
        assert db.session.scalar(select(func.count()).select_from(PrintJob)
                                 .where(PrintJob.kind == "deal_application")) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "accept_price")) == 1


def test_the_final_step_without_its_key_applies_nothing(app, client, person):
    _, id_number, _ = person
    task_id = add_posting(app)
    page = client.get(f"/kiosk/jobs/{task_id}/apply")
    resp = client.post(f"/kiosk/jobs/{task_id}/apply",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True)), **by_id(id_number)})
    assert resp.status_code == 422 and "页面已过期，请重新填写" in text_of(resp)
    assert count(app, Deal) == 0


def test_a_17_year_old_is_refused_for_heavy_lifting_kindly(app, client):
    today = hall_today()
    with app.app_context():
        minor = worker(id_number=make_id(f"{today.year - 17}0601", seq="318"), phone="13700001111")
        id_number = vault().decrypt(minor.id_cipher)
        porter = posting(trade_code="porter").id
    resp = confirm(client, porter, review(client, porter, **by_id(id_number, "1111")))
    text = text_of(resp)
    assert resp.status_code == 409
    assert "“搬运装卸”属于未成年工禁止从事的劳动" in text and "未满18周岁不能报名" in text
    assert "看看其他岗位" in text and "返回首页" in text
    assert count(app, Deal) == 0


def test_the_last_place_taken_meanwhile_is_said_kindly(app, client, person):
    _, id_number, _ = person
    task_id = add_posting(app, headcount=1)
    reviewed = review(client, task_id, **by_id(id_number))
    with app.app_context():  # someone else takes the last place while the review is on screen
        deals.accept(db.session.get(TaskOrder, task_id), worker(), source=DealSource.KIOSK)
    resp = confirm(client, task_id, reviewed)
    assert resp.status_code == 409 and PLACE_GONE in text_of(resp)
    assert 'href="/kiosk/jobs"' in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Deal)) == 1


def test_applying_twice_for_the_same_posting_is_refused(app, client, person):
    _, id_number, _ = person
    task_id = add_posting(app)
    assert confirm(client, task_id, review(client, task_id, **by_id(id_number))).status_code == 200
    again = confirm(client, task_id, review(client, task_id, **by_id(id_number)))
    assert again.status_code == 409 and "您已经报名了这个岗位" in text_of(again)


def test_a_worker_confirmed_false_is_refused(app, client, person):
    worker_id, id_number, _ = person
    task_id = add_posting(app)
    with app.app_context():
        task_orders.mark_false(FalseKind.WORKER, db.session.get(Worker, worker_id), "冒用他人身份",
                               "本人到场核实", staff_user())
    resp = confirm(client, task_id, review(client, task_id, **by_id(id_number)))
    assert resp.status_code == 409 and "虚假信息" in text_of(resp)
    assert count(app, Deal) == 0


def test_a_date_in_a_posting_is_the_halls_date(app, client):
    add_posting(app, work_date=date(2026, 12, 3))
    assert "2026年12月3日" in text_of(client.get("/kiosk/jobs"))


def test_a_form_sent_again_after_staff_changed_the_price_confirms_nothing_for_the_worker(app, client, person):
    """The worker accepted the pay the review showed; a repeat of that form (a retried
    request) after staff recorded the employer's new price must not put the worker's name to
    a price they never saw."""
    from decimal import Decimal

    from app.domain.deals import ConfirmedVia, Side
    from app.models import PayUnit
    from app.services import deals
    from tests.factories import staff_user

    _, id_number, _ = person
    task_id = add_posting(app)
    reviewed = review(client, task_id, **by_id(id_number))
    assert confirm(client, task_id, reviewed).status_code == 200
    with app.app_context():
        deal = db.session.scalars(select(Deal)).one()
        assert deal.price_confirmed_by(Side.WORKER)
        deals.confirm_price(deal, Side.EMPLOYER, Decimal("220.00"), PayUnit.DAY, ConfirmedVia.STAFF, staff_user())
    assert confirm(client, task_id, reviewed).status_code == 200
    with app.app_context():
        deal = db.session.scalars(select(Deal)).one()
        assert deal.pay == Decimal("220.00") and not deal.price_confirmed_by(Side.WORKER)
