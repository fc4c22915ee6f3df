import pytest

from printers.status import STATUS_QUERIES, PrinterStatus, parse_status

GOOD = {1: 0x12, 2: 0x12, 4: 0x12}


def status(**replies: int) -> PrinterStatus:
    data = dict(GOOD)
    data.update({int(k[1:]): v for k, v in replies.items()})
    return parse_status(data)


def test_queries_are_dle_eot_n():
    assert STATUS_QUERIES == {1: b"\x10\x04\x01", 2: b"\x10\x04\x02", 4: b"\x10\x04\x04"}


def test_all_clear_is_ok():
    s = parse_status(GOOD)
    assert s == PrinterStatus.ready()
    assert s.ok and s.problem is None


@pytest.mark.parametrize(("replies", "field", "problem"), [
    ({"n1": 0x12 | 0x08}, "online", "offline"),
    ({"n2": 0x12 | 0x04}, "cover_open", "cover_open"),
    ({"n2": 0x12 | 0x20}, "paper_out", "paper_out"),
    ({"n2": 0x12 | 0x40}, "error", "error"),
    ({"n4": 0x12 | 0x60}, "paper_out", "paper_out"),
    ({"n4": 0x12 | 0x20}, "paper_out", "paper_out"),
    ({"n4": 0x12 | 0x0C}, "paper_near_end", None),
    ({"n4": 0x12 | 0x04}, "paper_near_end", None),
])
def test_each_bit(replies, field, problem):
    s = status(**replies)
    expected_flag = field != "online"  # "online" goes False when its bit is set
    assert getattr(s, field) is expected_flag
    assert s.problem == problem
    assert s.ok is (problem is None)


def test_cover_open_wins_over_offline_bit():
    # A printer with its cover open also reports itself offline.
    s = status(n1=0x12 | 0x08, n2=0x12 | 0x04)
    assert s.problem == "cover_open" and not s.ok


@pytest.mark.parametrize("replies", [
    {1: 0x00, 2: 0x12, 4: 0x12},      # fixed bits missing
    {1: 0x12, 2: 0xFF, 4: 0x12},      # bit 7 must be 0
    {1: 0x12, 2: 0x12, 4: 0x13},      # bit 0 must be 0
    {1: 0x12, 2: 0x12},               # no reply to n=4
    {},
])
def test_invalid_or_missing_replies_mean_offline(replies):
    s = parse_status(replies)
    assert not s.online and s.problem == "offline" and not s.ok
