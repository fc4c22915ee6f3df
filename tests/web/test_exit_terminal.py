"""The exit terminal (/kiosk/rate): its screens, and its contract with other tools: a rating
posts level, role, reasons, comment, phone and csrf_token to /kiosk/rate and is answered 200
(thanks, stored), 429 (refused by the stuffing limits, counted, not stored) or 422 (a bad
value, nothing stored)."""

import io
import re
import wave
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.crypto import vault
from app.domain.ratings import Channel, RaterRole, Reason
from app.extensions import db
from app.kiosk import rating_routes
from app.models import Rating, RatingFollowUp, RatingRefusal
from app.services import announcements
from tests.conftest import csrf_from
from tests.factories import login, staff_user
from tests.speech import require_espeak_ng
from tests.web.test_terminals import set_terminal

HX = {"HX-Request": "true"}
DOOR = "192.168.1.40"  # the exit terminal's network address (not named at /kiosk/terminal)
LABELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
THANKS = "谢谢您的评价！"
REFUSED = "谢谢，您刚刚已经评价过了"


def at(address: str = DOOR) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def token(client, address: str = DOOR) -> str:
    """The CSRF token of the role screen (the first form a visitor meets)."""
    return csrf_from(client.get("/kiosk/rate/1", **at(address)).get_data(as_text=True))


def rate(client, address: str = DOOR, headers=None, **fields):
    data = {"csrf_token": token(client, address), **fields}
    return client.post("/kiosk/rate", data=data, headers=headers or {}, **at(address))


def ratings(app) -> list[Rating]:
    with app.app_context():
        return list(db.session.scalars(select(Rating).order_by(Rating.id)))


def refusals(app) -> dict:
    with app.app_context():
        return {(r.day, r.terminal): r.count for r in db.session.scalars(select(RatingRefusal))}


def text_of(resp) -> str:
    return resp.get_data(as_text=True)


# -- the screens ------------------------------------------------------------------------------

def test_the_exit_terminal_shows_five_faces_and_leads_nowhere_else(client):
    resp = client.get("/kiosk/rate")
    html = text_of(resp)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert re.findall(r'class="face-word">([^<]+)<', html) == LABELS
    assert re.findall(r'class="face (level-\w+)"', html) == [
        "level-green", "level-lime", "level-yellow", "level-orange", "level-red"]
    for n in range(1, 6):
        assert f'href="/kiosk/rate/{n}"' in html
    # its own place: no way to the kiosk's start screen, and idle comes back here
    assert 'href="/kiosk/"' not in html and "返回首页" not in html
    assert 'data-home-url="/kiosk/rate"' in html
    assert 'data-idle="off"' in html  # the faces are where idle leads: they never reset


def test_the_role_screen_posts_a_good_rating_and_leads_a_bad_one_on(client):
    good = text_of(client.get("/kiosk/rate/2", headers=HX))
    assert "<html" not in good and "您是？" in good and "满意" in good and "重选" in good
    assert 'action="/kiosk/rate"' in good and 'name="level" value="2"' in good
    assert re.findall(r'name="role" value="(\w+)"', good) == ["worker", "employer", "other"]
    assert all(word in good for word in ("零工", "用工方", "其他"))
    bad = text_of(client.get("/kiosk/rate/4"))
    assert 'name="role"' not in bad  # a bad rating is not done yet: the reasons come first
    assert 'href="/kiosk/rate/4/worker"' in bad and 'href="/kiosk/rate/4/other"' in bad


def test_the_reasons_screen_is_for_bad_ratings_only(client):
    html = text_of(client.get("/kiosk/rate/5/employer"))
    assert re.findall(r'name="reasons" value="(\w+)"', html) == [r.value for r in Reason]
    assert all(r.label in html for r in Reason)
    assert 'data-input="text"' in html and 'data-input="phone"' in html  # the kiosk's own panel
    assert "只用于就这次评价给您回电" in html and "提交评价" in html
    assert client.get("/kiosk/rate/3/worker").status_code == 404  # 基本满意 asks for no reasons
    assert client.get("/kiosk/rate/4/boss").status_code == 404
    assert client.get("/kiosk/rate/0").status_code == 404
    assert client.get("/kiosk/rate/6").status_code == 404


