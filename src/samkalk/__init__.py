"""Samkalk: economy and governance for a shared public-sector IT organisation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("samkalk")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
