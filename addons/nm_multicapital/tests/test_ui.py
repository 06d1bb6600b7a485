# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

# Opens the list, then the pivot and the graph of an action; any JavaScript error
# (a view the web client cannot render) fails the test.
SWITCH_VIEWS = """
const wait = (selector) => new Promise((resolve, reject) => {
    let tries = 0;
    const timer = setInterval(() => {
        if (document.querySelector(selector)) {
            clearInterval(timer);
            resolve();
        } else if (++tries > 150) {
            clearInterval(timer);
            reject(new Error("not found: " + selector));
        }
    }, 100);
});
(async () => {
    await wait("%s");
    for (const [button, view] of %s) {
        await wait(button);
        document.querySelector(button).click();
        await wait(view);
    }
    console.log("test successful");
})().catch((error) => console.error(error.message));
"""
PIVOT_GRAPH = """[
    [".o_switch_view.o_pivot", ".o_pivot table"],
    [".o_switch_view.o_graph", ".o_graph_renderer canvas"],
]"""


@tagged("post_install", "-at_install")
class TestMultiCapitalUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["account.analytic.plan"].create({"name": "Directions (ui)"})
        direction = cls.env["account.analytic.account"].create(
            {"name": "Voirie (ui)", "plan_id": plan.id}
        )
        land = cls.env["nm.capital"].create(
            {"code": "UI-LAND", "name": "Sols (ui)", "unit": "m²"}
        )
        water = cls.env["nm.capital"].create(
            {"code": "UI-WATER", "name": "Eau (ui)", "unit": "m³"}
        )
        for capital, quantity, planned in ((land, 300.0, 100.0), (water, 40.0, 50.0)):
            cls.env["nm.capital.entry"].create(
                {
                    "capital_id": capital.id,
                    "analytic_account_id": direction.id,
                    "date": "2026-03-01",
                    "quantity": quantity,
                }
            )
            cls.env["nm.capital.budget.line"].create(
                {
                    "capital_id": capital.id,
                    "analytic_account_id": direction.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "planned_qty": planned,
                }
            )
        cls.env.ref("base.user_admin").group_ids += cls.env.ref(
            "nm_carbon_budget.group_carbon_admin"
        )

    def _open(self, action):
        self.browser_js(
            f"/odoo/action-nm_multicapital.{action}",
            SWITCH_VIEWS % (".o_list_view", PIVOT_GRAPH),
            login="admin",
            timeout=90,
        )

    def test_capital_budget_views(self):
        self._open("nm_capital_budget_line_action")

    def test_capital_entry_views(self):
        self._open("nm_capital_entry_action")

    def test_wizards_open(self):
        for action in ("nm_capital_arbitration_action", "nm_green_budget_annex_action"):
            self.browser_js(
                f"/odoo/action-nm_multicapital.{action}",
                SWITCH_VIEWS % (".modal .o_form_view", "[]"),
                login="admin",
                timeout=90,
            )
