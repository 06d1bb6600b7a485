# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.account_budget_oca.models.account_budget import (
    CrossoveredBudgetLines as OcaBudgetLines,
)

from .common import CarbonBudgetCase


def carbon_of(account):
    """kgCO2e booked on an analytic account, read on its plan's column."""
    account.invalidate_recordset(["carbon_kg"])
    return account.carbon_kg


@tagged("post_install", "-at_install")
class TestVendorBillCarbon(CarbonBudgetCase):
    def test_bill_split_60_40_gives_66_and_44(self):
        # 1,000 € excl. VAT × 110 kgCO2e/k€ = 110 kg, split 60/40
        bill = self._bill([(self.dir_culture, 60), (self.dir_property, 40)])
        lines = bill.invoice_line_ids.analytic_line_ids
        by_account = {line[self.directions_plan._column_name()]: line for line in lines}
        self.assertAlmostEqual(by_account[self.dir_culture].carbon_kg, 66.0, 4)
        self.assertAlmostEqual(by_account[self.dir_property].carbon_kg, 44.0, 4)
        self.assertEqual(
            by_account[self.dir_culture].carbon_factor_level, "product_category"
        )
        self.assertEqual(by_account[self.dir_culture].carbon_source, "monetary")
        self.assertEqual(by_account[self.dir_culture].carbon_uncertainty, 50.0)
        self.assertAlmostEqual(carbon_of(self.dir_culture), 66.0, 4)
        self.assertAlmostEqual(carbon_of(self.dir_property), 44.0, 4)

    def test_credit_note_brings_both_back_to_zero(self):
        bill = self._bill([(self.dir_culture, 60), (self.dir_property, 40)])
        refund = bill._reverse_moves(
            [{"invoice_date": date(2026, 3, 20), "date": date(2026, 3, 20)}],
            cancel=True,
        )
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(carbon_of(self.dir_culture), 0.0, 4)
        self.assertAlmostEqual(carbon_of(self.dir_property), 0.0, 4)
        refund_lines = refund.line_ids.analytic_line_ids
        self.assertAlmostEqual(sum(refund_lines.mapped("carbon_kg")), -110.0, 4)

    def test_two_plans_do_not_double_the_organisation_total(self):
        # Each direction line also goes 100 % to a project: one analytic line per
        # plan; the organisation total is read on the directions plan only.
        self._bill(
            [
                (self.dir_culture, 60),
                (self.dir_property, 40),
                (self.project_account, 100),
            ]
        )
        AnalyticLine = self.env["account.analytic.line"]
        self.assertAlmostEqual(
            AnalyticLine._carbon_total_kg([("company_id", "=", self.company.id)]),
            110.0,
            4,
        )
        # the project sees the whole bill too, on its own plan
        self.assertAlmostEqual(carbon_of(self.project_account), 110.0, 4)
        all_lines = AnalyticLine.search(
            [("move_line_id.move_id.partner_id", "=", self.partner_a.id)]
        )
        self.assertAlmostEqual(sum(all_lines.mapped("carbon_kg")), 220.0, 4)

    def test_changing_distribution_of_posted_line_does_not_double_count(self):
        bill = self._bill([(self.dir_culture, 100)])
        line = bill.invoice_line_ids
        line.analytic_distribution = {str(self.dir_property.id): 100}
        self.assertAlmostEqual(carbon_of(self.dir_culture), 0.0, 4)
        self.assertAlmostEqual(carbon_of(self.dir_property), 110.0, 4)
        self.assertAlmostEqual(
            self.env["account.analytic.line"]._carbon_total_kg(
                [("company_id", "=", self.company.id)]
            ),
            110.0,
            4,
        )

    def test_factor_lookup_order(self):
        own = self.ratio_technical.copy({"code": "T-RATIO-OWN", "value": 200.0})
        account_ratio = self.ratio_technical.copy(
            {"code": "T-RATIO-ACC", "value": 50.0}
        )
        self.expense_services.emission_factor_id = account_ratio
        # the product's own factor wins over its category's and the account's
        self.product_study.product_tmpl_id.emission_factor_id = own
        bill = self._bill([(self.dir_culture, 100)])
        aal = bill.invoice_line_ids.analytic_line_ids
        self.assertEqual(aal.carbon_factor_level, "product")
        self.assertAlmostEqual(aal.carbon_kg, 200.0, 4)
        # without product or category factor: the general account's
        self.product_study.product_tmpl_id.emission_factor_id = False
        self.product_category.emission_factor_id = False
        bill = self._bill([(self.dir_culture, 100)])
        aal = bill.invoice_line_ids.analytic_line_ids
        self.assertEqual(aal.carbon_factor_level, "account")
        self.assertAlmostEqual(aal.carbon_kg, 50.0, 4)
        # then the company default
        self.expense_services.emission_factor_id = False
        self.company.default_emission_factor_id = self.ratio_technical
        bill = self._bill([(self.dir_culture, 100)])
        aal = bill.invoice_line_ids.analytic_line_ids
        self.assertEqual(aal.carbon_factor_level, "company")
        self.assertAlmostEqual(aal.carbon_kg, 110.0, 4)


