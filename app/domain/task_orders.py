"""Task orders (发包方岗位任务订单, shown as 招工信息): their units, states and workflow."""

from .workflow import LabelledEnum, Workflow


class PayUnit(LabelledEnum):
    DAY = "day", "元/天"
    HOUR = "hour", "元/小时"
    PIECE = "piece", "元/件"


class TaskStatus(LabelledEnum):
    DRAFT = "draft", "待审核"  # waiting for staff review
    PUBLISHED = "published", "已发布"
    REJECTED = "rejected", "未通过"


TASK_ORDERS = Workflow("该招工信息", {
    "publish": ([TaskStatus.DRAFT], TaskStatus.PUBLISHED, "发布"),
    "reject": ([TaskStatus.DRAFT], TaskStatus.REJECTED, "不予发布"),
}, next_steps={
    TaskStatus.PUBLISHED: "它已审核发布，无需再操作；请继续办理本号",
    TaskStatus.REJECTED: "它已审核为不予发布，无需再操作；如需发布，请用工方重新取号登记",
})
