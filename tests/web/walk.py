"""The pages of the web app, found from its URL patterns so that a new page is tested at once.

Every URL keyword must have a value in ``kwarg_values``; ids that belong to one member are
named ``member_id`` (``asset_id`` for an asset a member's organisation holds, ``invoice_id`` for
an invoice, ``organisation_id`` for an organisation), and the access walk requests those with
another member's id. The walk needs the ``billed`` fixture: a run and its invoices to open.
"""

from __future__ import annotations

import io
import re
import zlib
from types import SimpleNamespace

from django.urls import reverse
from openpyxl import load_workbook

from samkalk.apps.web import urls as web_urls
from samkalk.reports.budget_xlsx import XLSX_TYPE

# URL keywords whose value belongs to one member: the walk fills them with another member's.
MEMBER_SCOPED = {"member_id", "asset_id", "invoice_id", "organisation_id"}

# Beta's figures, which Alfa's member reader must never see.
BETA_SECRETS = ("Beta", "212000-0209", "4\xa0080", "4080", "40,0")


def shows(text: str, secret: str) -> bool:
    """Whether ``text`` holds ``secret`` as a word or figure of its own: "Beta" in "Beta skola",
    not in "Betalningsvillkor"; "4080" in "4080 st", not in "14080"."""
    return re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text) is not None


def kwarg_values(fed: SimpleNamespace, member) -> dict[str, int]:
    """A value for every URL keyword the web app uses; ``member`` fills the member-scoped ones."""
    assert hasattr(fed, "invoices"), "walk the billed federation (the `billed` fixture)"
    return {
        "member_id": member.pk,
        "object_id": fed.platform.pk,
        "key_id": fed.users_key.pk,
        "product_id": fed.products["natanslutning"].pk,
        "asset_id": fed.assets[member.code].pk,
        "run_id": fed.march.pk,
        "invoice_id": fed.invoices[member.code].pk,
        "organisation_id": fed.organisations[member.code].pk,
    }


def pdf_text(content: bytes) -> str:
    """The text a PDF draws (its content streams, inflated), enough to search for a figure."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    parts = []
    for stream in streams:
        try:
            parts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            parts.append(stream.decode("latin-1"))
    return "\n".join(parts)


def page_text(response) -> str:
    """A page's HTML, or a download's text: an .xlsx's cell values one per line, a PDF's drawn
    text, a text file in its own encoding (SIE is cp437) — to search for secrets."""
    content_type = response.get("Content-Type", "")
    body = response.getvalue()  # a download may be streamed
    if content_type.startswith("application/pdf"):
        return pdf_text(body)
    if content_type.startswith(XLSX_TYPE):
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body.decode(response.charset or "utf-8")


def is_download(response) -> bool:
    return response.get("Content-Disposition", "").startswith("attachment")


def web_pages(fed: SimpleNamespace, member=None) -> list[tuple[str, str]]:
    """(url name, url) for every page of the web app, found from its URL patterns."""
    values = kwarg_values(fed, member or fed.alfa)
    pages = []
    for pattern in web_urls.urlpatterns:
        names = list(pattern.pattern.converters)
        unknown = set(names) - set(values)
        assert not unknown, f"{pattern.name}: add {unknown} to kwarg_values in {__name__}"
        name = f"{web_urls.app_name}:{pattern.name}"
        pages.append((name, reverse(name, kwargs={k: values[k] for k in names})))
    return pages
