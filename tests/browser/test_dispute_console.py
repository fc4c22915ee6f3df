"""纠纷调解 in a real Chromium: a member of staff opens the case list (overdue first), records
a mediation session on a case, shows a party's phone, accepts a new application and files
one taken by phone; the list, a case and the filing form photographed at 1366×768 and
1920×1080."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from app.clock import local_today
from app.domain.disputes import Party
from app.extensions import db
from app.models import DisputeCase
from app.services import disputes
from tests.factories import dispute, signature, staff_user

from .staff_helpers import sign_in


def hall_with_cases(app) -> dict[str, int]:
    """Cases in every open state, two of them past a deadline, one referred, one merged."""
    with app.app_context():
        clerk = staff_user()
        today = local_today()
        late = dispute(applicant_name="赵建国", other_party_name="林老板", other_party_company="沙县宏达装修队",
                       amount="3600", facts="在林老板的装修队干了12天泥水活，说好每天300元，完工后只给了一部分")
        late.facts += "。<b>老板说下个月再说</b>"  # as if typed past the filing's checks: shown as text
        disputes.accept(late, clerk)
        disputes.record_session(late, held_at=late.accepted_at, attendees="申请人赵建国，被申请人林老板，调解员小李",
                                text="林老板承认欠3600元，说工程款没到账，想分两次付", user=clerk)
        db.session.execute(update(DisputeCase).where(DisputeCase.id == late.id).values(
            accepted_on=today - timedelta(days=17), received_on=today - timedelta(days=19)))
        warned = dispute(applicant_name="钱秀英", other_party_name="陈某", kind="mismatch", amount="800",
                         facts="说好在茶园采茶，实际让去搬砖", wants="按实际干的活加钱")
        disputes.accept(warned, clerk)
        db.session.execute(update(DisputeCase).where(DisputeCase.id == warned.id).values(
            accepted_on=today - timedelta(days=13)))
        waiting = dispute(applicant_name="孙小红", other_party_name="沙县小吃店", kind="wages", amount="450")
        db.session.execute(update(DisputeCase).where(DisputeCase.id == waiting.id).values(
            received_on=today - timedelta(days=8), accept_due=today - timedelta(days=3)))
        fresh = dispute(applicant_name="周明", other_party_name="吴老板", kind="injury", amount="",
                        facts="干活时从梯子上摔下来，脚扭伤", wants="赔偿医药费", other_party_phone="")
        agreed = dispute(applicant_name="郑大海", other_party_name="王老板", amount="1500")
        disputes.accept(agreed, clerk)
        disputes.record_session(agreed, held_at=agreed.accepted_at, attendees="双方和调解员", text="双方同意分期付款",
                                user=clerk)
        disputes.agree(agreed, amount="1500", pay_by=today + timedelta(days=7), method="wechat",
                       terms="王老板于一周内微信支付1500元", user=clerk,
                       signatures={p: disputes.Signed(p.label, signature()) for p in Party})
        referred = dispute(applicant_name="冯志强", other_party_name="某建筑公司", amount="5200")
        disputes.accept(referred, clerk)
        disputes.fail(referred, "对方不承认用过申请人，调解不成", clerk)
        disputes.refer(referred, "申请人要求仲裁", clerk)
        duplicate = dispute(applicant_name="赵建国", other_party_name="林老板", amount="3600")
        disputes.merge(duplicate, late.number, "同一人同一件事重复申请", clerk)
        db.session.commit()
        return {"late": late.id, "warned": warned.id, "waiting": waiting.id, "fresh": fresh.id,
                "referred": referred.id, "agreed": agreed.id}


def test_staff_work_through_the_case_list(live_app, live_server, page_at, shot):
    ids = hall_with_cases(live_app)
    page = page_at(1366, 768)
    sign_in(page, live_server)
    expect(page.locator("#dispute-alert")).to_contain_text("2 件纠纷案件已超期")
    page.get_by_role("link", name="纠纷调解", exact=True).click()
    expect(page.locator("h1")).to_have_text("纠纷调解")
    rows = page.locator("#case-list tbody tr")
    expect(rows).to_have_count(5)  # open ones: not the referred or the merged case
    expect(rows.nth(0)).to_contain_text("已超期")
    expect(rows.nth(1)).to_contain_text("已超期")
    expect(rows.nth(2)).to_contain_text("即将到期")
    expect(page.locator("#case-list")).not_to_contain_text("赵建国")  # names masked in the list
    shot(page, "disputes-list-1366x768")
    page.get_by_role("link", name="全部").click()
    expect(rows).to_have_count(7)
    shot(page, "disputes-list-all-1366x768")

    page.goto(f"{live_server}/staff/disputes/{ids['late']}")
    expect(page.locator("#case-facts")).to_contain_text("<b>老板说下个月再说</b>")  # as text
    expect(page.locator("#duplicates")).to_contain_text("2026-JF-")
    page.locator("#case-parties form").first.get_by_role("button", name="查看电话").click()
    expect(page.locator("#phone-full")).to_have_text("13800000001")
    page.get_by_text("记录一次调解").click()
    page.locator("#session-attendees").fill("申请人赵建国，被申请人林老板，调解员小李")
    page.locator("#session-text").fill("林老板同意本月底前先付2000元，其余下月15日前付清")
    page.get_by_role("button", name="保存调解记录").click()
    expect(page.locator(".saved")).to_contain_text("已记录本次调解")
    expect(page.locator("#case-timeline")).to_contain_text("林老板同意本月底前先付2000元")
    expect(page.locator("#phone-full")).to_have_count(0)
    shot(page, "dispute-detail-1366x768")

    page.goto(f"{live_server}/staff/disputes/{ids['waiting']}")
    page.get_by_role("button", name="受理").click()
    expect(page.locator("#case-status")).to_have_text("已受理")
    page.get_by_text("申请人撤回…").click()
    page.get_by_role("button", name="确认撤回").click()  # no reason: told beside the field
    expect(page.locator("#reason-error")).to_contain_text("请输入撤回的原因")
    expect(page.locator("#case-status")).to_have_text("已受理")
    shot(page, "dispute-detail-error-1366x768")

    page.goto(f"{live_server}/staff/disputes/{ids['referred']}")
    expect(page.locator("#case-status")).to_have_text("已转仲裁")
    expect(page.locator(".case-referral")).to_contain_text("请向服务窗口咨询地址")
    shot(page, "dispute-referred-1366x768")

    page.goto(f"{live_server}/staff/disputes")
    page.get_by_role("link", name="登记口头或电话申请").click()
    page.get_by_label("电话申请").check()
    page.get_by_label("零工", exact=True).check()
    page.locator("#applicant_name").fill("黄丽")
    page.locator("#applicant_phone").fill("13600000009")
    page.locator("#other_party_name").fill("刘老板")
    page.get_by_label("欠薪").check()
    page.locator("#amount").fill("600")
    page.locator("#facts").fill("在刘老板家做了三天保洁，工钱一直没给")
    page.get_by_role("button", name="登记申请").click()  # no 诉求 yet
    expect(page.locator("#wants-error")).to_contain_text("请输入您的诉求")
    shot(page, "dispute-new-error-1366x768")
    page.locator("#wants").fill("要回600元工钱")
    page.get_by_role("button", name="登记申请").click()
    expect(page.locator(".saved")).to_contain_text("（电话申请）")
    expect(page.locator("#case-status")).to_have_text("待受理")


def test_the_case_screens_at_full_hd(live_app, live_server, page_at, shot):
    ids = hall_with_cases(live_app)
    page = page_at(1920, 1080)
    sign_in(page, live_server)
    page.goto(f"{live_server}/staff/disputes")
    expect(page.locator("#case-list tbody tr")).to_have_count(5)
    shot(page, "disputes-list-1920x1080")
    page.goto(f"{live_server}/staff/disputes/{ids['late']}")
    page.get_by_text("记录一次调解").click()
    shot(page, "dispute-detail-1920x1080")
    page.goto(f"{live_server}/staff/disputes/{ids['agreed']}")
    shot(page, "dispute-agreed-1920x1080")
    page.goto(f"{live_server}/staff/disputes/new")
    shot(page, "dispute-new-1920x1080")


def test_the_assessor_reads_a_case_masked(live_app, live_server, page_at, shot):
    from app.models import Role

    ids = hall_with_cases(live_app)
    with live_app.app_context():
        staff_user(username="kaohe", role=Role.ASSESSOR)
    page = page_at(1366, 768)
    sign_in(page, live_server, username="kaohe")
    page.goto(f"{live_server}/staff/disputes/{ids['late']}")
    expect(page.locator("#case-parties")).to_contain_text("赵**")
    expect(page.locator("#case-parties")).not_to_contain_text("赵建国")
    expect(page.get_by_role("button", name="查看电话")).to_have_count(0)
    expect(page.locator("#case-steps")).to_have_count(0)
    shot(page, "dispute-detail-assessor-1366x768")
