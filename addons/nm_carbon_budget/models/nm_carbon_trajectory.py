# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import carbon

HORIZON_YEAR = 2050


class NmCarbonTrajectory(models.Model):
    """A carbon trajectory: a yearly ceiling decreasing at a constant rate from a
    baseline, for the whole organisation or one direction."""

    _name = "nm.carbon.trajectory"
    _description = "Carbon trajectory"
    _inherit = ["mail.thread"]
    _order = "analytic_account_id, baseline_year desc"

    name = fields.Char(required=True, tracking=True)
    baseline_year = fields.Integer(required=True, tracking=True)
    baseline_kg = fields.Float(
        string="Baseline kgCO2e", required=True, digits=(16, 0), tracking=True
    )
    reduction_rate = fields.Float(
        required=True,
        default=0.04,
        digits=(16, 4),
        tracking=True,
        help="Yearly reduction, compounded: 0.04 means −4 % a year.",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Direction",
        help="Leave empty for the whole organisation.",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    horizon_share = fields.Float(
        string="Share of the baseline left in 2050",
        compute="_compute_horizon",
        digits=(16, 4),
    )
    horizon_statement = fields.Char(compute="_compute_horizon")
    current_year_target_kg = fields.Float(
        string="Target this year (kgCO2e)",
        compute="_compute_current_year_target_kg",
        digits=(16, 0),
    )
    point_ids = fields.One2many(
        "nm.carbon.trajectory.point", "trajectory_id", string="Years"
    )

    _reduction_rate_range = models.Constraint(
        "CHECK (reduction_rate >= 0 AND reduction_rate < 1)",
        "The reduction rate is a share between 0 and 1 (0.04 for −4 % a year).",
    )
    _baseline_positive = models.Constraint(
        "CHECK (baseline_kg >= 0)", "The baseline cannot be negative."
    )

    @api.depends("reduction_rate", "baseline_year")
    def _compute_horizon(self):
        for trajectory in self:
            years = max(HORIZON_YEAR - (trajectory.baseline_year or HORIZON_YEAR), 0)
            share = carbon.remaining_share(trajectory.reduction_rate, years)
            trajectory.horizon_share = share
            trajectory.horizon_statement = self.env._(
                "At −%(rate)s %% a year from %(year)s, %(horizon)s emissions are "
                "%(share)s %% of the baseline (−%(cut)s %%): a steep cut, not "
                "neutrality.",
                rate=f"{trajectory.reduction_rate * 100:.1f}".rstrip("0").rstrip("."),
                year=trajectory.baseline_year,
                horizon=HORIZON_YEAR,
                share=f"{share * 100:.0f}",
                cut=f"{(1 - share) * 100:.0f}",
            )

    def _compute_current_year_target_kg(self):
        year = fields.Date.context_today(self).year
        for trajectory in self:
            trajectory.current_year_target_kg = trajectory.target_kg(year)

    @api.constrains("baseline_year")
    def _check_baseline_year(self):
        for trajectory in self:
            if not 1990 <= trajectory.baseline_year <= 2100:
                raise ValidationError(
                    self.env._("The baseline year must be between 1990 and 2100.")
                )

    def target_kg(self, year):
        """Ceiling for ``year``: baseline × (1 − rate) ** (year − baseline year)."""
        self.ensure_one()
        return carbon.target_kg(
            self.baseline_kg, self.reduction_rate, self.baseline_year, year
        )

    @api.model
    def _find_for(self, analytic_account=None, company=None):
        """The trajectory of a direction, else the organisation's."""
        company = company or self.env.company
        domain = [("company_id", "=", company.id)]
        if analytic_account:
            own = self.search(
                domain + [("analytic_account_id", "=", analytic_account.id)], limit=1
            )
            if own:
                return own
        return self.search(domain + [("analytic_account_id", "=", False)], limit=1)

    def action_refresh_points(self):
        """Rebuild the yearly points (target and booked) used by the graph."""
        points = self.env["nm.carbon.trajectory.point"]
        for trajectory in self:
            trajectory.point_ids.unlink()
            first = trajectory.baseline_year
            last = max(HORIZON_YEAR, fields.Date.context_today(self).year)
            booked = trajectory._booked_by_year(first, last)
            points.create(
                [
                    {
                        "trajectory_id": trajectory.id,
                        "year": year,
                        "target_kg": round(trajectory.target_kg(year), 0),
                        "booked_kg": booked.get(year, 0.0),
                    }
                    for year in range(first, last + 1)
                ]
            )
        return True

    def _booked_by_year(self, first, last):
        """Booked kgCO2e per year on the direction, or on the company's carbon
        reference plan for the whole organisation, in one grouped query."""
        self.ensure_one()
        lines = self.env["account.analytic.line"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", f"{first}-01-01"),
            ("date", "<=", f"{last}-12-31"),
        ]
        if self.analytic_account_id:
            column = self.analytic_account_id.root_plan_id._column_name()
            domain.append((column, "=", self.analytic_account_id.id))
        else:
            plan = self.company_id.carbon_plan_id
            if not plan:
                return {}
            domain.append((plan._column_name(), "!=", False))
        return {
            date_year.year: total
            for date_year, total in lines._read_group(
                domain, ["date:year"], ["carbon_kg:sum"]
            )
        }


class NmCarbonTrajectoryPoint(models.Model):
    _name = "nm.carbon.trajectory.point"
    _description = "Carbon trajectory: one year"
    _order = "trajectory_id, year"

    trajectory_id = fields.Many2one(
        "nm.carbon.trajectory", required=True, ondelete="cascade", index=True
    )
    year = fields.Integer(required=True)
    year_label = fields.Char(compute="_compute_year_label", store=True)
    target_kg = fields.Float(string="Target kgCO2e", aggregator="sum")
    booked_kg = fields.Float(string="Booked kgCO2e", aggregator="sum")

    @api.depends("year")
    def _compute_year_label(self):
        for point in self:
            point.year_label = str(point.year)
