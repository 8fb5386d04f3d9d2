"""The pure computation core: frozen dataclasses and Decimal, never Django, no I/O, no clock."""
