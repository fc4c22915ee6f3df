"""The score page's view of a period: ``app.services.scoring.card`` arranged for a manager
reading it every morning (the total, grade and money first, then what to do next, then the
sheet item by item with its remarks; the what-if form is ``score_what_if``). Texts are
Chinese and ready to show; templates only present them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from flask import current_app, url_for
from sqlalchemy import select

from app.clock import format_local, local_today
from app.domain.charts import BarChart, bar_chart
from app.domain.rubric import Item, decimal_text
from app.domain.scoring import Figures, ItemScore, NextTier
from app.extensions import db
from app.hall_config import hall
from app.models import AuditEntry, StaffUser

from . import assessment, dispute_figures, metrics, score_evidence, score_locks, scoring

# Evidence for a manual item that the hall has no records of yet.
NO_RECORDS_YET = {"A2": ("最近备份：尚无记录", "最近恢复演练：尚无记录")}
# The page that tells more about a counter's records: its label and endpoint (the template
# links it).
MORE = {"ratings_total": ("满意度统计", "admin.ratings")}


def money(value: Decimal | None) -> str:
    """Yuan to the cent, as on a payment order: ¥460,000.00."""
    return "" if value is None else f"¥{value:,.2f}"


def endpoint_url(endpoint: str, **values) -> str | None:
    """The address of a page that another part of the app may not have yet (None then)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


# -- the page's parts --------------------------------------------------------------------

@dataclass(frozen=True)
class Tab:
    number: int
    label: str  # 第1年
    span: str  # 2026-01-01至2026-12-31
    selected: bool
    begun: bool
    locked: bool


@dataclass
class Manual:
    """A manual item as the assessor left it: points, note, and the last change."""

    points: str | None  # None: not scored yet
    note: str
    last: str = ""  # 最近修改：kaohe 2026-11-28 10:00（共 2 次）


@dataclass
class Remark:
    """The 备注 cell of one item."""

    measured: str = ""  # 963 条 / 满意度 92.3%
    counted: bool = False  # a list of records behind it to open
    warning: str = ""
    next: str = ""  # 再发布 37 条岗位可达 10 分，+2 分
    worth: str = ""  # 总分升至 …，等级…
    headroom: str = ""  # 再有 4 件仍得 4 分
    projection: str = ""  # 按目前进度，期末约 …
    suggestion: str = ""  # 建议分：5 分
    suggestion_counter: str | None = None  # the counter behind the suggestion, to open
    checklist: list[tuple[str, str, str | None]] = field(default_factory=list)  # label, text, counter
    evidence: tuple[str, ...] = ()
    manual: Manual | None = None
    # Figures explaining the item's records (B7: refused presses, ratings from slips), each
    # with the counter whose records it opens (score_evidence.RELATED); live periods only.
    related: list[tuple[str, str]] = field(default_factory=list)
    # Figures told as warnings beside the item, each opening its list (C4: late publications
    # and postings left expired; G3: suggestions staff have not decided): not counted.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # What the item's wording asks about beyond its count (E1: progress, outcomes and both
    # parties' satisfaction), a line each; live periods only.
    figures: list[str] = field(default_factory=list)
    more: tuple[str, str] | None = None  # a page of the app with more on the item: label, endpoint


@dataclass
class Row:
    data: dict  # the card's row (key, group, project, wording, max, points, decisions …)
    remark: Remark
    group_span: int = 0  # >0 on the group's first row: its rowspan
    project_span: int = 0


@dataclass(frozen=True)
class Step:
    """A count item's next tier, among the closest: what to do and what it is worth."""

    key: str
    project: str
    text: str
    worth: str
    share: float  # the part of the next threshold still missing (smaller: closer)
    gain: Decimal


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    desc: str
    unit: str
    bars: BarChart


@dataclass(frozen=True)
class SnapshotLine:
    id: int
    sha256: str
    intact: bool
    total: str
    grade: str
    locked: str  # 2026-12-31 17:00 kaohe
    unlocked: str
    reason: str
    current: bool


@dataclass
class Overview:
    card: scoring.Card
    tabs: list[Tab]
    rows: list[Row]
    worth: scoring.Worth
    up: str
    down: str
    steps: list[Step]
    pending: list[str]  # manual items not scored yet
    charts: list[Chart]
    snapshots: list[SnapshotLine]
    figures: Figures | None
    progress: str  # 已过 332 天，共 365 天
    links: dict[str, str | None]
    locked_by: str  # kaohe 于 2026-12-31 17:00 (locked periods)


