"""assess: self-assessment against ISO 10001, 10002 and 10003, with scores, gaps and Word policies."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def instance_folder() -> Path:
    """Return the instance folder: $ASSESS_INSTANCE, or ./instance."""
    return Path(os.environ.get("ASSESS_INSTANCE") or Path.cwd() / "instance").resolve()


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, else from the instance file (created on first start)."""
    from_env = os.environ.get("ASSESS_SECRET_KEY")
    if from_env:
        return from_env
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


def create_app(test_config: dict[str, Any] | None = None):
    """Return the configured Flask app: database migrated, questionnaires loaded, blueprints registered."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from assess import db as database
    from assess.questionnaire import default_questionnaire_dir, load_bank
    from assess.views import register_views

    instance = (
        Path(test_config["INSTANCE"]) if test_config and "INSTANCE" in test_config else instance_folder()
    )
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder="templates",
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
    )
    extra_dirs = os.environ.get("ASSESS_QUESTIONNAIRES")
    if extra_dirs:
        app.config["QUESTIONNAIRE_DIRS"] = extra_dirs.split(os.pathsep)
    if test_config:
        app.config.from_mapping({k: v for k, v in test_config.items() if k != "INSTANCE"})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    app.extensions["assess.bank"] = load_bank([Path(d) for d in app.config["QUESTIONNAIRE_DIRS"]])
    database.init_app(app)
    CSRFProtect(app)
    register_views(app)
    return app
