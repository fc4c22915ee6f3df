"""Livestream sessions the hall ran (item D1): recruiting, employer promotion, policy."""

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.workflow import LabelledEnum
from app.extensions import db

from .base import str_enum
from .score import Voidable


class LivestreamKind(LabelledEnum):
    RECRUITING = "recruiting", "招聘"
    EMPLOYER = "employer", "企业用工宣传"
    POLICY = "policy", "政策宣传"


class Livestream(Voidable, db.Model):
    __tablename__ = "livestream"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)  # hall-local date
    platform: Mapped[str] = mapped_column(String(40))  # 抖音, 视频号, 快手 …
    kind: Mapped[LivestreamKind] = mapped_column(str_enum(LivestreamKind))
    minutes: Mapped[int]
    viewers: Mapped[int]
    postings_promoted: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(200), default="")
