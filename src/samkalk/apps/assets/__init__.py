"""Assets: asset types with their depreciation rules, price base amounts, the investment plan."""
