"""Governance (pm3): förvaltningsobjekt, their owners and later steering groups and plans."""
