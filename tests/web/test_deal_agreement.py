"""The deal's 劳务协议 through HTTP: the signing page (the agreement generated from the deal,
two pads), signing all or nothing, the two slips with the check QR, the A4 print in two
copies, the signatures as images, and the public check page (/v/<token>), which stops saying
genuine once anything of the agreement is altered in the database."""

import re

import pytest
from sqlalchemy import update

from app.domain.deals import DealStatus, Side
from app.domain.masking import mask_id_number
from app.extensions import db
from app.models import Deal, DealSignature, Employer, JobStatus, PrintJob, Role, StaffUser, TaskOrder, Worker
from app.services import deal_agreement, deal_seal, deal_slips
from tests.conftest import csrf_from
from tests.deal_steps import deal_at
from tests.factories import as_user, employer, make_id, signature, staff_user, text_of, worker

pytestmark = pytest.mark.usefixtures("frozen_clock")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ID_NUMBER = make_id("19850312", seq="417")


@pytest.fixture
def people(app):
    with app.app_context():
        staff_user("xiaoli", Role.STAFF)
        staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)


def staff(username: str) -> StaffUser:
    return db.session.scalar(db.select(StaffUser).filter_by(username=username))


def a_deal(app, state=DealStatus.PRICED, **fields) -> int:
    with app.app_context():
        person = worker(name="李小四", id_number=ID_NUMBER)
        return deal_at(state, staff("xiaoli"), person=person, **fields).id


@pytest.fixture
def deal_id(app, people):
    return a_deal(app)


def signing_form(page_html: str, **overrides) -> dict:
    form = {"csrf_token": csrf_from(page_html), "signer_worker": "李小四", "signer_employer": "王老板",
            "signature_worker": signature(30), "signature_employer": signature(35)}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def sign(client, deal_id, **overrides):
    page = client.get(f"/staff/deals/{deal_id}/agreement")
    return client.post(f"/staff/deals/{deal_id}/agreement",
                       data=signing_form(page.get_data(as_text=True), **overrides))


def stored(app, deal_id):
    with app.app_context():
        deal = db.session.get(Deal, deal_id)
        jobs = db.session.query(PrintJob).filter_by(kind=deal_slips.AGREEMENT_KIND).count()
        return deal.status, len(deal.signatures), jobs


def test_the_page_shows_the_agreement_generated_from_the_deal_with_the_id_number_masked(app, deal_id):
    page = as_user(app, "xiaoli").get(f"/staff/deals/{deal_id}/agreement")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html, text = page.get_data(as_text=True), text_of(page)
    assert ID_NUMBER not in html and mask_id_number(ID_NUMBER) in text
    for said in ("甲方（用工方） 王老板", "乙方（零工） 李小四", "凤岗街道水南村", "200 元/天", "共 1 天",
                 "搬运", deal_seal.AGREEMENT_TERMS["dispute"], deal_seal.AGREEMENT_TERMS["insurance"],
                 deal_seal.AGREEMENT_TERMS["payment"], deal_seal.AGREEMENT_TERMS["safety"]):
        assert said in text, said
    assert html.count("<canvas") == 2 and html.count("data-sig-clear") == 2
    assert re.search(r'name="signer_worker" value="李小四"', html)
    assert re.search(r'name="signer_employer" value="王老板"', html)
    assert "零工（乙方）签字" in text and "用工方（甲方）签字" in text


def test_signing_with_both_pads_signs_the_deal_and_prints_two_slips_with_the_check_qr(app, deal_id):
    client = as_user(app, "xiaoli")
    resp = sign(client, deal_id)
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/staff/deals/{deal_id}/agreement")
    with app.app_context():
        deal = db.session.get(Deal, deal_id)
        assert deal.status == DealStatus.SIGNED and deal.signed_at is not None
        assert {(s.side, s.signer) for s in deal.signatures} == {(Side.WORKER, "李小四"),
                                                                 (Side.EMPLOYER, "王老板")}
        assert all(s.png.startswith(PNG_MAGIC) for s in deal.signatures)
        jobs = db.session.scalars(db.select(PrintJob).filter_by(kind=deal_slips.AGREEMENT_KIND)).all()
        assert sorted(job.title for job in jobs) == sorted(
            f"劳务协议凭条（{side.label}） {deal.number}" for side in Side)
        for job in jobs:
            assert f"/v/{deal.verify_token}" in str(job.receipt)
    after = client.get(resp.headers["Location"])
    text = text_of(after)
    assert "已签订劳务协议" in text and "协议真实有效，内容未被改动" in text
    html = after.get_data(as_text=True)
    for side in ("worker", "employer"):
        assert f"/staff/deals/{deal_id}/signatures/{side}.png" in html
    assert "打印协议（A4，一式两份）" in text and "<canvas" not in html


