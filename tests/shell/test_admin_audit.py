"""Every change through the admin leaves an audit row; the audit trail itself is read-only."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.federation.models import Decision, Member


def test_every_registered_model_of_ours_is_audited():
    ours = [
        m
        for m in admin.site._registry
        if m._meta.app_label in {"federation", "governance", "catalogue", "budget", "accounts"}
    ]
    assert len(ours) >= 12
    for model in ours:
        assert isinstance(admin.site._registry[model], AuditedAdmin), model


def test_an_admin_change_and_delete_are_audited(db, client):
    user = get_user_model().objects.create_superuser(
        "root", "root@test.example", "pw-for-tests-only"
    )
    client.force_login(user)
    member = Member.objects.create(code="alfa", name="Alfa kommun", org_number="212000-0019")
    response = client.post(
        f"/admin/federation/member/{member.pk}/change/",
        {
            "code": "alfa",
            "name": "Alfa stad",
            "org_number": "212000-0019",
            "peppol_id": "",
            "payable_account": "2440",
            "input_vat_account": "2641",
            "cost_account": "6540",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == user and entry.via == "admin"
    assert entry.changed_fields() == [("name", "Alfa kommun", "Alfa stad")]
    response = client.post(f"/admin/federation/member/{member.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEntry.objects.get(action="delete")
    assert deleted.before["name"] == "Alfa stad" and deleted.after is None


def test_an_invalid_org_number_is_refused_by_the_admin(db, client):
    user = get_user_model().objects.create_superuser(
        "root", "root@test.example", "pw-for-tests-only"
    )
    client.force_login(user)
    response = client.post(
        "/admin/federation/member/add/",
        {"code": "x", "name": "X", "org_number": "212000-0018", "peppol_id": ""},
    )
    assert response.status_code == 200
    assert not Member.objects.exists() and not AuditEntry.objects.exists()


def test_the_audit_trail_cannot_be_edited_in_the_admin(db, client):
    user = get_user_model().objects.create_superuser(
        "root", "root@test.example", "pw-for-tests-only"
    )
    client.force_login(user)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403


def test_the_admin_refuses_to_mark_a_large_development_pool_decided_without_the_board(db, client):
    import datetime as dt

    from samkalk.apps.assets.models import AssetType, Investment, InvestmentLine, PriceBaseAmount
    from samkalk.apps.budget.models import Budget

    user = get_user_model().objects.create_superuser("root", "root@test.example", "pw-for-tests")
    client.force_login(user)
    PriceBaseAmount.objects.create(year=2026, amount_ore=5_920_000)
    kind = AssetType.objects.create(code="pott", name="Utvecklingspott")
    pool = Investment.objects.create(
        code="pott", name="Pott", asset_type=kind, development_pool=True
    )
    budget = Budget.objects.create(year=2026)
    InvestmentLine.objects.create(budget=budget, investment=pool, year=2026, amount_ore=200_000_000)
    form = {
        "code": "pott",
        "name": "Pott",
        "asset_type": kind.pk,
        "scope": "common",
        "financing": "loan",
        "development_pool": "on",
        "decided": "on",
    }
    response = client.post(f"/admin/assets/investment/{pool.pk}/change/", form)
    assert response.status_code == 200
    assert "six price base amounts" in response.content.decode() or "6 price base" in (
        response.content.decode()
    )
    pool.refresh_from_db()
    assert not pool.decided
    board = Decision.objects.create(
        reference="DIR 1",
        case_number="1",
        decided_on=dt.date(2026, 3, 1),
        body="board",
        title="Pott",
    )
    response = client.post(
        f"/admin/assets/investment/{pool.pk}/change/", {**form, "decision": board.pk}
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert pool.decided and AuditEntry.objects.filter(model="assets.investment").exists()
