# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain functions on indicator figures (no ORM)."""

import calendar
import datetime

# typed numbers are read as everywhere in the suite (re-exported for callers)
from odoo.addons.nm_carbon_budget.tools.carbon import parse_decimal  # noqa: F401

ALLOWED_EVIDENCE_EXTENSIONS = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".odt",
    ".ods",
    ".odp",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".csv",
    ".txt",
)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# files one indicator's measure may carry from one portal submission
MAX_EVIDENCE_FILES = 5
# An indicator figure with more digits is a typing error (and its products with
# other figures would overflow).
MAX_FIGURE = 1e12
# Texts typed on the portal (comments) beyond this are not comments.
MAX_TEXT_CHARS = 10000
# A file name longer than this is not a name a person gave.
MAX_FILENAME_CHARS = 255


def progress_ratio(baseline, target, value):
    """Share of the way from ``baseline`` to ``target`` covered by ``value``
    (0.0 at the baseline, 1.0 at the target), whatever the direction: from 100
    towards 80, a value of 90 is half way (0.5). None when the target equals
    the baseline or no value is known."""
    if value is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


def evidence_allowed(filename):
    return bool(filename) and filename.lower().endswith(ALLOWED_EVIDENCE_EXTENSIONS)


def add_months(day, months):
    """``day`` shifted by whole months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def interim_dates(date_start, date_end, months):
    """Review dates every ``months`` months after ``date_start``, strictly before
    ``date_end`` (the final review is planned at the end). 2026-01-01 to
    2026-12-31 every 3 months: 04-01, 07-01, 10-01."""
    if not months or not date_start or not date_end:
        return []
    dates = []
    step = 1
    current = add_months(date_start, months)
    while current < date_end:
        dates.append(current)
        step += 1
        current = add_months(date_start, months * step)
    return dates
