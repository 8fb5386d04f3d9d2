"""The audit trail: who changed which record, when, and what it was before and after."""