def overview(number: int) -> Overview:
    card = scoring.card(number)
    figures = card.live.figures if card.live else None
    names = _usernames()
    rows = _rows(card, number, figures)
    up, down = scoring.bounds(card)
    return Overview(
        card=card, tabs=tabs(number), rows=rows, worth=scoring.worth(card),
        up=f"距{up[0].name}（{decimal_text(up[0].min)} 分）还差 {decimal_text(up[1])} 分" if up
        else "已是最高等级",
        down=_down_text(card, down),
        steps=_steps(card), pending=[f"{r.data['key']} {r.data['project']}" for r in rows
                                     if r.remark.manual and r.remark.manual.points is None],
        charts=_charts(number, card) if card.live else [], snapshots=_snapshots(number, names),
        figures=figures, progress=_progress(card), links=_links(number),
        locked_by=f"{names.get(card.snapshot.locked_by_id, '')} 于 {format_local(card.snapshot.locked_at)}"
        if card.snapshot else "")


def _down_text(card: scoring.Card, down) -> str:
    if down is None:
        return "已是最低等级"
    floor = card.rubric.grade(Decimal(card.content["total"])).min
    return (f"高出{card.content['grade']}线 {decimal_text(down[1])} 分；"
            f"总分低于 {decimal_text(floor)} 分将降为{down[0].name}")


def tabs(selected: int) -> list[Tab]:
    today, result = local_today(), []
    for number in assessment.numbers():
        found = assessment.period(number)
        span = f"{found.first_day.isoformat()}至{found.last_day.isoformat()}"
        result.append(Tab(number, f"第{number}年", span, number == selected, found.first_day <= today,
                          assessment.current_snapshot(number) is not None))
    return result


def _links(number: int) -> dict[str, str | None]:
    return {"settings": endpoint_url("admin.score_settings"),
            "xlsx": endpoint_url("admin.score_xlsx", period=number)}


def _progress(card: scoring.Card) -> str:
    if card.live is None:
        return ""
    days = card.period.days
    if card.live.elapsed_days == 0:
        return "本年度尚未开始"
    if card.live.elapsed_days >= days:
        return f"本年度已结束（共 {days} 天）"
    return f"已过 {card.live.elapsed_days} 天，共 {days} 天"


# -- the sheet's rows and their remarks ----------------------------------------------------

def sheet_rows(card: scoring.Card) -> list[Row]:
    """The sheet's rows with their remarks, as the page and the print page show them (the
    XLSX and ``flask score show`` too)."""
    return _rows(card, card.number, card.live.figures if card.live else None)


def _rows(card: scoring.Card, number: int, figures: Figures | None) -> list[Row]:
    """The sheet's rows; the first row of each 内容 and 项目 run carries its rowspan."""
    history = _manual_history(number)
    rows = [Row(data, _remark(card, data, figures, history)) for data in card.content["rows"]]
    for name, levels in (("group_span", ("group",)), ("project_span", ("group", "project"))):
        start = 0
        for _key, run in groupby(rows, key=lambda r, levels=levels: tuple(r.data[x] for x in levels)):
            size = len(list(run))
            setattr(rows[start], name, size)
            start += size
    return rows


def _remark(card: scoring.Card, data: dict, figures: Figures | None, history: dict[str, str]) -> Remark:
    item = card.rubric.item(data["key"])
    remark = Remark(warning=data["warning"] or "", evidence=NO_RECORDS_YET.get(item.key, ()))
    if item.rule == "manual":
        remark.manual = Manual(data["points"] if data["entered"] else None, data["note"],
                               history.get(item.key, ""))
        _suggestion(card, item, remark)
        _checklist(card, item, remark)
        return remark
    remark.counted = data["warning"] != scoring.NOT_RECORDED  # as recorded (a locked year: when locked)
    if not remark.counted:  # 尚未记录: say what the points stand on
        counted_as = "没有评价，记 0 分" if item.rule == "rate" else f"按 0 {item.unit}计"
        remark.warning = f"{scoring.NOT_RECORDED}：记录这项的功能尚未上线，{counted_as}"
        return remark
    remark.measured = _measured(card, item, data, figures)
    if card.live is None:
        return remark
    lines = _related(card, item, figures)
    remark.related = [line for line in lines if line[1] not in WARNINGS]
    remark.warnings = [line for line in lines if line[1] in WARNINGS]
    for name in item.counters:
        if name in MORE:
            remark.more = MORE[name]
        if name in FIGURES:
            remark.figures = FIGURES[name](card.period)
    score = card.live.sheet.item(item.key)
    if score.next is not None and not card.live.over:
        remark.next = next_text(item, score.next)
        remark.worth = worth_text(card, scoring.worth(card, score.next.gain, bonus=item.bonus))
    if score.headroom is not None:
        remark.headroom = headroom_text(item, score)
    if item.key in card.live.projections:
        value, points = card.live.projections[item.key]
        remark.projection = f"按目前进度，期末约 {value:,} {item.unit}，得 {decimal_text(points)} 分"
    return remark


