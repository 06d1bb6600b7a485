# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two companies (two cities of one group) never mix in any figure or report, even
on an analytic account, a position or a capital they share; a user of one company
reads none of the other's records."""

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.nm_carbon_budget.tests.common import role_user


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
        cls.user_a = role_user(
            env,
            "mc_user_a",
            "controller",
            groups="base.group_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.user_both = role_user(
            env,
            "mc_user_both",
            "controller",
            groups="base.group_user",
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
        # A's user with A active: the refusal comes from the record rules, not
        # from B left in the records' allowed companies
        env_a = self.env(
            user=self.user_a,
            context=dict(self.env.context, allowed_company_ids=self.company_a.ids),
        )
        for record in (line_b, budget_b):
            with self.assertRaises(AccessError):
                record.with_env(env_a).check_access("read")
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


@tagged("post_install", "-at_install")
class TestTwoCompaniesReports(TransactionCase):
    """Two cities, each with its own direction, budget, carbon, travel,
    conventions, capitals and budget vert ratings, and one direction and one
    operator they share. Every report is read as a user of A (allowed in A), a
    user of B, and a user allowed in both with one company active.

    Budgets are for 2024 (over by now: theoretical = planned):
    A: planned -10,000 € and 1,000 kg; booked -2,000 € and 300 + 100 = 400 kg,
       last year (2023) 250 kg. B: planned -4,000 € and 500 kg; booked -500 €
       and 40 kg, last year 60 kg.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Ville B (rapports)"})
        cls.plan = env["account.analytic.plan"].create(
            {"name": "Directions (rapports 2 villes)"}
        )
        cls.shared = env["account.analytic.account"].create(
            {"name": "Culture (groupe)", "plan_id": cls.plan.id, "company_id": False}
        )
        cls.mobility = env.ref("nm_carbon_budget.nm_carbon_category_mob")
        cls.world = {}
        for company, planned_eur, planned_kg in (
            (cls.company_a, -10000.0, 1000.0),
            (cls.company_b, -4000.0, 500.0),
        ):
            cls.world[company] = cls._build_company(company, planned_eur, planned_kg)
        column = cls.plan._column_name()
        AnalyticLine = env["account.analytic.line"]
        for company, amount, kg, day in (
            (cls.company_a, -2000.0, 0.0, date(2024, 2, 1)),
            (cls.company_a, 0.0, 300.0, date(2024, 3, 1)),
            (cls.company_a, 0.0, 100.0, date(2024, 9, 1)),
            (cls.company_a, 0.0, 250.0, date(2023, 6, 1)),
            (cls.company_b, -500.0, 0.0, date(2024, 2, 1)),
            (cls.company_b, 0.0, 40.0, date(2024, 4, 1)),
            (cls.company_b, 0.0, 60.0, date(2023, 6, 1)),
        ):
            world = cls.world[company]
            AnalyticLine.with_company(company).create(
                {
                    "name": f"Réel ({company.name})",
                    column: world["direction"].id,
                    "date": day,
                    "amount": amount,
                    "general_account_id": world["expense"].id if amount else False,
                    "company_id": company.id,
                    "carbon_kg": kg,
                    "carbon_category_id": cls.mobility.id if kg else False,
                }
            )
        cls.user_a, cls.user_b, cls.user_both = (
            role_user(
                env,
                login,
                "controller",
                groups="base.group_user",
                company_id=company.id,
                company_ids=[Command.set(companies.ids)],
            )
            for login, company, companies in (
                ("mcr_user_a", cls.company_a, cls.company_a),
                ("mcr_user_b", cls.company_b, cls.company_b),
                ("mcr_user_both", cls.company_a, cls.company_a | cls.company_b),
            )
        )

    @classmethod
    def _build_company(cls, company, planned_eur, planned_kg):
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        tag = company.name
        direction = env["account.analytic.account"].create(
            {
                "name": f"Voirie ({tag})",
                "plan_id": cls.plan.id,
                "company_id": company.id,
            }
        )
        expense = env["account.account"].create(
            {
                "code": "604100",
                "name": f"Achats ({tag})",
                "account_type": "expense",
                "company_ids": [Command.set(company.ids)],
            }
        )
        position = env["account.budget.post"].create(
            {
                "name": f"Mobilité ({tag})",
                "company_id": company.id,
                "account_ids": [Command.set(expense.ids)],
                "carbon_category_ids": [Command.set(cls.mobility.ids)],
            }
        )
        budget = env["crossovered.budget"].create(
            {
                "name": f"Budget 2024 ({tag})",
                "company_id": company.id,
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 12, 31),
            }
        )
        line = env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "analytic_account_id": direction.id,
                "general_budget_id": position.id,
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 12, 31),
                "planned_amount": planned_eur,
                "planned_carbon_kg": planned_kg,
            }
        )
        action = env["nm.decarbonation.action"].create(
            {
                "name": f"Vélos de service ({tag})",
                "direction_id": cls.shared.id,
                "company_id": company.id,
            }
        )
        department = env["hr.department"].create(
            {
                "name": f"Voirie ({tag})",
                "company_id": company.id,
                "analytic_account_id": direction.id,
            }
        )
        employee = env["hr.employee"].create(
            {
                "name": f"Agent ({tag})",
                "company_id": company.id,
                "department_id": department.id,
            }
        )
        return {
            "direction": direction,
            "expense": expense,
            "position": position,
            "budget": budget,
            "line": line,
            "action": action,
            "employee": employee,
        }

    def _as(self, user, company):
        """An environment of ``user`` with ``company`` as the only active one."""
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=company.ids)
        )

    def _env_a(self):
        """A's user, A active: a record of B read in it meets the record rules
        (not the refusal of an unallowed company in the context)."""
        return self._as(self.user_a, self.company_a)

    def _viewers(self):
        """(environment, company whose figures it must see): A's user, B's user,
        and the user of both with A active, then B active."""
        return [
            (self._as(self.user_a, self.company_a), self.company_a),
            (self._as(self.user_b, self.company_b), self.company_b),
            (self._as(self.user_both, self.company_a), self.company_a),
            (self._as(self.user_both, self.company_b), self.company_b),
        ]

    # -- budget lines, budgets, analytic accounts ---------------------------

    def test_budget_line_figures_per_viewer(self):
        expected = {
            # practical €, practical kg, theoretical €, theoretical kg, %
            self.company_a: (-2000.0, 400.0, -10000.0, 1000.0, 40.0),
            self.company_b: (-500.0, 40.0, -4000.0, 500.0, 8.0),
        }
        ours = [w["line"].id for w in self.world.values()]
        for env, company in self._viewers():
            env.invalidate_all()
            lines = env["crossovered.budget.lines"].search([("id", "in", ours)])
            self.assertEqual(lines, self.world[company]["line"].with_env(env))
            self.assertEqual(
                (
                    lines.practical_amount,
                    lines.practical_carbon_kg,
                    lines.theoretical_amount,
                    lines.theoretical_carbon_kg,
                    lines.carbon_percentage,
                ),
                expected[company],
            )
            # the pivot's totals: one company's lines only
            [group] = env["crossovered.budget.lines"].formatted_read_group(
                [("id", "in", ours)],
                [],
                ["practical_carbon_kg:sum", "planned_carbon_kg:sum"],
            )
            self.assertEqual(
                (group["practical_carbon_kg:sum"], group["planned_carbon_kg:sum"]),
                (expected[company][1], self.world[company]["line"].planned_carbon_kg),
            )
            budget = self.world[company]["budget"].with_env(env)
            self.assertEqual(
                (budget.practical_carbon_kg, budget.carbon_percentage),
                (expected[company][1], expected[company][4]),
            )

    def test_other_company_budget_is_unreadable(self):
        for env, company in self._viewers():
            other = self.company_b if company == self.company_a else self.company_a
            for record in (
                self.world[other]["line"],
                self.world[other]["budget"],
                self.world[other]["direction"],
            ):
                with self.assertRaises(AccessError):
                    record.with_env(env).check_access("read")

    def test_analytic_account_carbon_per_viewer(self):
        # 2023 + 2024: A 250 + 400 = 650 kg, B 60 + 40 = 100 kg
        totals = {self.company_a: 650.0, self.company_b: 100.0}
        for env, company in self._viewers():
            env.invalidate_all()
            direction = self.world[company]["direction"].with_env(env)
            self.assertEqual(direction.carbon_kg, totals[company])
            self.assertEqual(
                direction.with_context(from_date="2024-01-01").carbon_kg,
                totals[company] - (250.0 if company == self.company_a else 60.0),
            )

    # -- execution review ----------------------------------------------------

    def test_execution_review_per_company(self):
        expected = {
            self.company_a: (-2000.0, 400.0, 40.0),
            self.company_b: (-500.0, 40.0, 8.0),
        }
        reviews = {}
        for env, company in self._viewers()[:2]:
            world = self.world[company]
            review = env["nm.budget.review"].create(
                {
                    "budget_id": world["budget"].id,
                    "direction_ids": [Command.set(world["direction"].ids)],
                    "date": date(2024, 10, 15),
                    "year": 2024,
                    "quarter": "3",
                }
            )
            self.assertEqual(review.company_id, company)
            review.action_hold()
            self.assertEqual(
                (
                    review.line_ids.practical_amount,
                    review.line_ids.practical_carbon_kg,
                    review.carbon_percentage,
                ),
                expected[company],
            )
            reviews[company] = review
        # each city's user reads its own review only
        with self.assertRaises(AccessError):
            reviews[self.company_b].with_env(self._env_a()).check_access("read")
        both_a = self._as(self.user_both, self.company_a)
        self.assertEqual(
            both_a["nm.budget.review"].search(
                [("id", "in", [r.id for r in reviews.values()])]
            ),
            reviews[self.company_a].with_env(both_a),
        )

    # -- fiche carbone and XLSX follow-up ------------------------------------

    def test_fiche_carbone_per_viewer(self):
        report = "report.nm_carbon_budget.report_fiche_carbone_document"
        expected = {
            # last year, booked, planned, %
            self.company_a: (250.0, 400.0, 1000.0, 40.0),
            self.company_b: (60.0, 40.0, 500.0, 8.0),
        }
        for env, company in self._viewers():
            env.invalidate_all()
            direction = self.world[company]["direction"]
            fiche = env[report]._fiche(direction.with_env(env), 2024)
            self.assertEqual(
                (
                    fiche["last_year_kg"],
                    fiche["booked_kg"],
                    fiche["planned_kg"],
                    fiche["percentage"],
                ),
                expected[company],
            )
            # one emission item: all of last year's footprint
            self.assertEqual([row["share"] for row in fiche["footprint"]], [100.0])

    def test_fiche_of_a_shared_direction_lists_the_active_company_actions(self):
        report = "report.nm_carbon_budget.report_fiche_carbone_document"
        for company in (self.company_a, self.company_b):
            other = self.company_b if company == self.company_a else self.company_a
            # both companies allowed, ``company`` active: the fiche is its own
            env = self.env(
                user=self.user_both,
                context=dict(
                    self.env.context, allowed_company_ids=[company.id, other.id]
                ),
            )
            fiche = env[report]._fiche(self.shared.with_env(env), 2024)
            self.assertEqual(
                fiche["actions"], self.world[company]["action"].with_env(env)
            )

    def test_followup_xlsx_per_company(self):
        expected = {self.company_a: (-2000.0, 400.0), self.company_b: (-500.0, 40.0)}
        for env, company in self._viewers():
            env.invalidate_all()
            content, _format = env["ir.actions.report"]._render(
                "nm_carbon_budget.report_carbon_followup_xlsx",
                self.world[company]["budget"].ids,
                {},
            )
            workbook = load_workbook(io.BytesIO(content))
            sheet = workbook[workbook.sheetnames[1]]
            row = [cell.value for cell in sheet[4]]
            # columns: C planned €, D booked €, ..., H current kg, I booked kg
            self.assertEqual(row[1], self.world[company]["position"].display_name)
            self.assertEqual((row[3], row[8]), expected[company])
            self.assertIsNone(sheet.cell(row=5, column=2).value)  # then the total row
            self.assertEqual(sheet.cell(row=5, column=1).value, "Total")

    # -- mobility ------------------------------------------------------------

    def _declare(self, company, distance_km, trip_count):
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        car = env.ref("nm_carbon_budget.nm_emission_factor_car_thermal")
        mode = env["nm.travel.mode"].search(
            [("emission_factor_id", "=", car.id)], limit=1
        )
        declaration = env["nm.travel.declaration"].create(
            {
                "employee_id": self.world[company]["employee"].id,
                "date": date(2026, 3, 1),
                "line_ids": [
                    Command.create(
                        {
                            "travel_type": "commute",
                            "mode_id": mode.id,
                            "distance_km": distance_km,
                            "trip_count": trip_count,
                            "round_trip": True,
                        }
                    )
                ],
            }
        )
        declaration.action_submit()
        declaration.action_validate()
        return declaration

    def test_mobility_reports_per_viewer(self):
        # A: 10 km × 10 trips × 2 = 200 km × 0.2176 = 43.52 kg
        # B: 5 km × 4 trips × 2 = 40 km × 0.2176 = 8.704 kg
        declarations = {
            self.company_a: self._declare(self.company_a, 10, 10),
            self.company_b: self._declare(self.company_b, 5, 4),
        }
        expected = {self.company_a: (200.0, 43.52), self.company_b: (40.0, 8.704)}
        employees = [w["employee"].id for w in self.world.values()]
        for env, company in self._viewers():
            env.invalidate_all()
            direction = self.world[company]["direction"]
            groups = env["nm.travel.declaration.line"].formatted_read_group(
                [("employee_id", "in", employees)],
                ["analytic_account_id"],
                ["total_km:sum", "carbon_kg:sum"],
            )
            self.assertEqual(len(groups), 1)
            self.assertEqual(groups[0]["analytic_account_id"][0], direction.id)
            self.assertAlmostEqual(groups[0]["total_km:sum"], expected[company][0])
            self.assertAlmostEqual(groups[0]["carbon_kg:sum"], expected[company][1])
            self.assertEqual(
                env["nm.travel.declaration"].search([("employee_id", "in", employees)]),
                declarations[company].with_env(env),
            )
            # the carbon booked on the direction in 2026 is the declaration's
            self.assertAlmostEqual(
                direction.with_env(env).with_context(from_date="2026-01-01").carbon_kg,
                expected[company][1],
            )
        with self.assertRaises(AccessError):
            declarations[self.company_b].with_env(self._env_a()).check_access("read")
        with self.assertRaises(AccessError):
            declarations[self.company_b].line_ids.with_env(self._env_a()).check_access(
                "read"
            )
        booked = declarations[self.company_b].sudo().analytic_line_ids
        self.assertEqual(booked.company_id, self.company_b)

    # -- conventions -----------------------------------------------------------

    def _convention(self, company, partner):
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        convention = env["nm.convention"].create(
            {
                "title": f"CPO ({company.name})",
                "partner_id": partner.id,
                "company_id": company.id,
                "convention_type": "cpo",
                "date_start": date(2024, 1, 1),
                "date_end": date(2024, 12, 31),
                "subsidy_amount": 50000.0,
                "operator_maturity": "starting",
                "clause_ids": [
                    Command.create(
                        {
                            "name": "Venue à vélo",
                            "theme": "mobility",
                            "committer": "operator",
                            "indicator_name": "Part venue à vélo",
                            "indicator_unit": "%",
                            "baseline": 20.0,
                            "target": 40.0,
                            "direction": "higher",
                            "frequency": "quarterly",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Émissions des tournées",
                            "theme": "touring",
                            "committer": "operator",
                            "indicator_name": "Émissions des tournées",
                            "indicator_unit": "kgCO2e",
                            "baseline": 1000.0,
                            "target": 800.0,
                            "direction": "lower",
                            "frequency": "yearly",
                            "is_carbon": True,
                        }
                    ),
                ],
            }
        )
        convention.action_sign()
        return convention

    def _report_carbon(self, convention, kg):
        review = convention.review_ids.filtered(
            lambda r: r.review_type == "during" and r.state == "planned"
        ).sorted("date_planned")[:1]
        # still accepting measures today (a review past its due date closes)
        review.date_due = max(review.date_planned, date.today()) + timedelta(30)
        review.action_open()
        clause = convention.clause_ids.filtered("is_carbon")
        measure = review._submit_measures([{"clause": clause, "value": kg}])
        review.feedback = "<p>Merci</p>"
        review.action_post_feedback()
        return measure

    def _partner_account(self, measure):
        """The operator's account the measure's carbon was booked on."""
        line = measure.sudo().analytic_line_id
        plan = measure.sudo().company_id.nm_partner_plan_id
        return line[plan._column_name()]

    def test_conventions_of_one_operator_with_two_cities(self):
        operator = self.env["res.partner"].create(
            {"name": "Théâtre des deux villes", "is_company": True}
        )
        conv_a = self._convention(self.company_a, operator)
        conv_b = self._convention(self.company_b, operator)
        # A gets 900 then 850 kg, B 700 kg in between
        first_a = self._report_carbon(conv_a, 900.0)
        measure_b = self._report_carbon(conv_b, 700.0)
        second_a = self._report_carbon(conv_a, 850.0)
        account_a = self._partner_account(first_a)
        account_b = self._partner_account(measure_b)
        # one operator account per city, reused: the operator is one row per city
        self.assertEqual(self._partner_account(second_a), account_a)
        self.assertEqual(account_a.company_id, self.company_a)
        self.assertEqual(account_b.company_id, self.company_b)
        self.assertNotEqual(account_a, account_b)
        for env, company in self._viewers():
            env.invalidate_all()
            account, kg = (
                (account_a, 1750.0) if company == self.company_a else (account_b, 700.0)
            )
            self.assertEqual(account.with_env(env).carbon_kg, kg)
            self.assertEqual(
                env["nm.convention"].search([("partner_id", "=", operator.id)]),
                (conv_a if company == self.company_a else conv_b).with_env(env),
            )
        # the final assessment retains each city's own latest value
        (conv_a | conv_b).action_start_assessment()
        carbon_a = conv_a.clause_ids.filtered("is_carbon")
        carbon_b = conv_b.clause_ids.filtered("is_carbon")
        self.assertEqual(
            (carbon_a.assessed_value, carbon_b.assessed_value), (850.0, 700.0)
        )
        for record in (
            conv_b,
            conv_b.clause_ids[:1],
            conv_b.review_ids[:1],
            measure_b,
            account_b,
        ):
            with self.assertRaises(AccessError):
                record.with_env(self._env_a()).check_access("read")

    # -- capitals and budget vert ------------------------------------------------

    def _investment(self, company, rating, amount):
        """An investment account 213180 (21318, listed by the decree of 16 July 2024
        for 2024) of ``company`` rated by its own rule on
        axis 1, and ``amount`` € of posted spending on it in 2024."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        Account = env["account.account"]
        invest = Account.create(
            {
                "code": "213180",
                "name": f"Installations ({company.name})",
                "account_type": "asset_fixed",
                "company_ids": [Command.set(company.ids)],
            }
        )
        supplier = Account.create(
            {
                "code": "404100",
                "name": f"Fournisseurs ({company.name})",
                "account_type": "liability_current",
                "company_ids": [Command.set(company.ids)],
            }
        )
        journal = env["account.journal"].create(
            {
                "name": f"Divers ({company.name})",
                "code": "MC" + str(company.id),
                "type": "general",
                "company_id": company.id,
            }
        )
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "date": date(2024, 6, 1),
                "journal_id": journal.id,
                "company_id": company.id,
                "line_ids": [
                    Command.create({"account_id": invest.id, "debit": amount}),
                    Command.create({"account_id": supplier.id, "credit": amount}),
                ],
            }
        )
        move.action_post()
        axis_1 = env.ref("nm_multicapital.nm_green_budget_axis_1")
        if not env["nm.green.budget.scope"].search(
            [("company_id", "=", company.id), ("year", "<=", 2024)]
        ):
            env["nm.green.budget.scope"].create(
                {
                    "year": 2024,
                    "axis_ids": [Command.set(axis_1.ids)],
                    "account_prefixes": "21318",
                    "company_id": company.id,
                }
            )
        env["nm.green.budget.rating"].create(
            {
                "axis_id": axis_1.id,
                "account_prefix": "21318",
                "year": 2024,
                "rating": rating,
                "justification": f"Règle 21318 ({company.name})",
                "company_id": company.id,
            }
        )
        return invest

    def test_budget_vert_annex_per_viewer(self):
        # A rates its 30,000 € "favorable", B its 12,000 € "unfavorable"
        invest = {
            self.company_a: self._investment(self.company_a, "favorable", 30000.0),
            self.company_b: self._investment(self.company_b, "unfavorable", 12000.0),
        }
        expected = {
            self.company_a: ("favorable", 30000.0),
            self.company_b: ("unfavorable", 12000.0),
        }
        for env, company in self._viewers():
            annex = env["nm.green.budget.annex"].create({"year": 2024})
            self.assertEqual(annex.company_id, company)
            annex.action_compute()
            mine = annex.line_ids.filtered(
                lambda line, company=company: line.account_id == invest[company]
            )
            self.assertEqual((mine.rating, mine.amount), expected[company])
            other = self.company_b if company == self.company_a else self.company_a
            self.assertNotIn(invest[other], annex.line_ids.sudo().account_id)

    def test_arbitration_reads_the_line_company_only(self):
        """A budget line on the shared direction: B's entry tagged with A's
        position and B's rating rule of the same accounts stay out of it."""
        invest_a = self._investment(self.company_a, "favorable", 1000.0)
        self._investment(self.company_b, "unfavorable", 1000.0)
        world = self.world[self.company_a]
        position = self.env["account.budget.post"].create(
            {
                "name": "Investissement (A)",
                "company_id": self.company_a.id,
                "account_ids": [Command.set(invest_a.ids)],
            }
        )
        line = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": world["budget"].id,
                "analytic_account_id": self.shared.id,
                "general_budget_id": position.id,
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 12, 31),
                "planned_amount": -1000.0,
            }
        )
        water = self.env["nm.capital"].create(
            {
                "name": "Eau (groupe, arbitrage)",
                "code": "EAU-ARB",
                "kind": "natural",
                "unit": "m3",
                "source": "entries",
                "company_id": False,
            }
        )
        for company, quantity in ((self.company_a, 120.0), (self.company_b, 30.0)):
            self.env["nm.capital.entry"].with_company(company).create(
                {
                    "capital_id": water.id,
                    "analytic_account_id": self.shared.id,
                    "budget_post_id": position.id,
                    "date": date(2024, 5, 1),
                    "quantity": quantity,
                    "company_id": company.id,
                }
            )
        env = self.env(
            user=self.user_both,
            context=dict(
                self.env.context,
                allowed_company_ids=[self.company_a.id, self.company_b.id],
            ),
        )
        wizard = env["nm.capital.arbitration"].create(
            {
                "budget_line_ids": [Command.set(line.ids)],
                "capital_ids": [Command.set(water.ids)],
            }
        )
        [row] = wizard._arbitration_table()["rows"]
        self.assertEqual(row["values"][f"capital_{water.id}"], 120.0)
        self.assertEqual(row["values"]["axis_1"], "Favourable")

    # -- record rules --------------------------------------------------------------

    def test_user_of_a_reads_no_record_of_b(self):
        """One record of B for each of our models with a company: A's user gets an
        AccessError on every one. A model with a company and no record here fails."""
        env_b = self.env(
            context=dict(self.env.context, allowed_company_ids=self.company_b.ids)
        )
        world = self.world[self.company_b]
        review = env_b["nm.budget.review"].create(
            {
                "budget_id": world["budget"].id,
                "direction_ids": [Command.set(world["direction"].ids)],
                "date": date(2024, 10, 15),
                "year": 2024,
                "quarter": "3",
            }
        )
        amendment = env_b["nm.carbon.amendment"].create(
            {
                "budget_id": world["budget"].id,
                "amendment_type": "decrease",
                "justification": "Moins de trajets (B)",
                "line_ids": [
                    Command.create(
                        {"budget_line_id": world["line"].id, "delta_kg": -10}
                    )
                ],
            }
        )
        operator = env_b["res.partner"].create(
            {"name": "Opérateur (B)", "is_company": True}
        )
        convention = self._convention(self.company_b, operator)
        measure = self._report_carbon(convention, 700.0)
        clause = convention.clause_ids.filtered("is_carbon")
        capital = env_b["nm.capital"].create(
            {
                "name": "Sols (B)",
                "code": "SOLS-B",
                "kind": "natural",
                "unit": "m2",
                "source": "entries",
                "company_id": self.company_b.id,
            }
        )
        declaration = self._declare(self.company_b, 5, 4)
        records = [
            review,
            env_b["nm.budget.review.decision"].create(
                {"review_id": review.id, "name": "Covoiturage"}
            ),
            env_b["nm.budget.review.template"].create(
                {"name": "Trame (B)", "company_id": self.company_b.id}
            ),
            amendment,
            amendment.line_ids,
            env_b["nm.carbon.trajectory"].create(
                {
                    "name": "Trajectoire (B)",
                    "baseline_year": 2021,
                    "baseline_kg": 1000000,
                    "company_id": self.company_b.id,
                }
            ),
            env_b["nm.emission.factor"].create(
                {
                    "name": "Facteur (B)",
                    "code": "FACT-B",
                    "value": 1.5,
                    "company_id": self.company_b.id,
                }
            ),
            world["action"],
            declaration,
            declaration.line_ids,
            convention,
            clause,
            measure.review_id,
            measure,
            env_b["nm.progress.adjustment"].create(
                {"clause_id": clause.id, "new_target": 750.0, "reason": "Tournées"}
            ),
            capital,
            env_b["nm.capital.entry"].create(
                {
                    "capital_id": capital.id,
                    "analytic_account_id": world["direction"].id,
                    "date": date(2024, 5, 1),
                    "quantity": 50.0,
                }
            ),
            env_b["nm.capital.budget.line"].create(
                {
                    "capital_id": capital.id,
                    "analytic_account_id": world["direction"].id,
                    "date_from": date(2024, 1, 1),
                    "date_to": date(2024, 12, 31),
                    "planned_qty": 100.0,
                }
            ),
            env_b["nm.capital.preservation"].create(
                {
                    "name": "Renaturation (B)",
                    "capital_id": capital.id,
                    "analytic_account_id": world["direction"].id,
                    "year": 2024,
                }
            ),
        ]
        self._investment(self.company_b, "favorable", 100.0)
        records += [
            env_b["nm.green.budget.scope"].search(
                [("company_id", "=", self.company_b.id)]
            ),
            env_b["nm.green.budget.rating"].search(
                [("company_id", "=", self.company_b.id)]
            ),
            env_b["nm.public.budget"].create(
                {"name": "Budget annexe eau (B)", "budget_kind": "annex"}
            ),
        ]
        # the trajectory's years and graph series, read from B's own trajectory
        trajectory_b = next(r for r in records if r._name == "nm.carbon.trajectory")
        in_2021 = [("trajectory_id", "=", trajectory_b.id), ("year", "=", 2021)]
        records += [
            env_b["nm.carbon.trajectory.point"].search(in_2021),
            env_b["nm.carbon.trajectory.series"].search(
                [*in_2021, ("series", "=", "target")]
            ),
        ]
        for record in records:
            self.assertEqual(len(record), 1, record._name)
            self.assertEqual(record.company_id, self.company_b, record._name)
            with self.assertRaises(AccessError, msg=record._name):
                record.with_env(self._env_a()).check_access("read")
            self.assertFalse(
                record.with_env(self._env_a()).search([("id", "=", record.id)]),
                record._name,
            )
        with_company = {
            name
            for name, Model in self.env.registry.items()
            if name.startswith("nm.")
            and not Model._abstract
            and not Model._transient
            and "company_id" in Model._fields
            and Model._fields["company_id"].store
        }
        # models of the conference and reporting addons are not filled here: each
        # must at least carry a company rule for internal users (their own tests
        # read them as two companies' users)
        unruled = sorted(
            name
            for name in with_company - {r._name for r in records}
            if not self.env["ir.rule"]
            .sudo()
            .search(
                [
                    ("model_id.model", "=", name),
                    ("domain_force", "like", "company_ids"),
                ],
                limit=1,
            )
        )
        self.assertEqual(unruled, [])
