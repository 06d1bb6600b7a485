# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One direction, one year, one figure: the budget lines, the fiche carbone, the
follow-up XLSX (read back), the pivot of budget lines, the budget vert annex and
the climate capital give the same € and kgCO2e on the demo city's data.

The expected figures are summed here from the analytic lines and journal items
with plain ORM reads, on the rule DESIGN.md gives for a budget line: the analytic
lines of the line's company whose column for the direction's plan holds the
direction, dated within the line; the € those on the position's general accounts,
the kgCO2e also those whose emission item is (below) one of the position's items.
"""

import io
from collections import defaultdict
from datetime import date

from openpyxl import load_workbook

from odoo.fields import Domain
from odoo.tests import TransactionCase, tagged

DEMO_BUDGETS = (
    "nm_carbon_budget.crossovered_budget_2025_demo",
    "nm_carbon_budget.crossovered_budget_2026_demo",
)
FIGURES = (
    "planned_amount",
    "practical_amount",
    "planned_carbon_kg",
    "practical_carbon_kg",
)


@tagged("post_install", "-at_install", "nm_demo")
class TestCrossReport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref(DEMO_BUDGETS[0], raise_if_not_found=False):
            cls.skipTest(cls, "the database has no demo data")
        cls.city = cls.env.ref("base.main_company")
        cls.budgets = cls.env["crossovered.budget"].browse(
            cls.env.ref(xmlid).id for xmlid in DEMO_BUDGETS
        )
        # (direction, year) of every demo budget line: 6 directions × 2 years
        cls.cases = sorted(
            {
                (line.analytic_account_id, line.date_from.year)
                for line in cls.budgets.crossovered_budget_line_ids
            },
            key=lambda case: (case[1], case[0].code or ""),
        )
        # the reports are read as the demo's controller reads them (record rules)
        cls.controller = cls.env.ref("nm_carbon_budget.user_controleur_demo")

    # -- figures ----------------------------------------------------------------

    def _lines(self, direction, year):
        """The direction's budget lines of the year, as the fiche selects them."""
        return self.env["crossovered.budget.lines"].search(
            [
                ("analytic_account_id", "=", direction.id),
                ("company_id", "=", self.city.id),
                ("date_from", "<=", f"{year}-12-31"),
                ("date_to", ">=", f"{year}-01-01"),
                ("crossovered_budget_id.state", "!=", "cancel"),
            ]
        )

    def _line_figures(self, direction, year):
        lines = self._lines(direction, year)
        figures = {name: sum(lines.mapped(name)) for name in FIGURES}
        figures["lines"] = lines
        return figures

    def _expected_booked(self, line):
        """(€, kgCO2e) of one budget line, summed from its analytic lines."""
        column = line.analytic_account_id.root_plan_id._column_name()
        position = line.general_budget_id
        base = Domain(
            [
                (column, "=", line.analytic_account_id.id),
                ("company_id", "=", line.company_id.id),
                ("date", ">=", line.date_from),
                ("date", "<=", line.date_to),
            ]
        )
        on_accounts = Domain("general_account_id", "in", position.account_ids.ids)
        Analytic = self.env["account.analytic.line"]
        [[amount]] = Analytic._read_group(base & on_accounts, [], ["amount:sum"])
        carbon_domain = on_accounts
        if position.carbon_category_ids:
            carbon_domain |= Domain(
                "carbon_category_id", "child_of", position.carbon_category_ids.ids
            )
        [[carbon_kg]] = Analytic._read_group(
            base & carbon_domain, [], ["carbon_kg:sum"]
        )
        return amount, carbon_kg

    def _assert_figure(self, actual, expected, what):
        self.assertAlmostEqual(actual, expected, places=2, msg=what)

    # -- budget lines against the analytic lines ------------------------------

    def test_budget_lines_book_their_analytic_lines(self):
        self.assertEqual(len(self.cases), 12, [(d.code, y) for d, y in self.cases])
        for direction, year in self.cases:
            figures = self._line_figures(direction, year)
            amount = carbon_kg = 0.0
            for line in figures["lines"]:
                line_amount, line_kg = self._expected_booked(line)
                amount += line_amount
                carbon_kg += line_kg
            with self.subTest(direction=direction.code, year=year):
                self.assertTrue(figures["practical_carbon_kg"], "nothing booked")
                self._assert_figure(figures["practical_amount"], amount, "€")
                self._assert_figure(figures["practical_carbon_kg"], carbon_kg, "kg")

    # -- fiche carbone ---------------------------------------------------------

    def test_fiche_carbone_gives_the_budget_lines_carbon(self):
        Fiche = self.env[
            "report.nm_carbon_budget.report_fiche_carbone_document"
        ].with_user(self.controller)
        for direction, year in self.cases:
            figures = self._line_figures(direction, year)
            values = Fiche._get_report_values(direction.ids, data={"year": year})
            fiche = values["fiches"][direction.id]
            with self.subTest(direction=direction.code, year=year):
                self.assertEqual(values["year"], year)
                # the fiche prints kgCO2e only (no € column): planned and booked
                self._assert_figure(
                    fiche["planned_kg"], figures["planned_carbon_kg"], "planned kg"
                )
                self._assert_figure(
                    fiche["booked_kg"], figures["practical_carbon_kg"], "booked kg"
                )
                self._assert_figure(
                    sum(row["booked"] for row in fiche["envelope"]),
                    figures["practical_carbon_kg"],
                    "envelope rows",
                )

    # -- follow-up XLSX --------------------------------------------------------

    def test_followup_xlsx_read_back_gives_the_budget_lines_figures(self):
        # columns of a summary row: A direction, B line count, C planned €,
        # D booked €, F initial kg, G amendments kg, H envelope kg, I booked kg
        for budget in self.budgets:
            year = budget.date_from.year
            content, kind = (
                self.env["ir.actions.report"]
                .with_user(self.controller)
                ._render("nm_carbon_budget.report_carbon_followup_xlsx", budget.ids, {})
            )
            self.assertEqual(kind, "xlsx")
            workbook = load_workbook(io.BytesIO(content))
            summary = workbook[workbook.sheetnames[0]]
            rows = {
                row[0].value: row
                for row in summary.iter_rows(min_row=4)
                if row[0].value and isinstance(row[2].value, (int, float))
            }
            for direction, case_year in self.cases:
                if case_year != year:
                    continue
                figures = self._line_figures(direction, year)
                with self.subTest(direction=direction.code, year=year):
                    row = rows[direction.display_name]
                    self._assert_figure(
                        row[2].value, figures["planned_amount"], "planned €"
                    )
                    self._assert_figure(
                        row[3].value, figures["practical_amount"], "booked €"
                    )
                    self._assert_figure(
                        row[7].value, figures["planned_carbon_kg"], "envelope kg"
                    )
                    self._assert_figure(
                        row[8].value, figures["practical_carbon_kg"], "booked kg"
                    )
                    # initial + amendments = current envelope
                    self._assert_figure(
                        row[5].value + row[6].value, row[7].value, "amendments"
                    )
            # the direction's own sheet lists its lines with the same figures
            self.assertEqual(
                len(workbook.sheetnames),
                1 + len(budget.crossovered_budget_line_ids.analytic_account_id),
            )

    # -- pivot of budget lines -------------------------------------------------

    def test_pivot_gives_the_budget_lines_figures(self):
        """The pivot of "Budget lines (€ and kgCO2e)": rows by direction, by year
        of the line's start (the search view's "Year"), its four measures, read
        as the web client reads them (formatted_read_grouping_sets)."""
        view = self.env.ref("nm_carbon_budget.crossovered_budget_lines_view_pivot")
        arch = view.arch
        for measure in FIGURES:
            self.assertIn(f'name="{measure}" type="measure"', arch)
        Lines = self.env["crossovered.budget.lines"].with_user(self.controller)
        measures = [f"{name}:sum" for name in FIGURES]
        [groups] = Lines.formatted_read_grouping_sets(
            [("crossovered_budget_id", "in", self.budgets.ids)],
            [["analytic_account_id", "date_from:year"]],
            measures,
        )
        pivot = {}
        for group in groups:
            account_id = group["analytic_account_id"][0]
            year = int(group["date_from:year"][0][:4])
            pivot[(account_id, year)] = group
        self.assertEqual(len(pivot), len(self.cases))
        for direction, year in self.cases:
            figures = self._line_figures(direction, year)
            group = pivot[(direction.id, year)]
            with self.subTest(direction=direction.code, year=year):
                for name in FIGURES:
                    self._assert_figure(group[f"{name}:sum"], figures[name], name)

    # -- budget vert annex -----------------------------------------------------

    def test_annex_totals_give_the_spending_in_scope(self):
        """The annex is drawn up for the whole city, on its investment accounts in
        scope (class 2), from posted journal items: it is compared with the same
        journal items summed here, and, account by account, with what the
        directions' analytic lines book on it (budget lines hold one of those
        accounts, 2184, in "Achats et prestations")."""
        for year in sorted({year for _direction, year in self.cases}):
            annex = self.env["nm.green.budget.annex"].create(
                {"year": year, "company_id": self.city.id}
            )
            annex.action_compute()
            scope = annex.scope_id
            accounts = scope._accounts_in_scope(
                self.env["account.account"].search(
                    [("company_ids", "in", self.city.id)]
                )
            )
            self.assertTrue(accounts)
            journals = annex._journals()
            by_account = dict(
                self.env["account.move.line"]._read_group(
                    [
                        ("parent_state", "=", "posted"),
                        ("company_id", "=", self.city.id),
                        ("date", ">=", date(year, 1, 1)),
                        ("date", "<=", date(year, 12, 31)),
                        ("account_id", "in", accounts.ids),
                        ("journal_id", "in", journals.ids),
                    ],
                    ["account_id"],
                    ["balance:sum"],
                )
            )
            spending = sum(by_account.values())
            with self.subTest(year=year):
                self.assertTrue(spending, "no spending in scope in the demo")
                self._assert_figure(annex.total_spending, spending, "total")
                # every euro is rated once on each axis
                annex_by_account = defaultdict(float)
                for axis in scope.axis_ids:
                    lines = annex.line_ids.filtered(
                        lambda line, a=axis: line.axis_id == a
                    )
                    self._assert_figure(
                        sum(lines.mapped("amount")), spending, f"axis {axis.sequence}"
                    )
                    if axis == scope.axis_ids[:1]:
                        for line in lines:
                            annex_by_account[line.account_id] += line.amount
                for account, amount in by_account.items():
                    self._assert_figure(annex_by_account[account], amount, account.code)
                # the same spending seen from the directions: the analytic lines
                # of every demo direction on the accounts in scope (the demo's
                # investment items go 100 % to one direction each)
                directions = (
                    self.budgets.crossovered_budget_line_ids.analytic_account_id
                )
                column = directions.root_plan_id._column_name()
                booked = defaultdict(float)
                for direction in directions:
                    for account, amount in self.env[
                        "account.analytic.line"
                    ]._read_group(
                        [
                            (column, "=", direction.id),
                            ("company_id", "=", self.city.id),
                            ("date", ">=", date(year, 1, 1)),
                            ("date", "<=", date(year, 12, 31)),
                            ("general_account_id", "in", accounts.ids),
                        ],
                        ["general_account_id"],
                        ["amount:sum"],
                    ):
                        booked[account] -= amount
                for account, amount in annex_by_account.items():
                    self._assert_figure(booked[account], amount, account.code)
                # the budget lines restricted to the accounts in scope: a position
                # holding one (2184 in "Achats et prestations") books, over all
                # directions, the annex's spending on it
                held = defaultdict(float)
                for line in self.budgets.crossovered_budget_line_ids.filtered(
                    lambda line, y=year: line.date_from.year == y
                ):
                    for account in line.general_budget_id.account_ids & accounts:
                        [[amount]] = self.env["account.analytic.line"]._read_group(
                            [
                                (column, "=", line.analytic_account_id.id),
                                ("company_id", "=", line.company_id.id),
                                ("date", ">=", line.date_from),
                                ("date", "<=", line.date_to),
                                ("general_account_id", "=", account.id),
                            ],
                            [],
                            ["amount:sum"],
                        )
                        held[account] -= amount
                self.assertTrue(held, "no budget line holds an account in scope")
                for account, amount in held.items():
                    self._assert_figure(
                        amount, annex_by_account[account], f"lines {account.code}"
                    )

    def test_annex_override_rows_give_each_direction_its_spending(self):
        """A rating of a budget line (override) rates the line's own share of the
        spending in scope: its annex row holds the € the direction's analytic
        lines book on that account, and the axis still counts each euro once."""
        axis = self.env["nm.green.budget.axis"].search([("sequence", "=", 1)])
        position = self.env.ref("nm_carbon_budget.budget_post_purchases_demo")
        for budget in self.budgets:
            year = budget.date_from.year
            lines = budget.crossovered_budget_line_ids.filtered(
                lambda line, p=position: line.general_budget_id == p
            )
            self.env["nm.green.budget.rating"].create(
                [
                    {
                        "axis_id": axis.id,
                        "budget_line_id": line.id,
                        "rating": "favorable",
                        "justification": "Mobilier durable (test)",
                        "company_id": self.city.id,
                    }
                    for line in lines
                ]
            )
            annex = self.env["nm.green.budget.annex"].create(
                {"year": year, "company_id": self.city.id}
            )
            annex.action_compute()
            accounts = position.account_ids & annex.line_ids.account_id
            self.assertTrue(accounts, "the purchases position holds 2184, in scope")
            axis_lines = annex.line_ids.filtered(lambda row, a=axis: row.axis_id == a)
            with self.subTest(year=year):
                self._assert_figure(
                    sum(axis_lines.mapped("amount")), annex.total_spending, "axis"
                )
                overridden = axis_lines.filtered(lambda row: row.origin == "override")
                self.assertTrue(overridden)
                for line in lines:
                    column = line.analytic_account_id.root_plan_id._column_name()
                    [[amount]] = self.env["account.analytic.line"]._read_group(
                        [
                            (column, "=", line.analytic_account_id.id),
                            ("company_id", "=", line.company_id.id),
                            ("date", ">=", line.date_from),
                            ("date", "<=", line.date_to),
                            ("general_account_id", "in", accounts.ids),
                        ],
                        [],
                        ["amount:sum"],
                    )
                    rows = overridden.filtered(
                        lambda row, bl=line: row.budget_line_id == bl
                    )
                    self._assert_figure(
                        sum(rows.mapped("amount")),
                        -amount,
                        line.analytic_account_id.code,
                    )

    def test_annex_counts_a_euro_once_when_two_plans_rate_it(self):
        """A journal item goes 100 % to a direction and 100 % to a project (each
        plan distributes the whole item): both budget lines book its €, as OCA
        does plan by plan, but the annex rates the euro once. Both lines rate it
        favourable on axis 1: the annex shows 8 500 € favourable, nothing else."""
        budget = self.env.ref(DEMO_BUDGETS[1])
        position = self.env.ref("nm_carbon_budget.budget_post_purchases_demo")
        item = self.env["account.move.line"].search(
            [
                ("company_id", "=", self.city.id),
                ("parent_state", "=", "posted"),
                ("account_id.code", "=", "2184"),
                ("date", ">=", budget.date_from),
                ("date", "<=", budget.date_to),
            ]
        )
        self.assertEqual(item.balance, 8500.0)
        [direction_id] = [int(key) for key in item.analytic_distribution]
        direction_line = budget.crossovered_budget_line_ids.filtered(
            lambda line: (
                line.general_budget_id == position
                and line.analytic_account_id.id == direction_id
            )
        )
        project_plan, _other_plans = self.env["account.analytic.plan"]._get_all_plans()
        project = self.env["account.analytic.account"].create(
            {
                "name": "Mobilier des écoles (test)",
                "plan_id": project_plan.id,
                "company_id": self.city.id,
            }
        )
        # the budget is voted: the workflow adds its line (superuser)
        project_line = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "general_budget_id": position.id,
                "analytic_account_id": project.id,
                "date_from": budget.date_from,
                "date_to": budget.date_to,
                "planned_amount": -10000.0,
            }
        )
        item.analytic_distribution = {str(direction_id): 100, str(project.id): 100}
        direction_amount = self._expected_booked(direction_line)[0]
        self.assertAlmostEqual(project_line.practical_amount, -8500.0, 2)
        self.assertAlmostEqual(direction_line.practical_amount, direction_amount, 2)
        axis = self.env["nm.green.budget.axis"].search([("sequence", "=", 1)])
        self.env["nm.green.budget.rating"].create(
            [
                {
                    "axis_id": axis.id,
                    "budget_line_id": line.id,
                    "rating": "favorable",
                    "justification": "Mobilier durable (test)",
                    "company_id": self.city.id,
                }
                for line in direction_line | project_line
            ]
        )
        annex = self.env["nm.green.budget.annex"].create(
            {"year": budget.date_from.year, "company_id": self.city.id}
        )
        annex.action_compute()
        self.assertEqual(annex.total_spending, 8500.0)
        rows = annex.line_ids.filtered(lambda row: row.axis_id == axis)
        self.assertFalse(
            rows.filtered(lambda row: row.amount < 0),
            [(row.origin, row.amount) for row in rows],
        )
        ratings = annex._summary()[axis]["ratings"]
        self.assertEqual(ratings["favorable"][0], 8500.0)
        self.assertEqual(sum(amount for amount, _share in ratings.values()), 8500.0)

    # -- climate capital -------------------------------------------------------

    def test_climate_capital_has_no_envelope_of_its_own(self):
        """One carbon budget: the climate capital keeps no capital budget line
        (a second kgCO2e envelope on the same directions); it reads the budget
        lines' carbon envelopes."""
        climate = self.env["nm.capital"].search([("kind", "=", "climate")])
        self.assertTrue(climate, "the demo has a climate capital")
        self.assertFalse(
            self.env["nm.capital.budget.line"].search(
                [("capital_id", "in", climate.ids)]
            )
        )

    def test_climate_capital_gives_the_budget_lines_carbon(self):
        """The climate capital's planned kgCO2e of a direction is the sum of the
        carbon envelopes of its budget lines, its booked kgCO2e the analytic
        lines' (summed here independently), read as the controller."""
        Capital = self.env["nm.capital"].with_user(self.controller)
        for direction, year in self.cases:
            figures = self._line_figures(direction, year)
            booked = sum(self._expected_booked(line)[1] for line in figures["lines"])
            planned_kg, booked_kg = Capital._climate_figures(
                direction, date(year, 1, 1), date(year, 12, 31), self.city
            )[direction.id]
            with self.subTest(direction=direction.code, year=year):
                self._assert_figure(planned_kg, figures["planned_carbon_kg"], "planned")
                self._assert_figure(booked_kg, booked, "booked")
                self._assert_figure(booked_kg, figures["practical_carbon_kg"], "lines")
