"""Command-line tools: ``flask --app wsgi create-user``, ``print-worker``."""

import signal
import threading

import click
from flask import current_app

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
