"""Settings: defaults for a laptop, overridden by environment variables. No secrets in the repo."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The folders the portal reads besides its code: in an installed package they are package data
# inside it (named as below); in a checkout they are the project's top-level folders.
DATA_FOLDERS = {"templates": "templates", "static": "static", "pathways": "content"}


def data_folder(name: str) -> Path:
    """`templates`, `static` or `pathways` (the content): wherever this copy of the portal has them."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / DATA_FOLDERS[name]


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{Path(instance_path) / 'forlop.sqlite'}"),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(data_folder("pathways"))),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "ACTIVATION_DAYS": int(os.environ.get("ACTIVATION_DAYS", "30")),
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", "14")),
        "SESSION_HOURS": int(os.environ.get("SESSION_HOURS", "12")),
        # Sign-in, activation codes and invitations, per client address.
        "GUESSING_RATE_LIMIT": os.environ.get("GUESSING_RATE_LIMIT", "10 per minute"),
        # Where the counts are kept: each process's own memory, or a store every app server shares
        # (redis://host:6379), so that a limit holds however many processes serve the portal.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # How many proxies (load balancer, HTTPS front end) stand before the portal. Only the
        # addresses they add to X-Forwarded-For are believed: one a client writes there itself
        # cannot dodge a rate limit. 0: the portal is reached directly and the header is ignored.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A form stays valid for the whole session: a nurse interrupted mid-entry must not lose it.
        "WTF_CSRF_TIME_LIMIT": None,
        # Rendered timeline pages kept per worker process; 0 turns the cache off.
        "TIMELINE_CACHE_SIZE": int(os.environ.get("TIMELINE_CACHE_SIZE", "1024")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "BABEL_DEFAULT_LOCALE": "nb",
        # Moments are stored in UTC and shown in Norwegian time.
        "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
        "BABEL_TRANSLATION_DIRECTORIES": str(PACKAGE / "translations"),
        "JSON_SORT_KEYS": False,
        # Accept Skatteetaten's synthetic national ids (month + 80), which demo data and tests use.
        # A live service turns this off: real people never have them.
        "SYNTHETIC_NATIONAL_IDS": os.environ.get("SYNTHETIC_NATIONAL_IDS", "1") == "1",
        # Sign-in with ID-porten (portal.auth.oidc): the provider's address and this portal's
        # client there. Without them, people sign in with a username and password only.
        "IDPORTEN_ISSUER": os.environ.get("IDPORTEN_ISSUER"),
        "IDPORTEN_CLIENT_ID": os.environ.get("IDPORTEN_CLIENT_ID"),
        "IDPORTEN_CLIENT_SECRET": os.environ.get("IDPORTEN_CLIENT_SECRET"),
        # The same for HelseID, where staff sign in (portal.auth.oidc).
        "HELSEID_ISSUER": os.environ.get("HELSEID_ISSUER"),
        "HELSEID_CLIENT_ID": os.environ.get("HELSEID_CLIENT_ID"),
        "HELSEID_CLIENT_SECRET": os.environ.get("HELSEID_CLIENT_SECRET"),
        # A unit's systems, per API client, and the largest message they may send.
        "SYSTEM_RATE_LIMIT": os.environ.get("SYSTEM_RATE_LIMIT", "1200 per minute"),
        "SYSTEM_MAX_BYTES": int(os.environ.get("SYSTEM_MAX_BYTES", str(2 * 1024 * 1024))),
        # The most any request may send, chunked or not (a 413 past it). Forms send a few KiB; the
        # systems' routes keep to their own, smaller limit (SYSTEM_MAX_BYTES) within this one.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024))),
        # Host names the portal answers to (comma-separated; empty: any). Links sent to people are
        # made from PUBLIC_BASE_URL whatever the Host header says (portal.links).
        "TRUSTED_HOSTS": [host for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host] or None,
        # A unit's figure of how long a step took is shown only with at least this many cases behind it.
        "FIGURES_MIN_CASES": int(os.environ.get("FIGURES_MIN_CASES", "20")),
        # The job worker's queue (portal.jobs): a SQLite file for one machine, redis://… for several.
        "JOB_QUEUE_URL": os.environ.get("JOB_QUEUE_URL", f"sqlite:///{Path(instance_path) / 'jobs.sqlite'}"),
        # No message is sent between these hours, Norwegian time ("21-8": from 21:00 to 08:00).
        "QUIET_HOURS": _hours(os.environ.get("QUIET_HOURS", "21-8")),
        # Where e-mail goes out. make run starts a local sink on port 8025 that prints each message.
        "SMTP_HOST": os.environ.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "8025")),
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "0") == "1",
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME"),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Forløp <ikke-svar@forlop.example>"),
        # The domains staff work e-mail addresses may have (comma-separated, e.g. "ous-hf.no,helse-bergen.no";
        # empty: any). Staff activation codes go to that address.
        "STAFF_EMAIL_DOMAINS": [domain.strip().lower()
                                for domain in os.environ.get("STAFF_EMAIL_DOMAINS", "").split(",") if domain.strip()],
        # The SMS gateway (portal.notifications.channels.send_sms); without it, SMS is not offered.
        "SMS_GATEWAY_URL": os.environ.get("SMS_GATEWAY_URL"),
        "SMS_GATEWAY_TOKEN": os.environ.get("SMS_GATEWAY_TOKEN"),
    }


def _hours(text: str) -> tuple[int, int]:
    start, end = (int(hour) for hour in text.split("-"))
    return start, end