@tagged("post_install", "-at_install")
class TestFactorVersions(CarbonBudgetCase):
    def test_line_before_new_version_keeps_old_value(self):
        tgv = self.env["nm.emission.factor"].create(
            {
                "name": "TGV (test)",
                "code": "T-TGV",
                "value": 0.00293,
                "unit": "passenger_km",
                "source": "test",
                "date_start": date(2024, 1, 1),
            }
        )
        old = self.env["account.analytic.line"].create(
            {
                "name": "Mission",
                "date": date(2026, 2, 1),
                self.directions_plan._column_name(): self.dir_culture.id,
                "unit_amount": 1000,
                "emission_factor_id": tgv.id,
            }
        )
        self.assertAlmostEqual(old.carbon_kg, 2.93, 6)
        self.assertEqual(old.carbon_source, "physical")
        # booked: the value is frozen for every user, a change is a new version
        controller = new_test_user(
            self.env,
            login="factor_controller",
            groups="nm_carbon_budget.group_carbon_controller",
        )
        with self.assertRaisesRegex(UserError, "new version"):
            tgv.with_user(controller).value = 0.004
        with self.assertRaisesRegex(UserError, "is kept"):
            tgv.with_user(controller).unlink()
        self.assertEqual(tgv.value, 0.00293)
        new = tgv._create_version(0.004, date(2026, 6, 1))
        self.assertEqual(tgv.date_end, date(2026, 5, 31))
        old.invalidate_recordset()
        self.assertAlmostEqual(old.carbon_kg, 2.93, 6)
        # a line dated after the new version, given the old record, uses the new one
        later = self.env["account.analytic.line"].create(
            {
                "name": "Mission",
                "date": date(2026, 7, 1),
                self.directions_plan._column_name(): self.dir_culture.id,
                "unit_amount": 1000,
                "emission_factor_id": tgv.id,
            }
        )
        self.assertEqual(later.emission_factor_id, new)
        self.assertAlmostEqual(later.carbon_kg, 4.0, 6)
        # and a line dated before it, given the new record, uses the old one
        earlier = self.env["account.analytic.line"].create(
            {
                "name": "Mission",
                "date": date(2026, 3, 1),
                self.directions_plan._column_name(): self.dir_culture.id,
                "unit_amount": 1000,
                "emission_factor_id": new.id,
            }
        )
        self.assertEqual(earlier.emission_factor_id, tgv)

    def test_physical_factor_converts_units(self):
        # 52 kgCO2e/MWh; a quantity of 3,000 kWh is 3 MWh -> 156 kg
        elec = self.env["nm.emission.factor"].create(
            {
                "name": "Électricité (test)",
                "code": "T-ELEC",
                "value": 52.0,
                "unit": "mwh",
                "source": "t",
                "date_start": date(2020, 1, 1),
            }
        )
        line = self.env["account.analytic.line"].create(
            {
                "name": "Consommation",
                "date": date(2026, 2, 1),
                self.directions_plan._column_name(): self.dir_culture.id,
                "unit_amount": 3000,
                "product_uom_id": self.env.ref("uom.product_uom_kwh").id,
                "emission_factor_id": elec.id,
            }
        )
        self.assertAlmostEqual(line.carbon_kg, 156.0, 6)
        with self.assertRaisesRegex(UserError, "cannot be converted"):
            line.product_uom_id = self.env.ref("uom.product_uom_litre")

    def test_versions_cannot_overlap(self):
        factor = self.env["nm.emission.factor"].create(
            {
                "name": "X",
                "code": "T-X",
                "value": 1,
                "unit": "kwh",
                "source": "t",
                "date_start": date(2025, 1, 1),
            }
        )
        with self.assertRaisesRegex(Exception, "cannot overlap"):
            factor.copy({"date_start": date(2025, 6, 1)})


