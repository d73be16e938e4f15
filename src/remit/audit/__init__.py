"""Reading published statements and checking them: every identity a statement to
certificateholders must satisfy, recomputed from its own printed figures."""

from remit.audit.book import Cause, Finding
from remit.audit.verify import Report, verify_file, verify_text

__all__ = ["Cause", "Finding", "Report", "verify_file", "verify_text"]
