"""One walk through a real browser: log in as the economist, read the start page, open a member,
its forecast and from there a product's price calculation.

Drives Debian's Chromium through Playwright against pytest-django's live server. Without
/usr/bin/chromium the test is skipped, except in CI (CI=true), where a missing browser fails.
The screenshots at /tmp/samkalk-start.png and /tmp/samkalk-price.png are there for a person to
look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from samkalk.apps.accounts.models import Role

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/samkalk-start.png")
PASSWORD = "ett-langt-testlosenord-2026"


@pytest.fixture
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def economist(transactional_db, federation):
    user = federation.users[Role.ECONOMIST]
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.browser
def test_economist_reads_the_budget_and_opens_a_member(live_server, economist, chromium):
    from playwright.sync_api import expect

    context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/konto/logga-in/"))
    page.get_by_label("Användarnamn").fill(economist.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Budget 2026 i överblick")
    expect(page.locator("tfoot td[data-total]").first).to_have_text("4\xa0500")
    expect(page.locator("svg[role=img] title")).to_have_text(re.compile("Delbudget"))
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Medlemmar").click()
    page.get_by_role("link", name="Alfa").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alfa")
    expect(page.get_by_text("Alfa kommunledning")).to_be_visible()

    page.get_by_role("link", name="Vad Alfa betalar enligt budgeten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad Alfa betalar 2026")
    expect(page.locator("tfoot td[data-total]")).to_have_text("2\xa0700\xa0000")
    expect(page.locator("svg[role=img] title")).to_have_text(re.compile("Vad Alfa betalar"))

    page.get_by_role("link", name="Nätanslutning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priskalkyl: Nätanslutning")
    expect(page.locator("[data-unit-price]")).to_have_text("800,00\xa0kr")
    expect(page.locator("svg[role=img] title")).to_have_text(re.compile("Självkostnad för"))
    page.screenshot(path=str(SCREENSHOT.with_name("samkalk-price.png")), full_page=True)
    context.close()


@pytest.fixture
def billing_economist(transactional_db, billed):
    user = billed.users[Role.ECONOMIST]
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.browser
def test_economist_opens_an_invoice_and_the_settlement(
    live_server, billing_economist, billed, chromium
):
    from playwright.sync_api import expect

    context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Användarnamn").fill(billing_economist.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Fakturering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Debiteringskörningar")
    page.get_by_role("link", name="2026-03").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Debiteringskörning 2026-03")
    invoice = billed.invoices["alfa"]
    page.get_by_role("link", name=invoice.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Faktura {invoice.number}")
    expect(page.locator("tfoot td[data-total]")).to_have_text("842\xa0031,25")
    devices = page.locator("details.devices")
    expect(devices.get_by_role("rowheader", name="A-0001")).to_be_visible()
    expect(page.get_by_role("button", name="Skriv ut")).to_be_visible()  # shown by its script
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()
    page.emulate_media(media="screen")
    page.screenshot(path=str(SCREENSHOT.with_name("samkalk-invoice.png")), full_page=True)

    page.goto(f"{live_server.url}/fakturering/")
    page.get_by_role("link", name="Slutavräkning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slutavräkning 2026")
    expect(page.locator("svg[role=img] title")).to_have_text("Avräkning 2026 per medlem")
    expect(page.locator("tr[data-member]")).to_have_count(2)
    page.screenshot(path=str(SCREENSHOT.with_name("samkalk-settlement.png")), full_page=True)
    context.close()
