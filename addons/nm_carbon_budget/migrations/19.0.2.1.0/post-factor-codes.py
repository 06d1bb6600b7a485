# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.1.0: the shipped emission factors take their Base Empreinte element ids.

The factors are ``noupdate`` data: an upgrade does not rewrite them, so a database
installed earlier keeps the invented codes (``ADEME-IMPACTCO2-*``) or the provisional
ones (``NM-PROVISIONAL-*``), and an import of ADEME's file would then add the same
elements a second time. For each shipped factor still carrying a code of ours:

* every factor with that code (the shipped record and the versions made from it)
  takes the code of the data file, the element id where it is known; a code is left
  as it is when a factor of another code already holds the target (an ADEME import
  made before the upgrade: the log names both, to be merged by hand), or when two
  shipped factors with that code now have different codes;
* the shipped record takes the data file's source and validity dates (2024 versions
  from 2024-01-01, the bands of October 2025 from 2025-10-01), the dates only where no
  booked line of the factor would fall outside them;
* two monetary ratios move to the BEGES v5 item the data file gives them (IT
  consulting to services 4.5, furniture to capital goods 4.2) when they are still on
  the item shipped before.

Values are not touched: carbon booked with a factor keeps what it was booked with.
"""

import logging

from lxml import etree

from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

MODULE = "nm_carbon_budget"
DATA_FILE = "nm_carbon_budget/data/nm_emission_factor_data.xml"
OUR_PREFIXES = ("ADEME-IMPACTCO2-", "NM-PROVISIONAL-")
# xml id of the factor -> (item shipped before, item of the data file)
MOVED_ITEMS = {
    "nm_emission_factor_ratio_it": (
        "nm_carbon_category_digital",
        "nm_carbon_category_ach_services",
    ),
    "nm_emission_factor_ratio_furniture": (
        "nm_carbon_category_ach_goods",
        "nm_carbon_category_capital",
    ),
}


def shipped_factors():
    """xml id -> {code, source, date_start, date_end} as the data file says."""
    with file_open(DATA_FILE, "rb") as handle:
        root = etree.parse(handle).getroot()
    factors = {}
    for record in root.iter("record"):
        if record.get("model") != "nm.emission.factor":
            continue
        fields = {f.get("name"): (f.text or "").strip() for f in record.iter("field")}
        factors[record.get("id")] = {
            "code": fields["code"],
            "source": fields.get("source"),
            "date_start": fields.get("date_start"),
            "date_end": fields.get("date_end") or None,
        }
    return factors


def res_ids(cr, model, names):
    cr.execute(
        "SELECT name, res_id FROM ir_model_data WHERE module = %s AND model = %s"
        " AND name = ANY(%s)",
        [MODULE, model, list(names)],
    )
    return dict(cr.fetchall())


def recode(cr, shipped, ids):
    cr.execute(
        "SELECT id, code FROM nm_emission_factor WHERE id = ANY(%s)",
        [list(ids.values())],
    )
    current = dict(cr.fetchall())
    # former code -> the codes the data file now gives its shipped factors
    targets = {}
    for name, factor_id in ids.items():
        code = current.get(factor_id)
        if code and code.startswith(OUR_PREFIXES) and code != shipped[name]["code"]:
            targets.setdefault(code, set()).add(shipped[name]["code"])
    renamed = {}
    renamed_ids = [0]
    for old, new_codes in sorted(targets.items()):
        if len(new_codes) != 1:
            _logger.warning(
                "Factor code %s left as it is: its shipped factors now have the "
                "codes %s",
                old,
                ", ".join(sorted(new_codes)),
            )
            continue
        new = new_codes.pop()
        cr.execute(
            "SELECT id FROM nm_emission_factor WHERE code = %s AND id <> ALL(%s)"
            " LIMIT 1",
            [new, renamed_ids],
        )
        clash = cr.fetchone()
        if clash:
            _logger.warning(
                "Factor code %s left as it is: factor %s already has the element id "
                "%s (imported?). Merge them by hand: close one, keep the versions.",
                old,
                clash[0],
                new,
            )
            continue
        cr.execute(
            "UPDATE nm_emission_factor SET code = %s WHERE code = %s RETURNING id",
            [new, old],
        )
        renamed_ids += [row[0] for row in cr.fetchall()]
        renamed[old] = new
        _logger.info("Factor code %s is now %s", old, new)
    return current, renamed


def align_shipped(cr, shipped, ids, current, renamed):
    for name, factor_id in sorted(ids.items()):
        data = shipped[name]
        code = current.get(factor_id)
        if code not in renamed and code != data["code"]:
            continue  # a code of the user's own, or left for a clash: not ours now
        if data["source"]:
            cr.execute(
                "UPDATE nm_emission_factor SET source = %s WHERE id = %s",
                [data["source"], factor_id],
            )
        # dates only where no booked line would fall outside them
        cr.execute(
            """SELECT count(*) FROM account_analytic_line
                WHERE emission_factor_id = %s
                  AND (date < %s OR (%s::date IS NOT NULL AND date > %s::date))""",
            [factor_id, data["date_start"], data["date_end"], data["date_end"]],
        )
        if cr.fetchone()[0]:
            _logger.warning(
                "Factor %s keeps its validity dates: carbon was booked with it "
                "outside %s - %s",
                name,
                data["date_start"],
                data["date_end"] or "",
            )
            continue
        cr.execute(
            "UPDATE nm_emission_factor SET date_start = %s, date_end = %s"
            " WHERE id = %s",
            [data["date_start"], data["date_end"], factor_id],
        )


def move_items(cr, ids):
    categories = res_ids(
        cr,
        "nm.carbon.category",
        {name for pair in MOVED_ITEMS.values() for name in pair},
    )
    for name, (before, after) in MOVED_ITEMS.items():
        if name not in ids or before not in categories or after not in categories:
            continue
        cr.execute(
            "UPDATE nm_emission_factor SET carbon_category_id = %s"
            " WHERE id = %s AND carbon_category_id = %s",
            [categories[after], ids[name], categories[before]],
        )


def migrate(cr, version):
    if not version:
        return
    shipped = shipped_factors()
    ids = res_ids(cr, "nm.emission.factor", shipped)
    if not ids:
        return
    current, renamed = recode(cr, shipped, ids)
    align_shipped(cr, shipped, ids, current, renamed)
    move_items(cr, ids)
