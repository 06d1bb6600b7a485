# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .nm_progress_clause_template import THEMES


class NmProgressObjective(models.Model):
    _name = "nm.progress.objective"
    _description = "Shared objective"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    theme = fields.Selection(THEMES)
    active = fields.Boolean(default=True)
    clause_ids = fields.One2many("nm.progress.clause", "objective_id", string="Clauses")
    clause_count = fields.Integer(compute="_compute_counts")
    operator_count = fields.Integer(compute="_compute_counts")

    @api.depends("clause_ids.convention_id.partner_id")
    def _compute_counts(self):
        for objective in self:
            objective.clause_count = len(objective.clause_ids)
            objective.operator_count = len(
                objective.clause_ids.convention_id.partner_id.commercial_partner_id
            )
