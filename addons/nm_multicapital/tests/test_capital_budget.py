# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.nm_carbon_budget.tools import carbon

from ..tools import multicapital
from .common import MultiCapitalCase


@tagged("post_install", "-at_install")
class TestCapitalBudget(MultiCapitalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # carbon of direction A in 2026: 100 + 50.5 = 150.5 kgCO2e; the line of
        # 2025 and the one of direction B stay out
        cls.item = cls.env["nm.carbon.category"].create(
            {"name": "Déplacements (test)", "code": "T-CAP-DEPL"}
        )
        for account, day, carbon_kg in (
            (cls.dir_a, "2026-03-01", 100.0),
            (cls.dir_a, "2026-06-30", 50.5),
            (cls.dir_a, "2025-12-31", 1000.0),
            (cls.dir_b, "2026-04-01", 7.0),
        ):
            cls._carbon_line(account, day, carbon_kg).carbon_category_id = cls.item
        # the climate capital's envelope is the budget line's carbon envelope
        position = cls.env["account.budget.post"].create(
            {
                "name": "Déplacements (test)",
                "carbon_category_ids": [Command.set(cls.item.ids)],
            }
        )
        budget = cls.env["crossovered.budget"].create(
            {
                "name": "Budget 2026 (test)",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        cls.carbon_line = cls.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "general_budget_id": position.id,
                "analytic_account_id": cls.dir_a.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "planned_amount": 0.0,
                "planned_carbon_kg": 200.0,
            }
        )
        # land of direction A in 2026: 300 − 120 (renaturation) = 180 m²
        cls._entry(cls.land, cls.dir_a, "2026-02-01", 300.0)
        cls._entry(cls.land, cls.dir_a, "2026-05-01", -120.0)
        cls._entry(cls.land, cls.dir_a, "2027-01-01", 999.0)
        cls._entry(cls.land, cls.dir_b, "2026-02-01", 50.0)
        # water of direction A: 40 m³; training of direction A: 25 + 35 = 60 h
        cls._entry(cls.water, cls.dir_a, "2026-03-01", 40.0)
        cls._entry(cls.training, cls.dir_a, "2026-03-01", 25.0)
        cls._entry(cls.training, cls.dir_a, "2026-09-01", 35.0)
        # an entry on an account of the Project plan counts on its own account
        cls._entry(cls.land, cls.project, "2026-07-01", 12.0)
        cls.line_land = cls._budget_line(cls.land, cls.dir_a, 150.0)
        cls.line_land_b = cls._budget_line(cls.land, cls.dir_b, 100.0)
        cls.line_water = cls._budget_line(cls.water, cls.dir_a, 44.0)
        cls.line_training = cls._budget_line(cls.training, cls.dir_a, 100.0)
        cls.line_project = cls._budget_line(cls.land, cls.project, 20.0)
        cls.lines = (
            cls.line_land
            | cls.line_land_b
            | cls.line_water
            | cls.line_training
            | cls.line_project
        )

    def assertNoTotal(self, value):
        # an empty aggregate (NULL in SQL) — not 0.0, which would be a sum
        self.assertTrue(value is None or value is False, f"{value!r} is a total")

    def _climate(self, accounts=None):
        return self.env["nm.capital"]._climate_figures(
            accounts or self.dir_a | self.dir_b, "2026-01-01", "2026-12-31"
        )

    def test_climate_reads_the_carbon_envelopes(self):
        # one carbon budget: the climate capital's planned kgCO2e is the budget
        # line's envelope, its booked kgCO2e the budget line's (150.5)
        planned, booked = self._climate()[self.dir_a.id]
        self.assertEqual(planned, 200.0)
        self.assertAlmostEqual(booked, 150.5)
        self.assertAlmostEqual(booked, self.carbon_line.practical_carbon_kg)
        # the same figure as the core's carbon of the direction over the period
        direction = self.dir_a.with_context(
            from_date="2026-01-01", to_date="2026-12-31"
        )
        self.assertAlmostEqual(booked, direction.carbon_kg)
        # 150.5 / 200 = 75.25 %, below 90 %: within threshold
        self.assertAlmostEqual(carbon.share_used(booked, planned), 75.25)
        self.assertEqual(
            multicapital.threshold_status(self.climate.threshold_type, planned, booked),
            "ok",
        )
        # direction B has carbon but no envelope: nothing planned, 0 booked on
        # budget lines (no second envelope anywhere)
        self.assertEqual(self._climate()[self.dir_b.id], (0.0, 0.0))
        # moving the envelope moves the climate capital's: 200 → 120
        self.carbon_line.planned_carbon_kg = 120.0
        self.assertEqual(self._climate()[self.dir_a.id][0], 120.0)

    def test_climate_figures_in_constant_queries(self):
        def queries(accounts):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            figures = self._climate(accounts)
            return self.env.cr.sql_log_count - before, figures

        queries(self.dir_a)  # warm-up
        count_1, _figures = queries(self.dir_a)
        directions = self.dir_a
        for i in range(10):
            direction = self.env["account.analytic.account"].create(
                {"name": f"Direction {i} (test)", "plan_id": self.plan.id}
            )
            self.carbon_line.copy(
                {"analytic_account_id": direction.id, "planned_carbon_kg": 10.0}
            )
            directions |= direction
        count_11, figures = queries(directions)
        self.assertEqual(count_11, count_1)
        self.assertEqual(sum(planned for planned, _booked in figures.values()), 300.0)

    def test_climate_capital_has_no_capital_budget_line(self):
        with self.assertRaises(ValidationError):
            self._budget_line(self.climate, self.dir_a, 200.0)
        action = self.climate.action_view_carbon_envelopes()
        self.assertEqual(action["res_model"], "crossovered.budget.lines")
        self.assertIn(
            self.carbon_line,
            self.env["crossovered.budget.lines"].search(action["domain"]),
        )

    def test_other_capitals_booked_equal_entries(self):
        self.assertAlmostEqual(self.line_land.booked_qty, 180.0)
        self.assertAlmostEqual(self.line_land_b.booked_qty, 50.0)
        self.assertAlmostEqual(self.line_water.booked_qty, 40.0)
        self.assertAlmostEqual(self.line_training.booked_qty, 60.0)
        self.assertAlmostEqual(self.line_project.booked_qty, 12.0)
        self.assertAlmostEqual(self.line_land.remaining_qty, -30.0)

    def test_booked_in_one_query(self):
        self.lines.invalidate_recordset(["booked_qty"])
        with self.assertQueryCount(1):
            self.lines._booked_quantities()

    def test_threshold_crossed_status_and_filter(self):
        # land: 180 > 150 m², crossed; water 40 ≥ 0.9 × 44 = 39.6, near;
        # training 60 h under the 100 h floor, crossed
        self.assertEqual(self.line_land.threshold_status, "crossed")
        self.assertEqual(self.line_water.threshold_status, "warning")
        self.assertEqual(self.line_training.threshold_status, "crossed")
        self.assertEqual(self.line_land_b.threshold_status, "ok")
        Line = self.env["nm.capital.budget.line"]
        crossed = Line.search(
            [("id", "in", self.lines.ids), ("threshold_status", "=", "crossed")]
        )
        self.assertEqual(crossed, self.line_land | self.line_training)
        not_crossed = Line.search(
            [("id", "in", self.lines.ids), ("threshold_status", "!=", "crossed")]
        )
        self.assertEqual(not_crossed, self.lines - crossed)
        # the search view's "Threshold crossed" filter finds the same lines
        arch = etree.fromstring(
            self.env.ref("nm_multicapital.nm_capital_budget_line_view_search").arch
        )
        [node] = arch.xpath("//filter[@name='threshold_crossed']")
        domain = safe_eval(node.get("domain"))
        self.assertEqual(Line.search(domain + [("id", "in", self.lines.ids)]), crossed)

    def test_pivot_never_sums_two_capitals(self):
        Line = self.env["nm.capital.budget.line"]
        domain = [("id", "in", self.lines.ids)]
        by_capital = {
            capital: (planned, booked)
            for capital, planned, booked in Line._read_group(
                domain, ["capital_id"], ["planned_qty:sum", "booked_qty:sum"]
            )
        }
        # land: 150 + 100 + 20 planned, 180 + 50 + 12 booked, all in m²
        self.assertEqual(by_capital[self.land], (270.0, 242.0))
        # direction A mixes m², m³ and h: no total
        for account, planned, booked in Line._read_group(
            domain, ["analytic_account_id"], ["planned_qty:sum", "booked_qty:sum"]
        ):
            if account == self.dir_a:
                self.assertNoTotal(planned)
                self.assertNoTotal(booked)
            if account == self.dir_b:  # land only
                self.assertEqual((planned, booked), (100.0, 50.0))
        [(total,)] = Line._read_group(domain, [], ["planned_qty:sum"])
        self.assertNoTotal(total)
        # the pivot's own call: the grand total row stays empty
        [group] = Line.formatted_read_group(
            domain, [], ["planned_qty:sum", "booked_qty:sum", "__count"]
        )
        self.assertNoTotal(group["planned_qty:sum"])
        self.assertNoTotal(group["booked_qty:sum"])
        Entry = self.env["nm.capital.entry"]
        [(total,)] = Entry._read_group(
            [("analytic_account_id", "=", self.dir_a.id)], [], ["quantity:sum"]
        )
        self.assertNoTotal(total)
        [(total,)] = Entry._read_group(
            [
                ("analytic_account_id", "=", self.dir_a.id),
                ("capital_id", "=", self.land.id),
            ],
            [],
            ["quantity:sum"],
        )
        self.assertEqual(total, 1179.0)  # 300 − 120 + 999

    def test_no_capital_quantity_in_euros(self):
        for model in ("nm.capital", "nm.capital.entry", "nm.capital.budget.line"):
            monetary = [
                name
                for name, field in self.env[model]._fields.items()
                if field.type == "monetary"
            ]
            self.assertFalse(monetary, f"{model} converts a capital into euros")

    def test_climate_capital_takes_no_entry(self):
        with self.assertRaises(ValidationError):
            self._entry(self.climate, self.dir_a, "2026-01-01", 5.0)

    def test_import_entries(self):
        result = self.env["nm.capital.entry"].load(
            ["capital_id/.id", "analytic_account_id/.id", "date", "quantity", "source"],
            [[str(self.water.id), str(self.dir_b.id), "2026-04-02", "12.5", "import"]],
        )
        self.assertFalse(result["messages"], result["messages"])
        entry = self.env["nm.capital.entry"].browse(result["ids"])
        self.assertEqual((entry.capital_id, entry.quantity), (self.water, 12.5))

    def test_manager_edits_own_entries_only(self):
        manager = new_test_user(
            self.env,
            login="chef_test",
            groups="nm_carbon_budget.group_carbon_manager",
        )
        own = self._entry(self.land, self.dir_b, "2026-03-03", 5.0, user_id=manager.id)
        other = self._entry(self.land, self.dir_b, "2026-03-03", 6.0)
        own.with_user(manager).quantity = 7.0
        self.assertEqual(own.quantity, 7.0)
        with self.assertRaises(AccessError):
            other.with_user(manager).quantity = 8.0
        with self.assertRaises(AccessError):
            self.line_land.with_user(manager).planned_qty = 1.0

    def test_preservation_debt_statement(self):
        Preservation = self.env["nm.capital.preservation"]
        records = Preservation.create(
            [
                {
                    "name": "Renaturation (test)",
                    "capital_id": self.land.id,
                    "analytic_account_id": self.dir_a.id,
                    "year": 2026,
                    "planned_cost": 50000.0,
                    "incurred_cost": 20000.0,
                },
                {
                    "name": "Plan de formation (test)",
                    "capital_id": self.training.id,
                    "analytic_account_id": self.dir_a.id,
                    "year": 2026,
                    "planned_cost": 8000.0,
                    "incurred_cost": 9000.0,
                },
            ]
        )
        land, training = records
        self.assertEqual(land.debt_amount, 30000.0)
        self.assertEqual(land.debt_kind, "ecological")
        self.assertEqual(training.debt_amount, 0.0)  # overspending is no credit
        self.assertEqual(training.debt_kind, "social")
        blocks = records._debt_statement()
        self.assertEqual([b["capital"] for b in blocks], [self.land, self.training])
        self.assertEqual(blocks[0]["debt_amount"], 30000.0)
        [(total,)] = Preservation._read_group(
            [("id", "in", records.ids)], [], ["debt_amount:sum"]
        )
        self.assertNoTotal(total)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("nm_multicapital.nm_capital_debt_report", records.ids)[0]
            .decode()
        )
        self.assertEqual(html.count("o_nm_debt_capital"), 2)
        self.assertIn("Renaturation (test)", html)

    def test_user_reads_figures_but_cannot_plan(self):
        agent = new_test_user(
            self.env, login="agent_test", groups="nm_carbon_budget.group_carbon_user"
        )
        line = self.line_land.with_user(agent)
        line.invalidate_recordset()
        self.assertAlmostEqual(line.booked_qty, 180.0)
        self.assertEqual(line.threshold_status, "crossed")
        with self.assertRaises(AccessError):
            line.planned_qty = 1000.0
        with self.assertRaises(AccessError):
            self._entry(self.land, self.dir_b, "2026-03-03", 1.0).with_user(
                agent
            ).quantity = 2.0

    def test_other_company_lines_hidden(self):
        other = self.setup_other_company()["company"]
        self.land.company_id = False  # a capital shared by both cities
        account = self.env["account.analytic.account"].create(
            {
                "name": "Autre ville (test)",
                "plan_id": self.plan.id,
                "company_id": other.id,
            }
        )
        line = (
            self.env["nm.capital.budget.line"]
            .with_company(other)
            .create(
                {
                    "capital_id": self.land.id,
                    "analytic_account_id": account.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "planned_qty": 10.0,
                }
            )
        )
        controller = new_test_user(
            self.env,
            login="controleur_test",
            groups="nm_carbon_budget.group_carbon_controller",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        visible = (
            self.env["nm.capital.budget.line"]
            .with_user(controller)
            .search([("id", "in", (self.lines | line).ids)])
        )
        self.assertEqual(visible, self.lines)
        # an account of the other city cannot carry this city's budget
        with self.assertRaises(UserError):
            self._budget_line(self.land, account, 5.0)

    def test_planned_quantity_defaults_to_capital_threshold(self):
        self.water.threshold_qty = 5000.0
        with Form(self.env["nm.capital.budget.line"]) as form:
            form.capital_id = self.water
            form.analytic_account_id = self.dir_b
            form.date_from = date(2026, 1, 1)
            form.date_to = date(2026, 12, 31)
        self.assertEqual(form.record.planned_qty, 5000.0)
        self.assertEqual(form.record.threshold_status, "ok")  # nothing booked yet

    def test_budget_line_period_must_be_ordered(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._budget_line(self.water, self.dir_b, 1.0).date_to = "2025-01-01"
            self.env.flush_all()

    def test_import_template_loads(self):
        # entries import with capitals and accounts given by name, as in the template
        [template] = self.env["nm.capital.entry"].get_import_templates()
        self.assertTrue(template["template"].endswith(".csv"))
        result = self.env["nm.capital.entry"].load(
            ["capital_id", "analytic_account_id", "date", "quantity", "name", "source"],
            [["Sols (test)", "Sports (test)", "2026-05-20", "-450", "Cour", "import"]],
        )
        self.assertFalse(result["messages"], result["messages"])
        entry = self.env["nm.capital.entry"].browse(result["ids"])
        self.assertEqual(
            (entry.analytic_account_id, entry.quantity), (self.dir_b, -450.0)
        )


@tagged("post_install", "-at_install")
class TestCapitalBudgetQueries(MultiCapitalCase):
    """The threshold filter is one SQL query, whatever the number of lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # land of direction A in 2026: 180 m²
        cls._entry(cls.land, cls.dir_a, "2026-02-01", 180.0)

    def _lines(self, count):
        # planned 100: crossed (180 > 100); 190: near (180 ≥ 171); 500: within
        return self.env["nm.capital.budget.line"].create(
            [
                {
                    "capital_id": self.land.id,
                    "analytic_account_id": self.dir_a.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "planned_qty": (100.0, 190.0, 500.0)[i % 3],
                }
                for i in range(count)
            ]
        )

    def _search_queries(self, status):
        Line = self.env["nm.capital.budget.line"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        found = Line.search([("threshold_status", "=", status)])
        return self.env.cr.sql_log_count - before, found

    def test_threshold_search_in_constant_queries(self):
        lines = self._lines(10)
        self._search_queries("ok")  # warm-up: record rules and caches read once
        queries_10, crossed = self._search_queries("crossed")
        # lines 0, 3, 6, 9 are planned at 100
        self.assertEqual(crossed, lines[0::3])
        lines |= self._lines(90)
        queries_100, crossed = self._search_queries("crossed")
        self.assertEqual(len(crossed), 4 + 30)
        self.assertEqual(queries_100, queries_10)
        # one query: the search's own, the statuses decided in SQL
        self.assertEqual(queries_10, 1)
        _queries, near = self._search_queries("warning")
        self.assertEqual(near, lines.filtered(lambda line: line.planned_qty == 190.0))
        # the status the search found is the one the compute gives
        for line in lines:
            self.assertEqual(
                line.threshold_status,
                {100.0: "crossed", 190.0: "warning", 500.0: "ok"}[line.planned_qty],
            )
