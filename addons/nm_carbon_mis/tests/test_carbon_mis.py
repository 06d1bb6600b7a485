# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged, users
from odoo.tools import mute_logger

from .common import CarbonMisCase


@tagged("post_install", "-at_install")
class TestCarbonMis(CarbonMisCase, TransactionCase):
    """MIS figures against hand-worked numbers and the budget lines' engine (see
    CarbonMisCase for the fixture and the figures)."""

    def test_figures_by_direction_and_quarter(self):
        instance = self._create_mis()
        self.assertEqual(
            instance.period_ids.mapped("name"),
            ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026", "Whole budget"],
        )
        q1 = (date(2026, 1, 1), date(2026, 3, 31))
        q2 = (date(2026, 4, 1), date(2026, 6, 30))
        expected = {
            (self.dir_a, "Q1 2026"): (-1000.0, 420.0, *q1),
            (self.dir_a, "Q2 2026"): (-700.0, 150.0, *q2),
            (self.dir_b, "Q1 2026"): (-800.0, 250.0, *q1),
            (self.dir_b, "Q2 2026"): (-200.0, 140.0, *q2),
        }
        days = {"Q1 2026": 90, "Q2 2026": 91}
        for (direction, column), (eur, kg, start, end) in expected.items():
            with self.subTest(direction=direction.name, column=column):
                cells = self._cells(instance, direction)
                self.assertAlmostEqual(cells[("realise_eur", column)], eur)
                self.assertAlmostEqual(cells[("realise_kg", column)], kg)
                # the same as the budget lines' engine for that direction and period
                engine_eur, engine_kg = self._engine(direction, start, end)
                self.assertAlmostEqual(engine_eur, eur)
                self.assertAlmostEqual(engine_kg, kg)
                # envelopes pro rata of days: 90 or 91 days of 365
                planned_eur = sum(
                    a for (d, _p), (a, _k) in self.planned.items() if d == direction
                )
                planned_kg = sum(
                    k for (d, _p), (_a, k) in self.planned.items() if d == direction
                )
                budget_eur = planned_eur * days[column] / 365
                budget_kg = planned_kg * days[column] / 365
                self.assertAlmostEqual(cells[("budget_eur", column)], budget_eur)
                self.assertAlmostEqual(cells[("enveloppe_kg", column)], budget_kg)
                self.assertAlmostEqual(cells[("ecart_eur", column)], eur - budget_eur)
                self.assertAlmostEqual(cells[("ecart_kg", column)], kg - budget_kg)
        # over the whole budget: the budget lines themselves
        cells = self._cells(instance, self.dir_a)
        lines_a = self.budget.crossovered_budget_line_ids.filtered(
            lambda line: line.analytic_account_id == self.dir_a
        )
        self.assertAlmostEqual(cells[("realise_eur", "Whole budget")], -1700.0)
        self.assertAlmostEqual(
            cells[("realise_eur", "Whole budget")],
            sum(lines_a.mapped("practical_amount")),
        )
        self.assertAlmostEqual(cells[("realise_kg", "Whole budget")], 570.0)
        self.assertAlmostEqual(
            cells[("realise_kg", "Whole budget")],
            sum(lines_a.mapped("practical_carbon_kg")),
        )
        self.assertAlmostEqual(cells[("budget_eur", "Whole budget")], -4000.0)
        self.assertAlmostEqual(cells[("enveloppe_kg", "Whole budget")], 2000.0)

    def test_no_double_counting_without_direction_filter(self):
        """Without a direction filter the figures are read on the carbon reference
        plan only (B's): line 6, carried by both plans, is counted once."""
        instance = self._create_mis()
        cells = self._cells(instance)
        self.assertAlmostEqual(cells[("realise_kg", "Q2 2026")], 140.0)
        self.assertAlmostEqual(cells[("realise_eur", "Q2 2026")], -200.0)
        self.assertAlmostEqual(cells[("realise_kg", "Q1 2026")], 250.0)
        # the envelopes: B's only (1000 kg over the year)
        self.assertAlmostEqual(cells[("enveloppe_kg", "Whole budget")], 1000.0)

    def test_spread_per_quarter(self):
        instance = self._create_mis(spread="quarter")
        mis_budget = self.budget.mis_budget_ids
        self.assertEqual(len(mis_budget), 1)
        items = mis_budget.item_ids.filtered(
            lambda item: (
                item.analytic_account_id == self.dir_a
                and item.general_budget_id == self.pos_energy
                and item.kpi_expression_id.kpi_id.name == "enveloppe_kg"
            )
        )
        # 1200 kg over 90, 91, 92, 92 days: 295.9, 299.2, 302.5, 302.5 rounded to
        # 296, 299, 302, 302 (1199); the missing kg goes to the first longest quarter
        self.assertEqual(items.mapped("amount"), [296.0, 299.0, 303.0, 302.0])
        # with A's mobility envelope, 800 kg: 197, 199, 202, 202
        cells = self._cells(instance, self.dir_a)
        self.assertAlmostEqual(cells[("enveloppe_kg", "Q1 2026")], 296.0 + 197.0)
        self.assertAlmostEqual(cells[("enveloppe_kg", "Whole budget")], 2000.0)
        # running it again brings the same MIS budget and report up to date
        self.budget.crossovered_budget_line_ids.filtered(
            lambda line: (
                line.analytic_account_id == self.dir_a
                and line.general_budget_id == self.pos_mob
            )
        ).planned_carbon_kg = 1000.0
        again = self._create_mis(spread="line")
        self.assertEqual(again, instance)
        self.assertEqual(self.budget.mis_budget_ids, mis_budget)
        cells = self._cells(instance, self.dir_a)
        self.assertAlmostEqual(cells[("enveloppe_kg", "Whole budget")], 2200.0)

    def test_drilldown_to_analytic_lines(self):
        instance = self._create_mis()
        instance.analytic_domain = str([("analytic_account_id", "=", self.dir_a.id)])
        q1 = instance.period_ids.filtered(lambda p: p.name == "Q1 2026")
        kpi = self.env.ref("nm_carbon_mis.mis_report_kpi_realise_kg")
        action = instance.with_user(self.controller).drilldown(
            {"period_id": q1.id, "expr": "fldp.carbon_kg[]", "kpi_id": kpi.id}
        )
        self.assertEqual(action["res_model"], "account.analytic.line")
        lines = self.env["account.analytic.line"].search(action["domain"])
        self.assertEqual(
            sorted(lines.mapped("name")), ["Ligne 1 (test MIS)", "Ligne 2 (test MIS)"]
        )
        budget_kpi = self.env.ref("nm_carbon_mis.mis_report_kpi_enveloppe_kg")
        action = instance.with_user(self.controller).drilldown(
            {
                "period_id": q1.id,
                "expr_id": budget_kpi.expression_ids.id,
                "kpi_id": budget_kpi.id,
            }
        )
        items = self.env["mis.budget.item"].search(action["domain"])
        self.assertEqual(items.analytic_account_id, self.dir_a)
        self.assertAlmostEqual(sum(items.mapped("amount")), 2000.0)

    def test_approver_drills_down_to_rows_without_labels(self):
        instance = self._create_mis()
        q1 = instance.period_ids.filtered(lambda p: p.name == "Q1 2026")
        kpi = self.env.ref("nm_carbon_mis.mis_report_kpi_realise_kg")
        action = instance.with_user(self.approver).drilldown(
            {"period_id": q1.id, "expr": "fldp.carbon_kg[]", "kpi_id": kpi.id}
        )
        # approvers do not read analytic lines: they stay on the counted rows
        self.assertEqual(action["res_model"], "nm.carbon.mis.line")
        Rows = self.env["nm.carbon.mis.line"].with_user(self.approver)
        rows = Rows.search(action["domain"])
        # the organisation (B's plan) in Q1: line 4 only
        self.assertEqual(sum(rows.mapped("carbon_kg")), 250.0)
        with self.assertRaises(AccessError):
            rows.read(["name"])

    def test_pdf_export_renders(self):
        """The PDF export's HTML (wkhtmltopdf turns it into the PDF)."""
        instance = self._create_mis()
        report = self.env.ref("mis_builder.qweb_pdf_export")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.controller)
            ._render_qweb_html(report, instance.ids, data={"dummy": True})
        )
        html = html.decode()
        self.assertIn("Réalisé kgCO2e", html)
        self.assertIn("Budget carbone et financier par direction", html)

    def test_xlsx_export_opens(self):
        instance = self._create_mis()
        action = instance.with_user(self.controller).export_xls()
        self.assertEqual(action["report_type"], "xlsx")
        content, extension = (
            self.env["ir.actions.report"]
            .with_user(self.controller)
            ._render_xlsx(action["report_name"], instance.ids, data=action["data"])
        )
        self.assertEqual(extension, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        texts = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
        self.assertIn("Réalisé kgCO2e", texts)
        self.assertIn("Enveloppe kgCO2e", texts)
        self.assertTrue(any(str(text).startswith("Q1 2026") for text in texts), texts)
        # the organisation's total (B's plan): 250 kg booked in Q1
        self.assertIn(250, texts)

    def test_approver_reads_the_report(self):
        instance = self._create_mis()
        cells = self._cells(instance, self.dir_b, user=self.approver)
        self.assertAlmostEqual(cells[("realise_kg", "Q1 2026")], 250.0)

    @users("nm_mis_agent")
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_agent_cannot_create_mis_budgets(self):
        Wizard = self.env["nm.carbon.mis.budget.wizard"]
        with self.assertRaises(AccessError):
            Wizard.create({"budget_id": self.budget.id})
        # a wizard made for them elsewhere still refuses its action
        wizard = (
            Wizard.sudo().create({"budget_id": self.budget.id}).with_user(self.agent)
        )
        with self.assertRaises(AccessError):
            wizard.action_create()
        with self.assertRaises(AccessError):
            self.env["mis.budget"].create(
                {
                    "name": "Pirate",
                    "report_id": self.env.ref(
                        "nm_carbon_mis.mis_report_carbon_budget"
                    ).id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                }
            )
        # and cannot read the figures behind the report
        with self.assertRaises(AccessError):
            self.env["nm.carbon.mis.line"].search([])
        self.assertFalse(self.budget.sudo().mis_budget_ids)

    @users("nm_mis_approver")
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_approver_cannot_create_mis_budgets(self):
        wizard = (
            self.env["nm.carbon.mis.budget.wizard"]
            .sudo()
            .create({"budget_id": self.budget.id})
            .with_user(self.approver)
        )
        with self.assertRaises(AccessError):
            wizard.action_create()
