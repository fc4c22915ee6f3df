"""The dispute case's rules: the workflow (every allowed and refused step), the two clocks,
the application's checks, and the signature check."""

from datetime import date

import pytest

from app.domain import Conflict, Invalid, InvalidFields
from app.domain.disputes import (
    CASE,
    ClockLevel,
    acceptance_clock,
    case_number,
    mediation_clock,
    read_filing,
    read_signature,
)
from app.domain.disputes import CaseStatus as S
from tests.factories import dispute_form, signature

# The whole table, written out: (state, action) -> the state after it; every pair not listed
# is refused.
ALLOWED = {
    (S.RECEIVED, "accept"): S.ACCEPTED,
    (S.RECEIVED, "decline"): S.DECLINED,
    (S.RECEIVED, "withdraw"): S.WITHDRAWN,
    (S.RECEIVED, "merge"): S.MERGED,
    (S.ACCEPTED, "session"): S.MEDIATING,
    (S.ACCEPTED, "fail"): S.FAILED,
    (S.ACCEPTED, "withdraw"): S.WITHDRAWN,
    (S.ACCEPTED, "merge"): S.MERGED,
    (S.MEDIATING, "session"): S.MEDIATING,
    (S.MEDIATING, "agree"): S.AGREED,
    (S.MEDIATING, "fail"): S.FAILED,
    (S.MEDIATING, "withdraw"): S.WITHDRAWN,
    (S.AGREED, "follow_up"): S.AGREED,
    (S.AGREED, "perform"): S.PERFORMED,
    (S.AGREED, "refer"): S.REFERRED,
    (S.FAILED, "refer"): S.REFERRED,
}
ACTIONS = sorted(CASE.moves)


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_step_from_every_state_is_allowed_or_refused_as_the_table_says(state, action):
    if (state, action) in ALLOWED:
        assert CASE.apply(state, action) == ALLOWED[state, action]
    else:
        with pytest.raises(Conflict) as refused:
            CASE.apply(state, action)
        # The refusal names the state and the step, in Chinese, and says what to do instead.
        assert state.label in refused.value.message and CASE.label(action) in refused.value.message


def test_the_table_above_is_the_workflow_whole():
    assert {(s, a) for s in S for a in ACTIONS if a in CASE.allowed(s)} == set(ALLOWED)


def test_ended_cases_allow_nothing_and_say_so():
    for state in (S.DECLINED, S.PERFORMED, S.REFERRED, S.WITHDRAWN, S.MERGED):
        assert CASE.allowed(state) == []
        assert not state.is_open
    with pytest.raises(Conflict, match="请到原案件办理"):
        CASE.apply(S.MERGED, "accept")


def test_case_numbers_are_per_year_with_four_digits():
    assert case_number(2026, 7) == "2026-JF-0007"
    assert case_number(2027, 1234) == "2027-JF-1234"


# -- the clocks -----------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "day", "level"), [
    (date(2026, 10, 9), 0, ClockLevel.OK),
    (date(2026, 10, 18), 9, ClockLevel.OK),
    (date(2026, 10, 19), 10, ClockLevel.WARN),  # day 10: warned
    (date(2026, 10, 24), 15, ClockLevel.WARN),  # day 15: the last day, still within
    (date(2026, 10, 25), 16, ClockLevel.OVERDUE),  # after the 15th day: overdue
])
def test_mediation_has_15_calendar_days_warned_from_day_10(today, day, level):
    clock = mediation_clock(date(2026, 10, 9), today)
    assert (clock.day, clock.level, clock.due) == (day, level, date(2026, 10, 24))


def test_acceptance_is_warned_on_its_due_day_and_overdue_after():
    received, due = date(2026, 9, 30), date(2026, 10, 12)
    assert acceptance_clock(received, due, date(2026, 10, 9)).level == ClockLevel.OK
    assert acceptance_clock(received, due, due).level == ClockLevel.WARN
    assert acceptance_clock(received, due, date(2026, 10, 13)).level == ClockLevel.OVERDUE


# -- the application ------------------------------------------------------------------------

def test_a_complete_application_reads():
    filing = read_filing(dispute_form(amount="1,200.5", other_party_company="某某建筑队"))
    assert filing.kind.label == "欠薪" and str(filing.amount) == "1200.50"
    assert filing.other_party_company == "某某建筑队" and filing.id_number is None


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"kind": ""}, "kind", "请选择纠纷类型"),
    ({"kind": "robbery"}, "kind", "请选择纠纷类型"),
    ({"applicant_role": "boss"}, "applicant_role", "请选择您是零工还是用工方"),
    ({"amount": "-5"}, "amount", "涉及金额应大于0"),
    ({"amount": "99999999"}, "amount", "不能超过"),
    ({"amount": "12.345"}, "amount", "两位小数"),
    ({"amount": "一千"}, "amount", "应为数字"),
    ({"facts": "<script>alert(1)</script>"}, "facts", "不能包含 < 或 > 符号"),
    ({"wants": "要回<b>工钱</b>"}, "wants", "不能包含 < 或 > 符号"),
    ({"other_party_name": "<img src=x>"}, "other_party_name", "不能包含 < 或 > 符号"),
    ({"facts": ""}, "facts", "请输入发生了什么"),
    ({"wants": " "}, "wants", "请输入您的诉求"),
    ({"applicant_phone": "123"}, "applicant_phone", "手机"),
    ({"other_party_phone": "13800000001"}, "other_party_phone", "不能和您的电话相同"),
    ({"id_number": "350405198001011234"}, "id_number", "校验位不对"),
])
def test_bad_applications_name_the_field_in_chinese(overrides, field, message):
    with pytest.raises(InvalidFields) as refused:
        read_filing(dispute_form(**overrides))
    assert field in refused.value.errors
    assert message in refused.value.errors[field]


def test_a_recognised_worker_need_not_type_name_and_phone():
    filing = read_filing(dispute_form(applicant_name="", applicant_phone=""), known_name="张三",
                         known_phone="13700000000")
    assert (filing.applicant_name, filing.applicant_phone) == ("张三", "13700000000")
    with pytest.raises(InvalidFields) as refused:
        read_filing(dispute_form(applicant_name="", applicant_phone=""))
    assert set(refused.value.errors) == {"applicant_name", "applicant_phone"}


# -- signatures -----------------------------------------------------------------------------

def test_a_drawn_signature_is_kept_as_a_clean_png():
    png = read_signature(signature(), who="申请人")
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("sent", [None, "", signature(ink=0), "data:image/png;base64,AAAA",
                                  "data:image/jpeg;base64,/9j/4AAQ", "data:image/png;base64,not base64!"])
def test_an_empty_or_broken_signature_is_refused(sent):
    with pytest.raises(Invalid) as refused:
        read_signature(sent, who="申请人")
    assert "申请人" in refused.value.message
