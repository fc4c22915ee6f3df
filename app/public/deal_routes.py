"""A deal's page on the phone (/d/<token>, the QR on every slip of a deal: the application,
the agreement, the settlement) and the rating of the hall's service on it (/d/<token>/rate,
once the deal is over), through the ratings' slip seam as /c/<token> does.

The page shows the deal as the slip's holder may see it: the number, the stage, the work,
the pay, each step's date so far, what happens next, and the agreement's check link once it
is signed; the names masked, never an ID or phone number.
"""

from dataclasses import dataclass
from datetime import date

from flask import abort, render_template

from app.clock import to_local
from app.domain.deals import DealStatus, Side
from app.hall_config import hall
from app.policy import Audience, allow
from app.security import checks_characters, no_store
from app.services import deal_console, deal_slips, deals

from .routes import _rate, _rate_offer, bp

NEXT = {
    DealStatus.ACCEPTED: "请双方到大厅服务台确认工价（也可以在大厅触屏上确认）",
    DealStatus.PRICED: "工价已确认。请双方到大厅，在触屏上签订劳务协议",
    DealStatus.SIGNED: "协议已签订。工作人员登记保险信息后，按协议的时间地点上岗",
    DealStatus.INSURED: "按协议上岗工作。完工后用工方付款，工作人员登记",
    DealStatus.PAID: "用工方已付款。工作人员登记工资结算后，零工会拿到工资结算凭条",
    DealStatus.SETTLED: "工资已结算。工作人员确认后交易完成",
    DealStatus.COMPLETED: "交易已完成，欢迎评价本次服务",
    DealStatus.CANCELLED: "交易已取消。如需继续找活，请到大厅触屏查看其他岗位",
}


@dataclass(frozen=True)
class Milestone:
    label: str
    on: date


def milestones(deal) -> list[Milestone]:
    """The steps done so far with their dates, in order."""
    steps = [("接单", deal.accepted_at), ("双方确认工价", deal.priced_at), ("签订劳务协议", deal.signed_at),
             ("登记保险", deal.insured_at), ("用工方付款", deal.paid_at), ("工资结算", deal.settled_at),
             ("交易完成", deal.completed_at), ("交易取消", deal.cancelled_at)]
    return [Milestone(label, to_local(at).date()) for label, at in steps if at is not None]


@bp.get("/d/<token>")
@allow(Audience.PUBLIC)
@no_store
def deal_page(token: str):
    found = deals.by_token(token)
    if found is None:
        abort(404)
    deal, side = found
    trade = hall().trades_by_code.get(deal.task_order.trade_code)
    return render_template(
        "public/deal.html", deal=deal, side=side, Side=Side, trade=trade.name if trade else "",
        parties=deals.parties_masked(deal), employer=deal_slips.employer_shown(deal), steps=milestones(deal),
        next_step=NEXT[deal.status],
        reason=deal_console.redact(deal, deal.cancel_reason) if deal.cancel_reason else "",
        verify_url=f"/v/{deal.verify_token}" if deal.signed_at else None,
        rate=_rate_offer("d", token, deals.deal_service(found)))


@bp.route("/d/<token>/rate", methods=["GET", "POST"])
@allow(Audience.PUBLIC)
@checks_characters  # a control character in the remark is answered beside the field
@no_store
def rate_deal(token: str):
    """Rating the hall's service of a deal, from either side's slip, once it is over."""
    return _rate("d", token)
