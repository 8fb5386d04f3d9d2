"""The ``samkalk`` command: import, export, the demo, the server and reports.

One entry point for everything a user or an operator does from a shell. It honours
``DATABASE_URL`` and ``SAMKALK_ENV`` like the web app. Report commands take
``--format table|json|csv``; amounts in JSON are strings with two decimals in SEK.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="Samkalk: economy and governance for a shared public-sector IT organisation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samkalk.config.settings")
    import django

    django.setup()


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="An .xlsx workbook or a folder of CSV files.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Import a federation workbook in one transaction: everything, or nothing and every error."""
    _django()
    from samkalk.apps.workbook.services import workbook_import
    from samkalk.cli_output import print_import_report

    with _progress(f"Reading {path.name}"):
        report = workbook_import(path, actor="samkalk import (command line)", dry_run=dry_run)
    print_import_report(report, fmt.value)
    if not report.ok:
        raise typer.Exit(1)


@app.command("export")
def export(
    path: Annotated[Path, typer.Argument(help="An .xlsx file name, or a folder for CSV files.")],
) -> None:
    """Export all federation data in the workbook format (the import reads it back unchanged)."""
    _django()
    from samkalk.apps.workbook.services import workbook_export

    with _progress(f"Writing {path}"):
        written = workbook_export(path)
    typer.echo(f"Wrote {len(written)} file(s) to {path}")


@app.command("migrate")
def migrate() -> None:
    """Create or update the database tables."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@app.command("demo")
def demo() -> None:
    """Load the demo federation (again: nothing is duplicated) and create the demo users."""
    _django()
    from django.conf import settings

    if settings.PRODUCTION:
        typer.echo(
            "The demo users have public passwords; refused with SAMKALK_ENV=production.", err=True
        )
        raise typer.Exit(2)
    from django.utils import timezone

    from samkalk.apps.workbook.demo import DEMO_WORKBOOK, demo_billing_ensure, demo_users_ensure
    from samkalk.apps.workbook.services import workbook_import
    from samkalk.cli_output import print_import_report

    with _progress("Loading the demo federation"):
        report = workbook_import(DEMO_WORKBOOK, actor="samkalk demo")
    print_import_report(report, "table")
    if not report.ok:
        raise typer.Exit(1)
    with _progress("Billing the months that have ended"):
        months = demo_billing_ensure(timezone.localdate())
    if months:
        typer.echo(f"Posted the billing runs of {', '.join(f'{m:%Y-%m}' for m in months)}.")
    for login in demo_users_ensure():
        typer.echo(f"  {login.role:<14} user {login.username:<12} password {login.password}")


@app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
) -> None:
    """Serve the web app on 127.0.0.1 (for local use; production runs a WSGI server)."""
    _django()
    from django.core.management import call_command

    typer.echo(f"Samkalk is served at http://127.0.0.1:{port}/  (Ctrl-C stops it)")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=False)


@app.command("workbook-format")
def workbook_format() -> None:
    """Print the workbook format reference (docs/import-format.md is this output)."""
    from samkalk.adapters.workbook.docs import format_reference

    typer.echo(format_reference(), nl=False)


@app.command("members")
def members(fmt: FormatOption = Format.table) -> None:
    """List the member municipalities and their invoiced organisations."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.reports.registers import member_rows

    emit(member_rows(), fmt.value, title="Members")


