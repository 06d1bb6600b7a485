# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .test_amendment import AmendmentFixtures


@tagged("post_install", "-at_install")
class TestAmendmentChain(AmendmentFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls._setup_users(cls.env)
        cls.env.company.carbon_amendment_executive_margin = 0.0

    def _applied(self, amendment_type, deltas):
        amendment = self._amendment(amendment_type, deltas)
        amendment.action_submit()
        self._approve_by_route(amendment)
        amendment.action_apply()
        return amendment

    def test_sql_edit_of_an_applied_dm_is_reported(self):
        Amendment = self.env["nm.carbon.amendment"]
        first = self._applied(
            "transfer", [(self.line_culture_mob, -500), (self.line_property_mob, 500)]
        )
        second = self._applied("decrease", [(self.line_culture_ene, -1000)])
        self.assertEqual(second.chain_previous_hash, first.chain_hash)
        self.assertEqual(second.chain_sequence, first.chain_sequence + 1)
        self.assertFalse(Amendment._check_chain(self.env.company))
        self.assertEqual(first.action_check_chain()["params"]["type"], "success")
        # someone edits the amount of the first DM directly in the database
        self.env.cr.execute(
            "UPDATE nm_carbon_amendment_line SET delta_kg = -400 "
            "WHERE amendment_id = %s AND delta_kg = -500",
            [first.id],
        )
        self.assertEqual(Amendment._check_chain(self.env.company), first)
        with self.assertRaisesRegex(UserError, first.name):
            second.action_check_chain()

    def test_edit_of_the_last_dm_names_it(self):
        Amendment = self.env["nm.carbon.amendment"]
        self._applied(
            "transfer", [(self.line_culture_mob, -200), (self.line_property_mob, 200)]
        )
        second = self._applied("decrease", [(self.line_property_ene, -300)])
        self.env.cr.execute(
            "UPDATE nm_carbon_amendment_line SET after_kg = after_kg + 1 "
            "WHERE amendment_id = %s",
            [second.id],
        )
        self.assertEqual(Amendment._check_chain(self.env.company), second)

    def test_printed_check_names_the_first_broken_link(self):
        Amendment = self.env["nm.carbon.amendment"]
        first = self._applied(
            "transfer", [(self.line_culture_mob, -100), (self.line_property_mob, 100)]
        )
        second = self._applied("decrease", [(self.line_culture_ene, -300)])
        third = self._applied("decrease", [(self.line_property_ene, -200)])
        rows = Amendment._chain_report(self.env.company)
        ours = [r for r in rows if r["amendment"] in first | second | third]
        self.assertEqual([r["status"] for r in ours], ["ok", "ok", "ok"])

        def render():
            html, _kind = self.env["ir.actions.report"]._render_qweb_html(
                "nm_carbon_budget.report_amendment_chain", first.ids
            )
            return html.decode()

        self.assertIn("o_nm_chain_ok", render())
        # the second DM's change is rewritten in the database
        self.env.cr.execute(
            "UPDATE nm_carbon_amendment_line SET delta_kg = -30, after_kg = after_kg"
            " + 270 WHERE amendment_id = %s",
            [second.id],
        )
        rows = Amendment._chain_report(self.env.company)
        statuses = {r["amendment"]: r["status"] for r in rows}
        self.assertEqual(
            [statuses[first], statuses[second], statuses[third]],
            ["ok", "broken", "after"],
        )
        broken = next(r for r in rows if r["amendment"] == second)
        self.assertNotEqual(broken["stored_hash"], broken["recomputed_hash"])
        html = render()
        self.assertIn("o_nm_chain_broken", html)
        self.assertIn(f"The chain is broken at <strong>{second.name}</strong>", html)
        # the report is for controllers only
        report = self.env.ref("nm_carbon_budget.report_amendment_chain")
        self.assertEqual(
            report.group_ids, self.env.ref("nm_carbon_budget.group_carbon_controller")
        )
