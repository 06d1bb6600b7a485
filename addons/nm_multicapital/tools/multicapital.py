# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain functions of multi-capital accounting and of the budget vert annex.

They take numbers and codes and return numbers: no ORM, easy to test.
"""

from collections import defaultdict

from odoo.addons.nm_carbon_budget.tools import carbon

# Share of a ceiling from which a capital budget line is flagged "near the threshold".
WARNING_RATIO = 0.9

RATINGS = [
    ("very_favorable", "Very favourable"),
    ("favorable", "Favourable"),
    ("neutral", "Neutral"),
    ("unfavorable", "Unfavourable"),
    ("to_deepen", "To be examined further"),
    ("out_of_scope", "Out of scope"),
]
RATING_CODES = [code for code, _label in RATINGS]

# Categories of the annex ("Impact du budget pour la transition écologique"). The
# State's maquette could not be read from its primary source while this was written:
# collectivites-locales.gouv.fr, "Budget vert des collectivités" (section "Maquette de
# l'annexe") and its FAQ ("Format et contenu de l'annexe") are known pages, but the
# copies that could be read stop before the maquette's categories; the arrêté giving
# the model of the annex (awaited in July 2024, impactant.fr) was not found; no
# repository quotes the maquette (code search: "Impact du budget pour la transition",
# TotEM annex names). These are therefore still the categories of the State's own
# budget vert classification (favourable, neutral, unfavourable, not rated), NOT
# verified against the maquette: check them there before printing a legal annex. The
# I4CE scale stays the analysis a rater uses; each of its ratings maps to one annex
# category.
ANNEX_CATEGORIES = [
    ("favorable", "Favourable spending"),
    ("unfavorable", "Unfavourable spending"),
    ("neutral", "Neutral spending"),
    ("not_rated", "Spending not rated"),
]
ANNEX_CATEGORY_CODES = [code for code, _label in ANNEX_CATEGORIES]
CATEGORY_OF_RATING = {
    "very_favorable": "favorable",
    "favorable": "favorable",
    "neutral": "neutral",
    "unfavorable": "unfavorable",
    "to_deepen": "not_rated",
    "out_of_scope": "not_rated",
}


def threshold_status(threshold_type, planned, booked, warning_ratio=WARNING_RATIO):
    """Status of a booked quantity against a planned ceiling or floor.

    ceiling ("ne pas dépasser"): crossed above the planned quantity, warning from
    warning_ratio of it; floor ("ne pas descendre sous"): crossed below it.
    Without planned quantity there is nothing to compare: "none".
    """
    if not planned:
        return "none"
    if threshold_type == "floor":
        return "crossed" if booked < planned else "ok"
    if booked > planned:
        return "crossed"
    if booked >= planned * warning_ratio:
        return "warning"
    return "ok"


def code_in(code, prefixes):
    """True when the account code starts with one of the prefixes."""
    return any(code.startswith(prefix) for prefix in prefixes if prefix)


def parse_prefixes(text):
    """'2031, 2313 ;21571' -> ['2031', '2313', '21571']."""
    return [
        part.strip()
        for part in (text or "").replace(";", ",").replace(" ", ",").split(",")
        if part.strip()
    ]


def best_rule(code, rules):
    """The rule that applies to an account code, or None.

    rules: iterable of (prefix, year_specific, rating, justification). The longest
    prefix wins; for the same prefix a rule written for the year beats a general one.
    """
    best = None
    for rule in rules:
        prefix, year_specific = rule[0], rule[1]
        if not code.startswith(prefix):
            continue
        key = (len(prefix), bool(year_specific))
        if best is None or key > best[0]:
            best = (key, rule)
    return best[1] if best else None


def annex_totals(rows):
    """Amounts and shares per axis and rating.

    rows: iterable of (axis, rating, amount). Returns
    {axis: {"total": t, "ratings": {rating: (amount, share %)}}} with every rating
    of the scale present (0 where nothing), so "à approfondir" always shows.
    """
    amounts = defaultdict(lambda: defaultdict(float))
    for axis, rating, amount in rows:
        amounts[axis][rating] += amount
    result = {}
    for axis, by_rating in amounts.items():
        total = sum(by_rating.values())
        result[axis] = {
            "total": total,
            "ratings": {
                rating: (
                    by_rating.get(rating, 0.0),
                    carbon.share_used(by_rating.get(rating, 0.0), total),
                )
                for rating in RATING_CODES
            },
        }
    return result


def category_totals(rows):
    """Amounts and shares per axis and annex category, in the same shape as
    ``annex_totals``: rows of (axis, rating, amount), ratings mapped to categories."""
    amounts = defaultdict(lambda: defaultdict(float))
    for axis, rating, amount in rows:
        amounts[axis][CATEGORY_OF_RATING[rating]] += amount
    result = {}
    for axis, by_category in amounts.items():
        total = sum(by_category.values())
        result[axis] = {
            "total": total,
            "categories": {
                code: (
                    by_category.get(code, 0.0),
                    carbon.share_used(by_category.get(code, 0.0), total),
                )
                for code in ANNEX_CATEGORY_CODES
            },
        }
    return result


def preservation_due(costs):
    """Preservation costs still due: Σ max(planned − incurred, 0) over (planned,
    incurred) pairs, one per capital and measure. A capital preserved beyond its
    plan does not pay another capital's debt (capitals are not substitutable)."""
    return sum(
        max((planned or 0.0) - (incurred or 0.0), 0.0) for planned, incurred in costs
    )


def integrated_result(financial_result, costs):
    """CARE integrated result: the financial result minus the preservation costs
    still due.

    Incurred preservation costs are spending already charged in the financial
    result; what is planned and not incurred is the debt towards the capitals, due
    as well: 100,000 of financial result, a river with 30,000 planned and 10,000
    incurred, a soil with 5,000 planned and 8,000 incurred give
    100,000 − (20,000 + 0) = 80,000."""
    return (financial_result or 0.0) - preservation_due(costs)