def test_an_error_on_the_exit_terminal_leads_back_to_the_faces(client):
    resp = client.get("/kiosk/rate/9")
    html = text_of(resp)
    assert resp.status_code == 404
    assert 'href="/kiosk/rate"' in html and "重新评价" in html
    assert 'data-home-url="/kiosk/rate"' in html  # its idle reset too
    assert 'href="/kiosk/"' not in html


# -- 200: stored -----------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX])
def test_a_good_rating_is_face_and_role(app, client, frozen_clock, headers):
    resp = rate(client, level="2", role="employer", headers=headers)
    html = text_of(resp)
    assert resp.status_code == 200 and THANKS in html
    assert ("<html" in html) is (headers == {})
    assert 'data-return-after="5"' in html  # back to the faces after RATING_THANKS_SECONDS
    if headers:  # htmx: rate.js counts down; a whole page also carries the Refresh header
        assert "Refresh" not in resp.headers
    else:
        assert resp.headers["Refresh"] == "5; url=/kiosk/rate"
    [rating] = ratings(app)
    assert (rating.level, rating.role, rating.channel) == (2, RaterRole.EMPLOYER, Channel.TERMINAL)
    assert rating.terminal == DOOR and rating.address == DOOR and rating.reasons == []
    assert rating.at == frozen_clock.utcnow()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatingFollowUp)) == 0


def test_a_bad_rating_keeps_its_reasons_and_its_phone_encrypted(app, client):
    resp = rate(client, level="5", role="other", reasons=["waited", "attitude", "waited"],
                comment="  窗口 人太少 ", phone="138 1234 5678")
    html = text_of(resp)
    assert resp.status_code == 200 and THANKS in html
    assert "15 个工作日内核实处理" in html
    assert "138****5678" in html  # masked, so the person knows it was taken
    assert "13812345678" not in html and "1234 5678" not in html and "12345678" not in html
    [rating] = ratings(app)
    assert rating.level == 5 and rating.role == RaterRole.OTHER
    assert sorted(rating.reason_codes) == sorted([Reason.WAITED, Reason.ATTITUDE])
    assert rating.comment == "窗口 人太少"
    assert rating.phone_last4 == "5678"
    assert "13812345678" not in rating.phone_cipher and "5678" not in rating.phone_cipher
    with app.app_context():
        assert vault().decrypt(rating.phone_cipher) == "13812345678"
        assert db.session.scalar(select(func.count()).select_from(RatingFollowUp)) == 1


def test_a_bad_rating_needs_nothing_more_than_face_and_role(app, client):
    assert rate(client, level="4", role="worker").status_code == 200
    [rating] = ratings(app)
    assert rating.level == 4 and rating.reasons == [] and rating.phone_cipher is None
    assert "回电" not in text_of(rate(client, address="10.1.1.1", level="4", role="worker"))


def test_a_named_exit_terminal_rates_under_its_name(make_app):
    app = make_app(KIOSK_TERMINALS={"door": {"label": "出口评价机"}})
    with app.app_context():
        staff_user()
    kiosk = app.test_client()
    login(kiosk)
    assert set_terminal(kiosk, "door").status_code == 303
    assert "出口评价机" in text_of(kiosk.get("/kiosk/rate"))  # staff see which terminal it is
    assert rate(kiosk, level="1", role="worker").status_code == 200
    [rating] = ratings(app)
    assert rating.terminal == "door" and rating.address == DOOR


# -- 429: refused as stuffing ----------------------------------------------------------------

def test_a_second_press_within_eight_seconds_is_thanked_but_not_stored(app, client, frozen_clock):
    assert rate(client, level="1", role="worker").status_code == 200
    frozen_clock.tick(seconds=5)
    resp = rate(client, level="1", role="worker")
    html = text_of(resp)
    assert resp.status_code == 429
    assert REFUSED in html and "请稍等片刻再评价" in html
    assert "错误" not in html and "error-box" not in html  # kind, not an error
    assert resp.headers["Refresh"] == "5; url=/kiosk/rate"  # back to the faces after the thanks delay
    assert 'data-return-after="5"' in html
    assert len(ratings(app)) == 1
    assert refusals(app) == {(frozen_clock.today(), DOOR): 1}
    frozen_clock.tick(seconds=2)  # 7 s after the rating: still too soon
    assert rate(client, level="5", role="other", headers=HX).status_code == 429
    assert refusals(app) == {(frozen_clock.today(), DOOR): 2}
    frozen_clock.tick(seconds=1)  # 8 s after the rating
    assert rate(client, level="3", role="other").status_code == 200
    assert [r.level for r in ratings(app)] == [1, 3]


