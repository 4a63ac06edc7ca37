"""assess: self-assessment against ISO 10001, 10002 and 10003, with scores, gaps and Word policies."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def instance_folder() -> Path:
    """Return the instance folder: $ASSESS_INSTANCE, or ./instance."""
    return Path(os.environ.get("ASSESS_INSTANCE") or Path.cwd() / "instance").resolve()


WEAK_KEYS = {"dev", "development", "secret", "changeme", "change-me", "test", "key"}


class ConfigurationError(RuntimeError):
    """The app cannot start as configured; the message says what to do."""


def secret_key_file(instance: Path) -> Path:
    return instance / "secret_key"


def ensure_secret_key(instance: Path) -> Path:
    """Create the instance's secret key file (random, owner-only) if it does not exist; return its path."""
    path = secret_key_file(instance)
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path


def _secret_key(instance: Path, production: bool) -> str:
    """Return SECRET_KEY from $ASSESS_SECRET_KEY or the instance file.

    Outside production a missing file is created; in production a missing or weak key refuses
    to start, so no two workers ever sign sessions with different keys.
    """
    key = os.environ.get("ASSESS_SECRET_KEY", "")
    path = secret_key_file(instance)
    if not key and path.exists():
        key = path.read_text(encoding="utf-8").strip()
    if not key and not production:
        key = ensure_secret_key(instance).read_text(encoding="utf-8").strip()
    if not key:
        raise ConfigurationError(
            f"No SECRET_KEY: set ASSESS_SECRET_KEY, or create {path} (`assess serve` makes one on first run)."
        )
    if production and (len(key) < 32 or key.lower() in WEAK_KEYS):
        raise ConfigurationError("SECRET_KEY is too weak for production: use at least 32 random characters.")
    return key


def create_app(test_config: dict[str, Any] | None = None):
    """Return the configured Flask app: database migrated, questionnaires loaded, blueprints registered."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from assess.core.questionnaire import default_questionnaire_dir, load_bank
    from assess.store import db as database
    from assess.web.views import register_views

    instance = Path(test_config["INSTANCE"]) if test_config and "INSTANCE" in test_config else instance_folder()
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(Path(__file__).resolve().parent / "web" / "templates"),
    )
    app.config.from_mapping(
        DATABASE=str(instance / "assess.sqlite3"),
        QUESTIONNAIRE_DIRS=[str(default_questionnaire_dir())],
        DOC_TEMPLATES_DIR=str(PROJECT_ROOT / "doc_templates"),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # A workshop page stays open for hours: a token that expired would reject the answers.
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=7),
        # The session's idle and absolute limits are kept on the server: no need to re-sign the cookie each time.
        SESSION_REFRESH_EACH_REQUEST=False,
        PRODUCTION=os.environ.get("ASSESS_PRODUCTION", "") == "1",
        # Behind HTTPS (directly or via a proxy that sets X-Forwarded-Proto): Secure cookies and HSTS.
        HTTPS=os.environ.get("ASSESS_HTTPS", "") == "1",
        PROXY=os.environ.get("ASSESS_PROXY", "") == "1",
    )
    trusted = [h.strip() for h in os.environ.get("ASSESS_TRUSTED_HOSTS", "").split(",") if h.strip()]
    if trusted:  # answer only to these Host names (a forged Host header gets 400)
        app.config["TRUSTED_HOSTS"] = trusted
    extra_dirs = os.environ.get("ASSESS_QUESTIONNAIRES")
    if extra_dirs:
        app.config["QUESTIONNAIRE_DIRS"] = extra_dirs.split(os.pathsep)
    if test_config:
        app.config.from_mapping({k: v for k, v in test_config.items() if k != "INSTANCE"})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance, app.config["PRODUCTION"])
    if app.config["HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")
    if app.config["PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    app.extensions["assess.bank"] = load_bank([Path(d) for d in app.config["QUESTIONNAIRE_DIRS"]])
    database.init_app(app)
    register_views(app)
    # After the views: the access check runs first, so a refused form never reaches the CSRF handler's
    # re-render with someone else's data, and the handler knows who is asking.
    CSRFProtect(app)
    return app
