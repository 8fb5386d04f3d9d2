"""Peppol BIS Billing 3.0: posted invoices and credit notes as UBL 2.1 e-invoices.

``ubl.invoice_xml`` writes a ``core.invoice.Document`` as UBL; ``validate.violations`` checks any
UBL invoice or credit note against the UBL 2.1 XSD and the EN 16931, Peppol and Swedish (SE-R)
business rules that apply to what Samkalk sends, so an export can be refused before it leaves.
"""
