"""The investment plan and financing pages: figures from data; one member's investments hidden."""

from django.urls import reverse

from samkalk.apps.accounts.models import Role


def test_the_economist_sees_every_investment_and_the_total(client, federation):
    client.force_login(federation.users[Role.ECONOMIST])
    page = client.get(reverse("web:investment_list")).content.decode()
    assert "Datorer och plattor" in page and "Skärmar" in page
    assert ">2 123<" in page.replace("\xa0", " ")  # 2 000 + 123 tkr


def test_a_member_reader_does_not_see_another_members_investment(client, federation):
    client.force_login(federation.users[Role.MEMBER_READER])
    page = client.get(reverse("web:investment_list")).content.decode()
    assert "Datorer och plattor" in page
    assert "Skärmar" not in page and "Beta" not in page


def test_financing_shows_debt_frame_room_and_interest(client, federation):
    client.force_login(federation.users[Role.BOARD_READER])
    response = client.get(reverse("web:financing"))
    assert response.status_code == 200
    cells = response.content.decode().replace("\xa0", " ")
    # 2026: debt 3 000 → 2 000 tkr after the June amortisation; frame 5 000; room 3 000.
    # Interest 2026: 6 months × 3 000 000 × 3 %/12 + 6 months × 2 000 000 × 3 %/12 = 75 000.
    for figure in ("3 000", "2 000", "5 000", "75"):
        assert f">{figure}<" in cells, figure
