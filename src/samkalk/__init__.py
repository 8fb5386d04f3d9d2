"""Samkalk: economy and governance for a shared public-sector IT organisation."""
