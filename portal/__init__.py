"""Forløp: a patient-facing portal for Norwegian patient pathways."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, g, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, database, errors, goals, history_words, i18n, jobs, labels, presentation, read_audit
from .addresses import IdConverter
from .auth import access, oidc
from .config import data_folder, load_config
from .content import ContentError, load_library
from .content.glossary import GlossaryLinker
from .rate_limits import limiter


def create_app(overrides: dict | None = None) -> Flask:
    # The instance folder (the database and the secret key of a laptop set-up) is Flask's: beside
    # the package in a checkout, under the environment's prefix when installed.
    app = Flask(__name__, template_folder=str(data_folder("templates")), static_folder=str(data_folder("static")))
    # An id in an address is read as every number is (portal.addresses): anything else is not found.
    app.url_map.converters["int"] = IdConverter
    app.config.update(load_config(app.instance_path))
    if overrides:
        app.config.update(overrides)
    _load_content(app)
    database.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    access.init_app(app)
    oidc.init_app(app)
    jobs.init_app(app)
    read_audit.init_app(app)
    if app.config["PROXY_COUNT"]:
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.before_request(_whole_body_within_limit)
    csrf = CSRFProtect(app)
    limiter.init_app(app)

    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .integration import bp as integration_bp
    from .patient import bp as patient_bp
    from .pdf import bp as pdf_bp
    from .public import bp as public_bp
    from .relative import bp as relative_bp
    from .staff import bp as staff_bp

    app.jinja_env.globals.update(change_title=history_words.change_title, described=history_words.described,
                                 glossary_linker=_glossary_linker, goal_words=goals.goal_words,
                                 role_name=labels.role_name, contact_role_name=labels.contact_role_name,
                                 unit_kind_name=labels.unit_kind_name)
    csrf.exempt(api_bp)  # JSON only, no cookies: nothing for a forged request to ride on
    csrf.exempt(integration_bp)  # a bearer token, never a cookie
    for blueprint in (public_bp, auth_bp, patient_bp, relative_bp, staff_bp, admin_bp, api_bp, pdf_bp,
                      integration_bp):
        app.register_blueprint(blueprint)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        # base-uri and form-action do not fall back to default-src, so they are named.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        if (g.get("account") is not None or g.get("client") is not None) and request.endpoint != "static":
            # Someone's health data: not kept in the browser's cache for the next person at a
            # shared computer to find with the back button after signing out.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def _whole_body_within_limit() -> None:
    """A body sent in chunks has no length to check before it is read: read it now, up to
    MAX_CONTENT_LENGTH, and refuse it (413) if there is more. Otherwise a form parser stops at the
    limit and the entry is cut off without a word. Views then read the body from memory. The
    systems' routes read theirs within a smaller limit of their own (portal.integration.body)."""
    if (request.content_length is None and request.environ.get("wsgi.input_terminated")
            and request.blueprint != "integration"):
        request.get_data(cache=True)
        request.stream.read(1)  # past the limit: RequestEntityTooLarge


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


def _glossary_linker() -> GlossaryLinker:
    """For one page: links the glossary's words where they first appear in its texts."""
    return presentation.glossary_linker(i18n.current_language())
