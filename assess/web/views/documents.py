"""Documents: readiness, preview and download of each organization's Word documents."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request

from assess.core.slug import slugify
from assess.documents import DOCUMENT_IDS, document_filename, list_documents
from assess.services.documents import document_docx, document_html, document_pack, documents_readiness
from assess.web.database import get_db
from assess.web.views.access import bank, organization_or_404, settings
from assess.web.views.auth import access

bp = Blueprint("documents", __name__, url_prefix="/orgs/<int:org_id>/documents")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _citations() -> bool:
    return request.args.get("citations", "1") != "0"


def _document_or_404(document: str) -> str:
    if document not in DOCUMENT_IDS:
        abort(404)
    return document


@bp.get("")
@access("viewer")
def index(org_id: int):
    row = organization_or_404(org_id)
    documents = documents_readiness(get_db(), bank(), row.id, settings().doc_templates_dir)
    return render_template("documents/index.html", org=row, documents=documents, page_numbers=settings().update_fields)


@bp.get("/<document>")
@access("viewer")
def preview(org_id: int, document: str):
    row = organization_or_404(org_id)
    document = _document_or_404(document)
    templates = settings().doc_templates_dir
    html = document_html(get_db(), bank(), row.id, document, templates, _citations())
    info = next(i for i in list_documents(templates) if i.id == document)
    return render_template("documents/preview.html", org=row, info=info, body=html)


@bp.get("/<document>.docx")
@access("viewer")
def download(org_id: int, document: str):
    row = organization_or_404(org_id)
    document = _document_or_404(document)
    today = date.today()
    content = document_docx(
        get_db(), bank(), row.id, document, settings().doc_templates_dir, _citations(), today, settings().update_fields
    )
    name = document_filename(document, row.name, today)
    return Response(content, mimetype=DOCX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/all.zip")
@access("viewer")
def download_all(org_id: int):
    row = organization_or_404(org_id)
    today = date.today()
    content = document_pack(
        get_db(), bank(), row.id, settings().doc_templates_dir, _citations(), today, settings().update_fields
    )
    name = f"documents_{slugify(row.name)}_{today.isoformat()}.zip"
    return Response(
        content, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
