"""Documents: readiness, preview and download of each organization's Word documents."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request

from assess.core.slug import slugify
from assess.documents import (
    DOCUMENT_IDS,
    document_filename,
    list_documents,
    readiness,
    render_docx,
    render_html,
    render_pack,
)
from assess.store import db
from assess.web.views.access import bank, organization_or_404
from assess.web.views.auth import access

bp = Blueprint("documents", __name__, url_prefix="/orgs/<int:org_id>/documents")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _organization(org_id: int):
    row = organization_or_404(org_id)
    data = db.load_organization(db.get_db(), row.id)
    assert data is not None
    return row, data


def _options() -> dict:
    return {
        "citations": request.args.get("citations", "1") != "0",
        "templates_dir": current_app.config["DOC_TEMPLATES_DIR"],
    }


def _document_or_404(document: str) -> str:
    if document not in DOCUMENT_IDS:
        abort(404)
    return document


@bp.get("")
@access("viewer")
def index(org_id: int):
    row, data = _organization(org_id)
    templates_dir = current_app.config["DOC_TEMPLATES_DIR"]
    documents = [
        (info, readiness(bank(), data, info.id, templates_dir=templates_dir)) for info in list_documents(templates_dir)
    ]
    return render_template("documents/index.html", org=row, documents=documents, facts=bank().profile)


@bp.get("/<document>")
@access("viewer")
def preview(org_id: int, document: str):
    row, data = _organization(org_id)
    document = _document_or_404(document)
    html = render_html(bank(), data, document, **_options())
    info = next(i for i in list_documents(current_app.config["DOC_TEMPLATES_DIR"]) if i.id == document)
    return render_template("documents/preview.html", org=row, info=info, body=html)


@bp.get("/<document>.docx")
@access("viewer")
def download(org_id: int, document: str):
    row, data = _organization(org_id)
    document = _document_or_404(document)
    content = render_docx(bank(), data, document, **_options())
    name = document_filename(document, row.name, date.today())
    return Response(content, mimetype=DOCX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/all.zip")
@access("viewer")
def download_all(org_id: int):
    row, data = _organization(org_id)
    content = render_pack(bank(), data, **_options())
    name = f"documents_{slugify(row.name)}_{date.today().isoformat()}.zip"
    return Response(
        content, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