def test_clearing_the_cookies_does_not_reset_the_interval(app, frozen_clock):
    assert rate(app.test_client(), level="1", role="worker").status_code == 200
    frozen_clock.tick(seconds=3)
    fresh = app.test_client()  # no cookies: a new session, a new CSRF token
    assert rate(fresh, level="1", role="worker").status_code == 429
    assert rate(fresh, address="192.168.1.41", level="1", role="worker").status_code == 200  # another terminal
    assert len(ratings(app)) == 2


def test_the_hourly_cap_refuses_until_the_hour_has_passed(make_app, frozen_clock):
    app = make_app(RATING_MAX_PER_HOUR=3)
    client = app.test_client()
    for _ in range(3):
        assert rate(client, level="2", role="worker").status_code == 200
        frozen_clock.tick(seconds=10)
    assert rate(client, level="2", role="worker").status_code == 429
    frozen_clock.tick(minutes=30)
    assert rate(client, level="2", role="worker").status_code == 429
    assert refusals(app) == {(frozen_clock.today(), DOOR): 2}
    frozen_clock.tick(minutes=30)  # the first rating is an hour old
    assert rate(client, level="2", role="worker").status_code == 200
    assert len(ratings(app)) == 4


# -- 422: a bad value, nothing stored --------------------------------------------------------

@pytest.mark.parametrize("fields, message", [
    ({"level": "0", "role": "worker"}, "请点选一个表情"),
    ({"level": "6", "role": "worker"}, "请点选一个表情"),
    ({"level": "x", "role": "worker"}, "请点选一个表情"),
    ({"level": "²", "role": "worker"}, "请点选一个表情"),
    ({"role": "worker"}, "请点选一个表情"),
    ({"level": "1", "role": "boss"}, "请选择您的身份"),
    ({"level": "1"}, "请选择您的身份"),
    ({"level": "2", "role": "worker", "reasons": "waited"}, "只有“不满意”和“非常不满意”需要填写原因"),
    ({"level": "3", "role": "worker", "phone": "13812345678"}, "只有“不满意”和“非常不满意”需要填写原因"),
])
def test_a_rating_that_cannot_be_one_is_refused_with_a_clear_page(app, client, fields, message):
    resp = rate(client, **fields)
    html = text_of(resp)
    assert resp.status_code == 422
    assert "评价没有提交成功" in html and message in html
    assert 'href="/kiosk/rate"' in html and "重新评价" in html
    assert ratings(app) == [] and refusals(app) == {}


@pytest.mark.parametrize("fields, field, message", [
    ({"reasons": ["waited", "bogus"]}, "reasons", "原因不在可选范围内"),
    ({"phone": "23812345678"}, "phone", "手机号码应为1开头的11位数字"),
    ({"phone": "138123"}, "phone", "手机号码"),
    ({"comment": "太" * 201}, "comment", "补充说明最多200个字"),
    ({"comment": "请打13812345678回访"}, "comment", "电话号码请填在下面的“回访电话”一栏"),
    ({"comment": "等了\x01很久"}, "comment", "补充说明含有无法显示的字符"),
])
def test_a_bad_detail_shows_the_reasons_screen_again_with_the_message_beside_it(app, client, fields, field, message):
    posted = {"level": "4", "role": "employer", "reasons": ["attitude"], "comment": "态度差", **fields}
    resp = rate(client, headers=HX, **posted)
    html = text_of(resp)
    assert resp.status_code == 422 and "<html" not in html
    assert f'<p class="field-error" id="{field}-error"><span aria-hidden="true">⚠️</span> {message}' in html
    assert "\x01" not in html  # what cannot be shown is not sent back
    assert "哪里让您不满意" in html and 'name="level" value="4"' in html and 'name="role" value="employer"' in html
    if field != "reasons":  # what was chosen is still chosen
        assert re.search(r'value="attitude"\s+data-say="reason-attitude" data-say-text="态度不好" checked', html)
    assert ratings(app) == []


