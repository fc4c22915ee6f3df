"""The input panel's routes: pinyin candidates (a CSRF-protected form POST, so that a name typed
letter by letter never appears in a URL, a log or a cache) and handwriting (CSRF-protected POST
with a JSON body whose limits are checked: 422 with a Chinese message, never a 500)."""

import json
import threading
from pathlib import Path

import pytest

from app.domain.handwriting import MAX_POINTS, MAX_STROKES, MAX_TOTAL_POINTS
from app.services import handwriting
from tests.conftest import csrf_from

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "handwriting_strokes.json"
STROKES = json.loads(FIXTURE.read_text(encoding="utf-8"))
PINYIN, HAND = "/kiosk/input/pinyin", "/kiosk/input/handwriting"


def token(client):
    return csrf_from(client.get("/kiosk/register?consent=1").get_data(as_text=True))


def post(client, body, csrf=None, raw=None):
    headers = {"X-CSRFToken": csrf} if csrf else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post(HAND, data=data, headers=headers, content_type="application/json")


def ask(client, **form):
    """One page of the candidate bar, as the panel asks for it."""
    return client.post(PINYIN, data=form, headers={"X-CSRFToken": token(client)})


def test_pinyin_candidates_page_by_page(client):
    resp = ask(client, q="zhang", name="1")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    data = resp.get_json()
    assert data["q"] == "zhang" and data["page"] == 0 and data["pages"] >= 2
    assert data["candidates"][0] == ["张", 5]
    second = ask(client, q="zhang", name="1", page="1").get_json()
    assert second["page"] == 1
    assert not {c[0] for c in second["candidates"]} & {c[0] for c in data["candidates"]}
    # not a name: no surname first
    assert ask(client, q="zhang").get_json()["candidates"][0] != ["张", 5]


def test_what_is_typed_never_travels_in_a_url(client):
    assert client.get(PINYIN, query_string={"q": "zhang", "name": "1"}).status_code == 405
    assert client.post(PINYIN, data={"q": "zhang"}).status_code == 400  # no CSRF token


@pytest.mark.parametrize("query, page", [("", "0"), ("LV", "x"), ("zh ang", "-1"), ("a1b2", "99999999")])
def test_odd_pinyin_queries_are_answered(client, query, page):
    resp = ask(client, q=query, page=page)
    assert resp.status_code == 200
    assert resp.get_json()["pages"] >= 1


def test_a_too_long_query_is_a_422_in_chinese(client):
    resp = ask(client, q="a" * 200)
    assert resp.status_code == 422
    assert "拼音太长" in resp.get_json()["error"]


def test_while_the_tables_are_built_the_panel_is_told_to_ask_again(client, monkeypatch):
    from app.kiosk import input_routes
    from app.services import pinyin_data

    release = threading.Event()
    tables = pinyin_data._Tables()
    monkeypatch.setattr(pinyin_data, "_tables", tables)
    monkeypatch.setattr(pinyin_data, "_build", lambda: release.wait(30) and pinyin_data.PinyinTable({}, (), {}))
    monkeypatch.setattr(input_routes, "PINYIN_WAIT", 0.2)
    try:
        resp = ask(client, q="wang")
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "1"
        assert resp.get_json()["error"] == "候选字正在准备，请稍候"
        assert tables.building  # one build, started by the first question
    finally:
        release.set()
    assert tables.ready.wait(5)
    assert ask(client, q="wang").status_code == 200


def test_handwriting_needs_the_csrf_token(client):
    resp = post(client, {"width": 300, "height": 300, "strokes": STROKES["characters"]["一"]})
    assert resp.status_code == 400


