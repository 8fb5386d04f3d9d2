import datetime as dt
from decimal import Decimal
from samkalk.apps.billing.models import Usage, ActualCost
from samkalk.apps.billing.services import billing_preview, billing_run_post
from samkalk.apps.billing.settlement import settlement_compute
from samkalk.apps.federation.models import Organisation
from samkalk.apps.assets.models import Asset, AssetType
from samkalk.apps.catalogue.models import Product, PriceModel, RevenueCategory

def test_scratch(federation):
    Organisation.objects.filter(code__in=["alfa-kl", "beta-skola"]).update(receives_member_invoices=True)
    rent = Product.objects.create(code="datorhyra", name="Datorhyra", category=RevenueCategory.USAGE_BASED, price_model=PriceModel.AT_COST)
    AssetType.objects.update(rent_product=rent)
    Asset.objects.exclude(organisation=None).update(lease_start=dt.date(2025, 1, 1))
    p = billing_preview(dt.date(2026, 3, 1))
    for d in p.drafts:
        print(d.recipient, d.member, d.net, d.vat, d.total)
        for l in d.lines: print("   ", l)
    print(p.errors, p.differences)
