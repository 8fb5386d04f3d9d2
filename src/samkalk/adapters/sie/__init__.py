"""SIE 4 (the Swedish accounting exchange format): vouchers out to the ledger, and back in.

``writer.sie_file`` writes the vouchers of a billing run as a SIE 4I import file;
``reader.read_sie`` reads one (ours or another program's) into ``core.ledger.Voucher``.
``syntax`` holds the line rules, the character set and the ``#KSUMMA`` checksum both share.
"""

from samkalk.adapters.sie.reader import SieContents, read_sie
from samkalk.adapters.sie.writer import Company, sie_export, sie_file

__all__ = ["Company", "SieContents", "read_sie", "sie_export", "sie_file"]
