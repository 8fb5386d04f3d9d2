"""Peppol BIS 3 export at scale: writing the UBL and checking it, per invoice line, timed.

A national month is about 300 invoices with 122 735 lines in all, written and checked before
anything is sent, so the figure that matters is lines per second for ``invoice_xml`` (write) and
for ``violations`` (XSD + business rules: check). The documents are generated deterministically
(seeded, no clock) from ``core.invoice`` dataclasses: several VAT rates (25, 12, 6 % and exempt),
periods, notes, corrections at a negative price and four-decimal unit prices, so that every
per-line rule has work to do. Each size is timed best of three, the document must pass every
rule, and the figures are printed with the month they imply, never pass/fail timing.
``SAMKALK_BENCH_PEPPOL_LINES`` (comma separated) sets the sizes for a quick run.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import sys
from collections.abc import Sequence
from decimal import Decimal

from bench.timing import best_of
from samkalk.adapters.peppol.ubl import invoice_xml
from samkalk.adapters.peppol.validate import violations, xsd_errors
from samkalk.core.invoice import (
    Document,
    DocumentKind,
    DocumentLine,
    Party,
    VatCategory,
    line_amount,
)

SIZES = (1_000, 20_000)
SEED = 20250301
RUNS = 3
MONTH_LINES = 122_735  # 300 invoices: a national month
TARGET_SECONDS = 10.0  # write + check of that month, CPU
PERIOD_START, PERIOD_END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
RATES = (
    (VatCategory.STANDARD, Decimal(25), 60),
    (VatCategory.STANDARD, Decimal(12), 15),
    (VatCategory.STANDARD, Decimal(6), 10),
    (VatCategory.EXEMPT, Decimal(0), 15),
)
UNITS = ("EA", "MON", "HUR", "C62")
SELLER = Party(
    name="Västmanlands IT-förbund",
    org_number="222000-1636",
    peppol_id="0007:2220001636",
    street="Stora Gatan 12",
    postal_code="722 12",
    city="Västerås",
    email="ekonomi@it-forbundet.example",
    vat_number="SE222000163601",
)
BUYER = Party(
    name="Köpings kommun",
    org_number="212000-2080",
    peppol_id="0007:2120002080",
    street="Box 54",
    postal_code="731 21",
    city="Köping",
)


def generate(lines: int, seed: int = SEED) -> Document:
    """An invoice of ``lines`` lines, the same for the same seed."""
    rng = random.Random(seed)
    return Document(
        kind=DocumentKind.INVOICE,
        number=f"2025-B{lines}",
        issue_date=dt.date(2025, 4, 1),
        due_date=dt.date(2025, 5, 1),
        seller=SELLER,
        buyer=BUYER,
        buyer_reference="KOP-IT-4711",
        lines=tuple(_line(rng, index) for index in range(1, lines + 1)),
        bankgiro="5050-1055",
        payment_terms="30 dagar netto",
        note="Fakturering enligt förbundsordningen",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )


def _line(rng: random.Random, index: int) -> DocumentLine:
    """One line; about one in twenty is a correction at a negative price (BR-27's path)."""
    category, percent, _ = rng.choices(RATES, weights=[w for *_, w in RATES])[0]
    quantity = Decimal(rng.randint(1, 40_000)).scaleb(-2)
    price = Decimal(rng.randint(1, 5_000_000)).scaleb(-4)
    if rng.random() < 0.05:
        price = -price
    periodic = rng.random() < 0.5
    return DocumentLine(
        line_id=str(index),
        product_code=f"P{rng.randint(1, 999):03d}",
        name=f"Tjänst {index}",
        quantity=quantity,
        unit_code=rng.choice(UNITS),
        unit_price=price,
        amount=line_amount(quantity, price),
        vat_category=category,
        vat_percent=percent,
        period_start=PERIOD_START if periodic else None,
        period_end=PERIOD_END if periodic else None,
        note="Rättelse" if price < 0 else "",
    )


def measure(lines: int, runs: int = RUNS) -> dict[str, float]:
    """CPU seconds of write, check and the XSD alone (the floor of check) for one size."""
    document = generate(lines)
    xml, _, write = best_of(runs, lambda: invoice_xml(document))
    found, _, check = best_of(runs, lambda: violations(xml))
    assert found == [], found[:5]
    _, _, xsd = best_of(runs, lambda: xsd_errors(xml))
    return {"lines": lines, "bytes": len(xml), "write": write, "check": check, "xsd": xsd}


def _sizes() -> Sequence[int]:
    configured = os.environ.get("SAMKALK_BENCH_PEPPOL_LINES")
    if configured:
        return [int(size) for size in configured.split(",")]
    return SIZES


def run(sizes: Sequence[int] | None = None) -> None:
    sizes = sizes or _sizes()
    print(f"Peppol BIS 3 — one invoice of {', '.join(map(str, sizes))} lines, best of {RUNS}")
    print(
        f"  machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}"
    )
    print(f"  {'lines':>7} {'MB':>6} {'write lines/s':>14} {'check lines/s':>14} {'xsd share':>10}")
    figures = [measure(size) for size in sizes]
    for f in figures:
        print(
            f"  {f['lines']:>7} {f['bytes'] / 2**20:6.1f} {f['lines'] / f['write']:>14,.0f} "
            f"{f['lines'] / f['check']:>14,.0f} {f['xsd'] / f['check']:>9.0%}".replace(",", " ")
        )
    largest = figures[-1]
    month = MONTH_LINES * (largest["write"] + largest["check"]) / largest["lines"]
    ratio = month / TARGET_SECONDS
    print(
        f"  a month of {MONTH_LINES:_} lines at the largest size's rate: write + check "
        f"{month:.1f} s CPU = {ratio:.2f} × the {TARGET_SECONDS:.0f} s target".replace("_", " ")
    )
    print("  checks: every generated document passes the XSD and every business rule")


if __name__ == "__main__":
    run([int(arg) for arg in sys.argv[1:]] or None)
