"""Rules that span rows and sheets, checked over the workbook merged with what is stored.

An import may carry only some sheets (new key values for a year, say), so references and sums
are checked against the union of the workbook and the records already in the database
(``existing``: sheet → key → record, in the same shape as parsed records). Pure: no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from samkalk.adapters.workbook.parse import ParsedRow, ParsedWorkbook, Record, key_of
from samkalk.adapters.workbook.spec import SHEETS, SHEETS_BY_NAME
from samkalk.core.allocation import PERCENT_TOTAL, percent_total_error
from samkalk.core.errors import CoreError
from samkalk.core.investments import decided_problems
from samkalk.core.leasing import validate_direct_purchase
from samkalk.core.loans import Amortisation, Loan, LoanPurpose, validate_loan
from samkalk.core.price_rules import price_change_problems

Existing = dict[str, dict[tuple[Any, ...], Record]]

# Columns other than the key that must be unique within a sheet.
UNIQUE = {
    "members": (("name",), ("org_number",)),
    "organisations": (("member", "name"),),
    "governance_objects": (("name",),),
    "cost_pools": (("name",),),
    "asset_types": (("name",),),
}
PLAN_YEARS = 2
COMPARISON_YEARS = 2


def validate(book: ParsedWorkbook, existing: Existing) -> list[CoreError]:
    merged = _merge(book, existing)
    errors: list[CoreError] = []
    for check in CHECKS:
        errors.extend(check(book, merged))
    return errors


def _merge(book: ParsedWorkbook, existing: Existing) -> Existing:
    merged: Existing = {name: dict(existing.get(name, {})) for name in SHEETS_BY_NAME}
    for name, sheet in book.sheets.items():
        for row in sheet.rows:
            merged[name][key_of(sheet.spec, row.record)] = row.record
    return merged


def _rows(book: ParsedWorkbook, name: str) -> Iterator[tuple[Any, ParsedRow]]:
    sheet = book.sheets.get(name)
    if sheet is not None:
        for row in sheet.rows:
            yield sheet.raw, row


def _references(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for spec in SHEETS:
        refs = [c for c in spec.columns if c.kind == "ref"]
        for raw, row in _rows(book, spec.name):
            for column in refs:
                value = row.record.get(column.name)
                if value is not None and (value,) not in merged[column.ref]:
                    target = SHEETS_BY_NAME[column.ref]
                    yield CoreError(
                        "ref.unknown",
                        f"unknown {target.label.lower()} {value!r} "
                        f"(not in the sheet {target.label} nor in the database)",
                        raw.source(row.number, column.name),
                    )


def _unique(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for name, groups in UNIQUE.items():
        for columns in groups:
            owners: dict[tuple[Any, ...], tuple[Any, ...]] = {}
            for key, record in merged[name].items():
                owners.setdefault(tuple(record.get(c) for c in columns), key)
            spec = SHEETS_BY_NAME[name]
            for raw, row in _rows(book, name):
                value = tuple(row.record.get(c) for c in columns)
                if None in value or "" in value:
                    continue
                owner = owners[value]
                if owner != key_of(spec, row.record):
                    yield CoreError(
                        "row.not_unique",
                        f"{', '.join(map(str, value))} is already used by {owner[0]}",
                        raw.source(row.number, columns[-1]),
                    )


def _federation(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    if len(merged["federation"]) > 1:
        for raw, row in _rows(book, "federation"):
            yield CoreError(
                "federation.other",
                "the database holds another federation (organisation number differs); "
                "one database serves one federation",
                raw.source(row.number, "org_number"),
            )
    elif not merged["federation"]:
        yield CoreError(
            "federation.missing",
            "the workbook has no Förbund sheet and the database holds no federation",
        )


def _products(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "products"):
        r = row.record
        if r["category"] != "base_grant" and not r.get("governance_object"):
            yield CoreError(
                "product.object_required",
                "a product outside the base grant belongs to a governance object",
                raw.source(row.number, "governance_object"),
            )
        if r["price_model"] == "allocated" and not r.get("allocation_key"):
            yield CoreError(
                "product.key_required",
                "a product split by an allocation key needs the key",
                raw.source(row.number, "allocation_key"),
            )
        if r["price_model"] == "per_unit" and not r.get("unit"):
            yield CoreError(
                "product.unit_required",
                "a product priced per unit needs its unit",
                raw.source(row.number, "unit"),
            )


def _budgets(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "budgets"):
        if row.record["status"] == "adopted" and not row.record.get("decision"):
            yield CoreError(
                "budget.decision_required",
                "an adopted budget refers to the decision that adopted it",
                raw.source(row.number, "decision"),
            )
    for name in BUDGET_SHEETS:
        for raw, row in _rows(book, name):
            budget, year = row.record["budget"], row.record["year"]
            if budget is not None and not budget <= year <= budget + PLAN_YEARS:
                yield CoreError(
                    "budget.year_outside",
                    f"budget {budget} covers {budget}–{budget + PLAN_YEARS}, not {year}",
                    raw.source(row.number, "year"),
                )


BUDGET_SHEETS = (
    "budget_years",
    "direct_costs",
    "cost_pool_lines",
    "overhead_shares",
    "consumptions",
    "volumes",
)


def _direct_costs(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "direct_costs"):
        if row.record["kind"] == "equity_use" and row.record["amount"] > 0:
            yield CoreError(
                "budget.equity_use_positive",
                "use of equity reduces what the product charges: zero or a negative amount",
                raw.source(row.number, "amount"),
            )


def _consumptions(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "consumptions"):
        if row.record["consumer"] == row.record["provider"]:
            yield CoreError(
                "consumption.self",
                f"product {row.record['consumer']} cannot consume itself",
                raw.source(row.number, "provider"),
            )
        if row.record["percent"] == 0:
            yield CoreError(
                "consumption.zero",
                "a consumption is more than 0 %; leave the row out instead",
                raw.source(row.number, "percent"),
            )
    yield from _sums_per_group(
        book,
        merged,
        "consumptions",
        ("budget", "year", "provider"),
        "percent",
        lambda group, total: total > PERCENT_TOTAL,
        lambda group, total: (
            f"other products take {total} % of product {group[2]} in {group[1]}, more than 100 %"
        ),
        "consumption.over_100",
    )


def _prices(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    bodies = {k[0]: r["body"] for k, r in merged["decisions"].items()}
    owners = {k[0]: r["object_owner_may_decide"] for k, r in merged["pricing_guidelines"].items()}
    for raw, row in _rows(book, "product_prices"):
        decision = row.record.get("decision")
        for problem in price_change_problems(
            row.record["valid_from"],
            bodies.get(decision) if decision else None,
            bool(owners.get(row.record["guideline"])),
        ):
            yield CoreError(problem.code, problem.message, raw.source(row.number, "decision"))


def _capital_carriers(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "asset_types"):
        if row.record.get("rent_product") and row.record.get("cost_pool"):
            yield CoreError(
                "asset_type.two_carriers",
                "an asset type's capital cost is carried by its rent product or by a cost pool, "
                "not both",
                raw.source(row.number, "cost_pool"),
            )


def _billing(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "federation"):
        if (row.record.get("invoice_prefix") or "F") == "K":
            yield CoreError(
                "federation.invoice_prefix",
                "K numbers the credit notes; invoices need another prefix",
                raw.source(row.number, "invoice_prefix"),
            )
    for raw, row in _rows(book, "usage"):
        if row.record["month"].day != 1:
            yield CoreError(
                "usage.month", "a month is given by its first day", raw.source(row.number, "month")
            )
    for raw, row in _rows(book, "actual_costs"):
        if bool(row.record.get("product")) == bool(row.record.get("cost_pool")):
            yield CoreError(
                "actual.product_or_pool",
                "an actual cost is of a product or of a cost pool: give exactly one",
                raw.source(row.number, "product"),
            )
        if row.record.get("member") and not row.record.get("product"):
            yield CoreError(
                "actual.member_cost_needs_product",
                "a cost one member bears alone is invoiced under a product: name it",
                raw.source(row.number, "product"),
            )
    recipients: dict[str, list[str]] = defaultdict(list)
    for key, record in merged["organisations"].items():
        if record.get("receives_member_invoices"):
            recipients[record["member"]].append(key[0])
    for raw, row in _rows(book, "organisations"):
        others = recipients.get(row.record["member"], [])
        if row.record.get("receives_member_invoices") and len(others) > 1:
            yield CoreError(
                "organisation.two_member_recipients",
                f"member {row.record['member']} has more than one organisation receiving its "
                f"invoices: {', '.join(sorted(others))}",
                raw.source(row.number, "receives_member_invoices"),
            )


def _key_values(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    percent_keys = {k[0] for k, r in merged["allocation_keys"].items() if r["unit"] == "percent"}
    for raw, row in _rows(book, "key_snapshots"):
        if row.record["value"] < 0:
            yield CoreError(
                "key.negative", "a key value is zero or more", raw.source(row.number, "value")
            )
    yield from _sums_per_group(
        book,
        merged,
        "key_snapshots",
        ("key", "as_of"),
        "value",
        lambda group, total: group[0] in percent_keys and percent_total_error(total) is not None,
        lambda group, total: f"key {group[0]} on {group[1]}: {percent_total_error(total)}",
        "key.percent_total",
    )


def _overhead(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    percent_pools = {
        k[0] for k, r in merged["cost_pools"].items() if r.get("basis", "percent") == "percent"
    }
    for raw, row in _rows(book, "overhead_shares"):
        if row.record["cost_pool"] in percent_pools and row.record["weight"] > PERCENT_TOTAL:
            yield CoreError(
                "overhead.over_100",
                f"a share of cost pool {row.record['cost_pool']} is a percentage, at most 100",
                raw.source(row.number, "weight"),
            )
    yield from _sums_per_group(
        book,
        merged,
        "overhead_shares",
        ("budget", "year", "cost_pool"),
        "weight",
        lambda group, total: group[2] in percent_pools and total > PERCENT_TOTAL,
        lambda group, total: (
            f"the shares of cost pool {group[2]} in {group[1]} add up to {total} %, more than 100 %"
        ),
        "overhead.over_100",
    )


def _sums_per_group(
    book: ParsedWorkbook,
    merged: Existing,
    name: str,
    group_by: tuple[str, ...],
    column: str,
    wrong: Callable[[tuple[Any, ...], Decimal], bool],
    message: Callable[[tuple[Any, ...], Decimal], str],
    code: str,
) -> Iterator[CoreError]:
    totals: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    for record in merged[name].values():
        totals[tuple(record[g] for g in group_by)] += record[column]
    reported: set[tuple[Any, ...]] = set()
    for raw, row in _rows(book, name):
        group = tuple(row.record[g] for g in group_by)
        if group not in reported and wrong(group, totals[group]):
            reported.add(group)
            yield CoreError(code, message(group, totals[group]), raw.source(row.number, column))


def _positive(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    """Amounts and lives that must be more than zero (a negative life, a zero loan …)."""
    for name, column, code, message in POSITIVE:
        for raw, row in _rows(book, name):
            value = row.record.get(column)
            if value is not None and value <= 0:
                yield CoreError(code, message, raw.source(row.number, column))
    for name, column, code, message in NOT_NEGATIVE:
        for raw, row in _rows(book, name):
            value = row.record.get(column)
            if value is not None and value < 0:
                yield CoreError(code, message, raw.source(row.number, column))


POSITIVE = (
    (
        "asset_types",
        "depreciation_months",
        "asset.life_not_positive",
        "the depreciation time is more than zero months",
    ),
    (
        "investments",
        "depreciation_months",
        "asset.life_not_positive",
        "the depreciation time is more than zero months",
    ),
    ("price_base_amounts", "amount", "amount.not_positive", "the amount is more than zero"),
    ("loans", "amount", "amount.not_positive", "the amount is more than zero"),
    ("loan_amortisations", "amount", "amount.not_positive", "the amount is more than zero"),
    ("guarantee_frames", "amount", "amount.negative", "the frame is zero or more"),
    (
        "federation",
        "minimum_life_months",
        "federation.minimum_life_not_positive",
        "the minimum useful life is more than zero months (leave it empty for no minimum)",
    ),
)
NOT_NEGATIVE = (
    (
        "federation",
        "capitalisation_threshold_pba",
        "federation.threshold_negative",
        "the capitalisation threshold is zero or more price base amounts",
    ),
    ("assets", "acquisition_cost", "amount.negative", "the acquisition cost is zero or more"),
    ("assets", "disposal_proceeds", "amount.negative", "the disposal proceeds are zero or more"),
    ("overhead_shares", "weight", "overhead.negative", "a share is zero or more"),
    ("volumes", "quantity", "volume.negative", "a quantity is zero or more"),
    ("usage", "quantity", "usage.negative", "a quantity is zero or more"),
    ("staff_posts", "amount", "amount.negative", "the monthly salary is zero or more"),
)


def _investments(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    for raw, row in _rows(book, "investments"):
        scope, member = row.record["scope"], row.record.get("member")
        if scope == "member" and not member:
            yield CoreError(
                "investment.member_required",
                "an investment of one member names the member",
                raw.source(row.number, "member"),
            )
        if scope == "common" and member:
            yield CoreError(
                "investment.member_on_common",
                "a common investment belongs to no single member; use scope member",
                raw.source(row.number, "member"),
            )
    for raw, row in _rows(book, "investment_lines"):
        budget, year = row.record["budget"], row.record["year"]
        if budget is not None and not budget - COMPARISON_YEARS <= year <= budget + PLAN_YEARS:
            yield CoreError(
                "budget.year_outside",
                f"the investment plan of budget {budget} covers {budget - COMPARISON_YEARS}–"
                f"{budget + PLAN_YEARS}, not {year}",
                raw.source(row.number, "year"),
            )


def _loans(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    """Each loan with its amortisation plan (stored and imported) passes the core's checks."""
    plans: dict[str, list[Amortisation]] = defaultdict(list)
    for record in merged["loan_amortisations"].values():
        plans[record["loan"]].append(Amortisation(record["due_on"], record["amount"]))
    # A problem is shown on the loan's last amortisation row, or else on the loan's own row.
    places = {row.record["code"]: (raw, row) for raw, row in _rows(book, "loans")}
    places.update(
        {row.record["loan"]: (raw, row) for raw, row in _rows(book, "loan_amortisations")}
    )
    for (code,), record in merged["loans"].items():
        if code not in places:
            continue  # neither the loan nor its plan is in this workbook
        loan = Loan(
            code,
            record["lender"],
            LoanPurpose(record["purpose"]),
            record["amount"],
            record["borrowed_on"],
            record["rate_percent"],
            tuple(plans[code]),
        )
        raw, row = places[code]
        column = "amount" if raw.spec.name == "loan_amortisations" else "borrowed_on"
        for problem in validate_loan(loan):
            yield CoreError(
                problem.code, f"loan {code}: {problem.message}", raw.source(row.number, column)
            )


