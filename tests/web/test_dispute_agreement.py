"""The mediation agreement through HTTP: the signing page (amount, deadline, method, terms and
three signatures drawn on the touchscreen), all or nothing; the signatures as images; the A4
agreement in three copies; the two agreement slips with their QR targets; who may do what."""

import base64
import re
from datetime import timedelta

import pytest

from app.domain.disputes import CaseStatus, Party
from app.extensions import db
from app.models import DisputeSignature, JobStatus, PrintJob, Role, StaffUser
from app.services import agreements, disputes
from tests.conftest import csrf_from
from tests.dispute_steps import agreed_case, mediating_case
from tests.factories import as_user, dispute, hall_today, signature, staff_user, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Saturday 2026-11-28 10:00 in the hall

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def people(app):
    with app.app_context():
        staff_user("xiaoli", Role.STAFF)
        staff_user("boss", Role.MANAGER)
        staff_user("kaohe", Role.ASSESSOR)


def staff(username: str) -> StaffUser:
    return db.session.scalar(db.select(StaffUser).filter_by(username=username))


@pytest.fixture
def case_id(app, people):
    with app.app_context():
        return mediating_case(staff("xiaoli")).id


def signing_form(page_html: str, **overrides) -> dict:
    form = {"csrf_token": csrf_from(page_html), "amount": "1000",
            "pay_by": (hall_today() + timedelta(days=7)).isoformat(), "method": "wechat",
            "terms": "王老板于 12 月 5 日前通过微信支付李四工钱 1000 元，双方再无争议。",
            "signer_applicant": "李四", "signer_respondent": "王老板", "signer_mediator": "小李",
            "signature_applicant": signature(30), "signature_respondent": signature(35),
            "signature_mediator": signature(40)}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def sign(client, case_id, **overrides):
    page = client.get(f"/staff/disputes/{case_id}/agreement")
    assert page.status_code == 200
    return client.post(f"/staff/disputes/{case_id}/agreement", data=signing_form(page.get_data(as_text=True),
                                                                                **overrides))


def stored(app, case_id):
    with app.app_context():
        case = disputes.get(case_id)
        return case.status, len(case.signatures)


def test_the_signing_page_offers_the_terms_and_three_pads_with_the_names_filled_in(app, case_id):
    page = as_user(app, "xiaoli").get(f"/staff/disputes/{case_id}/agreement")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    for party, name in (("applicant", "李四"), ("respondent", "王老板"), ("mediator", "小李")):
        assert f'name="signature_{party}"' in html
        assert re.search(rf'name="signer_{party}" value="{name}"', html)
    assert html.count("<canvas") == 3 and html.count("data-sig-clear") == 3
    assert "signature-pad.js" in html
    text = text_of(page)
    for word in ("申请人签字", "被申请人签字", "调解员签字", "现金", "微信", "支付宝", "银行转账", "履行期限"):
        assert word in text


def test_signing_stores_the_agreement_and_its_three_signatures_and_queues_both_slips(app, case_id):
    client = as_user(app, "xiaoli")
    resp = sign(client, case_id)
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/staff/disputes/{case_id}")
    with app.app_context():
        case = disputes.get(case_id)
        assert case.status == CaseStatus.AGREED
        assert str(case.agreed_amount) == "1000.00" and case.pay_method.label == "微信"
        assert case.pay_by == hall_today() + timedelta(days=7)
        assert {(s.party, s.signer) for s in case.signatures} == {
            (Party.APPLICANT, "李四"), (Party.RESPONDENT, "王老板"), (Party.MEDIATOR, "小李")}
        assert all(s.png.startswith(PNG_MAGIC) for s in case.signatures)
        jobs = db.session.scalars(db.select(PrintJob).where(PrintJob.kind == agreements.SLIP_KIND)).all()
        assert len(jobs) == 2
    detail = client.get(resp.headers["Location"])
    text = text_of(detail)
    assert "已签订调解协议" in text and "1,000 元" in text and "微信" in text
    html = detail.get_data(as_text=True)
    for party in ("applicant", "respondent", "mediator"):
        assert f"/staff/disputes/{case_id}/signatures/{party}.png" in html
    assert "打印协议（A4，一式三份）" in text and "打印协议凭条" in text


@pytest.mark.parametrize("missing", ["signature_applicant", "signature_respondent", "signature_mediator"])
def test_an_empty_pad_is_refused_beside_it_and_nothing_is_stored(app, case_id, missing):
    resp = sign(as_user(app, "xiaoli"), case_id, **{missing: signature(ink=0)})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert f'id="{missing}-error"' in html and "签名" in text_of(resp)
    assert stored(app, case_id) == (CaseStatus.MEDIATING, 0)
    with app.app_context():
        assert db.session.query(DisputeSignature).count() == 0 and db.session.query(PrintJob).count() == 0


