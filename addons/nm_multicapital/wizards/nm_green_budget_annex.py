# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.nm_carbon_budget.tools import carbon

from ..tools import multicapital

ORIGINS = [
    ("rule", "Account rule"),
    ("override", "Budget line override"),
    ("unrated", "Not rated yet"),
]


class NmGreenBudgetAnnex(models.TransientModel):
    """The budget vert annex of a year: executed real spending per axis and rating.

    Spending is read from posted journal items only, on the accounts in the
    year's scope; each account is rated by the longest matching rule, budget line
    overrides rate their own share first; spending nobody rated yet is shown as
    "à approfondir", never hidden.
    """

    _name = "nm.green.budget.annex"
    _description = "Budget vert annex"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.today().year - 1
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    scope_id = fields.Many2one("nm.green.budget.scope", readonly=True)
    line_ids = fields.One2many("nm.green.budget.annex.line", "annex_id", readonly=True)

    def action_compute(self):
        for annex in self:
            annex._compute_annex()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_print_xlsx(self):
        self._ensure_computed()
        return self.env.ref("nm_multicapital.nm_green_budget_annex_xlsx").report_action(
            self
        )

    def action_print_html(self):
        self._ensure_computed()
        return self.env.ref(
            "nm_multicapital.nm_green_budget_annex_report"
        ).report_action(self)

    def _ensure_computed(self):
        for annex in self:
            if not annex.line_ids:
                annex._compute_annex()

    def _compute_annex(self):
        self.ensure_one()
        if self.year < 2024:
            raise UserError(
                self.env._("The budget vert annex exists from financial year 2024 on.")
            )
        scope = self.env["nm.green.budget.scope"]._for_year(self.year, self.company_id)
        self.line_ids.unlink()
        self.scope_id = scope
        self.env["nm.green.budget.annex.line"].create(
            [
                dict(values, annex_id=self.id)
                for values in self._annex_line_values(scope)
            ]
        )

    def _annex_line_values(self, scope):
        company = self.company_id
        date_from, date_to = date(self.year, 1, 1), date(self.year, 12, 31)
        accounts = scope._accounts_in_scope(
            self.env["account.account"]
            .with_company(company)
            .search([("company_ids", "in", company.id)])
        )
        spending = self._posted_spending(accounts, company, date_from, date_to)
        if not spending:
            return []
        ratings = self.env["nm.green.budget.rating"].search(
            [
                ("company_id", "=", company.id),
                ("axis_id", "in", scope.axis_ids.ids),
                ("year", "in", [0, self.year]),
            ]
        )
        overrides = ratings.filtered("budget_line_id")
        override_amounts = self._override_spending(
            overrides.budget_line_id, accounts, company, date_from, date_to
        )
        unrated_text = self.env._("No rating rule covers this account yet.")
        values = []
        for axis in scope.axis_ids:
            axis_ratings = ratings.filtered(lambda r, axis=axis: r.axis_id == axis)
            rules = [
                (r.account_prefix, r.year, r.rating, r.justification or "")
                for r in axis_ratings
                if r.account_prefix and not r.budget_line_id
            ]
            for account_id, amount in spending.items():
                account = (
                    self.env["account.account"].with_company(company).browse(account_id)
                )
                rest = amount
                for override in axis_ratings.filtered("budget_line_id"):
                    part = override_amounts.get(
                        (override.budget_line_id.id, account_id), 0.0
                    )
                    if not part:
                        continue
                    rest -= part
                    values.append(
                        {
                            "axis_id": axis.id,
                            "account_id": account_id,
                            "budget_line_id": override.budget_line_id.id,
                            "rating": override.rating,
                            "origin": "override",
                            "amount": part,
                            "justification": override.justification,
                        }
                    )
                if company.currency_id.is_zero(rest):
                    continue
                rule = multicapital.best_rule(account.code or "", rules)
                values.append(
                    {
                        "axis_id": axis.id,
                        "account_id": account_id,
                        "rating": rule[2] if rule else "to_deepen",
                        "origin": "rule" if rule else "unrated",
                        "amount": rest,
                        "justification": rule[3] if rule else unrated_text,
                    }
                )
        totals = defaultdict(float)
        for line in values:
            totals[line["axis_id"]] += line["amount"]
        for line in values:
            total = totals[line["axis_id"]]
            line["share"] = carbon.share_used(line["amount"], total)
        return values

    @api.model
    def _posted_spending(self, accounts, company, date_from, date_to):
        """{account id: executed spending} from posted journal items, one query."""
        if not accounts:
            return {}
        self.env["account.move.line"].flush_model(
            ["account_id", "balance", "date", "parent_state", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT aml.account_id, SUM(aml.balance)
                     FROM account_move_line aml
                    WHERE aml.parent_state = 'posted'
                      AND aml.company_id = %s
                      AND aml.date BETWEEN %s AND %s
                      AND aml.account_id = ANY(%s)
                 GROUP BY aml.account_id
                   HAVING SUM(aml.balance) <> 0""",
                company.id,
                date_from,
                date_to,
                accounts.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _override_spending(self, budget_lines, accounts, company, date_from, date_to):
        """{(budget line id, account id): spending} of overridden budget lines.

        A budget line's spending is the posted journal items on its position's
        accounts, within its dates and the year, for the share of their analytic
        distribution that goes to the line's analytic account.
        """
        if not budget_lines or not accounts:
            return {}
        self.env["account.move.line"].flush_model(
            ["account_id", "balance", "date", "parent_state", "analytic_distribution"]
        )
        budget_lines.flush_recordset(
            ["general_budget_id", "analytic_account_id", "date_from", "date_to"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT bl.id, aml.account_id,
                          SUM(aml.balance * d.value::numeric / 100)
                     FROM crossovered_budget_lines bl
                     JOIN account_budget_rel rel ON rel.budget_id = bl.general_budget_id
                     JOIN account_move_line aml
                       ON aml.account_id = rel.account_id
                      AND aml.parent_state = 'posted'
                      AND aml.company_id = %s
                      AND aml.date BETWEEN GREATEST(bl.date_from, %s)
                                       AND LEAST(bl.date_to, %s)
                      AND aml.account_id = ANY(%s)
               CROSS JOIN LATERAL jsonb_each_text(aml.analytic_distribution) d
                    WHERE bl.id = ANY(%s)
                      AND bl.analytic_account_id::text
                          = ANY(string_to_array(d.key, ','))
                 GROUP BY bl.id, aml.account_id""",
                company.id,
                date_from,
                date_to,
                accounts.ids,
                budget_lines.ids,
            )
        )
        return {
            (line_id, account_id): float(amount)
            for line_id, account_id, amount in self.env.cr.fetchall()
        }

    def _summary(self):
        """{axis: {"total": €, "ratings": {rating: (€, share %)}}} for the report."""
        self.ensure_one()
        figures = multicapital.annex_totals(
            (line.axis_id, line.rating, line.amount) for line in self.line_ids
        )
        for axis in self.scope_id.axis_ids:
            figures.setdefault(
                axis, multicapital.annex_totals([(axis, "neutral", 0.0)])[axis]
            )
        return dict(sorted(figures.items(), key=lambda item: item[0].sequence))

    def _rating_labels(self):
        return dict(
            self.env["nm.green.budget.rating"]
            ._fields["rating"]
            ._description_selection(self.env)
        )


class NmGreenBudgetAnnexLine(models.TransientModel):
    _name = "nm.green.budget.annex.line"
    _description = "Budget vert annex line"
    _order = "axis_id, account_id, budget_line_id"

    annex_id = fields.Many2one(
        "nm.green.budget.annex", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="annex_id.currency_id")
    axis_id = fields.Many2one("nm.green.budget.axis", required=True)
    account_id = fields.Many2one("account.account", required=True)
    budget_line_id = fields.Many2one("crossovered.budget.lines", string="Budget line")
    rating = fields.Selection(multicapital.RATINGS, required=True)
    origin = fields.Selection(ORIGINS, required=True)
    amount = fields.Monetary(string="Executed spending")
    share = fields.Float(string="Share of the axis (%)", digits=(5, 2))
    justification = fields.Text()
