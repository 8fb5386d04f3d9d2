"""The pages of the web app, found from its URL patterns so that a new page is tested at once.

Every URL keyword must have a value in ``kwarg_values``; ids that belong to one member are
named ``member_id`` (``asset_id`` for an asset a member's organisation holds), and the access walk
requests those with another member's id.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.urls import reverse
from openpyxl import load_workbook

from samkalk.apps.web import urls as web_urls
from samkalk.reports.budget_xlsx import XLSX_TYPE

# URL keywords whose value belongs to one member: the walk fills them with another member's.
MEMBER_SCOPED = {"member_id", "asset_id"}

# Beta's figures, which Alfa's member reader must never see.
BETA_SECRETS = ("Beta", "212000-0209", "4\xa0080", "4080", "40,0")


def kwarg_values(fed: SimpleNamespace, member) -> dict[str, int]:
    """A value for every URL keyword the web app uses; ``member`` fills the member-scoped ones."""
    return {
        "member_id": member.pk,
        "object_id": fed.platform.pk,
        "key_id": fed.users_key.pk,
        "product_id": fed.products["natanslutning"].pk,
        "asset_id": fed.assets[member.code].pk,
    }


def page_text(response) -> str:
    """A page's HTML, or a download's cell values (an .xlsx) one per line, to search for secrets."""
    if response.get("Content-Type", "").startswith(XLSX_TYPE):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return response.content.decode()


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
