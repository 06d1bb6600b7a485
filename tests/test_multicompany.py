# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two companies (two cities of one group) never mix in any figure or report, even
on an analytic account, a position or a capital they share; a user of one company
reads none of the other's records."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTwoCompanies(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Ville B (test)"})
        plan = env["account.analytic.plan"].create({"name": "Directions (2 villes)"})
        # one direction shared by both cities (no company), as a group would do
        cls.shared = env["account.analytic.account"].create(
            {"name": "Culture (partagée)", "plan_id": plan.id, "company_id": False}
        )
        category = env.ref("nm_carbon_budget.nm_carbon_category_mob")
        cls.lines = {}
        for company, kg_planned in ((cls.company_a, 1000), (cls.company_b, 500)):
            position = (
                env["account.budget.post"]
                .with_company(company)
                .create(
                    {
                        "name": f"Mobilité ({company.name})",
                        "company_id": company.id,
                        "carbon_category_ids": [Command.set(category.ids)],
                    }
                )
            )
            budget = (
                env["crossovered.budget"]
                .with_company(company)
                .create(
                    {
                        "name": f"Budget 2026 ({company.name})",
                        "company_id": company.id,
                        "date_from": date(2026, 1, 1),
                        "date_to": date(2026, 12, 31),
                    }
                )
            )
            cls.lines[company] = (
                env["crossovered.budget.lines"]
                .with_company(company)
                .create(
                    {
                        "crossovered_budget_id": budget.id,
                        "analytic_account_id": cls.shared.id,
                        "general_budget_id": position.id,
                        "date_from": date(2026, 1, 1),
                        "date_to": date(2026, 12, 31),
                        "planned_amount": -1000,
                        "planned_carbon_kg": kg_planned,
                    }
                )
            )
        # A books 300 + 100 kg in 2026 and 50 kg in 2025; B books 40 kg in 2026
        Line = env["account.analytic.line"]
        for company, kg, day in (
            (cls.company_a, 300.0, date(2026, 3, 1)),
            (cls.company_a, 100.0, date(2026, 9, 1)),
            (cls.company_a, 50.0, date(2025, 6, 1)),
            (cls.company_b, 40.0, date(2026, 4, 1)),
            (cls.company_b, 7.0, date(2025, 6, 1)),
        ):
            Line.with_company(company).create(
                {
                    "name": f"Trajets ({company.name})",
                    plan._column_name(): cls.shared.id,
                    "date": day,
                    "amount": 0.0,
                    "company_id": company.id,
                    "carbon_kg": kg,
                    "carbon_category_id": category.id,
                }
            )
        cls.user_a = new_test_user(
            env,
            login="mc_user_a",
            groups="base.group_user,nm_carbon_budget.group_carbon_controller",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.user_both = new_test_user(
            env,
            login="mc_user_both",
            groups="base.group_user,nm_carbon_budget.group_carbon_controller",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )

    def test_budget_lines_count_their_own_company(self):
        # each line reads the shared direction's lines of its own city only
        for user in (self.env.user, self.user_both):
            self.env.invalidate_all()
            line_a = self.lines[self.company_a].with_user(user)
            self.assertEqual(line_a.practical_carbon_kg, 400.0)
            line_b = (
                self.lines[self.company_b]
                .with_user(user)
                .with_context(
                    allowed_company_ids=[self.company_b.id, self.company_a.id]
                )
            )
            self.assertEqual(line_b.practical_carbon_kg, 40.0)
        # both lines together, in one batch, with both companies active
        both = (self.lines[self.company_a] | self.lines[self.company_b]).with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        )
        self.env.invalidate_all()
        both._nm_batch_compute("practical_carbon_kg")
        self.assertEqual(both.mapped("practical_carbon_kg"), [400.0, 40.0])
        self.assertEqual(both.mapped("carbon_percentage"), [40.0, 8.0])

    def test_budget_totals_and_pivot_per_company(self):
        Line = self.env["crossovered.budget.lines"].with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        )
        groups = Line.formatted_read_group(
            [("id", "in", [line.id for line in self.lines.values()])],
            ["company_id"],
            ["practical_carbon_kg:sum", "planned_carbon_kg:sum"],
        )
        totals = {
            group["company_id"][0]: (
                group["practical_carbon_kg:sum"],
                group["planned_carbon_kg:sum"],
            )
            for group in groups
        }
        self.assertEqual(
            totals,
            {self.company_a.id: (400.0, 1000.0), self.company_b.id: (40.0, 500.0)},
        )
        budget_b = self.lines[self.company_b].crossovered_budget_id
        self.assertEqual(budget_b.practical_carbon_kg, 40.0)

    def test_analytic_account_follows_the_active_company(self):
        account = self.shared
        for companies, expected in (
            ([self.company_a], 450.0),  # 300 + 100 + 50 (all years)
            ([self.company_b], 47.0),
            ([self.company_a, self.company_b], 497.0),
        ):
            self.env.invalidate_all()
            self.assertEqual(
                account.with_context(
                    allowed_company_ids=[c.id for c in companies]
                ).carbon_kg,
                expected,
            )

    def test_fiche_carbone_per_company(self):
        report = self.env["report.nm_carbon_budget.report_fiche_carbone_document"]
        for company, last_year, booked, planned in (
            (self.company_a, 50.0, 400.0, 1000.0),
            (self.company_b, 7.0, 40.0, 500.0),
        ):
            self.env.invalidate_all()
            # the shared direction has no company: the fiche is the active one's
            values = report.with_context(
                allowed_company_ids=[company.id]
                + [c.id for c in (self.company_a | self.company_b) if c != company]
            )._fiche(self.shared, 2026)
            self.assertEqual(values["last_year_kg"], last_year)
            self.assertEqual(values["booked_kg"], booked)
            self.assertEqual(values["planned_kg"], planned)

    def test_capital_budget_lines_per_company(self):
        if "nm.capital" not in self.env:
            self.skipTest("nm_multicapital is not installed")
        capital = self.env["nm.capital"].create(
            {
                "name": "Eau (groupe)",
                "code": "EAU-MC",
                "kind": "natural",
                "unit": "m3",
                "source": "entries",
                "company_id": False,
            }
        )
        Entry = self.env["nm.capital.entry"]
        BudgetLine = self.env["nm.capital.budget.line"]
        lines = {}
        for company, quantity in ((self.company_a, 120.0), (self.company_b, 30.0)):
            Entry.with_company(company).create(
                {
                    "capital_id": capital.id,
                    "analytic_account_id": self.shared.id,
                    "date": date(2026, 5, 1),
                    "quantity": quantity,
                    "company_id": company.id,
                }
            )
            lines[company] = BudgetLine.with_company(company).create(
                {
                    "capital_id": capital.id,
                    "analytic_account_id": self.shared.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "planned_qty": 200.0,
                    "company_id": company.id,
                }
            )
        self.env.invalidate_all()
        both = (lines[self.company_a] | lines[self.company_b]).with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        )
        self.assertEqual(both.mapped("booked_qty"), [120.0, 30.0])

    def test_records_of_the_other_company_are_unreadable(self):
        line_b = self.lines[self.company_b]
        budget_b = line_b.crossovered_budget_id
        for record in (line_b, budget_b):
            with self.assertRaises(AccessError):
                record.with_user(self.user_a).check_access("read")
        visible = (
            self.env["crossovered.budget.lines"]
            .with_user(self.user_a)
            .search([("analytic_account_id", "=", self.shared.id)])
        )
        self.assertEqual(visible, self.lines[self.company_a])

    def test_every_company_model_has_a_company_rule(self):
        """Each model of ours with a stored company_id is restricted to the user's
        companies for internal users: by a global rule, or by a rule of
        base.group_user that no other internal users' rule of the model widens
        (rules of one user's groups are OR-ed). A new model without one fails."""
        portal_groups = self.env.ref("base.group_portal") | self.env.ref(
            "base.group_public"
        )
        group_user = self.env.ref("base.group_user")
        missing = []
        for model_name, Model in self.env.registry.items():
            if not model_name.startswith("nm.") or Model._abstract or Model._transient:
                continue
            field = Model._fields.get("company_id")
            if not field or not field.store:
                continue
            rules = self.env["ir.rule"].search([("model_id.model", "=", model_name)])

            def by_company(rule):
                return "company_ids" in (rule.domain_force or "")

            global_rule = rules.filtered(lambda r: not r.groups and by_company(r))
            staff_rule = rules.filtered(
                lambda r, g=group_user: g in r.groups and by_company(r)
            )
            wider = rules.filtered(
                lambda r, p=portal_groups: not by_company(r) and (r.groups - p)
            )
            if not (global_rule or (staff_rule and not wider)):
                missing.append(model_name)
        self.assertEqual(missing, [])
