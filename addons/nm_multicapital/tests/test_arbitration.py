# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import Command
from odoo.tests import Form, HttpCase, tagged

from .common import MultiCapitalCase


@tagged("post_install", "-at_install")
class TestArbitration(MultiCapitalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.position = cls.env["account.budget.post"].create(
            {
                "name": "Travaux (test)",
                "account_ids": [
                    Command.set(cls.company_data["default_account_expense"].ids)
                ],
            }
        )
        budget = cls.env["crossovered.budget"].create(
            {
                "name": "Budget 2026 (test)",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        cls.budget_line = cls.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "general_budget_id": cls.position.id,
                "analytic_account_id": cls.dir_a.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "planned_amount": 50000.0,
                "planned_carbon_kg": 8000.0,
            }
        )
        # 400 m² of land taken by the works, 30 m³ of water: one capital each
        cls._entry(
            cls.land, cls.dir_a, "2026-05-01", 400.0, budget_post_id=cls.position.id
        )
        cls._entry(
            cls.water, cls.dir_a, "2026-05-01", 30.0, budget_post_id=cls.position.id
        )
        # no position: not attributed to the budget line
        cls._entry(cls.land, cls.dir_a, "2026-05-01", 77.0)

    def test_one_column_per_capital_no_total(self):
        wizard = self.env["nm.capital.arbitration"].create(
            {
                "budget_line_ids": [Command.set(self.budget_line.ids)],
                "capital_ids": [
                    Command.set((self.land | self.water | self.training).ids)
                ],
            }
        )
        table = wizard._arbitration_table()
        columns = {column["key"]: column for column in table["columns"]}
        self.assertEqual(columns[f"capital_{self.land.id}"]["unit"], "m²")
        self.assertEqual(columns[f"capital_{self.water.id}"]["unit"], "m³")
        self.assertEqual(columns[f"capital_{self.training.id}"]["unit"], "h")
        self.assertEqual(columns["planned_carbon_kg"]["unit"], "kgCO2e")
        self.assertEqual(
            columns["planned_amount"]["unit"], self.company.currency_id.name
        )
        # every quantity column carries exactly one unit and nothing adds them up
        for column in table["columns"]:
            self.assertNotIn("total", column["key"])
            if not column["key"].startswith("axis_"):
                self.assertTrue(column["unit"])
                self.assertNotIn("+", column["unit"])
        self.assertEqual(len(table["rows"]), 1)
        values = table["rows"][0]["values"]
        self.assertEqual(values[f"capital_{self.land.id}"], 400.0)
        self.assertEqual(values[f"capital_{self.water.id}"], 30.0)
        self.assertEqual(values[f"capital_{self.training.id}"], 0.0)
        self.assertEqual(values["planned_carbon_kg"], 8000.0)
        self.assertEqual(values["planned_amount"], 50000.0)
        # no rating yet: every axis to be examined further
        self.assertEqual(values["axis_1"], "To be examined further")
        # the form shows the same figures as records, formatted by its widgets
        [row] = wizard.row_ids
        self.assertEqual(row.budget_line_id, self.budget_line)
        self.assertEqual((row.planned_amount, row.planned_carbon_kg), (50000.0, 8000.0))
        self.assertEqual(row.currency_id, self.company.currency_id)
        quantities = {q.capital_id: q for q in wizard.quantity_ids}
        self.assertEqual(set(quantities), {self.land, self.water, self.training})
        self.assertEqual(quantities[self.land].quantity, 400.0)
        self.assertEqual(quantities[self.land].unit, "m²")
        self.assertIn("(m²)", quantities[self.land].capital_id.display_name)
        self.assertEqual(quantities[self.water].quantity, 30.0)
        self.assertEqual(quantities[self.training].quantity, 0.0)
        axis_1 = wizard.rating_ids.filtered(lambda r: r.axis_id.sequence == 1)
        self.assertEqual(axis_1.rating, "to_deepen")
        self.assertEqual(
            len(wizard.rating_ids), len(self.env["nm.green.budget.axis"].search([]))
        )
        # no total: no figure of the form adds up, the quantities of two
        # capitals least of all
        for model in ("nm.capital.arbitration.row", "nm.capital.arbitration.quantity"):
            for name, field in self.env[model]._fields.items():
                if field.type in ("float", "monetary", "integer"):
                    self.assertFalse(field.aggregator, f"{model}.{name}")
        arch = self.env["nm.capital.arbitration"].get_view(view_type="form")["arch"]
        self.assertNotIn("sum=", arch)
        self.assertNotIn("Total", arch)
        self.assertNotIn("table_html", self.env["nm.capital.arbitration"]._fields)

    def test_override_rating_shows(self):
        axis = self.env["nm.green.budget.axis"].search([("sequence", "=", 1)])
        self.env["nm.green.budget.rating"].create(
            {
                "axis_id": axis.id,
                "budget_line_id": self.budget_line.id,
                "rating": "favorable",
                "justification": "Isolation (test)",
            }
        )
        wizard = self.env["nm.capital.arbitration"].create(
            {"budget_line_ids": [Command.set(self.budget_line.ids)]}
        )
        values = wizard._arbitration_table()["rows"][0]["values"]
        self.assertEqual(values["axis_1"], "Favourable")

    def test_actions_beside_budget_lines(self):
        action = self.env["nm.decarbonation.action"].create(
            {
                "name": "Renaturer le parking (test)",
                "direction_id": self.dir_a.id,
                "reduction_kg": 5000.0,
                "cost": 12000.0,
            }
        )
        self._entry(
            self.land,
            self.dir_a,
            "2026-06-01",
            -200.0,
            decarbonation_action_id=action.id,
        )
        wizard = self.env["nm.capital.arbitration"].create(
            {
                "budget_line_ids": [Command.set(self.budget_line.ids)],
                "action_ids": [Command.set(action.ids)],
                "capital_ids": [Command.set((self.land | self.water).ids)],
            }
        )
        table = wizard._arbitration_table()
        columns = {column["key"]: column for column in table["columns"]}
        self.assertEqual(columns["reduction_kg"]["unit"], "kgCO2e/yr")
        line_row, action_row = table["rows"]
        self.assertEqual(line_row["values"]["reduction_kg"], "")
        self.assertEqual(action_row["values"]["planned_amount"], 12000.0)
        self.assertEqual(action_row["values"]["reduction_kg"], 5000.0)
        self.assertEqual(action_row["values"][f"capital_{self.land.id}"], -200.0)
        self.assertEqual(action_row["values"][f"capital_{self.water.id}"], 0.0)
        line_record, action_record = wizard.row_ids
        self.assertEqual(line_record.budget_line_id, self.budget_line)
        self.assertEqual(action_record.action_id, action)
        self.assertEqual(action_record.name, "Action: Renaturer le parking (test)")
        self.assertEqual(
            (action_record.planned_amount, action_record.reduction_kg),
            (12000.0, 5000.0),
        )
        action_land = wizard.quantity_ids.filtered(
            lambda q: q.capital_id == self.land and q.row_name == action_record.name
        )
        self.assertEqual(action_land.quantity, -200.0)
        # actions are not rated: the budget vert rates budget lines
        self.assertEqual(set(wizard.rating_ids.mapped("row_name")), {line_record.name})

    def test_rows_follow_the_selection(self):
        """The form recomputes its rows when the selection changes (onchange),
        without duplicating them."""
        form = Form(self.env["nm.capital.arbitration"])
        form.capital_ids.clear()
        form.capital_ids.add(self.land)
        form.budget_line_ids.add(self.budget_line)
        self.assertEqual(len(form.row_ids), 1)
        self.assertEqual(len(form.quantity_ids), 1)
        wizard = form.save()
        self.assertEqual(len(wizard.row_ids), 1)
        self.assertEqual(wizard.quantity_ids.quantity, 400.0)
        wizard.capital_ids = self.land | self.water
        self.assertEqual(len(wizard.row_ids), 1)
        self.assertEqual(sorted(wizard.quantity_ids.mapped("quantity")), [30.0, 400.0])
        self.assertEqual(
            self.env["nm.capital.arbitration.row"].search_count(
                [("wizard_id", "=", wizard.id)]
            ),
            1,
        )

    def test_row_label_names_the_line(self):
        wizard = self.env["nm.capital.arbitration"].create(
            {"budget_line_ids": [Command.set(self.budget_line.ids)]}
        )
        [row] = wizard._arbitration_table()["rows"]
        self.assertEqual(
            row["label"], "Budget 2026 (test) – Voirie (test) – Travaux (test)"
        )


ARBITRATION_FORM = """
const wait = (test) => new Promise((resolve, reject) => {
    let tries = 0;
    const timer = setInterval(() => {
        const found = test();
        if (found) {
            clearInterval(timer);
            resolve(found);
        } else if (++tries > 150) {
            clearInterval(timer);
            reject(new Error("the arbitration form shows no figures"));
        }
    }, 100);
});
(async () => {
    await wait(() => odoo.__WOWL_DEBUG__);
    await odoo.__WOWL_DEBUG__.root.env.services.action.doAction({
        type: "ir.actions.act_window",
        res_model: "nm.capital.arbitration",
        res_id: %(wizard_id)s,
        views: [[false, "form"]],
        target: "new",
    });
    const rows = await wait(() => {
        const found = document.querySelectorAll(".modal .o_field_one2many .o_data_row");
        return found.length >= 2 && found;
    });
    // innerText turns the narrow no-break spaces into spaces: compare both so
    const norm = (text) => text.replace(/\\s+/g, " ");
    const text = [...rows].map((row) => norm(row.innerText)).join(" | ");
    const modal = document.querySelector(".modal").innerText;
    const expected = %(expected)s;
    const missing = expected.filter((piece) => !text.includes(norm(piece)));
    if (missing.length) {
        throw new Error("missing " + JSON.stringify(missing) + " in " + text);
    }
    const totals = document.querySelector(".modal tfoot .o_list_number");
    if (modal.includes("Total") || totals) {
        throw new Error("a total is shown: " + modal);
    }
    console.log("test successful");
})().catch((error) => console.error(error.message));
"""


@tagged("post_install", "-at_install")
class TestArbitrationForm(HttpCase):
    """The form's lists show the figures as the user's language writes them."""

    def test_figures_in_french_in_the_form(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "nm_multicapital")]
        )._update_translations("fr_FR")
        admin = self.env.ref("base.user_admin")
        admin.write(
            {
                "lang": "fr_FR",
                "group_ids": [
                    Command.link(self.env.ref("nm_carbon_budget.group_carbon_user").id),
                    Command.link(self.env.ref("analytic.group_analytic_accounting").id),
                ],
            }
        )
        company = admin.company_id
        account = self.env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "expense")],
            limit=1,
        )
        position = self.env["account.budget.post"].create(
            {
                "name": "Travaux (ui)",
                "account_ids": [Command.set(account.ids)],
                "company_id": company.id,
            }
        )
        plan = self.env["account.analytic.plan"].create({"name": "Directions (ui)"})
        direction = self.env["account.analytic.account"].create(
            {"name": "Voirie (ui)", "plan_id": plan.id, "company_id": company.id}
        )
        budget = self.env["crossovered.budget"].create(
            {
                "name": "Budget (ui)",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "company_id": company.id,
            }
        )
        line = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "general_budget_id": position.id,
                "analytic_account_id": direction.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "planned_amount": 50000.0,
                "planned_carbon_kg": 8000.0,
            }
        )
        land = self.env["nm.capital"].create(
            {"code": "UI-ARB", "name": "Sols (ui)", "unit": "m²"}
        )
        self.env["nm.capital.entry"].create(
            {
                "capital_id": land.id,
                "analytic_account_id": direction.id,
                "budget_post_id": position.id,
                "date": "2026-05-01",
                "quantity": 1234.5,
                "company_id": company.id,
            }
        )
        wizard = (
            self.env["nm.capital.arbitration"]
            .with_user(admin)
            .with_company(company)
            .create(
                {
                    "budget_line_ids": [Command.set(line.ids)],
                    "capital_ids": [Command.set(land.ids)],
                }
            )
        )
        self.assertEqual(len(wizard.row_ids), 1)
        # French: narrow no-break space between thousands, comma before decimals
        expected = [
            "Budget (ui) – Voirie (ui) – Travaux (ui)",
            "50\u202f000,00",
            "8\u202f000,00",
            "Sols (ui) (m²)",
            "1\u202f234,50",
            "1. Atténuation du changement climatique",
            "À approfondir",
        ]
        self.browser_js(
            "/odoo",
            ARBITRATION_FORM
            % {"wizard_id": wizard.id, "expected": json.dumps(expected)},
            login="admin",
            timeout=90,
        )
