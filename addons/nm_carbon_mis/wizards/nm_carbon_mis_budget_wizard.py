# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.nm_carbon_budget.tools import carbon

from ..models.mis_report_instance_period import SRC_NM_ACTUALS_BUDGET
from ..tools import periods

TEMPLATE_XMLID = "nm_carbon_mis.mis_report_carbon_budget"
CONTROLLER_GROUP = "nm_carbon_budget.group_carbon_controller"
# digits kept when an envelope is split per quarter
PRECISION = {"planned_amount": 2, "planned_carbon_kg": 0}


class NmCarbonMisBudgetWizard(models.TransientModel):
    _name = "nm.carbon.mis.budget.wizard"
    _description = "Create the MIS budget of a carbon budget"

    budget_id = fields.Many2one(
        "crossovered.budget", string="Carbon budget", required=True
    )
    report_id = fields.Many2one(
        "mis.report",
        string="MIS report template",
        required=True,
        default=lambda self: self._default_report_id(),
    )
    spread = fields.Selection(
        [
            ("line", "Over each budget line's dates"),
            ("quarter", "Per quarter, pro rata of days"),
        ],
        required=True,
        default="line",
        help="Over each line's dates: one budget item per line, which the reports "
        "spread pro rata of days. Per quarter: one item per quarter, which you can "
        "then adjust (seasonal heating...).",
    )

    @api.model
    def _default_report_id(self):
        return self.env.ref(TEMPLATE_XMLID, raise_if_not_found=False)

    def action_create(self):
        """Create, or bring up to date, the MIS budget of the carbon budget and its
        report by quarter, then open the report."""
        self.ensure_one()
        if not self.env.user.has_group(CONTROLLER_GROUP):
            raise AccessError(
                self.env._(
                    "Only carbon controllers create the MIS budget of a carbon budget."
                )
            )
        # read as the user: record rules on budgets and templates apply
        self.budget_id.check_access("read")
        self.report_id.check_access("read")
        kpis = self.report_id.kpi_ids.filtered("nm_budget_figure")
        if not kpis or not all(kpis.mapped("budgetable")):
            raise UserError(
                self.env._(
                    "The MIS report template “%(report)s” has no budgetable KPI "
                    "receiving a carbon budget figure: choose the template "
                    "“Budget carbone et financier par direction”, or set “Carbon "
                    "budget figure” on budgetable KPIs of yours.",
                    report=self.report_id.display_name,
                )
            )
        instance = self.sudo()._generate()
        return instance.with_user(self.env.user).preview()

    @api.model
    def _generate_demo(self, budget_id):
        """The demo's MIS budget and report (demo data load as the superuser), named
        in French when French is active: the demo city is French."""
        wizard = self.create({"budget_id": budget_id})
        if self.env["res.lang"]._lang_get("fr_FR").active:
            wizard = wizard.with_context(lang="fr_FR")
        return wizard._generate()

    def _generate(self):
        """Under sudo: MIS budget items are an accountant's model; the controller's
        right was checked by action_create."""
        budget, report = self.budget_id, self.report_id
        mis_budget = (
            self.env["mis.budget"]
            .with_context(active_test=False)
            .search(
                [
                    ("crossovered_budget_id", "=", budget.id),
                    ("report_id", "=", report.id),
                ],
                limit=1,
            )
        )
        values = {
            "name": self.env._(
                "%(budget)s (envelopes and budget)", budget=budget.display_name
            ),
            "report_id": report.id,
            "crossovered_budget_id": budget.id,
            "company_id": budget.company_id.id,
            "date_from": budget.date_from,
            "date_to": budget.date_to,
        }
        if mis_budget:
            mis_budget.item_ids.unlink()
            mis_budget.write(values)
        else:
            mis_budget = self.env["mis.budget"].create(values)
        mis_budget.write({"item_ids": [Command.create(v) for v in self._items()]})
        return self._instance(mis_budget)

    def _items(self):
        """Values of the budget items: each KPI's figure of each budget line with a
        direction, over the line's dates or split per quarter."""
        items = []
        kpis = self.report_id.kpi_ids.filtered("nm_budget_figure")
        for line in self.budget_id.crossovered_budget_line_ids:
            if not line.analytic_account_id:
                continue
            chunks = [(line.date_from, line.date_to)]
            if self.spread == "quarter":
                chunks = [
                    (start, end)
                    for _q, _y, start, end in periods.quarters(
                        line.date_from, line.date_to
                    )
                ]
            for kpi in kpis:
                figure = kpi.nm_budget_figure
                total = line[figure]
                if not total:
                    continue
                amounts = carbon.split_by_weights(
                    total,
                    [periods.days(start, end) for start, end in chunks],
                    PRECISION[figure],
                )
                for (start, end), amount in zip(chunks, amounts, strict=True):
                    items.append(
                        {
                            "kpi_expression_id": kpi.expression_ids[:1].id,
                            "date_from": start,
                            "date_to": end,
                            "amount": amount,
                            "analytic_account_id": line.analytic_account_id.id,
                            "general_budget_id": line.general_budget_id.id,
                            "crossovered_budget_line_id": line.id,
                        }
                    )
        return items

    def _instance(self, mis_budget):
        """The report of the budget by quarter and over the whole budget, reading
        the actuals and this MIS budget side by side."""
        budget = self.budget_id
        instance = self.env["mis.report.instance"].search(
            [
                ("report_id", "=", mis_budget.report_id.id),
                ("period_ids.source_mis_budget_id", "=", mis_budget.id),
            ],
            limit=1,
        )
        columns = [
            (
                self.env._("Q%(quarter)s %(year)s", quarter=quarter, year=year),
                start,
                end,
            )
            for quarter, year, start, end in periods.quarters(
                budget.date_from, budget.date_to
            )
        ]
        columns.append((self.env._("Whole budget"), budget.date_from, budget.date_to))
        period_values = [
            {
                "name": name,
                "sequence": sequence,
                "mode": "fix",
                "manual_date_from": start,
                "manual_date_to": end,
                "source": SRC_NM_ACTUALS_BUDGET,
                "source_mis_budget_id": mis_budget.id,
            }
            for sequence, (name, start, end) in enumerate(columns, start=1)
        ]
        if instance:
            instance.period_ids.unlink()
            instance.write({"period_ids": [Command.create(v) for v in period_values]})
            return instance
        return self.env["mis.report.instance"].create(
            {
                "name": f"{mis_budget.report_id.name} – {budget.display_name}",
                "report_id": mis_budget.report_id.id,
                "company_id": budget.company_id.id,
                "display_columns_description": True,
                "period_ids": [Command.create(v) for v in period_values],
            }
        )
