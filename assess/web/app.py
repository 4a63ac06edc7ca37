"""The app factory: it wires settings, the database, the question bank and the views, nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter, ValidationError

from assess.core.settings import STATIC_DIR, ConfigurationError, Settings, check_instance_folder
from assess.formats.questionnaires import load_bank
from assess.services.accounts import setup_code
from assess.store.answers import questionnaires_in_use
from assess.store.connection import connect
from assess.web import database
from assess.web.views import register_views

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_UPLOAD = 2 * 1024 * 1024
"""The largest request body (an exchange file or a workbook)."""

ROW_ID_MAX = 2**63 - 1
"""The largest integer SQLite stores: a row id in a URL beyond it names nothing."""


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: a database row id, so only 0 .. 2**63-1 match and any other number
    is a 404 (it would overflow SQLite's integer), decided before its digits are even converted."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > len(str(ROW_ID_MAX)):
            raise ValidationError()
        return super().to_python(value)


_SETTING_KEYS = {
    "INSTANCE": "instance",
    "SECRET_KEY": "secret_key",
    "DOC_TEMPLATES_DIR": "doc_templates_dir",
    "QUESTIONNAIRE_DIRS": "questionnaire_dirs",
    "PUBLIC_URL": "public_url",
}


def settings_for(test_config: Mapping[str, Any] | None) -> Settings:
    """Return the environment's settings with a test's overrides (settings by their config names, the
    rest handed to Flask)."""
    overrides: dict[str, Any] = {}
    flask: dict[str, Any] = {}
    for key, value in (test_config or {}).items():
        name = _SETTING_KEYS.get(key)
        if name == "instance" or name == "doc_templates_dir":
            overrides[name] = Path(value).resolve()
        elif name == "questionnaire_dirs":
            overrides[name] = tuple(Path(v).resolve() for v in value)
        elif name is not None:
            overrides[name] = value
        else:
            flask[key] = value
    return Settings.from_environ(**overrides, flask=flask)


def _check_stored_data(app: Flask) -> None:
    """Refuse to start when stored assessments use a questionnaire that is not installed; with no
    account yet, print the one-time setup code that creates the first administrator."""
    db = connect(app.config["DATABASE"])  # its own connection: none may be open in gunicorn's master
    try:
        missing = sorted(questionnaires_in_use(db) - set(app.extensions["assess.bank"].questionnaires))
        code = None if missing else setup_code(db)
    finally:
        db.close()
    if missing:
        raise ConfigurationError(
            f"The database has assessments of {', '.join(missing)}, which no questionnaire folder holds: "
            "add the folder that has them to ASSESS_QUESTIONNAIRES (the shipped ones are always loaded)."
        )
    if code is not None:
        app.logger.warning(
            "No administrator yet: open /setup in a browser and enter the setup code %s "
            "(`assess setup-code` prints it again).",
            code,
        )


def create_app(test_config: Mapping[str, Any] | None = None, *, settings: Settings | None = None) -> Flask:
    """Return the configured Flask app: database migrated, questionnaires loaded, views registered.

    Raises ConfigurationError, in one sentence, when it cannot start as configured: the data folder
    cannot be written, the key is missing, unreadable or (in production) weak, no public address in
    production, the database file is empty, damaged, read-only or on a full disk, or assessments use
    a questionnaire not installed; and QuestionnaireError for bad or missing questionnaire files.
    """
    settings = settings or settings_for(test_config)
    check_instance_folder(settings.instance)
    settings = settings.with_secret_key().with_public_address()
    app = Flask(
        "assess.web",
        instance_path=str(settings.instance),
        static_folder=str(STATIC_DIR),
        template_folder=str(TEMPLATES),
    )
    app.config.from_mapping(
        DATABASE=str(settings.database),
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        # A workshop page stays open for hours: a token that expired would reject the answers.
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=7),
        # The session's idle and absolute limits are kept on the server: no need to re-sign the cookie each time.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    if settings.trusted_hosts:  # answer only to these Host names (a forged Host header gets 400)
        app.config["TRUSTED_HOSTS"] = list(settings.trusted_hosts)
    if settings.https:
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")
    app.config.from_mapping(settings.flask)
    if settings.proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    app.extensions["assess.settings"] = settings
    app.extensions["assess.bank"] = load_bank(settings.questionnaire_dirs)
    database.init_app(app)
    _check_stored_data(app)
    register_views(app)
    # After the views: the access check runs first, so a refused form never reaches the CSRF handler's
    # re-render with someone else's data, and the handler knows who is asking.
    CSRFProtect(app)
    return app
