# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.nm_carbon_budget.engine import BookedEngine
from odoo.addons.nm_carbon_budget.tools import carbon

from ..tools import multicapital

ORIGINS = [
    ("rule", "Account rule"),
    ("override", "Budget line override"),
    ("unrated", "Not rated yet"),
]


class NmGreenBudgetAnnex(models.TransientModel):
    """The budget vert annex of a year and a budget: executed real spending per axis
    and category of the State's maquette.

    Spending is read from posted journal items only, on the accounts in the
    year's scope, in the journals of the budget (main or annex budget); order
    operations (journals marked so) are left out by default. Each account is rated
    on the I4CE scale by the longest matching rule, budget line overrides rate their
    own share first; spending nobody rated yet is shown as "à approfondir", never
    hidden. The I4CE rating is the rater's analysis; the annex prints the category
    it maps to. Every euro is rated once on each axis of the scope: the total of
    spending in scope counts it once.
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
    budget_id = fields.Many2one(
        "nm.public.budget",
        domain="[('company_id', '=', company_id)]",
        help="The main budget or one annex budget: the annex is drawn up for each. "
        "Empty: the entries of the journals given to no budget.",
    )
    instruction = fields.Selection(related="budget_id.instruction")
    include_order_operations = fields.Boolean(
        help="Order operations (journals marked as such) are not real spending and "
        "stay out of the annex; tick only for an analysis of your own.",
    )
    scope_id = fields.Many2one("nm.green.budget.scope", readonly=True)
    scope_note = fields.Text(related="scope_id.note")
    pending_note = fields.Text(readonly=True)
    total_spending = fields.Monetary(
        string="Spending in scope",
        readonly=True,
        help="Executed real spending in the scope, each euro counted once, although "
        "it is rated on each axis.",
    )
    order_operations_amount = fields.Monetary(
        string="Order operations left out",
        readonly=True,
        help="Spending of the accounts in scope booked in order-operation journals, "
        "left out of the annex.",
    )
    line_ids = fields.One2many("nm.green.budget.annex.line", "annex_id", readonly=True)

    @api.constrains("company_id")
    def _check_company_allowed(self):
        # the annex reads journal items with SQL: only of the user's companies
        for annex in self:
            if annex.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "You can draw up the budget vert annex of your own "
                        "collectivités only."
                    )
                )

    def action_compute(self):
        for annex in self:
            annex._compute_annex()
        # the dialog keeps its title (an action without a name is titled "Odoo");
        # users hold no read right on action records: its name is read as superuser
        action = self.env.ref("nm_multicapital.nm_green_budget_annex_action").sudo()
        return {
            "type": "ir.actions.act_window",
            "name": action.name,
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
        if self.budget_id.instruction == "m4" and not scope.m4_in_scope:
            raise UserError(
                self.env._(
                    "Budgets under the M4 instruction present the budget vert annex "
                    "from financial year 2025 (decree of 16 July 2024): choose a "
                    "later year or an M57 budget."
                )
            )
        self.line_ids.unlink()
        pending = scope._pending_scopes(self.year)
        values, total, order_amount = self._annex_line_values(scope)
        self.write(
            {
                "scope_id": scope.id,
                "total_spending": total,
                "order_operations_amount": order_amount,
                "pending_note": "\n".join(
                    self.env._(
                        "The scope written for %(year)s is conditional and not "
                        "confirmed: it is not applied. %(note)s",
                        year=p.year,
                        note=p.note or "",
                    )
                    for p in pending
                )
                or False,
            }
        )
        self.env["nm.green.budget.annex.line"].create(
            [dict(vals, annex_id=self.id) for vals in values]
        )

    def _journals(self, order_operations=False):
        """The journals of the annex's budget: the budget's journals, and for the
        main budget (or no budget chosen) those given to no budget; order-operation
        journals only when ``order_operations`` is True, the others otherwise."""
        domain = [("company_id", "=", self.company_id.id)]
        if self.budget_id.budget_kind == "annex":
            domain.append(("nm_public_budget_id", "=", self.budget_id.id))
        elif self.budget_id:
            domain.append(("nm_public_budget_id", "in", [self.budget_id.id, False]))
        else:
            domain.append(("nm_public_budget_id", "=", False))
        domain.append(("nm_order_operations", "=", order_operations))
        return (
            self.env["account.journal"]
            .sudo()
            .with_context(active_test=False)
            .search(domain)
        )

    def _annex_line_values(self, scope):
        """(line values, total spending in scope, order operations left out)."""
        company = self.company_id
        date_from, date_to = date(self.year, 1, 1), date(self.year, 12, 31)
        accounts = scope._accounts_in_scope(
            self.env["account.account"]
            .with_company(company)
            .search([("company_ids", "in", company.id)])
        )
        journals = self._journals()
        if self.include_order_operations:
            journals |= self._journals(order_operations=True)
            order_amount = 0.0
        else:
            order_amount = sum(
                self._posted_spending(
                    accounts,
                    company,
                    date_from,
                    date_to,
                    self._journals(order_operations=True),
                ).values()
            )
        spending = self._posted_spending(
            accounts, company, date_from, date_to, journals
        )
        if not spending:
            return [], 0.0, order_amount
        total = sum(spending.values())
        ratings = self.env["nm.green.budget.rating"].search(
            [
                ("company_id", "=", company.id),
                ("axis_id", "in", scope.axis_ids.ids),
                ("year", "in", [0, self.year]),
            ]
        )
        overrides = ratings.filtered("budget_line_id")
        overrides_by_axis = overrides.grouped("axis_id")
        # one query per axis with overrides (never per account): each axis rates
        # every euro once, so its overrides share the euros among themselves
        override_amounts = {
            axis: self._override_spending(
                axis_overrides.budget_line_id,
                accounts,
                company,
                date_from,
                date_to,
                journals,
            )
            for axis, axis_overrides in overrides_by_axis.items()
        }
        unrated_text = self.env._("No rating rule covers this account yet.")
        # one read of the accounts' codes, whatever their number
        codes = {
            account.id: account.code or ""
            for account in self.env["account.account"]
            .with_company(company)
            .browse(spending)
        }
        values = []
        for axis in scope.axis_ids:
            axis_ratings = ratings.filtered(lambda r, axis=axis: r.axis_id == axis)
            rules = [
                (r.account_prefix, r.year, r.rating, r.justification or "")
                for r in axis_ratings
                if r.account_prefix and not r.budget_line_id
            ]
            axis_overrides = overrides_by_axis.get(axis, overrides.browse())
            for account_id, amount in spending.items():
                rest = amount
                for override in axis_overrides:
                    part = override_amounts[axis].get(
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
                rule = multicapital.best_rule(codes[account_id], rules)
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
            line["category"] = multicapital.CATEGORY_OF_RATING[line["rating"]]
            line["share"] = carbon.share_used(line["amount"], totals[line["axis_id"]])
        return values, total, order_amount

    @api.model
    def _posted_spending(self, accounts, company, date_from, date_to, journals):
        """{account id: executed spending} from posted journal items of
        ``journals``, one query (the booked engine's journal-item reading)."""
        return BookedEngine(self.env).posted_spending(
            accounts, company, date_from, date_to, journals
        )

    @api.model
    def _override_spending(
        self, budget_lines, accounts, company, date_from, date_to, journals
    ):
        """{(budget line id, account id): spending} of overridden budget lines.

        A budget line's spending is the posted journal items on its position's
        accounts, within its dates and the year, for the share distributed to the
        line's analytic account: the analytic lines of those journal items that
        count for the account (the booked engine's rule), one query.
        """
        if not accounts:
            return {}
        return BookedEngine(self.env).distributed_spending(
            budget_lines, company, date_from, date_to, journals, accounts=accounts
        )

    def _summary(self):
        """{axis: {"total": €, "ratings": {rating: (€, share %)}}}: the rater's
        analysis on the I4CE scale."""
        self.ensure_one()
        figures = multicapital.annex_totals(
            (line.axis_id, line.rating, line.amount) for line in self.line_ids
        )
        for axis in self.scope_id.axis_ids:
            figures.setdefault(
                axis, multicapital.annex_totals([(axis, "neutral", 0.0)])[axis]
            )
        return dict(sorted(figures.items(), key=lambda item: item[0].sequence))

    def _annex_summary(self):
        """{axis: {"total": €, "categories": {category: (€, share %)}}}: the
        annex's figures in the categories of the State's maquette."""
        self.ensure_one()
        figures = multicapital.category_totals(
            (line.axis_id, line.rating, line.amount) for line in self.line_ids
        )
        for axis in self.scope_id.axis_ids:
            figures.setdefault(
                axis, multicapital.category_totals([(axis, "neutral", 0.0)])[axis]
            )
        return dict(sorted(figures.items(), key=lambda item: item[0].sequence))

    def _rating_labels(self):
        return dict(
            self.env["nm.green.budget.rating"]
            ._fields["rating"]
            ._description_selection(self.env)
        )

    def _category_labels(self):
        return dict(
            self.env["nm.green.budget.annex.line"]
            ._fields["category"]
            ._description_selection(self.env)
        )

    def _budget_label(self):
        self.ensure_one()
        if not self.budget_id:
            return self.env._("Main budget")
        instruction = dict(
            self.env["nm.public.budget"]
            ._fields["instruction"]
            ._description_selection(self.env)
        )[self.budget_id.instruction]
        return f"{self.budget_id.name} ({instruction})"


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
    rating = fields.Selection(
        multicapital.RATINGS, string="Rating (I4CE analysis)", required=True
    )
    category = fields.Selection(
        multicapital.ANNEX_CATEGORIES, string="Annex category", required=True
    )
    origin = fields.Selection(ORIGINS, required=True)
    amount = fields.Monetary(string="Executed spending")
    share = fields.Float(string="Share of the axis (%)", digits=(5, 2))
    justification = fields.Text()
