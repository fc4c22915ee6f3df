"""Task orders (发包方岗位任务订单, shown as 招工信息) and the postings they become: their
units, states and workflow.

A task order is received as a draft (from a kiosk check-in, or entered by staff from a
phone call or for an enterprise), reviewed, and published as a posting (item C2). A
published posting leaves the board by itself when its validity ends or its places are
filled (both read from its columns, no state change), or when staff close it (下架: it was
published and still counts), void it (作废: entered in error, not counted) or confirm it
false (虚假: not counted in C2, counted in C4).
"""

from .workflow import LabelledEnum, Workflow


class PayUnit(LabelledEnum):
    DAY = "day", "元/天"
    HOUR = "hour", "元/小时"
    PIECE = "piece", "元/件"


class TaskStatus(LabelledEnum):
    DRAFT = "draft", "待审核"  # waiting for staff review
    PUBLISHED = "published", "已发布"
    REJECTED = "rejected", "未通过"
    CLOSED = "closed", "已下架"
    VOIDED = "voided", "已作废"
    FALSE = "false", "虚假信息"


# Published and counted in C2 (a closed posting was published all the same).
COUNTED_STATES = (TaskStatus.PUBLISHED, TaskStatus.CLOSED)

_T = TaskStatus
TASK_ORDERS = Workflow("该招工信息", {
    "publish": ([_T.DRAFT], _T.PUBLISHED, "发布"),
    "reject": ([_T.DRAFT], _T.REJECTED, "不予发布"),
    "close": ([_T.PUBLISHED], _T.CLOSED, "下架"),
    "void": ([_T.DRAFT, _T.PUBLISHED, _T.CLOSED], _T.VOIDED, "作废"),
    "mark_false": ([_T.DRAFT, _T.PUBLISHED, _T.CLOSED, _T.REJECTED], _T.FALSE, "确认为虚假信息"),
}, next_steps={
    _T.PUBLISHED: "它已审核发布，无需再操作；请继续办理本号",
    _T.REJECTED: "它已审核为不予发布，无需再操作；如需发布，请用工方重新取号登记",
    _T.CLOSED: "它已下架，无需再操作；如需再招，请重新登记招工信息",
    _T.VOIDED: "它已作废，无需再操作",
    _T.FALSE: "它已确认为虚假信息，无需再操作",
})