def test_a_phone_kept_for_another_error_comes_back_masked(app, client):
    resp = rate(client, headers=HX, level="5", role="worker", reasons=["nope"], phone="13812345678")
    html = text_of(resp)
    assert resp.status_code == 422
    assert 'id="phone" value="138****5678"' in html  # shown masked
    assert 'name="phone" value="13812345678"' in html  # sent again, in the hidden field
    assert ratings(app) == []


def test_a_rating_without_its_csrf_token_is_refused(app, client):
    resp = client.post("/kiosk/rate", data={"level": "1", "role": "worker"}, **at())
    assert resp.status_code == 400
    assert "重新评价" in text_of(resp) and 'href="/kiosk/rate"' in text_of(resp)
    stale = client.post("/kiosk/rate", data={"level": "1", "role": "worker", "csrf_token": "forged"}, **at())
    assert stale.status_code == 400
    assert ratings(app) == [] and refusals(app) == {}


# -- the spoken words --------------------------------------------------------------------------

def test_the_terminal_speaks_a_fixed_set_of_words_only(client, monkeypatch, tmp_path):
    assert rating_routes.SPOKEN == {
        "level-1": "非常满意", "level-2": "满意", "level-3": "基本满意", "level-4": "不满意",
        "level-5": "非常不满意", "role-worker": "零工", "role-employer": "用工方", "role-other": "其他",
        "reason-waited": "等待太久", "reason-attitude": "态度不好", "reason-false_info": "岗位信息不实",
        "reason-inconvenient": "办事不方便", "reason-other": "其他", "thanks": THANKS, "refused": REFUSED}
    rendered = []
    wav = tmp_path / "said.wav"
    wav.write_bytes(b"RIFF....WAVE")

    def fake_speech(text):
        rendered.append(text)
        return wav

    monkeypatch.setattr(announcements, "speech_wav", fake_speech)
    resp = client.get("/kiosk/rate/speech/level-5.wav")
    assert resp.status_code == 200 and resp.mimetype == "audio/wav"
    for key in ("hello", "level-6", "level-5.wav", "%E4%BD%A0%E5%A5%BD", "..%2Fthanks"):
        assert client.get(f"/kiosk/rate/speech/{key}.wav").status_code == 404, key
    assert rendered == ["非常不满意"]  # nothing a request names is ever rendered


def test_a_spoken_word_is_a_wav_where_the_server_speaks(client):
    require_espeak_ng()
    assert 'data-speech="server"' in text_of(client.get("/kiosk/rate"))
    resp = client.get("/kiosk/rate/speech/thanks.wav")
    assert resp.status_code == 200 and resp.mimetype == "audio/wav"
    with wave.open(io.BytesIO(resp.data)) as wav:
        assert 0.5 <= wav.getnframes() / wav.getframerate() <= 5  # a short phrase, not silence


def test_without_server_speech_the_page_says_so_and_a_word_is_a_clear_503(app, client):
    app.config["DISPLAY_SPEECH_PROGRAM"] = ""
    assert 'data-speech="none"' in text_of(client.get("/kiosk/rate"))  # rate.js stays silent
    resp = client.get("/kiosk/rate/speech/thanks.wav")
    assert resp.status_code == 503 and "语音不可用" in text_of(resp)


def test_the_whole_contract_writes_nothing_on_a_4xx(app, client, frozen_clock):
    """One of each answer in a row: only the 200 wrote a rating."""
    answers = [rate(client, level="0", role="worker").status_code,
               rate(client, level="1", role="worker").status_code,
               rate(client, level="1", role="worker").status_code,
               client.post("/kiosk/rate", data={"level": "1", "role": "worker"}, **at()).status_code]
    assert answers == [422, 200, 429, 400]
    assert len(ratings(app)) == 1
    assert sum(refusals(app).values()) == 1  # only the stuffing refusal is counted
    frozen_clock.tick(timedelta(seconds=8))
    assert rate(client, level="1", role="worker").status_code == 200
