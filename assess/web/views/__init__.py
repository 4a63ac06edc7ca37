"""Blueprints: thin views that parse the request, call the domain, and render."""

from __future__ import annotations

import json
import secrets

from flask import Flask, abort, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException, NotFound, SecurityError

from assess.core import vocabulary
from assess.store.connection import DatabaseError

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Matplotlib's SVG styles itself inline; it is only ever shown as an image, never a page.
CSP_SVG = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


def security_headers(response):
    """Add the security headers to every response."""
    svg = response.mimetype == "image/svg+xml"
    response.headers.setdefault("Content-Security-Policy", CSP_SVG if svg else CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.extensions["assess.settings"].https:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if g.get("user") is not None and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_nameless_fields() -> None:
    """Before every form post: a field the browser sent without a usable name (a malformed multipart
    part) is refused with 400, since WTForms cannot read such a form."""
    if request.method == "POST" and request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if any(not isinstance(key, str) for key in (*request.form.keys(), *request.files.keys())):
            abort(400, "The form had a field without a name, so nothing was saved.")


def _vocabulary(app: Flask) -> None:
    """Give every template the one vocabulary of `assess.core.vocabulary` as filters and globals."""
    app.jinja_env.filters.update(
        level_label=vocabulary.level_label,
        short_label=vocabulary.short_label,
        percent=vocabulary.percent,
        share=vocabulary.share,
        maturity_label=vocabulary.maturity_label,
        when=vocabulary.when,
        clock=vocabulary.clock,
    )
    app.jinja_env.globals.update(
        LEVELS=vocabulary.LEVELS,
        SHORT_LABELS=vocabulary.SHORT_LABELS,
        SHORT_LABELS_JSON=json.dumps(vocabulary.SHORT_LABELS),
        DONT_KNOW=vocabulary.DONT_KNOW,
    )


def http_error_page(error: HTTPException):
    """Return the error page (or JSON) for a refused request, in plain words."""
    code = error.code or 500
    titles = {
        404: "Page not found",
        413: "File too large",
        405: "Not allowed",
        400: "Bad request",
        401: "Please log in",
        403: "Not allowed",
        429: "Too many attempts",
    }
    message = error.description
    if code == 404 and message == NotFound.description:
        message = (
            "There is nothing here. The link may be old, or the organization or assessment may have "
            "been deleted, or your account may not have access to it."
        )
    if code == 413:
        message = "The file is larger than this server accepts (2 MB). Check that it is an exchange file."
    if code == 401:
        message = "Your session has ended. Log in again; answers saved before are kept."
    if _wants_json() or request.path.endswith(".json"):
        return {"error": message}, code
    return render_template("error.html", code=code, title=titles.get(code, "Error"), message=message), code


def register_views(app: Flask) -> None:
    from assess.web.views import (
        actions,
        assessments,
        auth,
        compare,
        documents,
        organizations,
        people,
        prepare,
        workbooks,
        workshops,
    )

    app.register_blueprint(auth.bp)
    app.register_blueprint(organizations.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(workshops.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(actions.bp)
    app.register_blueprint(workbooks.bp)
    app.register_blueprint(prepare.bp)
    auth.init_auth(app)
    app.before_request(refuse_nameless_fields)
    app.after_request(security_headers)
    _vocabulary(app)

    @app.get("/")
    @auth.access("public")
    def index():
        return redirect(url_for("organizations.index"))

    @app.get("/csrf-token")
    @auth.access("login")
    def csrf_token():
        """A fresh form token, for pages left open longer than a token lives (autosave retries with it)."""
        return {"csrf_token": generate_csrf()}

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = (
            "The page was open so long that its form token expired, so nothing was saved. "
            "Your answers are still on the page: save again."
        )
        if _wants_json():
            return {"error": message, "csrf": True}, 400
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and request.method == "POST" and getattr(view, "keeps_input", False):
            # Show the same form again with what the user typed and a fresh token: nothing is lost.
            g.csrf_message = message
            try:
                response = app.make_response(view(**(request.view_args or {})))  # type: ignore[arg-type]
            except HTTPException as refused:
                return http_error_page(refused)
            response.status_code = 400
            return response
        return render_template("error.html", code=400, title="Form not accepted", message=message), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # No page: with an untrusted Host header no URL of ours can be built.
        return "Bad request: this server does not answer to that host name.", 400, {"Content-Type": "text/plain"}

    app.errorhandler(HTTPException)(http_error_page)

    @app.errorhandler(DatabaseError)
    def database_error(error: Exception):
        """A bad day at run time (disk full, folder made read-only, database locked too long or damaged):
        one plain sentence, as JSON for autosave, and nothing half-written (the transaction rolled back)."""
        reference = secrets.token_hex(4)
        app.logger.exception("database error %s on %s", reference, request.path)
        name = getattr(error, "sqlite_errorname", "")
        saving = request.method != "GET"
        outcome = "this was not saved" if saving else "this page could not be shown"
        json_reply = _wants_json() or request.path.endswith(".json")
        # autosave's page stays as it was; a submitted form's page is replaced by this one
        kept = (
            (" Nothing was saved by this request" + ("; what you typed is still on the page." if json_reply else "."))
            if saving
            else ""
        )
        if name == "SQLITE_FULL":
            message = f"The server's disk is full, so {outcome}.{kept} Tell your administrator."
        elif name == "SQLITE_READONLY":
            message = f"The server cannot write its database just now, so {outcome}.{kept} Tell your administrator."
        elif name == "SQLITE_BUSY":
            message = f"The server is busy, so {outcome}.{kept} Try again in a moment."
        else:
            message = (
                f"The server's database could not be read or written, so {outcome}.{kept} "
                f"Give your administrator this reference: {reference}."
            )
        if json_reply:
            return {"error": message}, 503
        title = "Not saved" if saving else "Not shown"
        return render_template("error.html", code=503, title=title, message=message), 503

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        reference = secrets.token_hex(4)
        app.logger.exception("unhandled error %s on %s", reference, request.path)
        message = (
            "The server could not finish this request. Nothing you saved before was lost; try again, "
            f"and if it keeps happening give your administrator this reference: {reference}."
        )
        if _wants_json() or request.path.endswith(".json"):
            return {"error": message}, 500
        return render_template("error.html", code=500, title="Something went wrong", message=message), 500
