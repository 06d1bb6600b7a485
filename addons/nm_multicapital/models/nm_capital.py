# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.nm_carbon_budget.engine import BookedEngine

CAPITAL_KINDS = [
    ("climate", "Climate"),
    ("natural", "Natural"),
    ("human", "Human / social"),
]
THRESHOLD_TYPES = [
    ("ceiling", "Ceiling (do not exceed)"),
    ("floor", "Floor (do not fall below)"),
]
CAPITAL_SOURCES = [
    ("entries", "Capital entries"),
    ("carbon", "Carbon analytic lines (kgCO2e)"),
]


class NmCapital(models.Model):
    _name = "nm.capital"
    _description = "Capital"
    _check_company_auto = True
    _order = "sequence, code"

    name = fields.Char(
        required=True,
        translate=True,
        help="The capital itself, the thing kept intact: a river, the soils of a "
        "park, staff health — not the direction that looks after it.",
    )
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(CAPITAL_KINDS, required=True, default="natural")
    unit = fields.Char(
        required=True,
        help="Unit every quantity of this capital is kept in (kgCO2e, m², m³, h…). "
        "Quantities of different capitals are never added nor converted.",
    )
    source = fields.Selection(
        CAPITAL_SOURCES,
        required=True,
        default="entries",
        help="Where booked quantities come from: capital entries, or for the climate "
        "capital the carbon envelopes of the budget lines and their booked kgCO2e.",
    )
    threshold_type = fields.Selection(
        THRESHOLD_TYPES,
        required=True,
        default="ceiling",
        help="Ceiling: the booked quantity must not exceed the planned one; floor: it "
        "must not fall below it.",
    )
    threshold_qty = fields.Float(
        string="Threshold per period",
        digits=(16, 2),
        help="Preservation threshold for one period, proposed as planned quantity of "
        "new capital budget lines.",
    )
    threshold_note = fields.Text(
        string="Preservation threshold",
        translate=True,
        help="The state the capital must be kept in, which the threshold quantity "
        "measures (e.g. good ecological status of the river, no net land take).",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Steward direction",
        check_company=True,
        help="The direction that looks after the capital (the capital is the river, "
        "the soil, staff health); empty: the whole organisation.",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    entry_ids = fields.One2many("nm.capital.entry", "capital_id")
    entry_count = fields.Integer(compute="_compute_entry_count")

    _code_company_unique = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        "A capital with this code already exists in this company.",
    )

    @api.depends("name", "unit")
    def _compute_display_name(self):
        # The unit is part of the name, so that a pivot row never hides it.
        for capital in self:
            capital.display_name = (
                f"{capital.name} ({capital.unit})" if capital.unit else capital.name
            )

    def _compute_entry_count(self):
        counts = dict(
            self.env["nm.capital.entry"]._read_group(
                [("capital_id", "in", self.ids)], ["capital_id"], ["__count"]
            )
        )
        for capital in self:
            capital.entry_count = counts.get(capital, 0)

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nm_multicapital.nm_capital_entry_action"
        )
        action["domain"] = [("capital_id", "=", self.id)]
        action["context"] = {"default_capital_id": self.id}
        return action

    def action_view_carbon_envelopes(self):
        """The climate capital's budget: the carbon envelopes of the budget lines
        (one carbon budget, never a second envelope on capital budget lines)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nm_carbon_budget.crossovered_budget_lines_action_carbon"
        )
        action["domain"] = [("planned_carbon_kg", "!=", 0)]
        if self.analytic_account_id:
            action["domain"].append(
                ("analytic_account_id", "=", self.analytic_account_id.id)
            )
        return action

    @api.model
    def _climate_figures(self, accounts, date_from, date_to, company=None):
        """{analytic account id: (planned kgCO2e, booked kgCO2e)} of the climate
        capital: the carbon envelopes of the budget lines of the company on the
        accounts meeting the period, as the fiche carbone selects them (budgets
        not cancelled), and their booked
        kgCO2e from the booked engine — the same figures as the budget lines, the
        fiche carbone and the XLSX. Two queries whatever the number of accounts."""
        company = company or self.env.company
        engine = BookedEngine(self.env)
        lines = engine.envelope_lines(accounts, company, date_from, date_to)
        figures = engine.budget_line_figures(lines)
        result = {account.id: (0.0, 0.0) for account in accounts}
        for line in lines:
            planned, booked = result[line.analytic_account_id.id]
            result[line.analytic_account_id.id] = (
                planned + line.planned_carbon_kg,
                booked + figures.get(line.id, (0.0, 0.0))[1],
            )
        return result

    @api.model
    def _single_capital_sum_sql(self, records, query, fname):
        """SUM(fname) for a group holding one capital, NULL when it mixes several.

        Quantities of two capitals are never added (strong sustainability): a
        pivot total across capitals stays empty instead of adding m³ to m².
        """
        capital = records._field_to_sql(records._table, "capital_id", query)
        value = records._field_to_sql(records._table, fname, query)
        return SQL("CASE WHEN COUNT(DISTINCT %s) <= 1 THEN SUM(%s) END", capital, value)
