"""Swedish by default, English on request, and a Swedish catalogue with nothing left out."""

from __future__ import annotations

from pathlib import Path

import polib
from django.urls import reverse

from samkalk.apps.accounts.models import Role

PO_FILE = Path(__file__).parents[2] / "src/samkalk/locale/sv/LC_MESSAGES/django.po"


def test_pages_are_swedish_by_default(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    html = client.get(reverse("web:start")).content.decode()
    assert '<html lang="sv">' in html and "Logga ut" in html


def test_the_language_switch_changes_the_page_language(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    start = reverse("web:start")
    response = client.post(reverse("set_language"), {"language": "en", "next": start})
    assert response.status_code == 302 and response["Location"] == start
    html = client.get(start).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Budget 2026 at a glance</h1>" in html and "Log out" in html
    assert "4,500" in html  # English number format


def test_the_swedish_catalogue_is_complete():
    catalogue = polib.pofile(str(PO_FILE))
    assert not catalogue.fuzzy_entries()
    assert not catalogue.untranslated_entries()
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(PO_FILE.with_suffix(".mo")))
    }
    for entry in catalogue.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (entry.msgstr, entry.msgstr_plural), (
            f"recompile: {entry.msgid!r}"
        )
