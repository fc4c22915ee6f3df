"""Pages a worker opens on their own phone from the QR on their slip."""

from flask import Blueprint, abort, render_template

from app.clock import local_today
from app.security import no_store
from app.services import workers

bp = Blueprint("public", __name__, url_prefix="/w")


def _worker_or_404(token: str):
    worker = workers.by_token(token)
    if worker is None:
        abort(404)
    return worker


@bp.get("/<token>")
@no_store
def my_record(token: str):
    worker = _worker_or_404(token)
    return render_template("public/my_record.html", worker=worker,
                           info=workers.card(worker, local_today()), token=token)


@bp.post("/<token>/delete")
@no_store
def request_deletion(token: str):
    worker = _worker_or_404(token)
    workers.request_deletion(worker)
    return render_template("public/my_record.html", worker=worker,
                           info=workers.card(worker, local_today()), token=token, just_requested=True)