def latest_figure(counter: str | None, period) -> bool:
    """The counter's value is its newest record's figure (F1), not a number of records."""
    return counter in metrics.REGISTRY and metrics.REGISTRY[counter].tally(period).figure is not None


def _measured(card: scoring.Card, item: Item, data: dict, figures: Figures | None) -> str:
    if item.rule == "rate":
        # a locked year: the rate and its terms as locked (a snapshot from before they were
        # kept has the rate alone)
        satisfied, rated = ((figures.satisfied, figures.rated) if figures
                            else (data.get("satisfied"), data.get("rated")))
        if rated is None:
            return f"满意度 {data['value']}%"
        shown = f"{data['value']}%" if rated else "—"
        return f"满意度 {shown}（满意 {satisfied:,} / 全部 {rated:,}）"
    if item.rule == "monthly_sessions":
        text = f"本年度 {data['value']} {item.unit}"
        if figures and figures.months_without:
            text += f"；已过完的月份中 {figures.months_without} 个月一{item.unit}也没有"
        return text
    if latest_figure(item.counter, card.period):
        measure = card.live.measures.get(item.key) if card.live else None
        if measure is not None and measure.value is None:
            return "本期尚无登记"
        return f"最近登记 {int(Decimal(data['value'])):,} {item.unit}"
    return f"{int(Decimal(data['value'])):,} {item.unit}"


def _related(card: scoring.Card, item: Item, figures: Figures | None) -> list[tuple[str, str]]:
    """被拒绝的重复评价 12 次; 凭条扫码评价 300 条，占 22.6% (of the rate's denominator)."""
    lines = []
    for name in item.counters:
        for related in score_evidence.RELATED.get(name, ()):
            if related not in metrics.REGISTRY:
                continue
            value = int(metrics.measure(related, card.period).value or 0)
            lines.append((related_text(related, value, figures.rated if figures else 0), related))
    return lines


# Related lists told as warnings (score_evidence.RELATED): what the item's wording asks about
# beyond its count, and what staff still have to decide.
WARNINGS = ("postings_late", "postings_expired", "inter_provincial_suggested")


def related_text(counter: str, value: int, total: int) -> str:
    if counter == "postings_late":
        return f"拖延发布 {value:,} 条（超过 {hall().posting_late_hours} 小时才发布）"
    if counter == "postings_expired":
        return f"到期仍未招满、未下架 {value:,} 条"
    if counter == "inter_provincial_suggested":
        return f"待确认的省际用工建议 {value:,} 笔（工作人员在交易页确认后计入）"
    if counter == "ratings_refused":
        return f"被拒绝的重复评价 {value:,} 次"
    if counter == "ratings_verified":
        share = f"，占 {percent(value, total)}" if total else ""
        return f"凭条扫码评价 {value:,} 条{share}"
    found = metrics.REGISTRY[counter]
    return f"{found.label} {value:,} {found.unit or '条'}"


def percent(part: int, whole: int) -> str:
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def dispute_lines(period) -> list[str]:
    """Beside E1 (the cases received, merged excluded): how fast, how they ended, and how
    both parties rated the mediation."""
    found, days = dispute_figures.summary(period), dispute_figures.days_text
    if found.accepted_count:
        progress = f"受理用时中位数 {days(found.median_days_to_accept)}（已受理 {found.accepted_count} 件）"
    else:
        progress = "尚无已受理的案件"
    if found.closed_count:
        progress += f"；办结用时中位数 {days(found.median_days_to_close)}（已办结 {found.closed_count} 件）"
    outcomes = "、".join(f"{status.label} {n}" for status, n in found.outcomes.items() if n)
    rated = (f"{percent(found.satisfied, found.rated)}（满意 {found.satisfied} / 评价 {found.rated}）"
             if found.rated else "尚无评价")
    return [f"处理进度：{progress}", f"处理结果：{outcomes or '本期尚无案件'}", f"双方满意度：{rated}"]


# Lines told beside an item's count, by the counter it reads.
FIGURES = {"disputes_received": dispute_lines}


def next_text(item: Item, step: NextTier) -> str:
    """再发布 37 条岗位可达 10 分，+2 分."""
    if item.advice:
        action = item.advice.format(n=f"{step.records:,}")
    elif item.rule == "monthly_sessions":
        action = f"再开展 {step.records} {item.unit}"
    else:
        action = f"再增加 {step.records:,} {item.unit}"
    return f"{action}可达 {decimal_text(step.points)} 分，+{decimal_text(step.gain)} 分"


