"""Financing: the loans that pay for investments and the guarantee frame the members decided."""
