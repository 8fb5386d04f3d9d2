"""The workbook format: which sheets exist, their columns, and how each cell is read.

This module is the single source of the format. ``docs/import-format.md`` is generated from it
(``samkalk workbook-format``) and a test keeps the two in step. Every sheet has an identifier
(also the CSV file name) and a Swedish label (the sheet name in the .xlsx); every column
likewise. Either spelling is accepted on import; export writes the Swedish labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str
    kind: str  # text, code, int, decimal, money, date, bool, choice, ref, org_number, …
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    ref: str = ""  # the sheet a ``ref`` column points into (by that sheet's key)
    default: str = ""


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    label: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    help: str = ""
    single_row: bool = False
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


MEMBER_REF = Column("member", "Medlem", "ref", True, "The member's code.", ref="members")
BUDGET_REF = Column("budget", "Budget", "ref", True, "The budget's year.", ref="budgets")
ILLUSTRATIVE = Column(
    "illustrative",
    "Illustrativ",
    "bool",
    False,
    "ja: not a published figure (generated or estimated); the UI marks it.",
    default="nej",
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "federation",
        "Förbund",
        ("org_number",),
        single_row=True,
        help="The federation itself: exactly one row.",
        columns=(
            Column("name", "Namn", "text", True),
            Column(
                "org_number",
                "Organisationsnummer",
                "org_number",
                True,
                "NNNNNN-NNNN; the last digit is a Luhn check digit.",
            ),
            Column("street", "Gatuadress", "text"),
            Column("postal_code", "Postnummer", "text"),
            Column("city", "Ort", "text"),
            Column("email", "E-post", "email"),
            Column(
                "peppol_id",
                "Peppol-ID",
                "peppol_id",
                False,
                "Empty means 0007:<organisation number>.",
            ),
            Column("bankgiro", "Bankgiro", "bankgiro", False, "NNN-NNNN or NNNN-NNNN."),
            Column(
                "capitalisation_threshold_pba",
                "Aktiveringsgräns (prisbasbelopp)",
                "decimal",
                False,
                "Zero or more: an asset costing less than this many price base amounts of its "
                "acquisition year is an expense, not an asset.",
                default="1",
            ),
            Column(
                "minimum_life_months",
                "Minsta nyttjandetid (månader)",
                "int",
                False,
                "Empty: no minimum; 36: the useful life is always at least three years.",
            ),
            Column("payment_terms_days", "Betalningsvillkor (dagar)", "int", False, default="30"),
            Column(
                "invoice_prefix",
                "Fakturaprefix",
                "text",
                False,
                "Invoices are numbered <prefix><year>-<number>.",
                default="F",
            ),
            Column("receivable_account", "Kundfordringskonto", "text", False, default="1510"),
            Column("vat_account", "Momskonto", "text", False, "Output VAT 25 %.", default="2611"),
            Column("revenue_account", "Intäktskonto", "text", False, default="3490"),
        ),
    ),
    Sheet(
        "members",
        "Medlemmar",
        ("code",),
        help="Member municipalities (medlemskommuner).",
        columns=(
            Column("code", "Kod", "code", True, "Short unique code, e.g. boxholm."),
            Column("name", "Namn", "text", True),
            Column("org_number", "Organisationsnummer", "org_number", True),
            Column(
                "peppol_id",
                "Peppol-ID",
                "peppol_id",
                False,
                "Empty means 0007:<organisation number>.",
            ),
            Column(
                "is_host",
                "Värdkommun",
                "bool",
                False,
                "ja/nej: in a joint committee, the member that employs the staff.",
                default="nej",
            ),
            Column(
                "payable_account",
                "Leverantörsskuldskonto",
                "text",
                False,
                "In the member's own ledger, for its SIE file of what it bought.",
                default="2440",
            ),
            Column(
                "input_vat_account",
                "Konto för ingående moms",
                "text",
                False,
                "In the member's own ledger: input VAT 25 %.",
                default="2641",
            ),
            Column(
                "cost_account",
                "Kostnadskonto",
                "text",
                False,
                "In the member's own ledger, for a product without its own cost account.",
                default="6540",
            ),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "organisations",
        "Organisationer",
        ("code",),
        help="Invoiced units under a member: departments, schools, municipal companies.",
        columns=(
            Column("code", "Kod", "code", True),
            MEMBER_REF,
            Column("name", "Namn", "text", True),
            Column(
                "kind",
                "Typ",
                "choice",
                True,
                choices=("administration", "department", "school", "company", "other"),
            ),
            Column(
                "org_number",
                "Organisationsnummer",
                "org_number",
                False,
                "Companies have their own; empty for a department of the municipality.",
            ),
            Column(
                "buyer_reference",
                "Köparreferens",
                "text",
                False,
                "The reference the member's e-invoice routing needs.",
            ),
            Column("peppol_id", "Peppol-ID", "peppol_id"),
            Column(
                "receives_member_invoices",
                "Tar emot medlemsfakturor",
                "bool",
                False,
                "ja: invoiced for what the member as a whole pays; one organisation per member.",
                default="nej",
            ),
            Column(
                "payable_account",
                "Leverantörsskuldskonto",
                "text",
                False,
                "A company with books of its own: in its ledger. Empty: the member's.",
            ),
            Column(
                "input_vat_account",
                "Konto för ingående moms",
                "text",
                False,
                "A company with books of its own: input VAT 25 % in its ledger. Empty: the "
                "member's.",
            ),
            Column(
                "cost_account",
                "Kostnadskonto",
                "text",
                False,
                "A company with books of its own: every product in its ledger. Empty: the "
                "member's cost accounts.",
            ),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "allocation_keys",
        "Fördelningsnycklar",
        ("code",),
        help="Keys that split an amount between members.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column(
                "unit",
                "Enhet",
                "choice",
                True,
                "count (users, inhabitants, devices …) or percent (must add up to 100).",
                choices=("count", "percent"),
            ),
            Column(
                "snapshot_date",
                "Mätdatum",
                "month_day",
                False,
                "Month and day of the snapshot a year uses, MM-DD.",
                default="01-01",
            ),
            Column(
                "snapshot_year_offset",
                "Årsförskjutning",
                "int",
                False,
                "-1: the year before the year the key is used for; 0: the same year.",
                default="-1",
            ),
            Column("description", "Beskrivning", "text"),
        ),
    ),
    Sheet(
        "key_snapshots",
        "Nyckelvärden",
        ("key", "member", "as_of"),
        help="A key's value per member as of a date. Percent keys add up to 100 per date.",
        columns=(
            Column("key", "Nyckel", "ref", True, ref="allocation_keys"),
            MEMBER_REF,
            Column("as_of", "Datum", "date", True, "YYYY-MM-DD."),
            Column("value", "Värde", "decimal", True, "Zero or more."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "decisions",
        "Beslut",
        ("reference",),
        help="Board and delegated decisions that other records refer to.",
        columns=(
            Column(
                "reference",
                "Referens",
                "text",
                True,
                "How other sheets name the decision, e.g. DIR 2025-02-27 § 7.",
            ),
            Column("case_number", "Diarienummer", "text", True),
            Column("decided_on", "Datum", "date", True),
            Column("paragraph", "Paragraf", "text"),
            Column(
                "body",
                "Beslutsorgan",
                "choice",
                True,
                choices=("board", "delegated", "preparatory_group", "steering_group"),
            ),
            Column("title", "Rubrik", "text", True),
            Column("text", "Beslutstext", "text"),
        ),
    ),
    Sheet(
        "governance_objects",
        "Förvaltningsobjekt",
        ("code",),
        help="The pm3 objects: primary, support or infrastructure.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column(
                "category",
                "Kategori",
                "choice",
                True,
                choices=("primary", "support", "infrastructure"),
            ),
            Column("scope", "Omfattning", "text"),
            Column("owner_name", "Objektägare", "text"),
            Column("owner_email", "Objektägarens e-post", "email"),
        ),
    ),
    Sheet(
        "cost_pools",
        "Kostnadspooler",
        ("code",),
        help="The federation's own, controllable costs (påverkbara kostnader).",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column(
                "kind",
                "Typ",
                "choice",
                True,
                choices=("staff", "central_it", "premises", "overhead", "audit", "other"),
            ),
            Column(
                "basis",
                "Fördelas efter",
                "choice",
                False,
                "percent: shares are percentages of the pool (the rest is unallocated); "
                "driver: shares are quantities such as staff hours, the pool split in proportion.",
                choices=("percent", "driver"),
                default="percent",
            ),
            Column("description", "Beskrivning", "text"),
        ),
    ),
    Sheet(
        "products",
        "Produkter",
        ("code",),
        help="The service catalogue.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column(
                "governance_object",
                "Förvaltningsobjekt",
                "ref",
                False,
                "Required except for base-grant products.",
                ref="governance_objects",
            ),
            Column(
                "category",
                "Intäktskategori",
                "choice",
                True,
                choices=(
                    "base_grant",
                    "mandatory_system",
                    "allocated_system",
                    "pass_through",
                    "usage_based",
                    "disposal_sale",
                ),
            ),
            Column(
                "price_model",
                "Prismodell",
                "choice",
                True,
                "per_unit: quantity × unit price; allocated: split by a key; at_cost.",
                choices=("per_unit", "allocated", "at_cost"),
            ),
            Column("unit", "Enhet", "text", False, "e.g. device-month, account, extension."),
            Column(
                "allocation_key",
                "Fördelningsnyckel",
                "ref",
                False,
                "Required when the price model is allocated.",
                ref="allocation_keys",
            ),
            Column("vat_rate", "Momssats", "percent", False, "Percent, 0–100.", default="25"),
            Column(
                "rounding",
                "Avrundning",
                "choice",
                False,
                "How a unit price is rounded: to öre, whole kronor or ten kronor.",
                choices=("ore", "krona", "ten_kronor"),
                default="ore",
            ),
            Column(
                "markup_percent",
                "Påslag",
                "percent",
                False,
                "Administrative mark-up in percent on a pass-through product.",
                default="0",
            ),
            Column(
                "rent_basis",
                "Hyresgrund",
                "choice",
                False,
                "For a rent product: each device's own capital cost, or one pooled price per "
                "asset type.",
                choices=("own_capital_cost", "pooled"),
                default="own_capital_cost",
            ),
            Column(
                "billing_period",
                "Faktureras",
                "choice",
                False,
                "month or quarter.",
                choices=("month", "quarter"),
                default="month",
            ),
            Column(
                "billing_timing",
                "Fakturering i",
                "choice",
                False,
                "advance: the period is billed at its start; arrears: at its end.",
                choices=("advance", "arrears"),
                default="arrears",
            ),
            Column(
                "invoice_level",
                "Fakturamottagare",
                "choice",
                False,
                "member: the member's invoice recipient; organisation: each organisation.",
                choices=("member", "organisation"),
                default="organisation",
            ),
            Column(
                "unit_code",
                "Enhetskod",
                "text",
                False,
                "UN/ECE Recommendation 20 for the e-invoice, e.g. EA, MON, C62.",
                default="EA",
            ),
            Column(
                "settlement_key",
                "Avräkningsnyckel",
                "ref",
                False,
                "The key that splits the year-end difference; empty: by what each member was "
                "billed.",
                ref="allocation_keys",
            ),
            Column("revenue_account", "Intäktskonto", "text", False, "Empty: the default."),
            Column(
                "cost_account",
                "Medlemmarnas kostnadskonto",
                "text",
                False,
                "Where the members book it; empty: each member's default cost account.",
            ),
            Column("description", "Innehåll", "text", False, "What is included."),
        ),
    ),
    Sheet(
        "budgets",
        "Budgetar",
        ("year",),
        help="One budget per year, with two plan years.",
        columns=(
            Column("year", "År", "year", True),
            Column("status", "Status", "choice", True, choices=("draft", "proposed", "adopted")),
            Column(
                "decision",
                "Beslut",
                "ref",
                False,
                "Required when adopted: the decision's reference.",
                ref="decisions",
            ),
        ),
    ),
    Sheet(
        "budget_years",
        "Budgetår",
        ("budget", "year"),
        help="Each year's parameters: indexation of plan years and the staff budget's "
        "percentages (of salaries; employer contributions of salaries and holiday pay).",
        columns=(
            BUDGET_REF,
            Column("year", "År", "year", True, "The budget year or one of its two plan years."),
            Column("salary_increase_percent", "Löneökning", "percent", False, default="0"),
            Column("price_index_percent", "Prisindex", "percent", False, default="0"),
            Column("holiday_pay_percent", "Semesterersättning", "percent", False, default="0"),
            Column(
                "employer_contribution_percent",
                "Arbetsgivaravgifter",
                "percent",
                False,
                default="31,42",
            ),
            Column("pension_percent", "Pension", "percent", False, default="0"),
            Column("insurance_percent", "Försäkring", "percent", False, default="0"),
            Column("absence_deduction_percent", "Frånvaroavdrag", "percent", False, default="0"),
            Column("hired_staff", "Inhyrd personal", "money", False, "Kronor.", default="0"),
            Column(
                "other_staff_costs",
                "Övriga personalkostnader",
                "money",
                False,
                "Kronor: training, travel and other staff-related costs.",
                default="0",
            ),
        ),
    ),
    Sheet(
        "staff_posts",
        "Befattningar",
        ("budget", "code"),
        help="The staff budget's posts for the budget year; plan years raise the salaries by "
        "the salary increase.",
        columns=(
            BUDGET_REF,
            Column("code", "Kod", "code", True),
            Column("title", "Befattning", "text", True),
            Column("fte_percent", "Tjänstgöringsgrad", "percent", True, "Percent, 0–100."),
            Column("amount", "Månadslön", "money", True, "Kronor a month at full time."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "direct_costs",
        "Direkta kostnader",
        ("budget", "product", "year", "kind"),
        help="A product's direct costs in kronor (supplier licences, support contracts …). A "
        "plan year without a line is the budget year's amount raised by the price index. "
        "equity_use: a reduction (zero or less) financed by the federation's equity.",
        columns=(
            BUDGET_REF,
            Column("product", "Produkt", "ref", True, ref="products"),
            Column("year", "År", "year", True, "The budget year or one of its two plan years."),
            Column(
                "kind",
                "Typ",
                "choice",
                False,
                choices=("licence", "support", "service", "other", "equity_use"),
                default="other",
            ),
            Column("amount", "Belopp", "money", True, "Kronor, at most two decimals."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "cost_pool_lines",
        "Kostnadspoolrader",
        ("budget", "cost_pool", "year"),
        help="A cost pool's budgeted amount in kronor for the budget year or a plan year.",
        columns=(
            BUDGET_REF,
            Column("cost_pool", "Kostnadspool", "ref", True, ref="cost_pools"),
            Column("year", "År", "year", True),
            Column("amount", "Belopp", "money", True, "Kronor, at most two decimals."),
        ),
    ),
    Sheet(
        "overhead_shares",
        "Overheadandelar",
        ("budget", "year", "cost_pool", "product"),
        help="How much of a cost pool each product bears in a year (Itsamtid): a percentage, "
        "or a driver quantity when the pool is spread by one. A pool's percentages add up to at "
        "most 100; the rest is shown as unallocated. A plan year without shares uses the budget "
        "year's.",
        columns=(
            BUDGET_REF,
            Column("year", "År", "year", True),
            Column("cost_pool", "Kostnadspool", "ref", True, ref="cost_pools"),
            Column("product", "Produkt", "ref", True, ref="products"),
            Column("weight", "Andel", "decimal", True, "Percent 0–100, or a driver quantity."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "consumptions",
        "Tjänsteförbrukning",
        ("budget", "year", "consumer", "provider"),
        help="Service-to-service allocation: the consuming product takes over a percentage of "
        "the providing product's full cost. Cycles are refused.",
        columns=(
            BUDGET_REF,
            Column("year", "År", "year", True),
            Column("consumer", "Konsument", "ref", True, ref="products"),
            Column("provider", "Levererande produkt", "ref", True, ref="products"),
            Column("percent", "Andel", "percent", True, "Percent of the provider, above 0."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "volumes",
        "Volymer",
        ("budget", "product", "member", "year"),
        help="Each member's budgeted quantity of a product (units a year, or for a "
        "pass-through product what it orders). The product's volume is the sum. A plan year "
        "without volumes uses the budget year's.",
        columns=(
            BUDGET_REF,
            Column("product", "Produkt", "ref", True, ref="products"),
            MEMBER_REF,
            Column("year", "År", "year", True),
            Column("quantity", "Kvantitet", "decimal", True, "Zero or more."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "pricing_guidelines",
        "Prissättningsriktlinjer",
        ("code",),
        help="The rules prices are set under, with the decision that adopted each.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column("text", "Riktlinje", "text", True),
            Column("decision", "Beslut", "ref", True, ref="decisions"),
            Column(
                "object_owner_may_decide",
                "Objektägaren får ändra",
                "bool",
                False,
                "ja: the object's steering group may change prices within the guideline during "
                "the year; otherwise the board decides.",
                default="nej",
            ),
        ),
    ),
    Sheet(
        "product_prices",
        "Priser",
        ("product", "valid_from"),
        help="A product's unit price from a date, set under a guideline. A price that does "
        "not start on 1 January needs a decision.",
        columns=(
            Column("product", "Produkt", "ref", True, ref="products"),
            Column("valid_from", "Gäller från", "date", True),
            Column("amount", "Pris", "money", True, "Kronor per unit."),
            Column("guideline", "Riktlinje", "ref", True, ref="pricing_guidelines"),
            Column("decision", "Beslut", "ref", False, ref="decisions"),
        ),
    ),
    Sheet(
        "price_base_amounts",
        "Prisbasbelopp",
        ("year",),
        help="The statutory price base amount per year; thresholds are multiples of it.",
        columns=(
            Column("year", "År", "year", True),
            Column("amount", "Belopp", "money", True, "Kronor, more than zero."),
        ),
    ),
    Sheet(
        "asset_types",
        "Tillgångstyper",
        ("code",),
        help="Kinds of assets with the federation's defaults for depreciation and charges.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column(
                "depreciation_months",
                "Avskrivningstid (månader)",
                "int",
                False,
                "More than zero; empty while not yet known.",
            ),
            Column(
                "activation_convention",
                "Aktiveringsregel",
                "choice",
                False,
                "acquisition_month: from the month of acquisition; following_month: from the "
                "month after; half_year: every acquisition of a year from 1 July.",
                choices=("acquisition_month", "following_month", "half_year"),
                default="following_month",
            ),
            Column(
                "direct_purchase_allowed",
                "Direktköp tillåtet",
                "bool",
                False,
                "ja: a member may pay the acquisition cost at once.",
                default="nej",
            ),
            Column(
                "planned_growth_percent",
                "Planerad tillväxt",
                "percent",
                False,
                "Percent a year the fleet of this type is planned to grow; it adds to the "
                "investment need beside the replacements.",
                default="0",
            ),
            Column("rent_product", "Hyresprodukt", "ref", False, ref="products"),
            Column("support_product", "Supportprodukt", "ref", False, ref="products"),
            Column("licence_product", "Licensprodukt", "ref", False, ref="products"),
            Column(
                "early_return_rule",
                "Vid förtida återlämning",
                "choice",
                False,
                "keep_in_pool: the remaining book value stays in the type's pool; charge_member: "
                "the member that returns a device early buys out its remaining book value.",
                choices=("keep_in_pool", "charge_member"),
                default="keep_in_pool",
            ),
            Column(
                "billed_per_device",
                "Debiteras per enhet",
                "bool",
                False,
                "nej: the devices are not charged to their holders month by month; their cost "
                "is priced into the rent product's own unit (e.g. per student account).",
                default="ja",
            ),
            Column(
                "cost_pool",
                "Kostnadspool",
                "ref",
                False,
                "For a type no product rents out (servers, network): the cost pool that carries "
                "its capital cost. At most one of rent product and cost pool.",
                ref="cost_pools",
            ),
            Column("description", "Beskrivning", "text"),
        ),
    ),
    Sheet(
        "investments",
        "Investeringar",
        ("code",),
        help="The lines of the investment plan; amounts per year are on Investeringsplanrader.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("name", "Namn", "text", True),
            Column("asset_type", "Tillgångstyp", "ref", True, ref="asset_types"),
            Column(
                "depreciation_months",
                "Avskrivningstid (månader)",
                "int",
                False,
                "Empty means the asset type's.",
            ),
            Column(
                "scope",
                "Omfattning",
                "choice",
                False,
                "common: the capital cost is shared by a key; member: one member bears it.",
                choices=("common", "member"),
                default="common",
            ),
            Column(
                "member",
                "Medlem",
                "ref",
                False,
                "Required when the scope is member.",
                ref="members",
            ),
            Column("allocation_key", "Fördelningsnyckel", "ref", False, ref="allocation_keys"),
            Column(
                "financing",
                "Finansiering",
                "choice",
                False,
                choices=("loan", "financial_lease"),
                default="loan",
            ),
            Column(
                "development_pool",
                "Utvecklingspott",
                "bool",
                False,
                "ja: unspecified money for investments decided later.",
                default="nej",
            ),
            Column(
                "decided",
                "Beslutad",
                "bool",
                False,
                "ja: decided to be carried out; for the development pool above six price base "
                "amounts a year, only with a board decision.",
                default="nej",
            ),
            Column("decision", "Beslut", "ref", False, ref="decisions"),
            Column("description", "Beskrivning", "text"),
        ),
    ),
    Sheet(
        "investment_lines",
        "Investeringsplanrader",
        ("budget", "investment", "year"),
        help="An investment's planned amount in kronor for a year: the budget year, its two plan "
        "years, or one of the two comparison years before it.",
        columns=(
            BUDGET_REF,
            Column("investment", "Investering", "ref", True, ref="investments"),
            Column("year", "År", "year", True),
            Column("amount", "Belopp", "money", True, "Kronor, at most two decimals."),
        ),
    ),
    Sheet(
        "loans",
        "Lån",
        ("code",),
        help="Loans taken up or planned; repayments are on Amorteringar.",
        columns=(
            Column("code", "Kod", "code", True),
            Column("lender", "Långivare", "text", True),
            Column(
                "purpose",
                "Syfte",
                "choice",
                True,
                "investments, equity_use (borrowing for a planned use of equity) or other.",
                choices=("investments", "equity_use", "other"),
            ),
            Column("amount", "Belopp", "money", True, "Kronor, more than zero."),
            Column("borrowed_on", "Upplånat", "date", True),
            Column("rate_percent", "Ränta", "percent", True, "Yearly rate in percent."),
            Column(
                "planned",
                "Planerat",
                "bool",
                False,
                "ja: budgeted, not yet taken up.",
                default="nej",
            ),
            Column("decision", "Beslut", "ref", False, ref="decisions"),
            Column("description", "Beskrivning", "text"),
        ),
    ),
    Sheet(
        "loan_amortisations",
        "Amorteringar",
        ("loan", "due_on"),
        help="Repayments of a loan; together at most the loan's amount, none before it is "
        "borrowed.",
        columns=(
            Column("loan", "Lån", "ref", True, ref="loans"),
            Column("due_on", "Datum", "date", True),
            Column("amount", "Belopp", "money", True, "Kronor, more than zero."),
        ),
    ),
    Sheet(
        "guarantee_frames",
        "Borgensramar",
        ("valid_from",),
        help="The guarantee frame the members decided, from a date.",
        columns=(
            Column("valid_from", "Gäller från", "date", True),
            Column("amount", "Belopp", "money", True),
            Column("decision", "Beslut", "ref", False, ref="decisions"),
            Column("description", "Beskrivning", "text"),
        ),
    ),
    Sheet(
        "capital_cost_rules",
        "Kapitalkostnadsregler",
        ("year",),
        help="The interest a year's capital cost uses (capital cost = depreciation + interest).",
        columns=(
            Column("year", "År", "year", True),
            Column(
                "rate_source",
                "Räntekälla",
                "choice",
                False,
                "internal: the rate below; loan_average: the loans' average rate that year.",
                choices=("internal", "loan_average"),
                default="internal",
            ),
            Column(
                "internal_rate_percent",
                "Internränta",
                "percent",
                False,
                "Yearly percent; required with rate source internal.",
            ),
            Column(
                "interest_basis",
                "Räntebas",
                "choice",
                False,
                "book_value (nominal method, declining), acquisition_cost, or annuity.",
                choices=("book_value", "acquisition_cost", "annuity"),
                default="book_value",
            ),
        ),
    ),
    Sheet(
        "assets",
        "Tillgångar",
        ("tag",),
        help="The asset register: devices and installations the federation owns.",
        columns=(
            Column("tag", "Inventarienummer", "text", True, "Unique, e.g. IT-000123."),
            Column("asset_type", "Tillgångstyp", "ref", True, ref="asset_types"),
            Column("model", "Modell", "text"),
            Column("serial_number", "Serienummer", "text"),
            Column("supplier", "Leverantör", "text"),
            Column(
                "purchase",
                "Inköp",
                "text",
                False,
                "The order or invoice number; the capitalisation threshold applies to the sum of "
                "a purchase (an asset without one is a purchase of its own).",
            ),
            Column("acquired_on", "Anskaffad", "date", True),
            Column("acquisition_cost", "Anskaffningsvärde", "money", True, "Kronor, zero or more."),
            Column(
                "organisation",
                "Innehavare",
                "ref",
                False,
                "The organisation that holds (leases) it; required when leased.",
                ref="organisations",
            ),
            Column("lease_start", "Hyra från", "date"),
            Column("lease_end", "Hyra till", "date"),
            Column(
                "status",
                "Status",
                "choice",
                True,
                choices=("in_stock", "leased", "returned", "sold", "scrapped"),
            ),
            Column("disposed_on", "Avyttrad", "date", False, "Required when sold or scrapped."),
            Column("disposal_proceeds", "Försäljningsintäkt", "money", False, "Kronor."),
            Column(
                "direct_purchase",
                "Direktköp",
                "bool",
                False,
                "ja: the member paid the acquisition cost at once.",
                default="nej",
            ),
            Column(
                "decision",
                "Beslut",
                "ref",
                False,
                "The decision that allowed a direct purchase the asset type does not allow.",
                ref="decisions",
            ),
            Column("investment", "Investering", "ref", False, ref="investments"),
        ),
    ),
)

SHEETS = (
    *SHEETS,
    Sheet(
        "usage",
        "Avrop",
        ("organisation", "product", "month"),
        help="What each organisation called off of a usage-based product in a month; billed as "
        "quantity × the price in force.",
        columns=(
            Column("organisation", "Organisation", "ref", True, ref="organisations"),
            Column("product", "Produkt", "ref", True, ref="products"),
            Column("month", "Månad", "date", True, "The first day of the month."),
            Column("quantity", "Kvantitet", "decimal", True, "Zero or more."),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "pass_through_costs",
        "Vidarefaktureringar",
        ("code",),
        help="Supplier costs passed on to one organisation at cost (plus the product's mark-up), "
        "billed in the month of their date.",
        columns=(
            Column("code", "Kod", "code", True, "E.g. the supplier invoice's number."),
            Column("organisation", "Organisation", "ref", True, ref="organisations"),
            Column("product", "Produkt", "ref", True, ref="products"),
            Column("incurred_on", "Datum", "date", True),
            Column("amount", "Belopp", "money", True, "Kronor."),
            Column("description", "Beskrivning", "text", True),
            ILLUSTRATIVE,
        ),
    ),
    Sheet(
        "actual_costs",
        "Utfall",
        ("year", "product", "cost_pool", "member"),
        help="The accounts' actual cost of a year per product or cost pool (one of them), for "
        "the year-end settlement. A row that names a member is a cost that member alone bears.",
        columns=(
            Column("year", "År", "year", True),
            Column("product", "Produkt", "ref", False, ref="products"),
            Column("cost_pool", "Kostnadspool", "ref", False, ref="cost_pools"),
            Column(
                "member",
                "Medlem",
                "ref",
                False,
                "Only for a cost one member bears alone.",
                ref="members",
            ),
            Column("amount", "Belopp", "money", True, "Kronor."),
            ILLUSTRATIVE,
        ),
    ),
)

SHEETS_BY_NAME = {s.name: s for s in SHEETS}


def sheet_for(title: str) -> Sheet | None:
    """The sheet a file or tab title names, by identifier or Swedish label (any case)."""
    wanted = title.strip().casefold()
    for sheet in SHEETS:
        if wanted in (sheet.name.casefold(), sheet.label.casefold()):
            return sheet
    return None
