"""Forms of the web pages. They only read and validate input; the state change is a service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samkalk.apps.budget.models import Budget
from samkalk.apps.federation.models import Decision


class BudgetVersionForm(forms.Form):
    """Spara budgetversion: the status to save the budget as, its decision and a note.

    Whether adoption has the board decision it needs is the service's rule, not the form's, so
    the page shows the service's own refusal.
    """

    status = forms.ChoiceField(label=_("Save as"), choices=Budget.Status.choices)
    decision = forms.ModelChoiceField(
        label=_("Decision"),
        queryset=Decision.objects.all(),
        required=False,
        empty_label=_("No decision"),
        help_text=_("Adopting the budget needs the board decision that adopted it."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CreditNoteForm(forms.Form):
    """Kreditera: why the invoice is credited; the credit note itself is ``invoice_credit``'s."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Printed on the credit note, e.g. “Wrong allocation key in March”."),
    )
