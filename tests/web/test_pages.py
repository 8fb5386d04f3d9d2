"""Every page, for every role: who may read it, who is turned away, and how."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samkalk.apps.accounts.models import Role
from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.audit.services import audit_record, snapshot
from tests.web.walk import is_download, web_pages

MANAGERS = {Role.ADMINISTRATOR, Role.ECONOMIST}
MANAGER_ONLY = {"web:audit_list", "web:staff_budget"}  # the staff budget: salaries
# A run holds every member's invoices: the federation's staff and the board read billing.
BILLING_READERS = MANAGERS | {Role.BOARD_READER}
BILLING_ONLY = {"web:billing_runs", "web:billing_preview", "web:billing_run", "web:billing_run_sie"}


def expected_status(name: str, role: Role) -> int:
    if name in MANAGER_ONLY and role not in MANAGERS:
        return 403
    if name in BILLING_ONLY and role not in BILLING_READERS:
        return 403
    return 200


@pytest.mark.parametrize("role", list(Role))
def test_every_page_renders_for_every_role_that_may_see_it(client, billed, role):
    client.force_login(billed.users[role])
    for name, url in web_pages(billed):
        response = client.get(url)
        expected = expected_status(name, role)
        assert response.status_code == expected, (name, role)
        if expected == 200 and not is_download(response):
            assert b"<caption>" in response.content or b"<caption " in response.content, name


def test_a_user_without_a_role_gets_403_everywhere(client, billed):
    client.force_login(billed.no_role)
    for name, url in web_pages(billed):
        assert client.get(url).status_code == 403, name


def test_anonymous_visitors_are_sent_to_the_login_page(client, billed):
    login = reverse("login")
    for name, url in web_pages(billed):
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(f"{login}?next="), name


@pytest.mark.parametrize("role", [Role.MEMBER_READER, Role.BOARD_READER, Role.OBJECT_OWNER])
def test_audit_trail_is_only_for_those_who_manage_data(client, federation, role):
    client.force_login(federation.users[role])
    assert client.get(reverse("web:audit_list")).status_code == 403


def test_navigation_follows_the_role(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    economist = client.get(reverse("web:start")).content.decode()
    client.force_login(federation.users[Role.BOARD_READER])
    board = client.get(reverse("web:start")).content.decode()
    client.force_login(federation.users[Role.ADMINISTRATOR])
    admin = client.get(reverse("web:start")).content.decode()
    audit, admin_url = reverse("web:audit_list"), reverse("admin:index")
    assert f'href="{audit}"' in economist and f'href="{admin_url}"' not in economist
    assert f'href="{audit}"' not in board and f'href="{admin_url}"' not in board
    assert f'href="{audit}"' in admin and f'href="{admin_url}"' in admin
    for label in (
        "Start",
        "Medlemmar",
        "Förvaltningsobjekt",
        "Produkter",
        "Fördelningsnycklar",
        "Beslut",
    ):
        assert f">{label}</a>" in board


def test_the_header_shows_the_federation_user_role_and_a_logout_form(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    html = client.get(reverse("web:start")).content.decode()
    assert "IT-förbundet Test" in html
    assert "ekonom" in html and "Ekonom" in html
    assert f'action="{reverse("logout")}" method="post"' in html
    assert 'class="skip-link" href="#main"' in html


def test_the_login_page_labels_its_fields(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert "<title>Logga in – Samkalk</title>" in html


def test_the_audit_trail_filters_by_record_type_and_pages(client, federation):
    actor = federation.users[Role.ECONOMIST]
    for product in federation.products.values():
        audit_record(
            actor=actor,
            via="test",
            action="create",
            instance=product,
            before=None,
            after=snapshot(product),
        )
    audit_record(
        actor=actor,
        via="test",
        action="create",
        instance=federation.alfa,
        before=None,
        after=snapshot(federation.alfa),
    )
    client.force_login(actor)
    url = reverse("web:audit_list")
    everything = client.get(url).content.decode()
    member_type = AuditEntry.objects.get(object_repr="Alfa").model
    only_members = client.get(url, {"model": member_type}).content.decode()
    assert "Nätanslutning" in everything and "Alfa" in everything
    assert "Nätanslutning" not in only_members and "1 ändring," in only_members
    assert client.get(url, {"page": "999"}).status_code == 200
