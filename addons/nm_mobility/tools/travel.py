# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain travel arithmetic, kept out of the ORM so it is easy to read and test."""

import calendar
import math
from datetime import date

from odoo.addons.nm_carbon_budget.tools import carbon

# A commute longer than this per trip is unusual: the user confirms it.
COMMUTE_CONFIRM_KM = 200.0
# A commute longer than this per trip is certainly a typing error.
COMMUTE_MAX_KM = 1000.0
# Beyond these, a figure is a typing error whatever the trip (the Earth is 40,000
# km round; a month has at most a few hundred trips; a coach seats under 100).
TRIP_MAX_KM = 40000.0
MAX_TRIPS = 1000
MAX_OCCUPANTS = 100
# Lines of one declaration (a month of one agent); the team grid and imports
# create many declarations, each within this.
MAX_LINES = 200


def total_km(distance_km, trip_count, round_trip):
    """Kilometres travelled: distance of one trip × trips, twice for round trips."""
    return (distance_km or 0.0) * (trip_count or 0) * (2 if round_trip else 1)


def figure_error(distance_km=None, trip_count=None, occupants=None):
    """The first figure of a trip that no real trip has, as (field, value), or
    None: not a finite number, or beyond the bounds above (negative figures have
    their own message, in the model's constraints)."""
    checks = (
        ("distance_km", distance_km, TRIP_MAX_KM),
        ("trip_count", trip_count, MAX_TRIPS),
        ("occupants", occupants, MAX_OCCUPANTS),
    )
    for name, value, bound in checks:
        if value is None or value is False:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            return name, value
        if not math.isfinite(number) or number > bound:
            return name, value
    return None


def trip_legs(trip_count, round_trip):
    """Journeys made: a round trip counts as two journeys."""
    return (trip_count or 0) * (2 if round_trip else 1)


def carbon_kg(km, factor_value, per_vehicle=False, occupants=1):
    """kgCO2e of ``km`` with a factor in kgCO2e per km; a factor per vehicle.km
    (cars) is shared between the occupants of the vehicle."""
    carbon = (km or 0.0) * (factor_value or 0.0)
    if per_vehicle and occupants and occupants > 1:
        carbon /= occupants
    return carbon


def in_band(distance_km, band_min_km, band_max_km):
    """Whether a trip of ``distance_km`` falls in the band ]min, max] (no upper
    bound when ``band_max_km`` is 0 or empty)."""
    distance = distance_km or 0.0
    low = band_min_km or 0.0
    if distance <= low and low > 0:
        return False
    return not band_max_km or distance <= band_max_km


def month_start(day):
    """First day of the month of ``day``."""
    return day.replace(day=1)


def month_end(day):
    """Last day of the month of ``day``."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day):
    """First day of the month before the month of ``day``."""
    first = month_start(day)
    if first.month == 1:
        return date(first.year - 1, 12, 1)
    return date(first.year, first.month - 1, 1)


def parse_month(text):
    """First day of the month written ``YYYY-MM`` (or a full ISO date); None when
    the text is not a month."""
    try:
        parts = [int(p) for p in (text or "").strip().split("-")[:2]]
        return date(parts[0], parts[1], 1)
    except (ValueError, IndexError):
        return None


def share(part, whole):
    """``part`` as a percentage of ``whole`` (0 when there is nothing)."""
    return carbon.share_used(part, whole)
