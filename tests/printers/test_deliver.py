import threading
from dataclasses import replace

import pytest

from printers import (
    DeliveryDoubtful,
    PrinterStatus,
    PrinterUnavailable,
    Receipt,
    check_status,
    deliver,
    make_driver,
    memory_printer,
    parse_printer_url,
    render,
    reset_memory_printers,
)
from printers.decode import decode
from printers.status import STATUS_QUERIES
from tests.printers.fake_printer import FakePrinter, strip_status_queries
from tests.printers.helpers import assert_clean_stream, lines_of

RECEIPT = Receipt().text("沙县零工市场", size=2, align="center").text("号码 A017").qr("https://h/t/1")


@pytest.fixture
def fake():
    with FakePrinter() as printer:
        yield printer


def config_for(fake: FakePrinter, extra: str = ""):
    return parse_printer_url(f"{fake.url}?timeout=0.5{extra}")


def test_ok_prints_exactly_the_rendered_bytes(fake):
    config = config_for(fake)
    data = render(RECEIPT, config)
    deliver(config, data, "ticket-A017")
    (job,) = fake.completed_jobs
    assert strip_status_queries(job) == data
    assert job.startswith(b"".join(STATUS_QUERIES.values()))
    assert job.endswith(b"".join(STATUS_QUERIES.values()))
    assert lines_of(assert_clean_stream(fake.payload(job)))[:2] == ["沙县零工市场", "号码 A017"]


def test_status_disabled_sends_no_queries(fake):
    config = config_for(fake, "&status=0")
    data = render(RECEIPT, config)
    deliver(config, data)
    assert fake.jobs == [data]


@pytest.mark.parametrize("mode", ["refuse", "hang", "silent_status"])
def test_unreachable_or_silent_printer_is_unavailable_quickly(fake, mode):
    fake.mode = mode
    with pytest.raises(PrinterUnavailable) as info:
        deliver(config_for(fake), render(RECEIPT, config_for(fake)))
    assert info.value.status is None and info.value.reason
    assert not fake.completed_jobs
    for job in fake.jobs:
        assert strip_status_queries(job) == b""


def test_network_driver_uses_the_configured_timeout_not_escpos_default(fake):
    driver = make_driver(config_for(fake))
    driver.open()
    try:
        assert driver.printer.device.gettimeout() == config_for(fake).timeout
    finally:
        driver.close()


def test_refuse_then_ok_again(fake):
    fake.mode = "refuse"
    with pytest.raises(PrinterUnavailable):
        check_status(config_for(fake))
    fake.mode = "ok"
    assert check_status(config_for(fake)) == PrinterStatus.ready()


def test_paper_out_before_sends_nothing(fake):
    fake.set_status(paper_out=True)
    with pytest.raises(PrinterUnavailable) as info:
        deliver(config_for(fake), render(RECEIPT, config_for(fake)))
    assert info.value.status is not None and info.value.status.problem == "paper_out"
    (job,) = fake.jobs
    assert strip_status_queries(job) == b""


@pytest.mark.parametrize(("knob", "problem"), [("cover_open", "cover_open"),
                                               ("online", "offline")])
def test_other_problems_before_are_unavailable(fake, knob, problem):
    fake.set_status(**{knob: knob != "online"})
    with pytest.raises(PrinterUnavailable) as info:
        deliver(config_for(fake), b"x")
    assert info.value.status.problem == problem


def test_paper_near_end_still_prints(fake):
    fake.set_status(near_end=True)
    deliver(config_for(fake), render(RECEIPT, config_for(fake)))
    assert len(fake.completed_jobs) == 1
    assert check_status(config_for(fake)).paper_near_end


def test_connection_dropped_mid_job_is_doubtful(fake):
    fake.mode = "close_mid_job"
    with pytest.raises(DeliveryDoubtful):
        deliver(config_for(fake), render(RECEIPT, config_for(fake)))
    assert not fake.completed_jobs


def test_paper_out_after_sending_is_doubtful(fake):
    fake.set_status(paper_out=True, after_job=True)
    with pytest.raises(DeliveryDoubtful) as info:
        deliver(config_for(fake), render(RECEIPT, config_for(fake)))
    assert info.value.status.problem == "paper_out"
    assert len(fake.completed_jobs) == 1


def test_invalid_status_reply_is_unavailable(fake):
    fake.set_status_bytes({1: 0x00, 2: 0x00, 4: 0x00})
    with pytest.raises(PrinterUnavailable) as info:
        deliver(config_for(fake), b"x")
    assert info.value.status.problem == "offline"


def test_fake_printer_stops_its_threads():
    before = threading.active_count()
    with FakePrinter() as printer:
        printer.mode = "hang"
        with pytest.raises(PrinterUnavailable):
            check_status(config_for(printer))
    assert threading.active_count() == before


