"""Import and export of the federation workbook: validation, the diff, and the atomic write."""
