"""Command-line tools: ``flask --app wsgi create-user``, ``print-worker``, ``audit verify``,
``score show|evaluate``, ``demo-data``.

Exit status: 0 done; 1 a check failed (``audit verify``); 2 the input or the state does not
allow it (a usage error, an invalid file, no service start date, a database not empty).
"""

import json
import signal
import threading
from decimal import Decimal

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db
from .models import Role


def init_app(app) -> None:
    @app.cli.command("create-user")
    @click.argument("name")
    @click.option("--role", type=click.Choice([r.value for r in Role]), default="staff")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--display-name", default=None, help="姓名 shown on screens")
    def create_user(name: str, role: str, password: str, display_name: str | None) -> None:
        """Create a staff account (roles: staff, manager, assessor)."""
        from .services.accounts import AccountError, create_user

        try:
            user = create_user(name, password, Role(role), display_name)
        except AccountError as err:
            raise click.ClickException(err.message) from None
        click.echo(f"created {user.username} ({user.role.value})")

    @app.cli.command("reencrypt-pii")
    def reencrypt_pii() -> None:
        """Re-encrypt every stored ID and phone number with the newest key (after add-pii-key)."""
        from .services.pii import reencrypt_all

        click.echo(f"re-encrypted {reencrypt_all()} values with the newest key")

    audit_cli = click.Group("audit", help="The audit trail.")
    app.cli.add_command(audit_cli)

    @audit_cli.command("verify")
    def audit_verify() -> None:
        """Walk the hash chain; exit 1 naming the first broken link."""
        from .services.audit import verify

        verdict = verify()
        if verdict.ok:
            click.echo(f"checked {verdict.checked} entries: the chain is intact")
            return
        click.echo(f"checked {verdict.checked} entries; entry {verdict.broken_at} "
                   f"(id {verdict.entry_id}) is broken: {verdict.reason}", err=True)
        raise SystemExit(1)

    app.cli.add_command(score_cli)
    app.cli.add_command(demo_data)

    @app.cli.command("print-worker")
    @click.option("--once", is_flag=True, help="Send what is pending, then exit.")
    def print_worker(once: bool) -> None:
        """Send queued slips to the printers (run one or more alongside the web server)."""
        from .services.print_worker import PrintWorker

        worker = PrintWorker()
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        beats = threading.Thread(target=_heartbeat, args=(current_app._get_current_object(),
                                                          worker, stopping), daemon=True)
        beats.start()
        click.echo(f"print worker {worker.owner} started")
        try:
            while True:
                try:
                    worker.run_once()
                except Exception:  # keep serving; the error is in the log and on the staff screen
                    current_app.logger.exception("print worker round failed")
                finally:
                    db.session.remove()
                if once or stopping.is_set():
                    return
                stopping.wait(current_app.config["PRINT_POLL_SECONDS"])
        finally:
            stopping.set()
            beats.join(timeout=5)
            worker.beat(stopping=True)  # staff see at once that the service stopped
            db.session.remove()


def _heartbeat(app, worker, stopping: threading.Event) -> None:
    """Beat (and renew the worker's leases) every PRINT_BEAT_SECONDS, even while the main
    loop waits on a slow printer."""
    while not stopping.is_set():
        with app.app_context():
            try:
                worker.beat()
            except Exception:  # the database may be briefly away; try again next beat
                app.logger.exception("print worker heartbeat failed")
            finally:
                db.session.remove()
        stopping.wait(app.config["PRINT_BEAT_SECONDS"])


# -- the score sheet ---------------------------------------------------------------------

USAGE = 2  # exit status: the input or the state does not allow it (click's usage errors too)


def _refuse(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(USAGE)


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


score_cli = click.Group("score", help="The assessment score sheet (《沙县区零工市场运营绩效考核评分表》).")


@score_cli.command("show")
@click.option("--period", type=click.IntRange(min=1, max=100), default=None,
              help="Assessment year (1 = from the service start date); default: the current one.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON object of the score page.")
@with_appcontext
def score_show(period: int | None, as_json: bool) -> None:
    """A period's scores: a table, or the JSON contract (see the README)."""
    from .domain import DomainError
    from .services import assessment, score_exports, scoring

    try:
        number = period or assessment.current_number()
        if assessment.service_start() is not None and number not in assessment.numbers():
            _refuse(f"没有第{number}年的考核（可选：第{assessment.numbers()[0]}至{assessment.numbers()[-1]}年）")
        card = scoring.card(number)
    except DomainError as err:
        _refuse(err.message)
    if as_json:
        _print_json(card.json())
    else:
        click.echo(score_exports.text_table(card))


@score_cli.command("evaluate")
@click.argument("file", type=click.File("rb"))
@click.option("--rubric", "version", default=None,
              help="Rubric version (a file in app/scoring/rubrics/); default: the SCORE_RUBRIC setting.")
@with_appcontext
def score_evaluate(file, version: str | None) -> None:
    """Score the figures in a JSON FILE ("-": standard input) by the rubric, printing the
    JSON object of the score page without its period."""
    from . import scoring
    from .domain import Invalid
    from .domain.scoring import evaluate, figures_from_json
    from .hall_config import hall
    from .services.scoring import sheet_json

    if version is not None and version not in scoring.versions():
        _refuse(f"没有评分细则 {version}（可用：{', '.join(scoring.versions())}）")
    rubric = scoring.load(version) if version else hall().rubric
    try:
        data = json.loads(file.read().decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        _refuse(f"{file.name}：不是 UTF-8 编码的文本文件")
    except json.JSONDecodeError as err:
        _refuse(f"{file.name}：不是有效的 JSON（第 {err.lineno} 行第 {err.colno} 列：{err.msg}）")
    try:
        figures = figures_from_json(data, rubric)
    except Invalid as err:
        _refuse(f"{file.name}：{err.message}")
    _print_json(sheet_json(evaluate(rubric, figures)))


# -- the demo year -----------------------------------------------------------------------

@click.command("demo-data")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed on the same day gives the same records and the same score.")
@click.option("--force", is_flag=True,
              help="Add the demo year to a database that already holds records (nothing is deleted).")
@click.option("--scale", type=click.FloatRange(min=0.01, max=10), default=1.0, show_default=True,
              help="Size of the year (1: the full year; 0.1 for a quick try).")
@click.option("--password", default=None,
              help="Password of the demo accounts (default: a new random one, printed once).")
@with_appcontext
def demo_data(seed: int, force: bool, scale: float, password: str | None) -> None:
    """Fill an empty database with a plausible first year of one hall, ending today."""
    from . import demo, demo_plan

    try:
        demo.check_empty(force)
        plan = demo_plan.plan(seed=seed, scale=scale)
        with click.progressbar(length=plan.size, label="写入演示数据") as bar:
            loaded = demo.load(plan, password=password, force=force, progress=bar.update)
    except demo.DemoRefused as err:
        _refuse(err.message)
    for line in loaded.summary():
        click.echo(line)
