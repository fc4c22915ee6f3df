"""The hall display through the web layer: the spoken call's audio, the call cards (one per
window, the newest marked), the postings' pages, and the server's clock on the page.

On the frozen clock (2026-11-28 10:00 in the hall)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.clock import local_today
from app.domain.task_orders import TaskStatus
from app.extensions import db
from app.models import StaffUser
from app.services import queue
from tests import factories
from tests.speech import require_espeak_ng

pytestmark = pytest.mark.usefixtures("frozen_clock")
HX = {"HX-Request": "true"}


def called(app, *windows):
    with app.app_context():
        staff = db.session.scalar(db.select(StaffUser)) or factories.staff_user()
        for _ in windows:
            factories.ticket("hire")
        return [queue.call_next(local_today(), window, staff.id).number for window in windows]


def test_the_spoken_call_is_served_as_wav_for_a_ticket_called_there(app, client):
    require_espeak_ng()
    assert called(app, 3) == ["A001"]
    resp = client.get("/display/announcement/A001/3.wav")
    assert resp.status_code == 200 and resp.mimetype == "audio/wav"
    assert resp.data[:4] == b"RIFF" and len(resp.data) > 50_000
    board = client.get("/display/board", headers=HX).get_data(as_text=True)
    assert 'data-announce-audio="/display/announcement/A001/3.wav"' in board


@pytest.mark.parametrize("url", [
    "/display/announcement/A002/3.wav",  # not issued
    "/display/announcement/A001/2.wav",  # called elsewhere
    "/display/announcement/B001/3.wav",
    "/display/announcement/%E7%8E%8B%E8%80%81%E6%9D%BF/3.wav",  # 王老板: never spoken
    "/display/announcement/A001/3.mp3",
    "/display/announcement/A001/99999999999999999999999.wav",  # beyond any integer column: 404, not 500
])
def test_nothing_else_is_rendered(app, client, url):
    called(app, 3)
    assert client.get(url).status_code == 404


def test_a_waiting_ticket_is_not_announced_yet(app, client):
    with app.app_context():
        factories.ticket("hire")
    assert client.get("/display/announcement/A001/1.wav").status_code == 404


def test_with_speech_off_the_page_says_so_and_the_audio_is_unavailable(app, client, tmp_path):
    called(app, 1)
    app.config["DISPLAY_SPEECH_PROGRAM"] = ""
    page = client.get("/display/").get_data(as_text=True)
    assert 'data-speech="browser"' in page and 'data-announce-audio=""' in page
    assert client.get("/display/announcement/A001/1.wav").status_code == 503
    # a broken espeak-ng: 503 with a Chinese message, never a 500
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    app.config["DISPLAY_SPEECH_PROGRAM"] = str(broken)
    resp = client.get("/display/announcement/A001/1.wav")
    assert resp.status_code == 503 and "语音播报不可用" in resp.get_data(as_text=True)


def test_one_card_per_window_the_newest_marked(app, client, frozen_clock):
    called(app, 2)
    frozen_clock.tick(minutes=1)
    called(app, 1)
    board = client.get("/display/board", headers=HX).get_data(as_text=True)
    cards = re.findall(r'class="called-card( newest)?".*?called-number">(\w+)<.*?called-window">(\d+) 号窗口',
                       board, re.S)
    assert cards == [(" newest", "A002", "1"), ("", "A001", "2")]  # by window; A002 called last
    assert board.count("最新") == 1


def test_postings_show_a_page_at_a_time_with_their_number_and_where_to_apply(app, client, frozen_clock):
    with app.app_context():
        ids = [factories.task_order(status=TaskStatus.PUBLISHED, location=f"地点{i}").id
               for i in range(6)]
    pages = []
    for _ in range(3):  # the page turns with the clock
        board = client.get("/display/board", headers=HX).get_data(as_text=True)
        pages.append((re.search(r"第 (\d)/2 页", board).group(1),
                      sorted(int(n) for n in re.findall(r"编号 <b>(\d+)</b>", board))))
        frozen_clock.tick(seconds=12)
    shown = {page: numbers for page, numbers in pages}
    assert sorted(shown) == ["1", "2"]
    assert sorted(shown["1"] + shown["2"]) == sorted(ids)  # every posting on one of the pages
    assert "报名：到触屏“我要找活 → 找工作”，或到 1、2、3 号窗口说出招工编号" in board


def test_a_posting_on_the_display_says_how_many_places_are_left(app, client, frozen_clock):
    with app.app_context():
        factories.posting(headcount=5, taken=2)
    board = client.get("/display/board", headers=HX).get_data(as_text=True)
    assert "还差 3 人" in board


def test_the_page_carries_the_servers_time_for_the_clocks(client):
    page = client.get("/display/").get_data(as_text=True)
    expected = int(datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp() * 1000)
    assert f'data-clock-now="{expected}"' in page and 'data-clock-zone="Asia/Shanghai"' in page
    assert "clock.js" in page
    kiosk = client.get("/kiosk/").get_data(as_text=True)
    assert f'data-clock-now="{expected}"' in kiosk and "clock.js" in kiosk
