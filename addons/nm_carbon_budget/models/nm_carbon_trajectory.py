# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..engine import BookedEngine
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
        "nm.carbon.trajectory.point", "trajectory_id", string="Years", readonly=True
    )

    _reduction_rate_range = models.Constraint(
        "CHECK (reduction_rate >= 0 AND reduction_rate < 1)",
        "The reduction rate is a share between 0 and 1 (0.04 for −4 % a year).",
    )
    _baseline_positive = models.Constraint(
        "CHECK (baseline_kg >= 0)", "The baseline cannot be negative."
    )

    @api.depends("reduction_rate", "baseline_year")
    @api.depends_context("lang")
    def _compute_horizon(self):
        for trajectory in self:
            years = max(HORIZON_YEAR - (trajectory.baseline_year or HORIZON_YEAR), 0)
            share = carbon.remaining_share(trajectory.reduction_rate, years)
            rate = round(trajectory.reduction_rate * 100, 1)
            trajectory.horizon_share = share
            trajectory.horizon_statement = self.env._(
                "At −%(rate)s %% a year from %(year)s, %(horizon)s emissions are "
                "%(share)s %% of the baseline (−%(cut)s %%): a steep cut, not "
                "neutrality.",
                rate=formatLang(self.env, rate, digits=0 if rate.is_integer() else 1),
                year=trajectory.baseline_year,
                horizon=HORIZON_YEAR,
                share=formatLang(self.env, share * 100, digits=0),
                cut=formatLang(self.env, (1 - share) * 100, digits=0),
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

    def _booked_by_year(self, first, last):
        """Booked kgCO2e per year on the direction, or on the company's carbon
        reference plan for the whole organisation, in one grouped query."""
        self.ensure_one()
        return BookedEngine(self.env).carbon_by_year(
            self.company_id, first, last, account=self.analytic_account_id
        )


# what the trajectory queries read, flushed before they run
TRAJECTORY_DEPENDS = {
    "nm.carbon.trajectory": [
        "baseline_year",
        "baseline_kg",
        "reduction_rate",
        "analytic_account_id",
        "company_id",
        "active",
    ],
    "account.analytic.line": ["date", "carbon_kg", "company_id", "account_id"],
    "account.analytic.account": ["root_plan_id"],
    "res.company": ["carbon_plan_id"],
}


def _booked_query(env):
    """SQL of the kgCO2e booked per trajectory and year (the engine's rule)."""
    return BookedEngine(env).trajectory_booked_query()


def _years_query(env):
    """One row per trajectory and year, from the baseline year to 2050 (or this
    year when later): the target, and the kgCO2e booked that year so far."""
    return SQL(
        """
        SELECT traj.id * 10000 + years.year AS id,
               traj.id AS trajectory_id,
               traj.company_id,
               traj.analytic_account_id,
               years.year,
               years.year::varchar AS year_label,
               ROUND((traj.baseline_kg
                      * POWER(1 - traj.reduction_rate, years.year - traj.baseline_year)
                     )::numeric, 0)::float AS target_kg,
               booked.carbon_kg AS booked_kg
          FROM nm_carbon_trajectory traj
         CROSS JOIN LATERAL generate_series(
                traj.baseline_year,
                GREATEST(%(horizon)s, EXTRACT(YEAR FROM CURRENT_DATE)::int)
               ) AS years(year)
          LEFT JOIN (%(booked)s) booked
            ON booked.trajectory_id = traj.id AND booked.year = years.year
         WHERE traj.active
        """,
        horizon=HORIZON_YEAR,
        booked=_booked_query(env),
    )


class NmCarbonTrajectoryPoint(models.Model):
    """A trajectory's year: its target and what was booked, read from the
    analytic lines each time it is displayed (no stored snapshot to refresh)."""

    _name = "nm.carbon.trajectory.point"
    _description = "Carbon trajectory: one year"
    _auto = False
    _order = "trajectory_id, year"
    _depends = TRAJECTORY_DEPENDS

    trajectory_id = fields.Many2one("nm.carbon.trajectory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Direction", readonly=True
    )
    year = fields.Integer(string="Year number", readonly=True)
    year_label = fields.Char(string="Year", readonly=True)
    target_kg = fields.Float(
        string="Target kgCO2e", aggregator="sum", digits=(16, 0), readonly=True
    )
    booked_kg = fields.Float(
        string="Booked kgCO2e",
        aggregator="sum",
        digits=(16, 0),
        readonly=True,
        help="Empty for a year with nothing booked yet.",
    )
    gap_kg = fields.Float(
        string="Booked − target kgCO2e",
        compute="_compute_gap_kg",
        digits=(16, 0),
        help="Positive when the year emitted more than its target.",
    )

    @property
    def _table_query(self):
        return _years_query(self.env)

    @api.depends("target_kg", "booked_kg")
    def _compute_gap_kg(self):
        for point in self:
            point.gap_kg = point.booked_kg - point.target_kg if point.booked_kg else 0.0


class NmCarbonTrajectorySeries(models.Model):
    """The same years, one row per series (target, booked), so that one graph
    draws both lines of every trajectory."""

    _name = "nm.carbon.trajectory.series"
    _description = "Carbon trajectory: target and booked series"
    _auto = False
    _order = "trajectory_id, year, series"
    _depends = TRAJECTORY_DEPENDS

    trajectory_id = fields.Many2one("nm.carbon.trajectory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Direction", readonly=True
    )
    year = fields.Integer(string="Year number", readonly=True)
    year_label = fields.Char(string="Year", readonly=True)
    series = fields.Selection(
        [("target", "Target"), ("booked", "Booked")], readonly=True
    )
    carbon_t = fields.Float(
        string="tCO2e", aggregator="sum", digits=(16, 1), readonly=True
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT point.id * 2 AS id, point.trajectory_id, point.company_id,
                   point.analytic_account_id, point.year, point.year_label,
                   'target' AS series, point.target_kg / 1000.0 AS carbon_t
              FROM (%(points)s) point
            UNION ALL
            SELECT point.id * 2 + 1, point.trajectory_id, point.company_id,
                   point.analytic_account_id, point.year, point.year_label,
                   'booked', point.booked_kg / 1000.0
              FROM (%(points)s) point
             WHERE point.booked_kg IS NOT NULL
            """,
            points=_years_query(self.env),
        )