@app.command("keys")
def keys(
    year: Annotated[int, typer.Option(help="The year the key values are used for.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Each allocation key's values and shares per member for a year, by the key's rule."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.reports.registers import key_share_rows

    rows, errors = key_share_rows(year)
    emit(rows, fmt.value, title=f"Allocation keys used for {year}")
    for error in errors:
        typer.echo(f"warning: {error}", err=True)


@app.command("products")
def products(fmt: FormatOption = Format.table) -> None:
    """The catalogue: products with object, revenue category and price model."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.reports.registers import product_rows

    emit(product_rows(), fmt.value, title="Products")


assets_app = typer.Typer(
    help="Assets: the year's depreciation and capital cost, and the replacement plan.",
    no_args_is_help=True,
)
app.add_typer(assets_app, name="assets")


@assets_app.command("schedule")
def assets_schedule(
    year: Annotated[int, typer.Option(help="The calendar year.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Per asset type: count, acquisitions, depreciation, interest, capital cost, book value."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.reports.asset_schedule import asset_schedule, asset_schedule_rows

    schedule = asset_schedule(year)
    rate = schedule.rate
    rate_text = f"{rate.rate_percent.normalize():f}"
    emit(
        asset_schedule_rows(schedule),
        fmt.value,
        title=f"Depreciation and capital cost {year} ({rate_text} %, {rate.basis})",
    )
    if schedule.direct_purchases:
        typer.echo(f"note: {schedule.direct_purchases} direct purchase(s) left out", err=True)
    for error in schedule.errors:
        typer.echo(f"warning: {error}", err=True)


@assets_app.command("replacement-plan")
def assets_replacement_plan(
    from_year: Annotated[int, typer.Option("--from", help="The first year of the plan.")],
    years: Annotated[int, typer.Option(min=1, help="How many years.")] = 5,
    fmt: FormatOption = Format.table,
) -> None:
    """Per year, asset type and member: devices reaching the end of their life, and the cost."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.reports.replacement_plan import replacement_plan, replacement_rows

    plan = replacement_plan(from_year, years)
    emit(
        replacement_rows(plan),
        fmt.value,
        title=f"Replacement plan {from_year}–{from_year + years - 1}",
    )
    overdue = sum(r.count for r in plan.overdue)
    if overdue:
        typer.echo(f"note: {overdue} device(s) held past their end of life", err=True)
    for error in plan.errors:
        typer.echo(f"warning: {error}", err=True)


@app.command("financing")
def financing(
    year: Annotated[int, typer.Option(help="The calendar year.")],
    fmt: FormatOption = Format.table,
) -> None:
    """The financing table of a year: debt, borrowing, amortisation, guarantee frame, interest."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.core.money import round_ore
    from samkalk.reports.financing import financing as financing_table

    result = financing_table(year, 1)
    row = result.years[0]
    amounts = {
        name: round_ore(getattr(row, name))
        for name in (
            "opening_debt",
            "new_borrowing",
            "new_borrowing_equity",
            "amortisation",
            "closing_debt",
            "guarantee_frame",
            "frame_left",
            "interest",
        )
    }
    emit([{"year": row.year, **amounts}], fmt.value, title=f"Financing {year}")
    for error in (*result.errors, *row.warnings):
        typer.echo(f"warning: {error}", err=True)


def _budget_of(year: int) -> Any:
    from samkalk.reports.budget_report import budget_for_year

    budget = budget_for_year(year)
    if budget is None:
        typer.echo(f"error: no budget covers {year}", err=True)
        raise typer.Exit(1)
    return budget


def _warn(errors: Any) -> None:
    for error in errors:
        typer.echo(f"warning: {error}", err=True)


@app.command("prices")
def prices(
    year: Annotated[int, typer.Option(help="The budget year or a plan year.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Per product: full cost, volume, unit price, expected revenue and cost coverage."""
    _django()
    from samkalk.cli_output import emit
    from samkalk.reports.budget_report import price_rows
    from samkalk.reports.pricing import price_year

    with _progress("Pricing the catalogue"):
        priced = price_year(_budget_of(year), year)
    emit(price_rows(priced), fmt.value, title=f"Prices {year}")
    _warn(priced.errors)


@app.command("budget")
def budget(
    year: Annotated[int, typer.Option(help="The budget year.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Revenue by category, object sub-budgets, base grant, income statement and cost pools."""
    _django()
    from samkalk.cli_output import emit, emit_json
    from samkalk.reports.budget_report import budget_summary
    from samkalk.reports.pricing import price_budget

    chosen = _budget_of(year)
    if chosen.year != year:
        typer.echo(f"error: {year} is a plan year of budget {chosen.year}", err=True)
        raise typer.Exit(1)
    with _progress("Computing the budget"):
        priced = price_budget(chosen)
        summary = budget_summary(chosen, priced)
    if fmt.value == "json":
        emit_json(summary)
    else:
        years = [str(y.year) for y in priced]
        emit(
            [{"object": name, **by_year} for name, by_year in summary["objects"].items()]
            + [{"object": "Base grant", **summary["base_grant_by_year"]}],
            fmt.value,
            title=f"Object sub-budgets {', '.join(years)}",
        )
        emit(
            [
                {"line": k, **{y: s[k] for y, s in summary["income_statement"].items()}}
                for k in next(iter(summary["income_statement"].values()))
            ],
            fmt.value,
            title="Income statement",
        )
        emit(
            [
                {
                    "category": name,
                    "amount": amount,
                    "percent": summary["revenue_by_category_percent"][name],
                }
                for name, amount in summary["revenue_by_category"].items()
            ],
            fmt.value,
            title=f"Revenue by category {year}",
        )
        emit(
            [
                {"cost_pool": name, "amount": amount}
                for name, amount in summary["cost_pools"].items()
            ],
            fmt.value,
            title=f"Cost pools {year}",
        )
    _warn({e for y in priced for e in y.errors})


@app.command("forecast")
def forecast(
    year: Annotated[int, typer.Option(help="The year the member budgets for.")],
    member: Annotated[str, typer.Option(help="The member's name or code.")],
    fmt: FormatOption = Format.table,
) -> None:
    """What one member will pay in a year, product by product, and its total."""
    _django()
    from samkalk.cli_output import emit, emit_json
    from samkalk.reports.budget_report import find_member, forecast_dict, member_forecast

    found = find_member(member)
    if found is None:
        typer.echo(f"error: no member named {member!r}", err=True)
        raise typer.Exit(1)
    with _progress("Computing the forecast"):
        result, priced, errors = member_forecast(_budget_of(year), year, found)
    data = forecast_dict(found, year, result, priced)
    if fmt.value == "json":
        emit_json(data)
    else:
        emit(
            data["products"]
            + [dict.fromkeys(data["products"][0], "") | {"name": "Total", "amount": data["total"]}]
            if data["products"]
            else [{"name": "Total", "amount": data["total"]}],
            fmt.value,
            title=f"{found.name}: forecast {year}",
        )
    _warn(errors)


billing_app = typer.Typer(
    help="Billing runs: preview or post a month, export its invoices.", no_args_is_help=True
)
app.add_typer(billing_app, name="billing")


def _month(text: str) -> Any:
    import datetime as dt

    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        typer.echo(f"error: {text!r} is not a month (YYYY-MM)", err=True)
        raise typer.Exit(2) from None


@billing_app.command("run")
def billing_run(
    period: Annotated[str, typer.Option(help="The month billed, YYYY-MM.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Preview; write nothing.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Bill a month: each recipient's invoice with its lines (posted unless --dry-run)."""
    _django()
    from samkalk.apps.billing.reports import posted_run_dict, preview_dict
    from samkalk.apps.billing.services import BillingError, billing_preview, billing_run_post
    from samkalk.cli_output import emit, emit_json

    month = _month(period)
    with _progress("Billing " + period):
        if dry_run:
            preview = billing_preview(month)
            data, errors = preview_dict(preview), preview.errors
        else:
            try:
                run = billing_run_post(month, actor="cli", via="cli")
            except BillingError as exc:
                typer.echo(f"error: {exc.error}", err=True)
                raise typer.Exit(1) from None
            data, errors = posted_run_dict(run), ()
    if fmt.value == "json":
        emit_json(data)
    else:
        emit(
            [{k: v for k, v in invoice.items() if k != "lines"} for invoice in data["invoices"]],
            fmt.value,
            title=f"Billing {period}: total {data['total']}" + (" (dry run)" if dry_run else ""),
        )
    _warn(errors)


@billing_app.command("export")
def billing_export(
    period: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
    to: Annotated[Path, typer.Option(help="The folder to write to.")],
    as_: Annotated[str, typer.Option("--as", help="peppol, sie, sie-members or xlsx.")] = "peppol",
) -> None:
    """Export a posted month: Peppol UBL per invoice, the federation's SIE 4I file, a SIE 4I
    file per member for its own ledger, or Excel specifications."""
    _django()
    from samkalk.apps.billing.exports import EXPORTERS

    exporter = EXPORTERS.get(as_)
    if exporter is None:
        typer.echo(f"error: --as is one of {', '.join(EXPORTERS)}", err=True)
        raise typer.Exit(2)
    result = exporter(_month(period), to)
    for error in result.errors:
        typer.echo(f"error: {error}", err=True)
    if not result.files and result.errors:
        raise typer.Exit(1)
    typer.echo(f"{len(result.files)} file(s) written to {to}")


@billing_app.command("actuals")
def billing_actuals(
    path: Annotated[Path, typer.Argument(help="The ledger's SIE 4 file.")],
    year: Annotated[int, typer.Option(help="The year of the actual costs.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check; write nothing.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Read a year's actual costs per product and cost pool from an SIE file (for settle).

    A cost names its product by the project dimension (6), its cost pool by the cost-centre
    dimension (1), and a member that bears it alone by dimension 2.
    """
    _django()
    from samkalk.apps.billing.outcome import actual_costs_import
    from samkalk.cli_output import emit

    result = actual_costs_import(
        path.read_bytes(), year, file_name=path.name, actor="cli", dry_run=dry_run
    )
    for error in result.errors:
        typer.echo(f"error: {error}", err=True)
    if result.errors:
        typer.echo(f"{path}: {len(result.errors)} problem(s); nothing was written.", err=True)
        raise typer.Exit(1)
    emit(
        [
            {"product": r.product, "cost_pool": r.cost_pool, "member": r.member, "amount": r.amount}
            for r in result.rows
        ],
        fmt.value,
        title=f"Actual costs {year}" + (" (dry run)" if dry_run else ""),
    )


@app.command("settle")
def settle(
    year: Annotated[int, typer.Option(help="The year to settle.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compute; write nothing.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Year-end settlement per member: billed, actual cost and the difference to settle."""
    _django()
    from samkalk.apps.billing.services import BillingError
    from samkalk.apps.billing.settlement import settlement_compute, settlement_post
    from samkalk.cli_output import emit, emit_json

    with _progress(f"Settling {year}"):
        computed = settlement_compute(year)
        if not dry_run:
            try:
                settlement_post(year, actor="cli", via="cli")
            except BillingError as exc:
                typer.echo(f"error: {exc.error}", err=True)
                raise typer.Exit(1) from None
    rows = [
        {
            "member": m.member,
            "billed": m.billed,
            "actual": m.actual,
            "settlement": m.settlement,
        }
        for m in computed.members
    ]
    if fmt.value == "json":
        emit_json(
            [
                row
                | {
                    "lines": [
                        {
                            "product": line.product,
                            "billed": line.billed,
                            "actual": line.actual,
                            "settlement": line.settlement,
                            "own_cost": line.own_cost,
                        }
                        for line in member.lines
                    ]
                }
                for row, member in zip(rows, computed.members, strict=True)
            ]
        )
    else:
        emit(rows, fmt.value, title=f"Settlement {year}" + (" (dry run)" if dry_run else ""))
    _warn(computed.errors)


@app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `samkalk manage createsuperuser`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["samkalk manage", *ctx.args])


class _progress:
    """A spinner with elapsed time on the terminal while long work runs (silent when piped)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._progress: Any = None

    def __enter__(self) -> None:
        if sys.stderr.isatty():
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                transient=True,
            )
            self._progress.start()
            self._progress.add_task(self.text, total=None)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def main() -> None:
    app()