def worth_text(card: scoring.Card, worth: scoring.Worth) -> str:
    """总分升至 90.5，等级升为优秀，全年应拨增加 ¥40,000.00 — or 等级不变."""
    total = decimal_text(worth.total)
    if worth.grade.name == card.content["grade"]:
        return f"总分升至 {total}，等级不变（{worth.grade.name}）"
    text = f"总分升至 {total}，等级升为{worth.grade.name}"
    if worth.change is None:
        return text + "（经理填写合同金额后可算出金额）"
    return text + f"，全年应拨增加 {money(worth.change)}"


def headroom_text(item: Item, score: ItemScore) -> str:
    points = decimal_text(score.points)
    if score.headroom > 0:
        return f"再有 {score.headroom} {item.unit}仍得 {points} 分"
    return f"再多 1 {item.unit}就将低于 {points} 分"


def _suggestion(card: scoring.Card, item: Item, remark: Remark) -> None:
    if item.suggest is None or card.live is None:
        return
    suggested = card.live.suggestions.get(item.key)
    if suggested is None:
        remark.suggestion = f"建议分：{scoring.NOT_RECORDED}"
        return
    counter = metrics.REGISTRY[item.suggest["counter"]]
    value = metrics.measure(counter.key, card.period).value
    remark.suggestion = f"建议分：{decimal_text(suggested)} 分（{counter.label} {value}）"
    remark.suggestion_counter = counter.key


def _checklist(card: scoring.Card, item: Item, remark: Remark) -> None:
    if not item.checklist or card.live is None:
        return
    for spec, (label, value) in zip(item.checklist, card.live.checklist.get(item.key, ()), strict=True):
        if value is None:
            remark.checklist.append((label, scoring.NOT_LIVE, None))
        else:
            found = metrics.REGISTRY[spec["counter"]]
            remark.checklist.append((label, f"{found.label} {value:,} {found.unit or '条'}", spec["counter"]))


def _manual_history(number: int) -> dict[str, str]:
    """Per manual item: its last change in the audit trail, who and when, and how many."""
    entries = assessment.manual_entries(number)
    by_id = {row.id: key for key, row in entries.items()}
    if not by_id:
        return {}
    trail = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "manual_score",
                                                        AuditEntry.record_id.in_(by_id))
                               .order_by(AuditEntry.id))
    counts, last = {}, {}
    for entry in trail:
        key = by_id[entry.record_id]
        counts[key] = counts.get(key, 0) + 1
        last[key] = entry
    return {key: f"最近修改：{entry.actor_label} {format_local(entry.at)}（共 {counts[key]} 次）"
            for key, entry in last.items()}


# -- what to do next, trends, snapshots ----------------------------------------------------

def _steps(card: scoring.Card, limit: int = 5) -> list[Step]:
    """The count items closest to their next tier (by the part of the way still to go)."""
    if card.live is None or card.live.over:  # a year that is over can no longer gain
        return []
    steps = []
    for score in card.live.sheet.items:
        item, step = score.item, score.next
        recorded = card.content["rows"][card.rubric.items.index(item)]["warning"] != scoring.NOT_RECORDED
        if step is None or not recorded:
            continue
        target = int(score.value or 0) + step.records
        steps.append(Step(item.key, item.project, next_text(item, step),
                          worth_text(card, scoring.worth(card, step.gain, bonus=item.bonus)),
                          step.records / target if target else 1.0, step.gain))
    steps.sort(key=lambda s: (s.share, -s.gain))
    return steps[:limit]


def _charts(number: int, card: scoring.Card) -> list[Chart]:
    charts = []
    for key, months in scoring.trend(number).items():
        item = card.rubric.item(key)
        points = [(f"{first.month}月", f"{first.year}年{first.month}月", value) for first, value in months]
        desc = "；".join(f"{long} {value} {item.unit}" for _short, long, value in points) or "本年度尚无数据"
        charts.append(Chart(key, f"{key} {item.project}：每月{item.unit}数", desc, item.unit,
                            bar_chart(points)))
    return charts


def _usernames() -> dict[int, str]:
    return {user.id: user.username for user in db.session.scalars(select(StaffUser))}


def _snapshots(number: int, names: dict[int, str]) -> list[SnapshotLine]:
    lines = []
    for snap in score_locks.snapshots(number):
        unlocked = f"{format_local(snap.unlocked_at)} {names.get(snap.unlocked_by_id, '')}" \
            if snap.unlocked_at else ""
        lines.append(SnapshotLine(
            snap.id, snap.sha256, score_locks.verify_snapshot(snap), snap.content.get("total", ""),
            snap.content.get("grade", ""),
            f"{format_local(snap.locked_at)} {names.get(snap.locked_by_id, '')}", unlocked,
            snap.unlock_reason or "", snap.unlocked_at is None))
    return lines
