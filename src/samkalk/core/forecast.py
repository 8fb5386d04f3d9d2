"""Member forecast (medlemsprognos): what each member will pay next year, product by product.

The figure a municipality puts in its own budget. A per-unit product costs the member its
quantity × the unit price; an allocated product's expected revenue is split between the
members by the product's key values; a pass-through product's expected revenue is split by the
members' quantities (what each ordered). Every split goes through ``money.apportion``, so the
members' amounts of a split product add up to the product's expected revenue to the öre.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from samkalk.core.allocation import shares, split_by_key
from samkalk.core.errors import CoreError
from samkalk.core.money import ZERO, apportion, round_ore
from samkalk.core.pricing import PriceModel, PricingResult, ProductCost

_NO_AMOUNT = Decimal("0.00")


class Basis(StrEnum):
    QUANTITY = "quantity"  # quantity × unit price
    KEY_SHARE = "key_share"  # share of the product by its allocation key
    ORDER_SHARE = "order_share"  # share of a pass-through product by quantity ordered
    OWN_INVESTMENT = "own_investment"  # capital cost of an investment of the member's own


@dataclass(frozen=True, slots=True)
class MemberQuantity:
    """Volym: a member's budgeted quantity of a product (units, or ordered amount)."""

    member: str
    product: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ForecastLine:
    member: str
    product: str
    basis: Basis
    quantity: Decimal | None  # per-unit and pass-through products
    share: Decimal | None  # exact fraction of the product (key or order share), not rounded
    amount: Decimal


@dataclass(frozen=True, slots=True)
class MemberForecast:
    member: str
    lines: tuple[ForecastLine, ...]  # in product order of the pricing result
    total: Decimal


def member_forecasts(
    prices: PricingResult,
    members: tuple[str, ...],
    quantities: tuple[MemberQuantity, ...],
    key_values: Mapping[str, Mapping[str, Decimal]],  # allocated product → member → key value
) -> tuple[tuple[MemberForecast, ...], tuple[CoreError, ...]]:
    """One forecast per member (in ``members`` order); lines with a zero amount and no
    quantity are left out. Errors: an allocated product without key values, a pass-through
    product with expected revenue but no quantities, a quantity for an unknown member."""
    errors: list[CoreError] = []
    known = dict.fromkeys(members)
    ordered = _quantities_by_product(quantities, known, prices, errors)
    lines: dict[str, list[ForecastLine]] = {member: [] for member in known}
    for product in prices.products:
        for line in _product_lines(
            product, ordered.get(product.code, {}), key_values, known, errors
        ):
            if line.amount or line.quantity:
                lines[line.member].append(line)
    forecasts = tuple(
        MemberForecast(member, tuple(own), sum((line.amount for line in own), _NO_AMOUNT))
        for member, own in lines.items()
    )
    return forecasts, tuple(errors)


def _quantities_by_product(
    quantities: tuple[MemberQuantity, ...],
    known: Mapping[str, None],
    prices: PricingResult,
    errors: list[CoreError],
) -> dict[str, dict[str, Decimal]]:
    """Product → member → quantity; a member's quantities of one product are added up."""
    products = {product.code for product in prices.products}
    ordered: dict[str, dict[str, Decimal]] = {}
    for item in quantities:
        problem = _quantity_problem(item, known, products)
        if problem:
            errors.append(problem)
            continue
        of_product = ordered.setdefault(item.product, {})
        of_product[item.member] = of_product.get(item.member, ZERO) + item.quantity
    return ordered


def _quantity_problem(
    item: MemberQuantity, known: Mapping[str, None], products: set[str]
) -> CoreError | None:
    if item.member not in known:
        return CoreError(
            "forecast.unknown_member",
            f"quantity of {item.product} for unknown member {item.member}",
        )
    if item.product not in products:
        return CoreError(
            "forecast.unknown_product",
            f"quantity for {item.member} of unknown product {item.product}",
        )
    if item.quantity < 0:
        return CoreError(
            "forecast.negative_quantity",
            f"{item.member}'s quantity of {item.product} is negative: {item.quantity}",
        )
    return None


def _product_lines(
    product: ProductCost,
    ordered: Mapping[str, Decimal],
    key_values: Mapping[str, Mapping[str, Decimal]],
    known: Mapping[str, None],
    errors: list[CoreError],
) -> list[ForecastLine]:
    if product.price_model is PriceModel.PER_UNIT:
        price = product.unit_price
        return [
            ForecastLine(
                member, product.code, Basis.QUANTITY, quantity, None, _per_unit(price, quantity)
            )
            for member, quantity in ordered.items()
        ]
    if product.price_model is PriceModel.ALLOCATED:
        values = _known_key_values(product.code, key_values.get(product.code, {}), known, errors)
        return _split(product, values, Basis.KEY_SHARE, "forecast.no_key", errors)
    return _split(product, ordered, Basis.ORDER_SHARE, "forecast.no_orders", errors)


def _per_unit(unit_price: Decimal | None, quantity: Decimal) -> Decimal:
    """Quantity × unit price; a product without a unit price (no volume) charges nothing."""
    return _NO_AMOUNT if unit_price is None else round_ore(unit_price * quantity)


def _known_key_values(
    product: str,
    values: Mapping[str, Decimal],
    known: Mapping[str, None],
    errors: list[CoreError],
) -> dict[str, Decimal]:
    """The key values that can carry a part: of known members, and not negative."""
    usable: dict[str, Decimal] = {}
    for member, value in values.items():
        if member not in known:
            errors.append(
                CoreError(
                    "forecast.unknown_member", f"key value of {product} for unknown member {member}"
                )
            )
        elif value < 0:
            errors.append(
                CoreError(
                    "forecast.negative_key",
                    f"{member}'s key value of {product} is negative: {value}",
                )
            )
        else:
            usable[member] = value
    return usable


def _split(
    product: ProductCost,
    weights: Mapping[str, Decimal],
    basis: Basis,
    missing: str,
    errors: list[CoreError],
) -> list[ForecastLine]:
    """The product's expected revenue split by key values or order quantities, to the öre."""
    revenue = product.expected_revenue
    if sum(weights.values(), ZERO) == 0:
        if revenue:
            what = "key values" if basis is Basis.KEY_SHARE else "quantities ordered"
            errors.append(
                CoreError(missing, f"{product.code}: {revenue} to split but no {what} to split by")
            )
        return []
    exact = shares(weights)
    if basis is Basis.KEY_SHARE:
        parts = split_by_key(revenue, weights)
        return [
            ForecastLine(member, product.code, basis, None, exact[member], amount)
            for member, amount in parts.items()
        ]
    members = sorted(weights)
    amounts = apportion(revenue, [weights[m] for m in members])
    return [
        ForecastLine(member, product.code, basis, weights[member], exact[member], amount)
        for member, amount in zip(members, amounts, strict=True)
    ]
