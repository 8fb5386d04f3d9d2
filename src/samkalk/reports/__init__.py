"""Read-only reports: selectors that load rows into frozen dataclasses, and their renderers."""