BAD_BODIES = [
    None, [], "strokes", {"width": 300, "height": 300},
    {"width": 300, "height": 300, "strokes": []},
    {"width": 300, "height": 300, "strokes": [[]]},
    {"width": 300, "height": 300, "strokes": [[[1, 2, 3]]]},
    {"width": 300, "height": 300, "strokes": [[["1", "2"]]]},
    {"width": 300, "height": 300, "strokes": [[[True, 2]]]},
    {"width": 300, "height": 300, "strokes": [[[-1, 2]]]},
    {"width": 300, "height": 300, "strokes": [[[1, 301]]]},
    {"width": 300, "height": 300, "strokes": [[[1e300, 2]]]},
    {"width": 10, "height": 300, "strokes": [[[1, 2]]]},
    {"width": 99999, "height": 300, "strokes": [[[1, 2]]]},
    {"width": "300", "height": 300, "strokes": [[[1, 2]]]},
    {"width": 300, "height": 300, "strokes": [[[1, 2]]] * (MAX_STROKES + 1)},
    {"width": 300, "height": 300, "strokes": [[[1, 2]] * (MAX_POINTS + 1)]},
    {"width": 300, "height": 300, "strokes": [[[1, 2]] * MAX_POINTS] * (MAX_TOTAL_POINTS // MAX_POINTS + 1)},
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_drawings_are_a_422_in_chinese(client, body):
    resp = post(client, body, csrf=token(client))
    assert resp.status_code == 422, resp.get_data(as_text=True)
    message = resp.get_json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("raw", ["{", "not json", "\x00", "[" * 5000 + "]" * 5000])
def test_a_body_that_is_not_json_is_a_422(client, raw):
    resp = post(client, None, csrf=token(client), raw=raw)
    assert resp.status_code == 422


def test_a_body_over_the_size_limit_is_a_413(client):
    body = {"width": 300, "height": 300, "strokes": [[[100, 200]] * MAX_POINTS] * MAX_STROKES}
    assert post(client, body, csrf=token(client)).status_code == 413


def test_handwriting_candidates(client):
    if not handwriting.available():
        pytest.skip("libzinnia0 or its model is not installed (tests/services/test_handwriting.py "
                    "fails on CI for that)")
    body = {"width": 300, "height": 300, "strokes": STROKES["characters"]["十"]}
    resp = post(client, body, csrf=token(client))
    assert resp.status_code == 200
    found = resp.get_json()["candidates"]
    assert "十" in found[:3] and len(found) == 10
    assert resp.headers["Cache-Control"] == "no-store"


def test_without_the_model_the_pad_says_so_and_pinyin_works(make_app, tmp_path):
    app = make_app(HANDWRITING_MODEL=str(tmp_path / "missing.model"))
    client = app.test_client()
    page = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    assert 'data-handwriting="0"' in page
    assert "手写识别暂不可用，请用拼音输入" in page
    resp = post(client, {"width": 300, "height": 300, "strokes": [[[1, 2]]]}, csrf=csrf_from(page))
    assert resp.status_code == 503
    assert resp.get_json()["error"] == "手写识别暂不可用，请用拼音输入"
    assert ask(client, q="wang").status_code == 200


def test_every_text_field_of_the_kiosk_opens_the_panel(client):
    """Each field of the registration form and of both check-in steps names its kind of input."""
    import re

    from tests.factories import checkin

    register = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    step_one = client.get("/kiosk/checkin").get_data(as_text=True)
    first = {name: value for name, value in checkin().items()
             if name in ("employer_type", "contact_name", "phone", "service")}
    step_two = client.post("/kiosk/checkin/review", data={
        **first, "stage": "who", "csrf_token": csrf_from(step_one),
        "form_key": re.search(r'name="form_key" value="([^"]+)"', step_one).group(1)})
    assert step_two.status_code == 200
    pages = {
        "registration": (register, {"name": "name", "id_number": "id", "phone": "phone",
                                    "expected_wage": "money"}),
        "check-in, who": (step_one, {"phone": "phone", "contact_name": "name", "employer_name": "text",
                                     "uscc": "uscc"}),
        "check-in, work": (step_two.get_data(as_text=True), {"headcount": "digits", "pay": "money",
                                                              "location": "text", "description": "text"}),
    }
    for page, (html, kinds) in pages.items():
        found = dict(re.findall(r'<input id="(\w+)"[^>]*?data-input="(\w+)"', html, re.S))
        assert {k: found.get(k) for k in kinds} == kinds, page
        assert html.count('id="keypad"') == 1
        main = html[html.index("<main"):html.index("</main>")]
        assert 'id="keypad"' in main and 'aria-label="屏幕键盘"' in main  # a labelled region inside <main>


def test_the_pad_knows_the_limits_the_server_applies(client):
    """The pad stops taking strokes where the server would refuse the drawing (a drawing over
    the request size limit would otherwise come back as a page, not as a message)."""
    html = client.get("/kiosk/register?consent=1").get_data(as_text=True)
    assert f'data-hand-limits="{MAX_STROKES} {MAX_POINTS} {MAX_TOTAL_POINTS}"' in html
    body = {"width": 2000, "height": 2000, "strokes": [[[1999, 1999] for _ in range(MAX_POINTS)]]
            * (MAX_TOTAL_POINTS // MAX_POINTS)}
    assert len(json.dumps(body)) < 64 * 1024  # what the pad may send fits the request limit
