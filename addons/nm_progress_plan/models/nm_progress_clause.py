# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

from ..tools.progress import MAX_FIGURE, progress_ratio
from .nm_progress_clause_template import COMMITTERS, DIRECTIONS, FREQUENCIES, THEMES

# What both sides signed: it changes only through an adjustment accepted by both.
SIGNED_FIELDS = (
    "convention_id",
    "name",
    "indicator_name",
    "indicator_unit",
    "baseline",
    "target",
    "direction",
    "committer",
    "frequency",
    "is_carbon",
)


class NmProgressClause(models.Model):
    _name = "nm.progress.clause"
    _description = "Progress plan clause"
    _inherit = ["nm.locked.mixin"]
    _order = "convention_id, sequence, id"
    _nm_lock_state = "convention_id.state"
    # figures computed from the measures and copies of the convention
    _nm_workflow_fields = frozenset(
        {"partner_id", "company_id", "latest_value", "latest_date", "has_value",
         "progress"}
    )  # fmt: skip
    _nm_locked_fields = {
        "signed": SIGNED_FIELDS,
        "assessment": SIGNED_FIELDS,
        "closed": ALL,
    }
    _nm_undeletable_states = ("signed", "assessment", "closed")

    sequence = fields.Integer(default=10)
    convention_id = fields.Many2one(
        "nm.convention", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="convention_id.partner_id", store=True, string="Operator", index=True
    )
    company_id = fields.Many2one(related="convention_id.company_id", store=True)
    convention_state = fields.Selection(
        related="convention_id.state", string="Convention status"
    )
    template_id = fields.Many2one("nm.progress.clause.template", string="From template")
    name = fields.Char(string="Objective", required=True)
    description = fields.Text()
    theme = fields.Selection(THEMES, required=True, default="other")
    committer = fields.Selection(
        COMMITTERS, string="Who commits", required=True, default="operator"
    )
    objective_id = fields.Many2one(
        "nm.progress.objective",
        string="Shared objective",
        help="Groups clauses of several conventions pursuing the same objective, so "
        "that operators share it instead of each piling up requests.",
    )
    indicator_name = fields.Char(string="Indicator", required=True)
    indicator_unit = fields.Char(string="Unit", required=True)
    baseline = fields.Float(aggregator="sum")
    target = fields.Float(aggregator="sum")
    direction = fields.Selection(DIRECTIONS, required=True, default="higher")
    frequency = fields.Selection(
        FREQUENCIES, string="Measurement frequency", required=True, default="yearly"
    )
    is_carbon = fields.Boolean(
        string="Measured in kgCO2e",
        help="Values are kgCO2e; at feedback they are booked on the operator's "
        "analytic "
        "account of the Partners plan, apart from the authority's footprint.",
    )
    measure_ids = fields.One2many("nm.progress.measure", "clause_id", string="Measures")
    adjustment_ids = fields.One2many(
        "nm.progress.adjustment", "clause_id", string="Adjustments"
    )
    latest_value = fields.Float(compute="_compute_latest", store=True, aggregator="sum")
    latest_date = fields.Date(compute="_compute_latest", store=True)
    has_value = fields.Boolean(compute="_compute_latest", store=True)
    progress = fields.Float(
        string="Progress (%)",
        compute="_compute_latest",
        store=True,
        aggregator="avg",
        help="Share of the way from the baseline to the target covered by the latest "
        "value.",
    )
    assessed_value = fields.Float(help="Value retained at the final assessment.")
    achievement = fields.Selection(
        [
            ("achieved", "Achieved"),
            ("partial", "Partly achieved"),
            ("not_achieved", "Not achieved"),
        ]
    )
    assessment_comment = fields.Text()
    next_target = fields.Float(
        string="Target for the next convention",
        help="Carried over as target when the convention is renewed.",
    )

    @api.depends(
        "measure_ids.value",
        "measure_ids.date",
        "baseline",
        "target",
    )
    def _compute_latest(self):
        for clause in self:
            latest = clause.measure_ids.sorted(lambda m: (m.date, m.id))[-1:]
            clause.has_value = bool(latest)
            clause.latest_value = latest.value if latest else 0.0
            clause.latest_date = latest.date if latest else False
            ratio = progress_ratio(
                clause.baseline, clause.target, latest.value if latest else None
            )
            clause.progress = round(ratio * 100.0, 1) if ratio is not None else 0.0

    @api.constrains("baseline", "target", "direction")
    def _check_target_direction(self):
        for clause in self:
            if clause.direction == "higher" and clause.target < clause.baseline:
                raise ValidationError(
                    self.env._(
                        "Clause \u00ab %(name)s \u00bb: higher is better, so the "
                        "target cannot be "
                        "below the baseline.",
                        name=clause.name,
                    )
                )
            if clause.direction == "lower" and clause.target > clause.baseline:
                raise ValidationError(
                    self.env._(
                        "Clause \u00ab %(name)s \u00bb: lower is better, so the "
                        "target cannot be "
                        "above the baseline.",
                        name=clause.name,
                    )
                )

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.update(self.template_id._clause_values())

    @api.model_create_multi
    def create(self, vals_list):
        conventions = self.env["nm.convention"].browse(
            [vals["convention_id"] for vals in vals_list if vals.get("convention_id")]
        )
        if any(
            c.state in ("signed", "assessment", "closed", "cancelled")
            for c in conventions
        ):
            raise UserError(
                self.env._(
                    "Clauses can only be added while the convention is negotiated."
                )
            )
        for vals in vals_list:
            self._check_figures(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_figures(vals)
        return super().write(vals)

    def _nm_check_unlink(self):
        # called by nm.locked.mixin's unlink, whatever the context
        self.check_access("unlink")
        if self.sudo().measure_ids:
            raise UserError(self._nm_unlink_message())
        return super()._nm_check_unlink()

    def _nm_lock_message(self, names):
        return self.env._(
            "The clauses of a signed convention change only through an adjustment "
            "accepted by both sides (%(fields)s).",
            fields=self._nm_field_labels(names),
        )

    def _nm_unlink_message(self):
        return self.env._(
            "Clauses of a signed convention or with measures cannot be deleted."
        )

    def _nm_set_target(self, target):
        """The adjustment workflow's one way to change a signed target."""
        self._check_figures({"target": target})
        self._nm_workflow_write({"target": target})

    @api.model
    def _check_figures(self, vals):
        for name in ("baseline", "target", "assessed_value", "next_target"):
            value = vals.get(name)
            if value and not -MAX_FIGURE <= value <= MAX_FIGURE:
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a plausible figure for an indicator: enter "
                        "at most 12 digits.",
                        value=value,
                    )
                )

    def _renewal_values(self):
        self.ensure_one()
        target = self.next_target or self.target
        return {
            "sequence": self.sequence,
            "template_id": self.template_id.id,
            "name": self.name,
            "description": self.description,
            "theme": self.theme,
            "committer": self.committer,
            "objective_id": self.objective_id.id,
            "indicator_name": self.indicator_name,
            "indicator_unit": self.indicator_unit,
            "baseline": self.assessed_value,
            "target": target,
            "direction": self.direction,
            "frequency": self.frequency,
            "is_carbon": self.is_carbon,
        }

    def action_propose_adjustment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "nm.progress.adjustment",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_clause_id": self.id,
                "default_new_target": self.target,
            },
        }
