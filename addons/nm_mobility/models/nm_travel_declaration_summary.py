# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from .nm_travel_declaration import TRAVEL_TYPES


class NmTravelDeclarationSummary(models.Model):
    """km and kgCO2e of a declaration per travel type and mode: a view on the
    trip lines, shown as a list in the declaration's form and on the portal (no
    HTML built in Python). Read with the same record rules as the lines."""

    _name = "nm.travel.declaration.summary"
    _description = "Travel declaration totals by type and mode"
    _auto = False
    _order = "declaration_id, type_sequence, mode_sequence, mode_id"
    _depends = {
        "nm.travel.declaration.line": [
            "declaration_id",
            "travel_type",
            "mode_id",
            "total_km",
            "carbon_kg",
            "user_id",
            "department_id",
            "company_id",
        ],
        "nm.travel.mode": ["sequence"],
    }

    declaration_id = fields.Many2one("nm.travel.declaration", readonly=True)
    travel_type = fields.Selection(TRAVEL_TYPES, string="Type", readonly=True)
    mode_id = fields.Many2one("nm.travel.mode", readonly=True)
    total_km = fields.Float(string="km", digits=(16, 1), readonly=True)
    carbon_kg = fields.Float(string="kgCO2e", digits=(16, 4), readonly=True)
    type_sequence = fields.Integer(readonly=True)
    mode_sequence = fields.Integer(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        order = SQL(" ").join(
            SQL("WHEN %s THEN %s", key, index)
            for index, (key, _label) in enumerate(TRAVEL_TYPES)
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT MIN(line.id) AS id,
                           line.declaration_id,
                           line.travel_type,
                           line.mode_id,
                           SUM(line.total_km) AS total_km,
                           SUM(line.carbon_kg) AS carbon_kg,
                           CASE line.travel_type %(order)s END AS type_sequence,
                           MIN(mode.sequence) AS mode_sequence,
                           line.user_id,
                           line.department_id,
                           line.company_id
                      FROM nm_travel_declaration_line line
                      JOIN nm_travel_mode mode ON mode.id = line.mode_id
                  GROUP BY line.declaration_id, line.travel_type, line.mode_id,
                           line.user_id, line.department_id, line.company_id
                )
                """,
                view=SQL.identifier(self._table),
                order=order,
            )
        )