@tagged("post_install", "-at_install")
class TestBudgetLines(CarbonBudgetCase):
    def test_non_project_plan_direction_gets_euros_and_carbon(self):
        line_services = self._budget_line(
            self.dir_culture, self.position_services, planned_kg=1000
        )
        line_other = self._budget_line(
            self.dir_property, self.position_services, planned_kg=1000
        )
        self._bill([(self.dir_culture, 100)], price=2000.0)
        lines = line_services | line_other
        lines.invalidate_recordset()
        # 2,000 € × 110 kg/k€ = 220 kg, on culture only
        self.assertAlmostEqual(line_services.practical_amount, -2000.0, 2)
        self.assertAlmostEqual(line_services.practical_carbon_kg, 220.0, 4)
        self.assertAlmostEqual(line_services.carbon_percentage, 22.0, 4)
        self.assertAlmostEqual(line_services.remaining_carbon_kg, 780.0, 4)
        self.assertAlmostEqual(line_other.practical_amount, 0.0, 2)
        self.assertAlmostEqual(line_other.practical_carbon_kg, 0.0, 4)
        # OCA's own computation only looks at the Project plan column: 0 € here
        OcaBudgetLines._compute_practical_amount(line_services)
        self.assertAlmostEqual(line_services.practical_amount, 0.0, 2)

    def test_project_plan_euros_equal_oca(self):
        line = self._budget_line(self.project_account, self.position_services)
        self._bill([(self.project_account, 100)], price=1500.0)
        self._bill(
            [(self.project_account, 100)], price=700.0, bill_date=date(2025, 12, 31)
        )
        line.invalidate_recordset()
        ours = line.practical_amount
        self.assertAlmostEqual(ours, -1500.0, 2)
        OcaBudgetLines._compute_practical_amount(line)
        self.assertAlmostEqual(line.practical_amount, ours, 2)

    def test_carbon_matches_position_accounts_or_categories_and_dates(self):
        line = self._budget_line(
            self.dir_culture, self.position_mobility, planned_kg=500
        )
        # on an item below Mobility: counts
        self._carbon_line(
            self.dir_culture, 40.0, date(2026, 4, 1), category=self.cat_commute
        )
        # on Mobility itself: counts
        self._carbon_line(
            self.dir_culture, 10.0, date(2026, 5, 1), category=self.cat_mobility
        )
        # other item, other direction, outside the dates: do not count
        self._carbon_line(
            self.dir_culture, 1000.0, date(2026, 4, 1), category=self.cat_energy
        )
        self._carbon_line(
            self.dir_property, 1000.0, date(2026, 4, 1), category=self.cat_commute
        )
        self._carbon_line(
            self.dir_culture, 1000.0, date(2025, 12, 31), category=self.cat_commute
        )
        # no item but a general account of a position covering it: counts there
        services = self._budget_line(self.dir_culture, self.position_services)
        self._carbon_line(
            self.dir_culture,
            7.0,
            date(2026, 6, 1),
            general_account=self.expense_services,
        )
        (line | services).invalidate_recordset()
        self.assertAlmostEqual(line.practical_carbon_kg, 50.0, 4)
        self.assertAlmostEqual(line.carbon_percentage, 10.0, 4)
        self.assertAlmostEqual(services.practical_carbon_kg, 7.0, 4)
        self.assertAlmostEqual(self.budget.practical_carbon_kg, 57.0, 4)
        self.assertAlmostEqual(self.budget.planned_carbon_kg, 500.0, 4)

    def test_query_count_does_not_grow_with_lines(self):
        directions = [self._direction(f"Direction {i} (test)") for i in range(50)]
        for direction in directions:
            self._carbon_line(
                direction, 3.0, date(2026, 3, 1), category=self.cat_commute
            )
        lines = self.env["crossovered.budget.lines"]
        for direction in directions:
            lines |= self._budget_line(direction, self.position_mobility, planned_kg=10)

        def count_queries(records):
            self.env.invalidate_all()
            records = records.browse(records.ids)
            before = self.env.cr.sql_log_count
            values = records.mapped("practical_carbon_kg") + records.mapped(
                "practical_amount"
            )
            return self.env.cr.sql_log_count - before, values

        few, few_values = count_queries(lines[:5])
        many, many_values = count_queries(lines)
        self.assertEqual(few_values[:5], [3.0] * 5)
        self.assertEqual(many_values[:50], [3.0] * 50)
        self.assertLessEqual(many, few)

    def test_pivot_aggregates_computed_carbon(self):
        line_a = self._budget_line(
            self.dir_culture, self.position_mobility, planned_kg=100
        )
        line_b = self._budget_line(
            self.dir_property, self.position_mobility, planned_kg=300
        )
        self._carbon_line(
            self.dir_culture, 25.0, date(2026, 3, 1), category=self.cat_commute
        )
        self._carbon_line(
            self.dir_property, 75.0, date(2026, 3, 1), category=self.cat_commute
        )
        groups = self.env["crossovered.budget.lines"]._read_group(
            [("id", "in", (line_a | line_b).ids)],
            ["analytic_account_id"],
            ["practical_carbon_kg:sum", "planned_carbon_kg:sum"],
        )
        result = {account: (booked, planned) for account, booked, planned in groups}
        self.assertEqual(result[self.dir_culture], (25.0, 100.0))
        self.assertEqual(result[self.dir_property], (75.0, 300.0))

    def test_envelope_needs_an_analytic_account(self):
        with self.assertRaisesRegex(Exception, "no analytic account"):
            self._budget_line(False, self.position_mobility, planned_kg=100)

    def test_carbon_only_position_needs_no_account(self):
        self.assertFalse(self.position_mobility.account_ids)
        with self.assertRaises(ValidationError):
            self.env["account.budget.post"].create({"name": "Vide"})

    def test_analytic_account_carbon_filtered_by_date(self):
        self._carbon_line(self.dir_culture, 5.0, date(2025, 3, 1))
        self._carbon_line(self.dir_culture, 8.0, date(2026, 3, 1))
        self.assertAlmostEqual(carbon_of(self.dir_culture), 13.0, 4)
        in_2026 = self.dir_culture.with_context(
            from_date="2026-01-01", to_date="2026-12-31"
        )
        self.assertAlmostEqual(in_2026.carbon_kg, 8.0, 4)
        groups = self.env["account.analytic.account"]._read_group(
            [("id", "in", (self.dir_culture | self.dir_property).ids)],
            [],
            ["carbon_kg:sum"],
        )
        self.assertAlmostEqual(groups[0][0], 13.0, 4)


