from django.contrib import admin

from samkalk.apps.audit.admin import AuditedAdmin
from samkalk.apps.financing.models import GuaranteeFrame, Loan, LoanAmortisation


@admin.register(Loan)
class LoanAdmin(AuditedAdmin):
    list_display = ["code", "lender", "purpose", "amount", "borrowed_on", "rate_percent", "planned"]
    list_filter = ["purpose", "planned", "lender"]
    search_fields = ["code", "lender"]


@admin.register(LoanAmortisation)
class LoanAmortisationAdmin(AuditedAdmin):
    list_display = ["loan", "due_on", "amount"]
    list_filter = ["loan"]
    date_hierarchy = "due_on"


@admin.register(GuaranteeFrame)
class GuaranteeFrameAdmin(AuditedAdmin):
    list_display = ["valid_from", "amount", "decision"]
