"""Forløp: a patient-facing portal for Norwegian patient pathways."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, abort

from . import cli, database, errors, i18n
from .config import load_config
from .content import ContentError, load_library

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(app.instance_path))
    if overrides:
        app.config.update(overrides)
    _load_content(app)
    database.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from .api import bp as api_bp
    from .patient import bp as patient_bp
    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(patient_bp)
    app.register_blueprint(api_bp)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
        )
        return response

    return app


def _load_content(app: Flask) -> None:
    """Load and validate content/. Broken content must not crash the CLI that reports it
    (`flask --app portal content check`), so the app logs it and answers 503 until it is fixed."""
    try:
        app.extensions["library"] = load_library(Path(app.config["CONTENT_DIR"]))
    except ContentError as error:
        app.logger.error("%s", error)

        @app.before_request
        def content_unavailable():
            abort(503)
