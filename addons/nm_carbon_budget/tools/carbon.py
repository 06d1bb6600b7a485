# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain carbon arithmetic, kept out of the ORM so it is easy to read and test."""

import math
from datetime import date

# Units a factor can be expressed in, with the base unit they convert to and the ratio.
# A quantity given in ``unit`` is worth ``ratio`` base units.
UNIT_CONVERSIONS = {
    "eur": ("eur", 1.0),
    "keur": ("eur", 1000.0),
    "kwh": ("kwh", 1.0),
    "mwh": ("kwh", 1000.0),
    "kg": ("kg", 1.0),
    "t": ("kg", 1000.0),
    "l": ("l", 1.0),
    "m3": ("l", 1000.0),
    # a distance read in km is that many passenger.km for one traveller, or vehicle.km
    "km": ("km", 1.0),
    "passenger_km": ("km", 1.0),
    "vehicle_km": ("km", 1.0),
}


def convert_quantity(quantity, from_unit, to_unit):
    """Convert ``quantity`` from one factor unit to another of the same kind.

    Units that are not convertible (passenger.km to kWh...) raise ValueError.
    """
    if from_unit == to_unit:
        return quantity
    from_base, from_ratio = UNIT_CONVERSIONS.get(from_unit, (from_unit, 1.0))
    to_base, to_ratio = UNIT_CONVERSIONS.get(to_unit, (to_unit, 1.0))
    if from_base != to_base:
        raise ValueError(f"cannot convert {from_unit} into {to_unit}")
    return quantity * from_ratio / to_ratio


def carbon_from_factor(value, quantity, quantity_unit=None, factor_unit=None):
    """kgCO2e of ``quantity`` (in ``quantity_unit``) with a factor of ``value`` kgCO2e
    per ``factor_unit``."""
    if quantity_unit and factor_unit:
        quantity = convert_quantity(quantity, quantity_unit, factor_unit)
    return value * quantity


def carbon_from_amount(ratio_value, ratio_unit, amount_eur):
    """kgCO2e of a spending of ``amount_eur`` euros excl. VAT with a monetary ratio."""
    return carbon_from_factor(ratio_value, amount_eur, "eur", ratio_unit)


def target_kg(baseline_kg, reduction_rate, baseline_year, year):
    """Ceiling of ``year`` on a trajectory reducing by ``reduction_rate`` each year."""
    return baseline_kg * (1 - reduction_rate) ** (year - baseline_year)


def remaining_share(reduction_rate, years):
    """Share of the baseline still emitted after ``years`` years (0.96**27 ≈ 0.33)."""
    return (1 - reduction_rate) ** years


def parse_decimal(text, empty=None):
    """A number typed by a person: '1 234,5', '1234.5' or '1\u202f000'.

    An empty text gives ``empty``, or raises ValueError when ``empty`` is None.
    Raises ValueError for text, and for 'nan', 'inf' or '1e999', which Python's
    float() would otherwise accept."""
    cleaned = (text or "").strip().replace("\u202f", "").replace("\xa0", "")
    cleaned = cleaned.replace(" ", "").replace(",", ".")
    if not cleaned:
        if empty is None:
            raise ValueError("empty")
        return empty
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


def share_used(booked, planned):
    """Share of an envelope used, in percent: booked / planned × 100; 0 when
    nothing is planned (a line without envelope is not "infinitely" used).

    Also the share of a part in its whole (an item in a footprint, a rating in an
    axis, low-carbon km in all km): the same figure with other names."""
    return booked / planned * 100 if planned else 0.0


def prorata(planned, date_from, date_to, today=None):
    """Share of ``planned`` expected by ``today`` on the period, linear in time
    (the rule OCA uses for the theoretical amount)."""
    today = today or date.today()
    if not date_from or not date_to or today < date_from:
        return 0.0
    if today >= date_to:
        return planned
    total = (date_to - date_from).days
    if total <= 0:
        return planned
    return planned * (today - date_from).days / total


def split_by_weights(total, weights, precision=0):
    """Split ``total`` proportionally to ``weights`` rounded to ``precision`` digits,
    the rounding remainder going to the largest share so the parts add up exactly."""
    weights = list(weights)
    weight_sum = sum(weights)
    if not weights:
        return []
    if not weight_sum:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    parts = [round(total * w / weight_sum, precision) for w in weights]
    remainder = round(total - sum(parts), precision)
    if remainder:
        biggest = max(range(len(parts)), key=lambda i: weights[i])
        parts[biggest] = round(parts[biggest] + remainder, precision)
    return parts
