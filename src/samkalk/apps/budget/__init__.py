"""Budgets: a budget year with amounts per product and cost pool for it and its plan years."""