def test_a_signature_not_sent_at_all_stores_none_and_the_others_stay_on_the_page(app, case_id):
    drawn = signature(30)
    resp = sign(as_user(app, "xiaoli"), case_id, signature_mediator=None, signature_applicant=drawn)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="signature_mediator-error"' in html
    # the parties who signed need not sign again because the mediator had not
    assert f'name="signature_applicant" value="{drawn}"' in html
    assert stored(app, case_id) == (CaseStatus.MEDIATING, 0)


def test_bad_terms_and_deadline_are_shown_beside_their_fields(app, case_id):
    resp = sign(as_user(app, "xiaoli"), case_id, terms="好", pay_by="2020-01-01", method="")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="terms-error"' in html and 'id="pay_by-error"' in html and 'id="method-error"' in html
    assert "履行期限不能早于今天" in text_of(resp)
    assert stored(app, case_id) == (CaseStatus.MEDIATING, 0)


def test_an_amount_of_zero_is_an_agreement_without_payment(app, case_id):
    resp = sign(as_user(app, "xiaoli"), case_id, amount="0", method="")
    assert resp.status_code == 303
    with app.app_context():
        assert disputes.get(case_id).agreed_amount == 0


def test_markup_in_the_terms_is_refused(app, case_id):
    resp = sign(as_user(app, "xiaoli"), case_id, terms="<script>alert(1)</script>付款")
    assert resp.status_code == 422 and "<script>alert" not in resp.get_data(as_text=True).split("</textarea>")[1]
    assert stored(app, case_id) == (CaseStatus.MEDIATING, 0)


def test_a_case_not_in_mediation_cannot_be_signed(app, people):
    with app.app_context():
        case_id = dispute(user=staff("xiaoli")).id
    client = as_user(app, "xiaoli")
    page = client.get(f"/staff/disputes/{case_id}/agreement")
    assert page.status_code == 409 and "不能签订调解协议" in text_of(page)
    assert "<canvas" not in page.get_data(as_text=True)
    resp = client.post(f"/staff/disputes/{case_id}/agreement",
                       data=signing_form(client.get(f"/staff/disputes/{case_id}").get_data(as_text=True)))
    assert resp.status_code == 409 and "待受理" in text_of(resp)
    assert stored(app, case_id) == (CaseStatus.RECEIVED, 0)


def test_an_agreement_is_signed_once(app, case_id):
    client = as_user(app, "xiaoli")
    page = client.get(f"/staff/disputes/{case_id}/agreement").get_data(as_text=True)
    assert client.post(f"/staff/disputes/{case_id}/agreement", data=signing_form(page)).status_code == 303
    again = client.post(f"/staff/disputes/{case_id}/agreement", data=signing_form(page))
    assert again.status_code == 409 and "已达成协议" in text_of(again)
    with app.app_context():
        assert db.session.query(DisputeSignature).count() == 3


def test_signing_needs_the_csrf_token(app, case_id):
    client = as_user(app, "xiaoli")
    form = signing_form(client.get(f"/staff/disputes/{case_id}/agreement").get_data(as_text=True))
    del form["csrf_token"]
    assert client.post(f"/staff/disputes/{case_id}/agreement", data=form).status_code == 400
    assert stored(app, case_id) == (CaseStatus.MEDIATING, 0)


def test_the_manager_signs_as_the_mediator_too(app, case_id):
    page = as_user(app, "boss").get(f"/staff/disputes/{case_id}/agreement")
    assert page.status_code == 200
    assert sign(as_user(app, "boss"), case_id).status_code == 303


