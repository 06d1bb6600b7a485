# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.nm_carbon_budget.tests.common import NmFixtures, role_user


def _pivot_args(pivot):
    groupby = [row["fieldName"] for row in pivot["rows"] + pivot["columns"]]
    aggregates = [
        "__count" if m["fieldName"] == "__count" else f"{m['fieldName']}:sum"
        for m in pivot["measures"]
    ]
    return pivot["domain"], groupby, aggregates


class DashboardCase(NmFixtures):
    @classmethod
    def _users(cls):
        users = cls._nm_role_users(
            "nm_dash", ("controller", "approver"), groups="base.group_user"
        )
        cls.controller = users["controller"]
        cls.approver = users["approver"]
        cls.agent = role_user(
            cls.env, "nm_dash_agent", "user", groups="base.group_user"
        )
        cls.dashboard = cls.env.ref("nm_carbon_dashboard.spreadsheet_dashboard_carbon")


@tagged("post_install", "-at_install")
class TestCarbonDashboard(DashboardCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._users()
        plan = cls._nm_plan("Directions (test dash)")
        cls.env.company.carbon_plan_id = plan
        cls.direction = cls._nm_directions(plan, "Direction (test dash)")
        other_plan = cls._nm_plan("Autre (test dash)")
        cls.other = cls._nm_directions(other_plan, "Autre (test dash)")
        Category = cls.env["nm.carbon.category"]
        cls.heating = Category.create({"name": "Chauffage (test dash)", "code": "TD-H"})
        cls.travel = Category.create(
            {"name": "Déplacements (test dash)", "code": "TD-T"}
        )
        Line = cls.env["account.analytic.line"]
        column, other_column = plan._column_name(), other_plan._column_name()
        Line.create(
            [
                {"name": "a", "date": date(2026, 2, 1), column: cls.direction.id,
                 "carbon_kg": 700, "carbon_category_id": cls.heating.id},
                {"name": "b", "date": date(2026, 2, 9), column: cls.direction.id,
                 "carbon_kg": 300, "carbon_category_id": cls.heating.id},
                # carried by both plans: counted once, on the reference plan
                {"name": "c", "date": date(2026, 3, 3), column: cls.direction.id,
                 other_column: cls.other.id,
                 "carbon_kg": 200, "carbon_category_id": cls.travel.id},
                # only on the other plan: not in the organisation's total
                {"name": "d", "date": date(2026, 3, 3), other_column: cls.other.id,
                 "carbon_kg": 5000, "carbon_category_id": cls.travel.id},
            ]
        )  # fmt: skip

    def _data(self):
        return json.loads(self.dashboard.spreadsheet_data)

    def test_data_references_existing_models_and_fields(self):
        data = self._data()
        self.assertEqual(len(data["pivots"]), 4)
        filters = {f["id"]: f for f in data["globalFilters"]}
        for filter_ in filters.values():
            if filter_["type"] == "relation":
                self.assertIn(filter_["modelName"], self.env)
        for pivot in data["pivots"].values():
            with self.subTest(pivot=pivot["name"]):
                Model = self.env[pivot["model"]]
                for measure in pivot["measures"]:
                    name = measure["fieldName"]
                    if name != "__count":
                        self.assertIn(name, Model._fields)
                        # summable in a pivot (stored or batch-computed)
                        self.assertEqual(
                            Model._fields[name]._description_aggregator(self.env),
                            "sum",
                        )
                for row in pivot["rows"] + pivot["columns"]:
                    self.assertIn(row["fieldName"], Model._fields)
                for filter_id, matching in pivot["fieldMatching"].items():
                    self.assertIn(filter_id, filters)
                    field = Model._fields[matching["chain"]]
                    if filters[filter_id]["type"] == "relation":
                        self.assertEqual(
                            field.comodel_name, filters[filter_id]["modelName"]
                        )
                    else:
                        self.assertEqual(field.type, "date")
                # the domain and grouping run
                Model.formatted_read_group(*_pivot_args(pivot))
        cells = data["sheets"][0]["cells"]
        self.assertEqual(
            sorted(v for v in cells.values() if v.startswith("=PIVOT(")),
            [
                "=PIVOT(1, 20, FALSE, FALSE)",
                "=PIVOT(2, 40, FALSE, FALSE)",
                "=PIVOT(3, 10, FALSE, FALSE)",
                "=PIVOT(4, 10, FALSE, FALSE)",
            ],
        )

    def test_largest_emission_items_on_the_reference_plan(self):
        pivot = self._data()["pivots"]["3"]
        domain, groupby, aggregates = _pivot_args(pivot)
        domain = domain + [
            ("analytic_account_id", "in", (self.direction | self.other).ids)
        ]
        groups = (
            self.env[pivot["model"]]
            .with_user(self.approver)
            .formatted_read_group(
                domain, groupby, aggregates, order="carbon_kg:sum desc"
            )
        )
        totals = [(g["carbon_category_id"][0], g["carbon_kg:sum"]) for g in groups]
        # heating 700 + 300; travel 200 (line d lives on another plan)
        self.assertEqual(totals, [(self.heating.id, 1000.0), (self.travel.id, 200.0)])

    def test_readers(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        for user in (self.controller, self.approver):
            with self.subTest(user=user.login):
                self.assertEqual(
                    Dashboard.with_user(user).search([("id", "=", self.dashboard.id)]),
                    self.dashboard,
                )
                for pivot in self._data()["pivots"].values():
                    self.env[pivot["model"]].with_user(user).formatted_read_group(
                        *_pivot_args(pivot)
                    )
        self.assertFalse(
            Dashboard.with_user(self.agent).search([("id", "=", self.dashboard.id)])
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_agent_cannot_read_the_aggregates(self):
        with self.assertRaises(AccessError):
            self.env["nm.carbon.item.report"].with_user(self.agent).search([])


@tagged("post_install", "-at_install")
class TestCarbonDashboardOpens(DashboardCase, HttpCase):
    """The dashboard opens in the browser for a controller and an approver, with
    the data of the database (the demo's, in the test database)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._users()
        cls.env.company.carbon_plan_id = cls._nm_plan("Directions (test dash tour)")
        (cls.controller | cls.approver).write(
            {"company_ids": [Command.set(cls.env.company.ids)]}
        )

    def _open(self, login):
        code = """
            const started = Date.now();
            const wait = () => {
                const failed = document.querySelector('.o_error_dialog');
                if (failed) {
                    console.error('dashboard error: ' + failed.innerText);
                    return;
                }
                const grid = document.querySelector(
                    '.o_spreadsheet_dashboard_action .o-spreadsheet');
                const title = document.querySelector(
                    '.o_spreadsheet_dashboard_action .o_search_panel_section');
                if (grid && title) {
                    setTimeout(() => console.log('test successful'), 2000);
                    return;
                }
                if (Date.now() - started > 40000) {
                    console.error('the carbon dashboard did not open');
                    return;
                }
                setTimeout(wait, 250);
            };
            wait();
        """
        self.browser_js(
            f"/odoo/dashboards?dashboard_id={self.dashboard.id}",
            code,
            ready="odoo.isReady",
            login=login,
            timeout=90,
        )

    def test_opens_for_the_controller(self):
        self._open(self.controller.login)

    def test_opens_for_the_approver(self):
        self._open(self.approver.login)
