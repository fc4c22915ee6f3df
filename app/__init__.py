"""Application factory: configuration, extensions, blueprints, CLI. Wiring only."""

import os
from pathlib import Path

from flask import Flask, redirect
from werkzeug.routing import IntegerConverter

from . import (
    cli,
    crypto,
    database,
    errors,
    file_modes,
    hall_config,
    log_redaction,
    security,
    template_helpers,
)
from .config import Defaults
from .extensions import csrf, db, login_manager, migrate
from .instance_secrets import PROJECT_ROOT, SECRET_NAMES, instance_path, load
from .policy import Audience, allow


class RecordId(IntegerConverter):
    """``<id:name>``: a database id; anything beyond a 32-bit integer is simply not found."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path(),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "kiosk_templates"),
    )
    _configure(app, test_config)
    hall_config.init_app(app)  # every hall setting checked: a typo stops the start here
    app.url_map.converters["id"] = RecordId

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    crypto.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    log_redaction.init_app(app)
    template_helpers.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    app.add_url_rule("/", "index", allow(Audience.KIOSK)(lambda: redirect("/kiosk/")))
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    if url := os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url := os.environ.get("PRINTER_URL"):
        app.config["PRINTER_URL"] = url
    app.config.from_prefixed_env("LINGGONG")
    if test_config:
        app.config.from_mapping(test_config)
    file_modes.private_dir(app.instance_path)  # secrets, the SQLite file and printouts live here
    if not all(app.config.get(name) for name in SECRET_NAMES):
        secrets = load(app.instance_path)  # never created here: see app/instance_secrets.py
        for name in SECRET_NAMES:
            app.config[name] = app.config.get(name) or secrets[name]
    app.config["SQLALCHEMY_DATABASE_URI"] = database.normalise_url(
        app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path
    )
    file_modes.private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("PRINTER_URL"):
        app.config["PRINTER_URL"] = "file:" + str(Path(app.instance_path) / "printouts")


def _register_blueprints(app: Flask) -> None:
    from .admin.routes import bp as admin_bp
    from .auth.routes import bp as auth_bp
    from .display.routes import bp as display_bp
    from .kiosk import bp as kiosk_bp
    from .public.routes import bp as public_bp
    from .staff.routes import bp as staff_bp

    for bp in (kiosk_bp, public_bp, auth_bp, staff_bp, admin_bp, display_bp):
        app.register_blueprint(bp)