@pytest.mark.parametrize("missing, sent", [("signature_worker", signature(ink=0)), ("signature_employer", None),
                                           ("signature_worker", "data:text/plain,hello")])
def test_a_missing_or_empty_pad_is_refused_beside_it_and_nothing_is_stored(app, deal_id, missing, sent):
    drawn = signature(40)
    other = "signature_employer" if missing == "signature_worker" else "signature_worker"
    resp = sign(as_user(app, "xiaoli"), deal_id, **{missing: sent, other: drawn})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert f'id="{missing}-error"' in html and "签名" in text_of(resp)
    assert f'name="{other}" value="{drawn}"' in html  # the other side need not sign again
    assert stored(app, deal_id) == (DealStatus.PRICED, 0, 0)


def test_a_deal_whose_price_is_not_yet_confirmed_cannot_be_signed(app, people):
    deal_id = a_deal(app, DealStatus.ACCEPTED)
    client = as_user(app, "xiaoli")
    page = client.get(f"/staff/deals/{deal_id}/agreement")
    assert page.status_code == 409 and "<canvas" not in page.get_data(as_text=True)
    assert "价格已确认" in text_of(page)
    staff_page = client.get("/staff/login").get_data(as_text=True)
    resp = client.post(f"/staff/deals/{deal_id}/agreement", data=signing_form(staff_page))
    assert resp.status_code == 409
    with app.app_context():
        reason = deal_agreement.refusal(db.session.get(Deal, deal_id))
    assert reason and reason in text_of(resp)
    assert stored(app, deal_id) == (DealStatus.ACCEPTED, 0, 0)


def test_a_signed_deal_is_not_signed_twice(app, deal_id):
    client = as_user(app, "xiaoli")
    page = client.get(f"/staff/deals/{deal_id}/agreement")
    assert sign(client, deal_id).status_code == 303
    again = client.post(f"/staff/deals/{deal_id}/agreement", data=signing_form(page.get_data(as_text=True)))
    assert again.status_code == 409
    assert stored(app, deal_id) == (DealStatus.SIGNED, 2, 2)


def test_the_a4_print_holds_two_copies_with_both_signatures_the_check_code_and_the_qr(app, people):
    deal_id = a_deal(app, DealStatus.SIGNED)
    client = as_user(app, "boss")
    page = client.get(f"/staff/deals/{deal_id}/agreement/print")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert html.count('class="sheet"') == 2 and "甲方留存" in html and "乙方留存" in html
    assert html.count('<svg class="qr"') == 2
    with app.app_context():
        deal = db.session.get(Deal, deal_id)
        assert html.count(deal.agreement_seal[:16]) == 2 and deal.agreement_seal not in html
        assert html.count(f"/v/{deal.verify_token}") == 2
    assert ID_NUMBER not in html and html.count(mask_id_number(ID_NUMBER)) == 2
    for side in ("worker", "employer"):
        assert html.count(f"/staff/deals/{deal_id}/signatures/{side}.png") == 2
        png = client.get(f"/staff/deals/{deal_id}/signatures/{side}.png")
        assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(PNG_MAGIC)
        assert png.headers["Cache-Control"] == "no-store"