# -- memory, file, serial and USB drivers ---------------------------------------------

@pytest.fixture
def memory():
    reset_memory_printers()
    yield memory_printer("m1")
    reset_memory_printers()


def test_memory_printer_records_jobs(memory):
    config = parse_printer_url("memory:m1")
    deliver(config, b"one")
    deliver(config, b"two")
    assert memory.jobs == [b"one", b"two"]
    assert memory.status_queries == 4


def test_memory_printer_knobs(memory):
    config = parse_printer_url("memory:m1")
    memory.fail_open = True
    with pytest.raises(PrinterUnavailable):
        deliver(config, b"x")
    memory.fail_open = False
    memory.status = replace(PrinterStatus.ready(), paper_out=True)
    with pytest.raises(PrinterUnavailable) as info:
        deliver(config, b"x")
    assert info.value.status.problem == "paper_out"
    memory.status = PrinterStatus.ready()
    memory.fail_mid_job = True
    with pytest.raises(DeliveryDoubtful):
        deliver(config, b"abcd")
    assert memory.partial_jobs == [b"ab"] and memory.jobs == []
    memory.fail_mid_job = False
    memory.status_after_send = replace(PrinterStatus.ready(), cover_open=True)
    with pytest.raises(DeliveryDoubtful):
        deliver(config, b"x")
    assert memory.jobs == [b"x"]


def test_file_driver_writes_bin_and_readable_txt(tmp_path):
    config = parse_printer_url("file:", default_dir=str(tmp_path / "out"))
    data = render(RECEIPT, config)
    deliver(config, data, "ticket A017/补打")
    deliver(config, data, "ticket A017/补打")
    bins = sorted((tmp_path / "out").glob("*.bin"))
    assert len(bins) == 2 and bins[0].name.endswith("-ticket_A017.bin")
    assert bins[0].read_bytes() == data
    text = bins[0].with_suffix(".txt").read_text(encoding="utf-8")
    assert "沙县零工市场" in text and "号码 A017" in text
    assert "[QR] https://h/t/1" in text and "--- cut ---" in text
    assert check_status(config) is None


def test_file_driver_unwritable_dir_is_unavailable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(PrinterUnavailable):
        deliver(parse_printer_url(f"file://{blocker}/sub"), b"x")


def test_serial_device_missing_is_unavailable():
    with pytest.raises(PrinterUnavailable, match="ttyNOPE"):
        deliver(parse_printer_url("serial:///dev/ttyNOPE?timeout=0.2"), b"x")


def test_usb_printer_missing_is_unavailable():
    with pytest.raises(PrinterUnavailable):
        deliver(parse_printer_url("usb://0xfff0:0xfff1?timeout=0.2"), b"x")


def test_decoded_job_shows_status_queries(fake):
    deliver(config_for(fake), b"hi\n")
    (job,) = fake.jobs
    kinds = [type(e).__name__ for e in decode(job)]
    assert kinds.count("StatusQuery") == 6


@pytest.fixture
def serial_pty():
    """A pseudo-terminal standing in for a serial printer; answers status when told to."""
    import os
    import select

    master, slave = os.openpty()
    state = {"answer": True, "data": bytearray()}
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            if not select.select([master], [], [], 0.02)[0]:
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            state["data"].extend(chunk)
            if state["answer"] and bytes(state["data"][-3:]) in STATUS_QUERIES.values():
                os.write(master, b"\x12")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield os.ttyname(slave), state
    stop.set()
    thread.join(timeout=2)
    os.close(master)
    os.close(slave)


def test_serial_printer_gets_queries_and_job(serial_pty):
    device, state = serial_pty
    deliver(parse_printer_url(f"serial://{device}?timeout=0.5"), b"hello\n")
    assert strip_status_queries(bytes(state["data"])) == b"hello\n"


def test_silent_serial_printer_is_unavailable(serial_pty):
    device, state = serial_pty
    state["answer"] = False
    with pytest.raises(PrinterUnavailable, match="DLE EOT 1"):
        deliver(parse_printer_url(f"serial://{device}?timeout=0.3"), b"hello\n")
    assert strip_status_queries(bytes(state["data"])) == b""


def test_large_image_job_arrives_whole(fake, wqy_font):
    config = parse_printer_url(f"{fake.url}?timeout=0.5&text=image&qr=image&font={wqy_font}")
    receipt = Receipt().text("沙县零工市场欢迎您，" * 12, size=2).qr("https://h/t/1")
    data = render(receipt, config)
    assert len(data) > 20_000
    deliver(config, data)
    (job,) = fake.completed_jobs
    assert strip_status_queries(job) == data
