"""Blueprints: thin views that parse the request, call the domain, and render."""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def register_views(app: Flask) -> None:
    from assess.views import assessments, documents, organizations

    app.register_blueprint(organizations.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(documents.bp)

    @app.get("/")
    def index():
        return redirect(url_for("organizations.index"))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = (
            "This form was open too long or came from another site, so it was not saved. "
            "Go back, reload the page and try again."
        )
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": message}, 400
        return render_template("error.html", code=400, title="Form not accepted", message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        titles = {404: "Page not found", 413: "File too large", 405: "Not allowed", 400: "Bad request"}
        message = (
            error.description
            if code != 404
            else "There is nothing here. The link may be old, or "
            "the organization or assessment may have been deleted."
        )
        if code == 413:
            message = "The file is larger than this server accepts (2 MB). Check that it is an exchange file."
        if request.path.endswith(".json") or request.is_json:
            return {"error": message}, code
        return render_template(
            "error.html", code=code, title=titles.get(code, "Error"), message=message
        ), code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return render_template(
            "error.html",
            code=500,
            title="Something went wrong",
            message="The server could not finish this request. Nothing you saved before was lost; "
            "try again, and if it keeps happening tell your administrator the time it happened.",
        ), 500
