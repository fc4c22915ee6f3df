"""The applicant's case slip: printed once with the filing, the case number, kind, date, the
next step, the hall's phone and a QR that opens the case's progress page; nothing of the
other party, the applicant's name masked."""

import pytest
from sqlalchemy import select

from app.domain.disputes import CaseChannel, read_filing
from app.extensions import db
from app.models import PrintJob
from app.services import disputes
from app.services.dispute_slips import filing_slip
from printers import Receipt, decode, parse_printer_url, render
from printers.decode import RasterImage
from printers.receipt import plain_text
from tests.factories import dispute_form

pytestmark = pytest.mark.usefixtures("frozen_clock")


def file(**form):
    return disputes.file_case(read_filing(dispute_form(**form)), channel=CaseChannel.KIOSK,
                              form_key=None, slip_printer="default")


def qr_text(receipt: Receipt) -> str:
    import zxingcpp
    from PIL import ImageOps

    events = decode(render(receipt, parse_printer_url("memory:x?qr=image")))
    image = next(e for e in events if isinstance(e, RasterImage)).to_image()
    [code] = zxingcpp.read_barcodes(ImageOps.expand(image, border=20, fill=255))
    return code.text


def test_the_slip_is_printed_with_the_case_and_holds_what_the_applicant_needs(ctx):
    case = file(applicant_name="欧阳小明", other_party_name="王老板", other_party_company="沙县某某装修公司")
    job = db.session.scalars(select(PrintJob)).one()
    assert job.kind == "dispute_slip" and job.subject == f"case:{case.id}" and job.printer == "default"
    text = plain_text(Receipt.from_dict(job.receipt), 80)
    for wanted in ("纠纷调解申请凭条", "2026-JF-0001", "纠纷类型：欠薪", "申请时间：2026-11-28 10:00",
                   "3 个工作日内受理，工作人员会电话联系您", "服务电话：", "欧阳**"):
        assert wanted in text, wanted
    for secret in ("欧阳小明", "王老板", "沙县某某装修公司", "13800000001", "13900000002"):
        assert secret not in text, secret


def test_the_slips_qr_opens_the_cases_progress_page(ctx):
    case = file()
    job = db.session.scalars(select(PrintJob)).one()
    assert qr_text(Receipt.from_dict(job.receipt)) == f"http://hall.test/c/{case.applicant_token}"


def test_the_builder_is_the_same_for_any_case(ctx):
    """Other slips copy its shape: keyword arguments for printing.enqueue."""
    case = disputes.file_case(read_filing(dispute_form(kind="injury", facts="干活时受了伤",
                                                       wants="赔偿医药费")),
                              channel=CaseChannel.COUNTER)
    built = filing_slip(case, "http://hall.test/")
    assert set(built) == {"receipt", "kind", "subject", "title"} and built["title"] == f"纠纷调解申请凭条 {case.number}"
    assert "纠纷类型：工伤" in plain_text(built["receipt"], 80)
    assert db.session.scalars(select(PrintJob)).all() == []  # a staff filing prints only when asked


def test_the_same_form_twice_prints_one_slip(ctx):
    filing = read_filing(dispute_form())
    first = disputes.file_case(filing, channel=CaseChannel.KIOSK, form_key="key-1", slip_printer="default")
    again = disputes.file_case(filing, channel=CaseChannel.KIOSK, form_key="key-1", slip_printer="default")
    assert first.id == again.id
    assert len(db.session.scalars(select(PrintJob)).all()) == 1
