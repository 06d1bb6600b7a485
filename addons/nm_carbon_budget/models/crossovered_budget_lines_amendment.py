# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The task keeps these fields in a file of their own, beside the core's.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .nm_carbon_amendment import APPLY_CONTEXT_KEY

# Budget states in which an envelope only changes through a DM carbone.
VOTED_STATES = ("confirm", "validate", "done")


class CrossoveredBudgetLines(models.Model):
    _inherit = "crossovered.budget.lines"

    initial_carbon_kg = fields.Float(
        string="Initial kgCO2e",
        compute="_compute_amendment_figures",
        digits=(16, 0),
        help="Envelope voted with the budget, before any applied amendment.",
    )
    amendment_carbon_kg = fields.Float(
        string="Amendments kgCO2e",
        compute="_compute_amendment_figures",
        digits=(16, 0),
        help="Sum of the applied carbon amendments (DM carbone) on this line.",
    )
    amendment_line_ids = fields.One2many(
        "nm.carbon.amendment.line",
        "budget_line_id",
        string="Amendment history",
        domain=[("state", "=", "applied")],
        readonly=True,
    )

    def _compute_amendment_figures(self):
        applied = dict(
            self.env["nm.carbon.amendment.line"]._read_group(
                [("budget_line_id", "in", self._origin.ids), ("state", "=", "applied")],
                ["budget_line_id"],
                ["delta_kg:sum"],
            )
        )
        applied = {line.id: total for line, total in applied.items()}
        for line in self:
            delta = applied.get(line._origin.id, 0.0)
            line.amendment_carbon_kg = delta
            line.initial_carbon_kg = line.planned_carbon_kg - delta

    def write(self, vals):
        if (
            "planned_carbon_kg" in vals
            and not self.env.context.get(APPLY_CONTEXT_KEY)
            and not self.env.context.get("install_mode")
        ):
            changed = self.filtered(
                lambda line: (
                    line.crossovered_budget_id.state in VOTED_STATES
                    and float_compare(
                        line.planned_carbon_kg,
                        vals["planned_carbon_kg"] or 0.0,
                        precision_digits=0,
                    )
                )
            )
            if changed:
                raise UserError(
                    self.env._(
                        "The budget %(budget)s is voted: its carbon envelopes change "
                        "through a carbon amendment (DM carbone), which keeps their "
                        "history.",
                        budget=changed[0].crossovered_budget_id.display_name,
                    )
                )
        return super().write(vals)
