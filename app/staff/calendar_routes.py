"""工作日历: the hall's working-day calendar, kept by staff and the manager from the State
Council's yearly holiday announcement (the assessor reads it). A change moves the due dates
of open follow-ups (``workdays.set_day``), and the page says how many moved."""

import calendar as months
from dataclasses import dataclass
from datetime import date

from flask import flash, render_template, request
from flask_login import current_user

from app import htmx
from app.clock import local_today
from app.domain import Invalid, parse_iso_date
from app.domain.workdays import DayKind
from app.models import CalendarDay, Role
from app.policy import Audience, allow
from app.services import follow_ups, workdays
from app.template_helpers import cn_date

from .routes import bp

FIRST_YEAR, LAST_YEAR = 2020, 2099
CLEAR = "clear"  # the form's third kind: back to a plain day
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Cell:
    day: date
    weekend: bool
    entry: CalendarDay | None
    today: bool

    @property
    def css(self) -> str:
        names = ["cal-day"]
        if self.weekend:
            names.append("cal-weekend")
        if self.entry is not None:
            names.append(f"cal-{self.entry.kind.value}")
        if self.today:
            names.append("cal-today")
        return " ".join(names)

    @property
    def title(self) -> str:
        text = cn_date(self.day)
        if self.entry is not None:
            text += f" {self.entry.kind.label}" + (f"（{self.entry.name}）" if self.entry.name else "")
        return text


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell | None]]  # from Monday; None outside the month
    notes: list[str]  # under the grid: 国庆节 放假 1、2、5、6、7日


def year_grid(year: int, entries: list[CalendarDay], today: date) -> list[Month]:
    """Twelve months, each as weeks of seven cells, with the names of their entries."""
    by_day = {e.day: e for e in entries}
    grid = []
    for month in range(1, 13):
        weeks = []
        for week in months.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([Cell(d, d.weekday() >= 5, by_day.get(d), d == today) if d.month == month else None
                          for d in week])
        named: dict[tuple[str, str], list[str]] = {}
        for entry in entries:
            if entry.day.month == month:
                named.setdefault((entry.name, entry.kind.label), []).append(str(entry.day.day))
        notes = [f"{name} {kind} {'、'.join(days)}日".strip() for (name, kind), days in named.items()]
        grid.append(Month(month, weeks, notes))
    return grid


def _year() -> int:
    raw = request.args.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else local_today().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _page(year: int, status: int = 200, values=None, errors=None):
    today = local_today()
    entries = workdays.days_of_year(year)
    return render_template(
        "staff/calendar.html", year=year, grid=year_grid(year, entries, today), entries=entries,
        weekdays=WEEKDAYS, kinds=list(DayKind), clear=CLEAR, values=values or {}, errors=errors or {},
        can_edit=current_user.role != Role.ASSESSOR, missing_year=follow_ups.next_year_missing(today),
        first_year=FIRST_YEAR, last_year=LAST_YEAR), status


@bp.get("/calendar")
@allow(Audience.STAFF, Audience.MANAGER, Audience.ASSESSOR)
def calendar():
    return _page(_year())


@bp.post("/calendar/days")
@allow(Audience.STAFF, Audience.MANAGER)
def calendar_set():
    values = {name: request.form.get(name, "") for name in ("day", "kind", "name")}
    year = _year()
    try:
        day = parse_iso_date(values["day"], label="日期")
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise Invalid(f"请选择 {FIRST_YEAR}—{LAST_YEAR} 年之间的日期")
    except Invalid as err:
        return _page(year, 422, values, {"day": err.message})
    year = day.year
    if values["kind"] == CLEAR:
        kind = None
    else:
        try:
            kind = DayKind(values["kind"])
        except ValueError:
            return _page(year, 422, values, {"kind": "请选择：放假、调休上班，或恢复为平常日"})
    try:
        moved = workdays.set_day(day, kind, values["name"], user=current_user)
    except Invalid as err:
        return _page(year, 422, values, {err.field or "name": err.message})
    what = f"{kind.label}" + (f"（{' '.join(values['name'].split())}）" if values["name"].strip() else "") \
        if kind else "平常日"
    flash(f"已将 {cn_date(day)} 设为{what}；" + (f"{moved} 条未办结回访的到期日随之调整。" if moved
                                              else "没有未办结回访的到期日需要调整。"), "ok")
    return htmx.redirect_to("staff.calendar", year=year)