def test_the_assessor_cannot_sign_or_print_slips_but_sees_the_signatures(app, case_id):
    assessor = as_user(app, "kaohe")
    assert assessor.get(f"/staff/disputes/{case_id}/agreement").status_code == 403
    detail = assessor.get(f"/staff/disputes/{case_id}")
    assert "签订调解协议" not in text_of(detail)
    sign(as_user(app, "xiaoli"), case_id)
    token = csrf_from(assessor.get(f"/staff/disputes/{case_id}").get_data(as_text=True))
    assert assessor.post(f"/staff/disputes/{case_id}/agreement/slips",
                         data={"csrf_token": token}).status_code == 403
    assert assessor.get(f"/staff/disputes/{case_id}/agreement/print").status_code == 403
    image = assessor.get(f"/staff/disputes/{case_id}/signatures/respondent.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data.startswith(PNG_MAGIC)
    assert image.headers["Cache-Control"] == "no-store"
    detail = assessor.get(f"/staff/disputes/{case_id}")
    text = text_of(detail)
    assert "申请人 李* " in text and "被申请人 王** " in text  # the names typed under the signatures masked
    assert "打印协议凭条" not in text


def test_a_signature_image_is_the_stored_png_and_an_unknown_party_is_not_found(app, case_id):
    client = as_user(app, "xiaoli")
    assert client.get(f"/staff/disputes/{case_id}/signatures/applicant.png").status_code == 404  # not signed yet
    sign(client, case_id)
    image = client.get(f"/staff/disputes/{case_id}/signatures/mediator.png")
    with app.app_context():
        assert image.data == disputes.get(case_id).signature_of(Party.MEDIATOR).png
    assert client.get(f"/staff/disputes/{case_id}/signatures/witness.png").status_code == 404
    assert client.get(f"/staff/disputes/{case_id + 1}/signatures/mediator.png").status_code == 404


def test_signed_out_nobody_sees_a_signature(app, case_id):
    sign(as_user(app, "xiaoli"), case_id)
    resp = app.test_client().get(f"/staff/disputes/{case_id}/signatures/applicant.png")
    assert resp.status_code in (302, 303) and "/staff/login" in resp.headers["Location"]


def test_the_a4_agreement_has_three_copies_each_with_the_three_signatures(app, case_id):
    client = as_user(app, "xiaoli")
    sign(client, case_id)
    resp = client.get(f"/staff/disputes/{case_id}/agreement/print")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    text = text_of(resp)
    assert html.count('class="sheet"') == 3
    assert re.findall(r'class="copy-label">([^<]+)<', html) == ["申请人存执", "被申请人存执", "调解组织存档"]
    assert text.count("劳动争议调解协议书") == 3
    for party in ("applicant", "respondent", "mediator"):
        assert html.count(f"/staff/disputes/{case_id}/signatures/{party}.png") == 3
    with app.app_context():
        number = disputes.get(case_id).number
    assert text.count(number) >= 3
    # the names in full (the parties sign it); the phones masked, never in full
    assert "李四" in text and "王老板" in text
    assert "138****0001" in text and "13800000001" not in html and "13900000002" not in html
    for words in ("1,000 元", "微信", "欠薪", "活干完了，工钱没给", "对双方当事人具有约束力", "申请人可以依法",
                  "申请仲裁"):
        assert words in text
    assert "@page" in client.get("/static/agreement-print.css").get_data(as_text=True)


def test_the_a4_agreement_masks_the_applicants_id_number(app, people):
    with app.app_context():
        case_id = agreed_case(staff("xiaoli"), id_number="360426199101010071").id
    html = as_user(app, "xiaoli").get(f"/staff/disputes/{case_id}/agreement/print").get_data(as_text=True)
    assert "**************0071" in html and "360426199101010071" not in html


def test_there_is_no_a4_agreement_before_the_signing(app, case_id):
    resp = as_user(app, "xiaoli").get(f"/staff/disputes/{case_id}/agreement/print")
    assert resp.status_code == 409


def decoded_slip(job: PrintJob) -> tuple[list[str], list[str]]:
    """A queued slip as printed on a 58 mm printer with QR images: its text lines and the
    QR codes as a phone's camera reads them."""
    import zxingcpp
    from PIL import ImageOps

    from printers import Receipt
    from printers.config import parse_printer_url
    from printers.decode import RasterImage, decode, text_of
    from printers.render import render

    events = decode(render(Receipt.from_dict(job.receipt), parse_printer_url("memory:x?qr=image")))
    codes = [code.text for e in events if isinstance(e, RasterImage)
             for code in zxingcpp.read_barcodes(ImageOps.expand(e.to_image(), border=20, fill=255))]
    return text_of(events).splitlines(), codes


def test_each_party_gets_a_slip_whose_qr_opens_their_own_progress_page(app, case_id):
    sign(as_user(app, "xiaoli"), case_id)
    with app.app_context():
        case = disputes.get(case_id)
        jobs = db.session.scalars(db.select(PrintJob).order_by(PrintJob.id)).all()
        assert [j.kind for j in jobs] == [agreements.SLIP_KIND] * 2
        (applicant_lines, applicant_qr), (respondent_lines, respondent_qr) = map(decoded_slip, jobs)
        assert applicant_qr == [f"http://hall.test/c/{case.applicant_token}"]
        assert respondent_qr == [f"http://hall.test/c/{case.respondent_token}"]
        number = case.number
    for lines, party in ((applicant_lines, "申请人"), (respondent_lines, "被申请人")):
        text = "\n".join(lines)
        assert f"{party}联" in text and number in text
        assert "1,000 元" in text and "微信" in text and "请按期履行；工作人员会回访" in text
        assert "13800000001" not in text and "13900000002" not in text


def test_the_slips_are_printed_again_on_request_but_not_doubled_while_waiting(app, case_id):
    client = as_user(app, "xiaoli")
    sign(client, case_id)
    token = csrf_from(client.get(f"/staff/disputes/{case_id}").get_data(as_text=True))
    resp = client.post(f"/staff/disputes/{case_id}/agreement/slips", data={"csrf_token": token})
    assert resp.status_code == 303
    with app.app_context():
        assert db.session.query(PrintJob).count() == 2  # the first two still wait for the printer
        for job in db.session.scalars(db.select(PrintJob)):
            job.status = JobStatus.PRINTED
        db.session.commit()
    client.post(f"/staff/disputes/{case_id}/agreement/slips", data={"csrf_token": token})
    with app.app_context():
        assert db.session.query(PrintJob).count() == 4


def test_no_slips_for_a_case_without_an_agreement(app, case_id):
    client = as_user(app, "xiaoli")
    token = csrf_from(client.get(f"/staff/disputes/{case_id}/agreement").get_data(as_text=True))
    resp = client.post(f"/staff/disputes/{case_id}/agreement/slips", data={"csrf_token": token})
    assert resp.status_code == 409
    with app.app_context():
        assert db.session.query(PrintJob).count() == 0


def test_the_panel_offers_the_signing_to_staff_for_a_mediating_case_only(app, case_id):
    text = text_of(as_user(app, "xiaoli").get(f"/staff/disputes/{case_id}"))
    assert "签订调解协议" in text
    html = as_user(app, "xiaoli").get(f"/staff/disputes/{case_id}").get_data(as_text=True)
    assert f'href="/staff/disputes/{case_id}/agreement"' in html


def test_a_signature_png_sent_from_the_page_is_stored_clean(app, case_id):
    """What the canvas sends is re-encoded: the stored file is a plain PNG of the drawing."""
    from io import BytesIO

    from PIL import Image

    sign(as_user(app, "xiaoli"), case_id)
    with app.app_context():
        png = disputes.get(case_id).signature_of(Party.APPLICANT).png
    image = Image.open(BytesIO(png))
    assert image.format == "PNG" and image.size == (600, 200)
    assert base64.b64encode(png)  # bytes, not a data URL


def scrawl(seed: int) -> str:
    """A signature as a real hand draws it on the large pad: many strokes, a PNG of tens of
    kilobytes, more than any other form field of the hall may hold."""
    import io
    import random

    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    image = Image.new("RGBA", (1000, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for _ in range(400):
        x, y = rnd.randrange(1000), rnd.randrange(240)
        draw.line([(x, y), (x + rnd.randrange(-40, 40), y + rnd.randrange(-40, 40))], fill=(17, 17, 17, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_real_size_signatures_pass_the_request_limits(app, case_id):
    drawn = [scrawl(n) for n in range(3)]
    assert min(map(len, drawn)) > app.config["MAX_FORM_MEMORY_SIZE"]
    assert sum(map(len, drawn)) > app.config["MAX_CONTENT_LENGTH"]
    resp = sign(as_user(app, "xiaoli"), case_id, signature_applicant=drawn[0], signature_respondent=drawn[1],
                signature_mediator=drawn[2])
    assert resp.status_code == 303
    assert stored(app, case_id) == (CaseStatus.AGREED, 3)


def test_a_signature_beyond_the_signing_pages_own_limit_gets_413_and_nothing_is_stored(app, case_id):
    from app.staff.agreement_routes import SIGNATURE_FIELD

    resp = sign(as_user(app, "xiaoli"), case_id,
                signature_mediator="data:image/png;base64," + "A" * SIGNATURE_FIELD)
    assert resp.status_code == 413
    assert stored(app, case_id) == (CaseStatus.MEDIATING, 0)


def test_the_panel_says_whether_each_partys_slip_came_out_of_the_printer(app, case_id):
    client = as_user(app, "xiaoli")
    sign(client, case_id)
    assert "协议凭条：申请人联 等待打印；被申请人联 等待打印" in text_of(client.get(f"/staff/disputes/{case_id}"))
    with app.app_context():
        first = db.session.scalars(db.select(PrintJob).order_by(PrintJob.id)).first()
        first.status = JobStatus.PRINTED
        db.session.commit()
    assert "协议凭条：申请人联 已打印；被申请人联 等待打印" in text_of(client.get(f"/staff/disputes/{case_id}"))


def test_the_agreement_slips_are_in_the_cases_print_record(app, case_id):
    client = as_user(app, "xiaoli")
    sign(client, case_id)
    with app.app_context():
        number = disputes.get(case_id).number
    text = text_of(client.get(f"/staff/disputes/{case_id}"))
    record = text.split("打印记录")[-1]
    assert f"调解协议凭条 {number}（申请人）" in record and f"调解协议凭条 {number}（被申请人）" in record
