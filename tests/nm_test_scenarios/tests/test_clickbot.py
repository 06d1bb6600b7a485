# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every screen of our apps opens for every role: Odoo's own clickbot.

The clickbot (``@web/webclient/clickbot/clickbot_loader``'s ``startClickEverywhere``,
as in ``web/tests/test_click_everywhere.py``) opens an app, then each of its menus,
each view of each action (list, kanban, form, pivot, graph, …) and each filter of the
search panel; any traceback, access error or warning dialog fails it. It runs here on
each of our apps (root menus of the four addons) as an administrator, a carbon
controller, a direction head (carbon manager, head of a department bound to her
direction) and an agent (carbon user, in that department), in French when it is
installed, on the test database with the demo data.
"""

from odoo.tests import HttpCase, new_test_user, tagged

ADDONS = ("nm_carbon_budget", "nm_mobility", "nm_progress_plan", "nm_multicapital")
CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere(%r);"
)
# role: groups of the user created for it (admin is the database's administrator)
ROLES = {
    "carbon controller": "base.group_user,nm_carbon_budget.group_carbon_controller,"
    "account.group_account_user",
    "direction head": "base.group_user,nm_carbon_budget.group_carbon_manager",
    "agent": "base.group_user,nm_carbon_budget.group_carbon_user",
}


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        lang = env["res.lang"].search([("code", "=", "fr_FR")], limit=1)
        cls.lang = lang.code or "en_US"
        cls.users = {"admin": env.ref("base.user_admin")}
        for role, groups in ROLES.items():
            login = "nm_click_" + role.replace(" ", "_")
            cls.users[role] = new_test_user(
                env, login=login, name=f"Clickbot {role}", groups=groups
            )
        cls.users["admin"].password = "admin"
        for user in cls.users.values():
            values = {"lang": cls.lang, "tz": "Europe/Paris"}
            if "tour_enabled" in user._fields:
                values["tour_enabled"] = False
            user.write(values)
        # The direction head manages a department bound to a direction; the agent
        # works in it (their journeys are filtered on it).
        plan = env.company.carbon_plan_id or env["account.analytic.plan"].create(
            {"name": "Directions (clickbot)"}
        )
        direction = env["account.analytic.account"].create(
            {"name": "Direction clickbot", "plan_id": plan.id}
        )
        Employee = env["hr.employee"]
        head = Employee.create(
            {"name": "Clickbot head", "user_id": cls.users["direction head"].id}
        )
        department = env["hr.department"].create(
            {
                "name": "Clickbot department",
                "manager_id": head.id,
                "analytic_account_id": direction.id,
            }
        )
        head.department_id = department
        Employee.create(
            {
                "name": "Clickbot agent",
                "user_id": cls.users["agent"].id,
                "department_id": department.id,
            }
        )

    def _our_apps(self, user):
        """xmlids of the root menus of our addons that ``user`` sees."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        return [
            menus[app]["xmlid"]
            for app in menus["root"]["children"]
            if menus[app]["xmlid"].split(".")[0] in ADDONS
        ]

    def _click_everywhere(self, role):
        user = self.users[role]
        apps = self._our_apps(user)
        self.assertTrue(apps, f"the {role} sees none of our apps")
        for xmlid in apps:
            with self.subTest(role=role, app=xmlid):
                self.browser_js(
                    "/odoo",
                    CLICKBOT % xmlid,
                    "odoo.isReady === true",
                    login=user.login,
                    timeout=600,
                    success_signal="clickbot test succeeded",
                )

    def test_our_apps_have_root_menus(self):
        roots = self._our_apps(self.users["admin"])
        self.assertIn("nm_carbon_budget.nm_carbon_budget_menu_root", roots)

    def test_click_everywhere_as_admin(self):
        self._click_everywhere("admin")

    def test_click_everywhere_as_carbon_controller(self):
        self._click_everywhere("carbon controller")

    def test_click_everywhere_as_direction_head(self):
        self._click_everywhere("direction head")

    def test_click_everywhere_as_agent(self):
        self._click_everywhere("agent")
