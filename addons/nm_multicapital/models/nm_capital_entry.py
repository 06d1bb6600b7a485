# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

IMPORT_TEMPLATE = "/nm_multicapital/static/csv/nm_capital_entry_import_template.csv"
ENTRY_SOURCES = [
    ("manual", "Entered by hand"),
    ("measure", "Measurement"),
    ("estimate", "Estimate"),
    ("import", "Import"),
]


class NmCapitalEntry(models.Model):
    _name = "nm.capital.entry"
    _description = "Capital entry"
    _check_company_auto = True
    _order = "date desc, id desc"

    capital_id = fields.Many2one(
        "nm.capital", required=True, index=True, ondelete="restrict", check_company=True
    )
    capital_kind = fields.Selection(
        related="capital_id.kind", store=True, string="Kind"
    )
    unit = fields.Char(related="capital_id.unit")
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        required=True,
        index=True,
        ondelete="restrict",
        help="Analytic account of any plan: direction, site, project…",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    quantity = fields.Float(
        required=True,
        digits=(16, 2),
        help="Change of the capital in its own unit: degradation positive, "
        "restoration negative.",
    )
    budget_post_id = fields.Many2one(
        "account.budget.post",
        string="Budgetary position",
        index="btree_not_null",
        help="Set it to show the entry beside the budget lines of this position (and "
        "of the same analytic account) in the arbitration view.",
    )
    decarbonation_action_id = fields.Many2one(
        "nm.decarbonation.action",
        string="Action",
        index="btree_not_null",
        ondelete="set null",
        help="Decarbonisation action this change comes from: shown beside the action "
        "in the arbitration view.",
    )
    name = fields.Char(string="Description")
    source = fields.Selection(ENTRY_SOURCES, required=True, default="manual")
    source_reference = fields.Char(
        help="Document, meter, study or file the quantity comes from."
    )
    uncertainty = fields.Float(string="Uncertainty (%)", digits=(5, 1))
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _uncertainty_range = models.Constraint(
        "CHECK (uncertainty >= 0 AND uncertainty <= 100)",
        "The uncertainty is a percentage between 0 and 100.",
    )

    @api.constrains("capital_id")
    def _check_capital_source(self):
        for entry in self:
            if entry.capital_id.source == "carbon":
                raise ValidationError(
                    self.env._(
                        "The capital “%(capital)s” is read from the carbon analytic "
                        "lines: record emissions in the carbon budget, not as capital "
                        "entries.",
                        capital=entry.capital_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_finite_quantity(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_finite_quantity(vals)
        return super().write(vals)

    def _check_finite_quantity(self, vals):
        """Refuse "nan", "inf" or "1e309" (which a spreadsheet or Python reads as
        numbers) before the database does, with a message for the user."""
        quantity = vals.get("quantity")
        if isinstance(quantity, float) and not math.isfinite(quantity):
            raise ValidationError(
                self.env._(
                    "The quantity %(value)s is not a usable number: enter a finite "
                    "quantity in the capital's unit.",
                    value=quantity,
                )
            )

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import template for capital entries"),
                "template": IMPORT_TEMPLATE,
            }
        ]

    def _read_group_select(self, aggregate_spec, query):
        # Never add up two capitals: a group mixing capitals gets no total.
        if aggregate_spec == "quantity:sum":
            return self.env["nm.capital"]._single_capital_sum_sql(
                self, query, "quantity"
            )
        return super()._read_group_select(aggregate_spec, query)