@dataclass(frozen=True, slots=True)
class AssetRules:
    """The federation's rules for the register: capitalisation threshold and minimum life."""

    threshold_pba: Decimal
    minimum_life_months: int | None


def asset_rules(book: ParsedWorkbook, merged: Existing) -> AssetRules:
    """The rules of the federation in the workbook, else of the one stored."""
    records = [row.record for _, row in _rows(book, "federation")]
    records += list(merged["federation"].values())
    if not records:
        return AssetRules(Decimal(1), None)
    record = records[0]
    threshold = record.get("capitalisation_threshold_pba")
    return AssetRules(
        Decimal(1) if threshold is None else threshold, record.get("minimum_life_months")
    )


def _useful_lives(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    """An asset type's or investment's own life is not below the federation's minimum."""
    minimum = asset_rules(book, merged).minimum_life_months
    if not minimum or minimum <= 0:
        return
    federation = next(_rows(book, "federation"), None)
    for name in ("asset_types", "investments"):
        in_book = set()
        for raw, row in _rows(book, name):
            in_book.add(row.record["code"])
            life = row.record.get("depreciation_months")
            if life is not None and 0 < life < minimum:
                yield CoreError(
                    "asset.life_below_minimum",
                    f"the depreciation time {life} months is below the federation's minimum "
                    f"useful life of {minimum} months",
                    raw.source(row.number, "depreciation_months"),
                )
        if federation is None:
            continue
        # A minimum set in this workbook also holds for the stored types and investments.
        raw, row = federation
        for (code,), record in merged[name].items():
            life = record.get("depreciation_months")
            if code not in in_book and life is not None and 0 < life < minimum:
                yield CoreError(
                    "asset.life_below_minimum",
                    f"{SHEETS_BY_NAME[name].label} {code} has a depreciation time of {life} "
                    f"months, below this minimum useful life of {minimum} months",
                    raw.source(row.number, "minimum_life_months"),
                )


def _assets(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    """Each register row: holder, dates, capitalisation threshold, life, direct purchase."""
    sheet = book.sheets.get("assets")
    if sheet is None:
        return
    raw = sheet.raw
    rules = asset_rules(book, merged)
    minimum = rules.minimum_life_months if (rules.minimum_life_months or 0) > 0 else None
    thresholds = {
        year: rules.threshold_pba * record["amount"]
        for (year,), record in merged["price_base_amounts"].items()
    }
    types = {code: record for (code,), record in merged["asset_types"].items()}
    investments = {code: record for (code,), record in merged["investments"].items()}
    # A type or investment whose own life is reported on its own row is not reported again
    # on every asset of it.
    reported = {
        (name, row.record["code"])
        for name in ("asset_types", "investments")
        for _, row in _rows(book, name)
        if minimum and 0 < (row.record.get("depreciation_months") or minimum) < minimum
    }
    check_threshold = rules.threshold_pba > 0
    # The threshold applies to a whole purchase (order or invoice): the sum of its assets,
    # stored and imported. An asset without a purchase is a purchase of its own.
    purchases: dict[str, Decimal] = defaultdict(Decimal)
    if check_threshold:
        for record in merged["assets"].values():
            if record.get("purchase") and record["acquisition_cost"] is not None:
                purchases[record["purchase"]] += record["acquisition_cost"]
    for row in sheet.rows:
        r = row.record
        number = row.number
        for column, code, message in _asset_row_problems(r):
            yield CoreError(code, message, raw.source(number, column))
        acquired = r["acquired_on"]
        if check_threshold and acquired is not None:
            threshold = thresholds.get(acquired.year)
            if threshold is None:
                yield CoreError(
                    "asset.no_price_base_amount",
                    f"no price base amount for {acquired.year}, the year of acquisition "
                    "(add it on the sheet Prisbasbelopp)",
                    raw.source(number, "acquired_on"),
                )
            elif r["acquisition_cost"] >= 0:
                purchase = r.get("purchase")
                cost = purchases[purchase] if purchase else r["acquisition_cost"]
                if cost < threshold:
                    what = f"purchase {purchase} costs" if purchase else "the acquisition cost is"
                    yield CoreError(
                        "asset.below_threshold",
                        f"{what} {cost}, below the capitalisation threshold {threshold} "
                        f"({rules.threshold_pba} price base amounts of {acquired.year}): "
                        "an expense, not an asset",
                        raw.source(number, "acquisition_cost"),
                    )
        asset_type = types.get(r["asset_type"])
        if asset_type is None:
            continue  # an unknown type is reported by the reference check
        yield from _asset_life(r, asset_type, investments, minimum, reported, raw, number)
        if r["direct_purchase"]:
            for problem in validate_direct_purchase(
                bool(asset_type.get("direct_purchase_allowed")), r.get("decision")
            ):
                yield CoreError(
                    "asset.direct_purchase_not_allowed",
                    f"asset type {r['asset_type']}: {problem.message}",
                    raw.source(number, "direct_purchase"),
                )


def _asset_row_problems(r: Record) -> Iterator[tuple[str, str, str]]:
    """The rules inside one register row: (column, code, message) for each broken one."""
    status, acquired = r["status"], r["acquired_on"]
    disposed, start, end = r.get("disposed_on"), r.get("lease_start"), r.get("lease_end")
    if status == "leased" and not r.get("organisation"):
        yield "organisation", "asset.holder_required", "a leased asset names its holder"
    if status in DISPOSED and disposed is None:
        yield "disposed_on", "asset.disposal_date_required", f"a {status} asset has a disposal date"
    if disposed is not None and acquired is not None and disposed < acquired:
        yield "disposed_on", "asset.disposed_before_acquired", "disposed of before it was acquired"
    if start is not None and acquired is not None and start < acquired:
        yield "lease_start", "asset.lease_before_acquired", "leased out before it was acquired"
    if end is not None and start is not None and end < start:
        yield "lease_end", "asset.lease_end_before_start", "the lease ends before it starts"
    if r.get("disposal_proceeds") is not None and status != "sold":
        yield (
            "disposal_proceeds",
            "asset.proceeds_without_sale",
            "only a sold asset has disposal proceeds",
        )


DISPOSED = frozenset({"sold", "scrapped"})


def _asset_life(
    r: Record,
    asset_type: Record,
    investments: dict[Any, Record],
    minimum: int | None,
    reported: set[tuple[str, Any]],
    raw: Any,
    number: int,
) -> Iterator[CoreError]:
    """The asset's life (its investment's, else its type's) exists and meets the minimum."""
    investment = investments.get(r.get("investment")) if r.get("investment") else None
    if investment is not None and investment.get("depreciation_months"):
        life, owner, column = (
            investment["depreciation_months"],
            ("investments", r["investment"]),
            "investment",
        )
    else:
        life, owner, column = (
            asset_type.get("depreciation_months"),
            ("asset_types", r["asset_type"]),
            "asset_type",
        )
    if life is None:
        yield CoreError(
            "asset.type_without_life",
            f"asset type {r['asset_type']} has no depreciation time; set it before registering "
            "assets of it",
            raw.source(number, "asset_type"),
        )
    elif minimum is not None and 0 < life < minimum and owner not in reported:
        yield CoreError(
            "asset.life_below_minimum",
            f"the depreciation time {life} months is below the federation's minimum useful "
            f"life of {minimum} months",
            raw.source(number, column),
        )


def _development_pool(book: ParsedWorkbook, merged: Existing) -> Iterator[CoreError]:
    """Unspecified investments marked decided above six price base amounts need the board."""
    volumes: dict[int, Decimal] = defaultdict(Decimal)
    years_of: dict[str, set[int]] = defaultdict(set)
    pool = {code for (code,), r in merged["investments"].items() if r["development_pool"]}
    for record in merged["investment_lines"].values():
        if record["investment"] in pool:
            volumes[record["year"]] += record["amount"]
            years_of[record["investment"]].add(record["year"])
    amounts = {year: r["amount"] for (year,), r in merged["price_base_amounts"].items()}
    bodies = {ref: r["body"] for (ref,), r in merged["decisions"].items()}
    for raw, row in _rows(book, "investments"):
        r = row.record
        if not (r["development_pool"] and r["decided"]):
            continue
        by_board = bodies.get(r.get("decision")) == "board"
        for year in sorted(years_of[r["code"]]):
            for problem in decided_problems(
                year=year,
                volume=volumes[year],
                price_base_amount=amounts.get(year),
                decided_by_board=by_board,
            ):
                yield CoreError(problem.code, problem.message, raw.source(row.number, "decided"))


CHECKS = (
    _references,
    _unique,
    _federation,
    _products,
    _budgets,
    _key_values,
    _overhead,
    _direct_costs,
    _consumptions,
    _prices,
    _capital_carriers,
    _billing,
    _positive,
    _investments,
    _loans,
    _useful_lives,
    _assets,
    _development_pool,
)
