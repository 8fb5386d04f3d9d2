"""A year's actual costs read from the ledger's SIE file, then settled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from samkalk.adapters.sie.writer import Company, sie_file
from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.billing.models import ActualCost
from samkalk.apps.billing.outcome import actual_costs_import
from samkalk.apps.workbook.services import workbook_import
from samkalk.cli import app
from samkalk.core.ledger import AccountMap, Transaction, Voucher
from tests.workbook.sample import write_sample

DAY = dt.date(2026, 5, 31)


@pytest.fixture
def sample(db, tmp_path):
    report = workbook_import(write_sample(tmp_path / "sample"), actor="test")
    assert report.ok, report.errors


def _ledger(*costs: Transaction) -> bytes:
    """One balanced voucher: the costs and the supplier payable (2440) they make."""
    payable = Transaction("2440", -sum((t.amount for t in costs), Decimal(0)))
    voucher = Voucher("A", 1, DAY, "Leverantörsfakturor maj", (*costs, payable))
    return sie_file(
        Company("Testförbundet", "222000-0018", "1"),
        [voucher],
        AccountMap(),
        {},
        DAY,
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    )


def test_costs_per_product_pool_and_member_are_summed_and_stored(sample):
    data = _ledger(
        Transaction("5420", Decimal("1000.00"), ((6, "datorer-hyra"),)),
        Transaction("5420", Decimal("250.50"), ((6, "datorer-hyra"),)),
        Transaction("7010", Decimal("40000.00"), ((1, "personal"),)),
        Transaction("6990", Decimal("800.00"), ((6, "grundanslag"), (2, "alfa"))),
    )  # the payable (2440) is not a cost account: it does not count
    result = actual_costs_import(data, 2026, file_name="maj.se", actor="test")
    assert not result.errors and result.written == 3
    stored = {
        (
            a.product and a.product.code,
            a.cost_pool and a.cost_pool.code,
            a.member and a.member.code,
        ): a.amount
        for a in ActualCost.objects.select_related("product", "cost_pool", "member")
    }
    assert stored == {
        ("datorer-hyra", None, None): Decimal("1250.50"),
        (None, "personal", None): Decimal("40000.00"),
        ("grundanslag", None, "alfa"): Decimal("800.00"),
    }
    assert AuditEntry.objects.filter(model="billing.actualcost").count() == 3


def test_a_cost_that_names_no_product_or_pool_stops_the_import(sample):
    data = _ledger(
        Transaction("5420", Decimal("1000.00"), ((6, "datorer-hyra"),)),
        Transaction("5460", Decimal("90.00")),
        Transaction("5420", Decimal("5.00"), ((6, "okand-produkt"),)),
    )
    result = actual_costs_import(data, 2026, file_name="maj.se", actor="test")
    assert {e.code for e in result.errors} == {"outcome.unassigned", "outcome.unknown_product"}
    assert result.written == 0 and not ActualCost.objects.exists()


def test_the_command_reads_the_file_and_a_dry_run_writes_nothing(sample, tmp_path):
    path = tmp_path / "bokslut.se"
    path.write_bytes(_ledger(Transaction("5420", Decimal("10.00"), ((6, "datorer-hyra"),))))
    runner = CliRunner()
    dry = runner.invoke(app, ["billing", "actuals", str(path), "--year", "2026", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert not ActualCost.objects.exists()
    done = runner.invoke(app, ["billing", "actuals", str(path), "--year", "2026"])
    assert done.exit_code == 0, done.output
    assert ActualCost.objects.get().amount == Decimal("10.00")
