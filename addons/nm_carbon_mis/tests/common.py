# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.nm_carbon_budget.tests.common import (
    NmFixtures,
    make_budget_line,
    role_user,
)


class CarbonMisCase(NmFixtures):
    """Two directions, one in the Project plan (A), one in a plan of its own (B),
    two positions (energy by account and item, mobility by item only), analytic
    lines in Q1 and Q2 2026, one of them carried by both directions' plans.

    Hand-worked figures (costs are negative euros, as on the budget lines):
      A Q1: line 1 (-1000 €, 300 kg energy) + line 2 (120 kg, mobility item)
            -> -1000 €, 420 kg
      A Q2: line 3 (-500 €, 100 kg) + line 6 (-200 €, 50 kg) -> -700 €, 150 kg
      B Q1: line 4 (-800 €, 250 kg) -> -800 €, 250 kg
      B Q2: line 5 (general account on no position: 0 €, 90 kg by its item)
            + line 6 -> -200 €, 140 kg
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_carbon_mis()

    @classmethod
    def _setup_carbon_mis(cls):
        cls.company = cls.env.company
        cls.project_plan = cls._nm_project_plan()
        cls.plan_b = cls._nm_plan("Directions (test MIS)")
        cls.company.carbon_plan_id = cls.plan_b
        cls.dir_a = cls._nm_directions(cls.project_plan, "Direction A (test)")
        cls.dir_b = cls._nm_directions(cls.plan_b, "Direction B (test)")
        General = cls.env["account.account"]
        cls.acc_energy = General.create(
            {"code": "NMMIS1", "name": "Énergie (test)", "account_type": "expense"}
        )
        cls.acc_other = General.create(
            {"code": "NMMIS2", "name": "Divers (test)", "account_type": "expense"}
        )
        Category = cls.env["nm.carbon.category"]
        cls.cat_energy = Category.create({"name": "Énergie (test)", "code": "TM-ENE"})
        cls.cat_mob = Category.create({"name": "Mobilité (test)", "code": "TM-MOB"})
        cls.cat_commute = Category.create(
            {"name": "Trajets (test)", "code": "TM-MOB-C", "parent_id": cls.cat_mob.id}
        )
        cls.pos_energy = cls._nm_position(
            "Énergie (test MIS)", accounts=cls.acc_energy, categories=cls.cat_energy
        )
        cls.pos_mob = cls._nm_position("Mobilité (test MIS)", categories=cls.cat_mob)
        cls.budget = cls._nm_budget("Budget 2026 (test MIS)")
        cls.planned = {
            (cls.dir_a, cls.pos_energy): (-4000.0, 1200.0),
            (cls.dir_a, cls.pos_mob): (0.0, 800.0),
            (cls.dir_b, cls.pos_energy): (-2000.0, 600.0),
            (cls.dir_b, cls.pos_mob): (0.0, 400.0),
        }
        for (direction, position), (amount, kg) in cls.planned.items():
            cls._budget_line(cls.budget, direction, position, amount, kg)
        on_a = {"account_id": cls.dir_a.id}
        on_b = {cls.plan_b._column_name(): cls.dir_b.id}
        energy, other = cls.acc_energy, cls.acc_other
        lines = [
            (on_a, energy, cls.cat_energy, "2026-02-10", -1000, 300),
            (on_a, None, cls.cat_commute, "2026-03-31", 0, 120),
            (on_a, energy, None, "2026-05-05", -500, 100),
            (on_b, energy, cls.cat_energy, "2026-01-15", -800, 250),
            (on_b, other, cls.cat_mob, "2026-06-30", -300, 90),
            # one journal item carried by both directions' plans
            ({**on_a, **on_b}, energy, None, "2026-04-20", -200, 50),
            # outside the budget's year
            (on_a, energy, cls.cat_energy, "2025-12-31", -9999, 9999),
        ]
        cls.env["account.analytic.line"].create(
            [
                {
                    **columns,
                    "name": f"Ligne {index} (test MIS)",
                    "date": on_date,
                    "general_account_id": general.id if general else False,
                    "carbon_category_id": category.id if category else False,
                    "amount": amount,
                    "carbon_kg": kg,
                    "carbon_source": "manual",
                    "company_id": cls.company.id,
                }
                for index, (
                    columns,
                    general,
                    category,
                    on_date,
                    amount,
                    kg,
                ) in enumerate(lines, start=1)
            ]
        )
        users = cls._nm_role_users(
            "nm_mis", ("controller", "approver"), groups="base.group_user"
        )
        cls.controller = users["controller"]
        cls.approver = users["approver"]
        cls.agent = role_user(cls.env, "nm_mis_agent", "user", groups="base.group_user")

    @classmethod
    def _budget_line(cls, budget, direction, position, amount, kg, **dates):
        return make_budget_line(
            cls.env, budget, direction, position, amount, planned_kg=kg, **dates
        )

    def _create_mis(self, spread="line", user=None):
        wizard = (
            self.env["nm.carbon.mis.budget.wizard"]
            .with_user(user or self.controller)
            .create({"budget_id": self.budget.id, "spread": spread})
        )
        action = wizard.action_create()
        instance = self.env["mis.report.instance"].browse(action["res_id"])
        return instance

    def _cells(self, instance, direction=None, user=None):
        """{(kpi name, column name): value} of the report, for a direction."""
        instance.analytic_domain = (
            str([("analytic_account_id", "=", direction.id)]) if direction else "[]"
        )
        matrix = instance.with_user(user or self.controller)._compute_matrix()
        names = {period.id: period.name for period in instance.period_ids}
        return {
            (row.kpi.name, names[cell.subcol.col.key]): cell.val
            for row in matrix.iter_rows()
            if not row.account_id
            for cell in row.iter_cells()
            if cell
        }

    def _engine(self, direction, date_from, date_to):
        """(€, kgCO2e) of the budget lines' engine for a direction and period."""
        quarter = self.env["crossovered.budget"].create(
            {"name": "Trimestre (test)", "date_from": date_from, "date_to": date_to}
        )
        lines = self.env["crossovered.budget.lines"]
        for position in (self.pos_energy, self.pos_mob):
            lines |= self._budget_line(quarter, direction, position, 0.0, 0.0)
        figures = lines._practical_figures()
        return (
            sum(figures.get(line.id, (0.0, 0.0))[0] for line in lines),
            sum(figures.get(line.id, (0.0, 0.0))[1] for line in lines),
        )