def test_nothing_to_print_before_signing(app, deal_id):
    client = as_user(app, "xiaoli")
    assert client.get(f"/staff/deals/{deal_id}/agreement/print").status_code == 409
    assert client.get(f"/staff/deals/{deal_id}/signatures/worker.png").status_code == 404
    page = client.get(f"/staff/deals/{deal_id}/agreement")
    resp = client.post(f"/staff/deals/{deal_id}/agreement/slips",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.status_code == 409 and "还没有签订劳务协议" in text_of(resp)


def test_slips_are_printed_again_on_request_and_not_doubled_while_waiting(app, people):
    deal_id = a_deal(app, DealStatus.SIGNED)  # signed through the service: no slips yet
    client = as_user(app, "xiaoli")
    token = csrf_from(client.get(f"/staff/deals/{deal_id}/agreement").get_data(as_text=True))
    for _ in range(2):
        resp = client.post(f"/staff/deals/{deal_id}/agreement/slips", data={"csrf_token": token})
        assert resp.status_code == 303
    assert stored(app, deal_id)[2] == 2
    with app.app_context():
        db.session.execute(update(PrintJob).values(status=JobStatus.PRINTED))
        db.session.commit()
    client.post(f"/staff/deals/{deal_id}/agreement/slips", data={"csrf_token": token})
    assert stored(app, deal_id)[2] == 4


def verify_token(app, deal_id) -> str:
    with app.app_context():
        return db.session.get(Deal, deal_id).verify_token


def test_the_check_page_says_genuine_and_shows_the_agreement_masked(app, people):
    deal_id = a_deal(app, DealStatus.SIGNED)
    page = app.test_client().get(f"/v/{verify_token(app, deal_id)}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text, html = text_of(page), page.get_data(as_text=True)
    assert "协议真实有效，内容未被改动" in text and "未通过核验" not in text
    with app.app_context():
        deal = db.session.get(Deal, deal_id)
        assert deal.agreement_seal[:16] in text and deal.number in text
    assert "李小四" not in html and "李**" in text and "王老板" not in html and "王**" in text
    assert ID_NUMBER not in html and mask_id_number(ID_NUMBER) in text
    assert "凤岗街道水南村" in text and "200 元/天" in text


def _pay(deal):
    return update(Deal).where(Deal.id == deal.id).values(pay="201.00")


def _place(deal):
    return update(TaskOrder).where(TaskOrder.id == deal.task_order_id).values(location="三明市区某工地")


def _worker_name(deal):
    return update(Worker).where(Worker.id == deal.worker_id).values(name="李小五")


def _employer_name(deal):
    return update(Employer).where(Employer.id == deal.employer_id).values(contact_name="赵老板")


def _signature_png(deal):
    return (update(DealSignature).where(DealSignature.deal_id == deal.id, DealSignature.side == Side.WORKER)
            .values(png=deal.signature_of(Side.EMPLOYER).png))


def _kept_text(deal):  # the kept text itself changed, seal left as it was
    return update(Deal).where(Deal.id == deal.id).values(
        agreement_content=deal.agreement_content.replace("200.00", "900.00"))


@pytest.mark.parametrize("alter", [_pay, _place, _worker_name, _employer_name, _signature_png, _kept_text])
def test_an_agreement_altered_in_the_database_no_longer_verifies(app, people, alter):
    deal_id = a_deal(app, DealStatus.SIGNED)
    client = app.test_client()
    token = verify_token(app, deal_id)
    assert "协议真实有效" in text_of(client.get(f"/v/{token}"))
    with app.app_context():
        db.session.execute(alter(db.session.get(Deal, deal_id)))
        db.session.commit()
    page = client.get(f"/v/{token}")
    text = text_of(page)
    assert page.status_code == 200
    assert "该协议未通过核验" in text and "协议真实有效" not in text and "可能已被改动" in text
    assert "凤岗街道水南村" not in text and "三明市区某工地" not in text  # none of the content
    with app.app_context():
        from app.hall_config import hall

        assert hall().phone in text
    staff_page = as_user(app, "xiaoli").get(f"/staff/deals/{deal_id}/agreement")
    assert "该协议未通过核验" in text_of(staff_page)


def test_an_unknown_token_is_the_phone_404(app):
    page = app.test_client().get("/v/not-a-real-token")
    assert page.status_code == 404 and "页面不存在" in text_of(page)
    assert "返回首页" not in text_of(page)  # nothing leads to kiosk screens


def test_markup_in_a_name_is_shown_as_text(app, people):
    with app.app_context():
        boss = employer(contact_name='<img src=x onerror="alert(1)">王老板')
        deal_id = deal_at(DealStatus.PRICED, staff("xiaoli"), employer=boss,
                          person=worker(id_number=ID_NUMBER)).id
    client = as_user(app, "xiaoli")
    page = client.get(f"/staff/deals/{deal_id}/agreement")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<img src=x" not in html and "&lt;img src=x" in html
    resp = sign(client, deal_id, signer_worker="<script>alert(1)</script>")
    assert resp.status_code == 422 and "<script>alert(1)" not in resp.get_data(as_text=True)
    assert 'id="signature_worker-error"' in resp.get_data(as_text=True)
    assert stored(app, deal_id) == (DealStatus.PRICED, 0, 0)


def test_the_assessor_cannot_sign_print_or_see_the_signatures(app, people):
    deal_id = a_deal(app)
    signed_id = a_deal(app, DealStatus.SIGNED)
    staff_page = as_user(app, "xiaoli").get(f"/staff/deals/{deal_id}/agreement").get_data(as_text=True)
    client = as_user(app, "kaohe")
    assert client.get(f"/staff/deals/{deal_id}/agreement").status_code == 403
    assert client.post(f"/staff/deals/{deal_id}/agreement", data=signing_form(staff_page)).status_code in (400, 403)
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    assert client.post(f"/staff/deals/{deal_id}/agreement",
                       data=signing_form(f'name="csrf_token" value="{token}"')).status_code == 403
    assert client.get(f"/staff/deals/{signed_id}/agreement/print").status_code == 403
    assert client.get(f"/staff/deals/{signed_id}/signatures/worker.png").status_code == 403
    assert client.post(f"/staff/deals/{signed_id}/agreement/slips", data={"csrf_token": token}).status_code == 403
    assert stored(app, deal_id) == (DealStatus.PRICED, 0, 0)
    assert stored(app, signed_id)[2] == 0
