"""The on-screen input panel's two questions to the server: the pinyin candidates for what
was typed, and the characters a handwritten drawing may be. JSON in, JSON out; the panel
itself is kiosk_templates/_macros/input_panel.html and app/static/kiosk-input.js."""

from flask import current_app, jsonify, request

from app.domain import Invalid
from app.domain.handwriting import MAX_POINTS, MAX_STROKES, MAX_TOTAL_POINTS, clean_drawing
from app.domain.pinyin_input import normalise
from app.policy import Audience, allow
from app.services import handwriting, pinyin_data

from . import bp

UNAVAILABLE = "手写识别暂不可用，请用拼音输入"
NOT_READY = "候选字正在准备，请稍候"
PINYIN_WAIT = 5  # seconds a request waits for the tables being built; then 503 and a retry
CANDIDATES = 10


@bp.app_context_processor
def _input_panel():
    return {"input_panel_ready": _input_panel_ready}


def _input_panel_ready() -> dict:
    """What the panel's template needs; the first page showing it starts building the
    pinyin tables (a few seconds, once per process), before the first letter is tapped."""
    pinyin_data.warm_up()
    return {"handwriting": handwriting.available(_model()),
            # the pad stops taking strokes where the server would refuse the drawing
            "limits": f"{MAX_STROKES} {MAX_POINTS} {MAX_TOTAL_POINTS}"}


def _model() -> str:
    return current_app.config.get("HANDWRITING_MODEL") or handwriting.DEFAULT_MODEL


@bp.post("/input/pinyin")
@allow(Audience.KIOSK)
def pinyin_candidates():
    """q=shaxian&name=1&page=0 (a form, CSRF-protected): one page of the candidate bar. A POST,
    so that what is typed — often a person's name — never appears in a URL, an access log or
    a cache."""
    try:
        query = normalise(request.form.get("q", ""))
    except Invalid as exc:
        return jsonify(error=exc.message), 422
    page_arg = request.form.get("page", "0")
    number = int(page_arg) if page_arg.isascii() and page_arg.isdigit() and len(page_arg) < 5 else 0
    try:
        table = pinyin_data.table(wait=PINYIN_WAIT)
    except pinyin_data.NotReady:
        resp = jsonify(error=NOT_READY)
        resp.status_code, resp.headers["Retry-After"] = 503, "1"
        return resp
    page = table.page(query, number, name_start=request.form.get("name") == "1")
    resp = jsonify(q=query, page=page.number, pages=page.pages,
                   candidates=[[c.text, c.consumes] for c in page.items])
    resp.headers["Cache-Control"] = "no-store"  # what a person typed: a name, letter by letter
    return resp


@bp.post("/input/handwriting")
@allow(Audience.KIOSK)
def handwriting_candidates():
    """{"width", "height", "strokes": [[[x, y], ...], ...]}: the likeliest characters."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # "[[[[...": nested deeper than the parser goes
        body = None
    try:
        drawing = clean_drawing(body)
    except Invalid as exc:
        return jsonify(error=exc.message), 422
    try:
        found = handwriting.recognise(drawing.strokes, drawing.width, drawing.height, CANDIDATES,
                                      model_path=_model())
    except handwriting.Unavailable:
        return jsonify(error=UNAVAILABLE), 503
    resp = jsonify(candidates=found)
    resp.headers["Cache-Control"] = "no-store"
    return resp
