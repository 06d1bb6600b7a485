# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Calendar quarters of a period, kept out of the ORM."""

from datetime import date, timedelta


def quarters(date_from, date_to):
    """[(quarter number, year, start, end)] of the calendar quarters meeting
    [date_from, date_to], clipped to it."""
    result = []
    year, quarter = date_from.year, (date_from.month - 1) // 3 + 1
    while True:
        start = date(year, 3 * quarter - 2, 1)
        if start > date_to:
            return result
        next_start = date(year + quarter // 4, 3 * (quarter % 4) + 1, 1)
        end = next_start - timedelta(days=1)
        result.append((quarter, year, max(start, date_from), min(end, date_to)))
        year, quarter = next_start.year, quarter % 4 + 1


def days(date_from, date_to):
    """Number of days of [date_from, date_to], both included."""
    return (date_to - date_from).days + 1
