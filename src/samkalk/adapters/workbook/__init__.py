"""The federation workbook: one .xlsx with a sheet per record type, or a folder of CSV files."""
