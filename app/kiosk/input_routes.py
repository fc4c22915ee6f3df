"""The on-screen input panel's two questions to the server: the pinyin candidates for what
was typed, and the characters a handwritten drawing may be. JSON in, JSON out; the panel
itself is kiosk_templates/_macros/input_panel.html and app/static/kiosk-input.js."""

from flask import current_app, jsonify, request

from app.domain import Invalid
from app.domain.handwriting import clean_drawing
from app.domain.pinyin_input import normalise
from app.policy import Audience, allow
from app.services import handwriting, pinyin_data

from . import bp

UNAVAILABLE = "手写识别暂不可用，请用拼音输入"
CANDIDATES = 10


@bp.app_context_processor
def _input_panel():
    return {"input_panel_ready": _input_panel_ready}


def _input_panel_ready() -> dict:
    """What the panel's template needs; the first page showing it starts building the
    pinyin tables (a few seconds, once per process), before the first letter is tapped."""
    pinyin_data.warm_up()
    return {"handwriting": handwriting.available(_model())}


def _model() -> str:
    return current_app.config.get("HANDWRITING_MODEL") or handwriting.DEFAULT_MODEL


@bp.get("/input/pinyin")
@allow(Audience.KIOSK)
def pinyin_candidates():
    """?q=shaxian&name=1&page=0: one page of the candidate bar. The answer depends on the
    query alone, so the browser may keep it."""
    try:
        query = normalise(request.args.get("q", ""))
    except Invalid as exc:
        return jsonify(error=exc.message), 422
    page_arg = request.args.get("page", "0")
    number = int(page_arg) if page_arg.isascii() and page_arg.isdigit() and len(page_arg) < 5 else 0
    page = pinyin_data.table().page(query, number, name_start=request.args.get("name") == "1")
    resp = jsonify(q=query, page=page.number, pages=page.pages,
                   candidates=[[c.text, c.consumes] for c in page.items])
    resp.headers["Cache-Control"] = "public, max-age=86400"
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