@tagged("post_install", "-at_install")
class TestTrajectoryAndPreparation(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trajectory = cls.env["nm.carbon.trajectory"].create(
            {
                "name": "Trajectoire (test)",
                "baseline_year": 2021,
                "baseline_kg": 1_000_000,
            }
        )

    def test_target_kg_2026(self):
        # 1,000,000 × 0.96^5 = 815,372.6976
        self.assertAlmostEqual(self.trajectory.target_kg(2026), 815372.70, delta=0.01)
        # 2021 -> 2050 is 29 years: 0.96^29 = 0.306; from 2023, 27 years: 0.332
        self.assertIn("31 %", self.trajectory.horizon_statement)
        from_2023 = self.trajectory.copy({"baseline_year": 2023})
        self.assertIn("33 %", from_2023.horizon_statement)
        self.assertIn("not neutrality", from_2023.horizon_statement)

    def test_points_compare_target_and_booked(self):
        self._carbon_line(self.dir_culture, 1200.0, date(2026, 3, 1))
        self._carbon_line(self.project_account, 999.0, date(2026, 3, 1))  # other plan
        # read when displayed (a new request, a fresh cache): no button to click
        self.env.invalidate_all()
        point = self.trajectory.point_ids.filtered(lambda p: p.year == 2026)
        self.assertEqual(point.target_kg, 815373.0)
        self.assertEqual(point.booked_kg, 1200.0)

    def test_wizard_updates_and_warns(self):
        # 2025 envelopes 300,000 / 100,000 -> 2027 target 1e6 × 0.96^6 = 782,757.79,
        # split 3:1 and rounded to the kg: 587,068 + 195,689 (remainder on the largest)
        budget_2025 = self.env["crossovered.budget"].create(
            {
                "name": "Budget 2025 (test)",
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
            }
        )
        self._budget_line(
            self.dir_culture, self.position_mobility, 300_000, budget=budget_2025
        )
        self._budget_line(
            self.dir_property, self.position_mobility, 100_000, budget=budget_2025
        )
        wizard = self.env["nm.carbon.budget.prepare"].create(
            {
                "source_budget_id": budget_2025.id,
                "year": 2027,
                "trajectory_id": self.trajectory.id,
            }
        )
        wizard.action_prepare()
        budget_2027 = wizard.target_budget_id
        lines = budget_2027.crossovered_budget_line_ids
        self.assertEqual(len(lines), 2)
        by_direction = {
            line.analytic_account_id: line.planned_carbon_kg for line in lines
        }
        self.assertEqual(by_direction[self.dir_culture], 587068.0)
        self.assertEqual(by_direction[self.dir_property], 195690.0)
        self.assertFalse(wizard.warning)
        # a direction already over its share: run again, no duplicate, and a warning
        lines.filtered(
            lambda line: line.analytic_account_id == self.dir_property
        ).planned_carbon_kg = 1
        extra = self._budget_line(
            self.dir_culture, self.position_services, 100_000, budget=budget_2027
        )
        again = self.env["nm.carbon.budget.prepare"].create(
            {
                "source_budget_id": budget_2025.id,
                "year": 2027,
                "trajectory_id": self.trajectory.id,
            }
        )
        again.action_prepare()
        self.assertEqual(again.target_budget_id, budget_2027)
        self.assertEqual(len(budget_2027.crossovered_budget_line_ids), 3)
        self.assertEqual(by_direction[self.dir_property], 195690.0)
        self.assertTrue(again.warning)
        # numbers in the user's language: 100,000 in English, 100 000 in French
        self.assertIn("100,000", again.warning)
        french = (
            self.env["nm.carbon.budget.prepare"]
            .with_context(lang="fr_FR")
            .create(
                {
                    "source_budget_id": budget_2025.id,
                    "year": 2027,
                    "trajectory_id": self.trajectory.id,
                }
            )
        )
        french.action_prepare()
        self.assertIn("100\u00a0000", french.warning)
        self.assertEqual(extra.planned_carbon_kg, 100_000)


@tagged("post_install", "-at_install")
class TestAccessRights(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.manager = Users.create(
            {
                "name": "Directrice (test)",
                "login": "nm_test_manager",
                "group_ids": [
                    Command.set(
                        [cls.env.ref("nm_carbon_budget.group_carbon_manager").id]
                    )
                ],
            }
        )
        cls.controller = Users.create(
            {
                "name": "Contrôleur (test)",
                "login": "nm_test_controller",
                "group_ids": [
                    Command.set(
                        [cls.env.ref("nm_carbon_budget.group_carbon_controller").id]
                    )
                ],
            }
        )
        cls.trajectory = cls.env["nm.carbon.trajectory"].create(
            {"name": "Trajectoire (test)", "baseline_year": 2021, "baseline_kg": 1000}
        )

    def test_only_controllers_edit_factors_and_trajectories(self):
        from odoo.exceptions import AccessError

        factor = self.ratio_technical.with_user(self.manager)
        self.assertEqual(factor.value, 110.0)  # can read
        with self.assertRaises(AccessError):
            factor.write({"uncertainty": 10})
        with self.assertRaises(AccessError):
            self.trajectory.with_user(self.manager).write({"reduction_rate": 0.05})
        with self.assertRaises(AccessError):
            self.env["nm.emission.factor"].with_user(self.manager).create(
                {"name": "X", "code": "X", "value": 1, "unit": "kwh", "source": "x"}
            )
        self.ratio_technical.with_user(self.controller).write({"uncertainty": 60})
        self.trajectory.with_user(self.controller).write({"reduction_rate": 0.05})
        self.assertEqual(self.trajectory.reduction_rate, 0.05)
