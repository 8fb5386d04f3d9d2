"""The access walk: every page of the web app, found from its URL patterns, as Alfa's member
reader. A page that takes a member-scoped id (a member, an asset) must refuse Beta's; no page
(nor download: its cells are searched too) may show Beta's figures.
A new page is walked without changing this file (a new kind of id must be named in walk.py);
the walk runs over the billed federation (conftest ``billed``) so invoices and runs are there.
"""

from __future__ import annotations

import re

from django.urls import reverse

from samkalk.apps.accounts.models import Role
from samkalk.apps.web import urls as web_urls
from tests.web.walk import BETA_SECRETS, MEMBER_SCOPED, page_text, shows, web_pages

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def test_member_scoped_pages_refuse_another_members_id(client, billed):
    federation = billed
    client.force_login(federation.users[Role.MEMBER_READER])
    scoped = [p for p in web_urls.urlpatterns if MEMBER_SCOPED & set(p.pattern.converters)]
    assert scoped, "the walk should find at least the member page"
    for name, url in web_pages(federation, member=federation.beta):
        if name.split(":")[1] in {p.name for p in scoped}:
            assert client.get(url).status_code in {403, 404}, url


def test_no_page_shows_another_members_figures(client, billed):
    federation = billed
    client.force_login(federation.users[Role.MEMBER_READER])
    for name, url in web_pages(federation):
        response = client.get(url)
        assert response.status_code in {200, 403}, name
        html = CSRF_TOKEN.sub("", page_text(response))
        for secret in BETA_SECRETS:
            assert not shows(html, secret), (name, secret)


def test_member_reader_sees_only_their_own_member_and_key_values(client, federation):
    client.force_login(federation.users[Role.MEMBER_READER])
    members = client.get(reverse("web:member_list")).content.decode()
    assert "Alfa" in members
    key = client.get(reverse("web:key_detail", args=[federation.users_key.pk])).content.decode()
    assert "6\xa0120" in key and "60,0\xa0%" in key  # Alfa's value and share
    assert "10\xa0200" in key  # the total of all members
    for secret in BETA_SECRETS:
        assert secret not in members and secret not in key


def test_readers_of_all_data_see_both_members(client, federation):
    client.force_login(federation.users[Role.BOARD_READER])
    key = client.get(reverse("web:key_detail", args=[federation.users_key.pk])).content.decode()
    assert "6\xa0120" in key and "4\xa0080" in key and "40,0\xa0%" in key
    response = client.get(reverse("web:member_detail", args=[federation.beta.pk]))
    assert response.status_code == 200 and "Beta skola" in response.content.decode()
