# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date
from unittest.mock import patch

import psycopg2.errors

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.nm_carbon_budget.models.nm_carbon_amendment import NmCarbonAmendment


class AmendmentFixtures:
    """Two directions in a plan of their own, one carbon-only position, a voted
    2026 budget with four lines, and one user per approval tier."""

    @classmethod
    def _setup_fixtures(cls, env, plan=None):
        cls.plan = plan or env["account.analytic.plan"].create(
            {"name": f"Directions ({cls.__name__})"}
        )
        Account = env["account.analytic.account"]
        cls.dir_culture = Account.create(
            {"name": "Culture (DM test)", "plan_id": cls.plan.id}
        )
        cls.dir_property = Account.create(
            {"name": "Patrimoine (DM test)", "plan_id": cls.plan.id}
        )
        Category = env["nm.carbon.category"]
        cls.cat_mobility = Category.create(
            {"name": "Mobilité (DM test)", "code": "DM-MOB"}
        )
        cls.cat_energy = Category.create(
            {"name": "Énergie (DM test)", "code": "DM-ENE"}
        )
        Position = env["account.budget.post"]
        cls.position_mobility = Position.create(
            {
                "name": "Mobilité (DM test)",
                "carbon_category_ids": [Command.set(cls.cat_mobility.ids)],
            }
        )
        cls.position_energy = Position.create(
            {
                "name": "Énergie (DM test)",
                "carbon_category_ids": [Command.set(cls.cat_energy.ids)],
            }
        )
        cls.budget = env["crossovered.budget"].create(
            {
                "name": "Budget 2026 (DM test)",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        Line = env["crossovered.budget.lines"]

        def line(account, position, kg, amount):
            return Line.create(
                {
                    "crossovered_budget_id": cls.budget.id,
                    "analytic_account_id": account.id,
                    "general_budget_id": position.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "planned_amount": amount,
                    "planned_carbon_kg": kg,
                }
            )

        cls.line_culture_mob = line(
            cls.dir_culture, cls.position_mobility, 10000, -20000
        )
        cls.line_culture_ene = line(cls.dir_culture, cls.position_energy, 30000, -50000)
        cls.line_property_mob = line(
            cls.dir_property, cls.position_mobility, 4000, -8000
        )
        cls.line_property_ene = line(
            cls.dir_property, cls.position_energy, 60000, -90000
        )
        cls.budget.action_budget_confirm()
        cls.budget.action_budget_validate()

    @classmethod
    def _setup_users(cls, env):
        cls.user_head = new_test_user(
            env, login="dm_head", groups="nm_carbon_budget.group_carbon_manager"
        )
        cls.user_finance = new_test_user(
            env, login="dm_finance", groups="nm_carbon_budget.group_carbon_controller"
        )
        cls.user_approver = new_test_user(
            env, login="dm_approver", groups="nm_carbon_budget.group_carbon_approver"
        )
        # the head of both test directions approves their direction tier
        (cls.dir_culture | cls.dir_property).sudo().direction_head_ids = cls.user_head

    def _amendment(self, amendment_type, deltas, justification="Test"):
        return self.env["nm.carbon.amendment"].create(
            {
                "budget_id": self.budget.id,
                "amendment_type": amendment_type,
                "justification": justification,
                "line_ids": [
                    Command.create({"budget_line_id": line.id, "delta_kg": delta})
                    for line, delta in deltas
                ],
            }
        )

    def _approve(self, amendment, *users):
        for user in users:
            amendment.with_user(user).validate_tier()

    def _approve_by_route(self, amendment):
        """Every tier of the DM's route approved by its reviewer, the assembly's
        deliberation recorded."""
        if amendment.approval_route == "direction":
            self._approve(amendment, self.user_head, self.user_finance)
        else:
            self._approve(amendment, self.user_approver)
        if amendment.approval_route == "assembly":
            amendment.with_user(self.user_finance).write(
                {"deliberation_number": "2026-007", "deliberation_date": "2026-03-12"}
            )


@tagged("post_install", "-at_install")
class TestAmendment(AmendmentFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls._setup_users(cls.env)
        # 7.5 % of the 104 000 kg voted in the budget: 7 800 kg between directions
        cls.env.company.carbon_amendment_executive_margin = 7.5

    def test_number(self):
        amendment = self._amendment("decrease", [(self.line_culture_mob, -100)])
        self.assertRegex(amendment.name, r"^DMC/\d{4}/\d{3}$")

    def test_unbalanced_transfer_refused_with_gap(self):
        """Acceptance 1: +500 / −380 is off by 120 kg, and says so."""
        amendment = self._amendment(
            "transfer", [(self.line_culture_mob, -380), (self.line_property_mob, 500)]
        )
        with self.assertRaisesRegex(UserError, "off by 120 kg"):
            amendment.action_submit()
        self.assertEqual(amendment.state, "draft")
        self.assertFalse(amendment.review_ids)

    def test_resulting_envelopes_before_submission(self):
        amendment = self._amendment(
            "transfer", [(self.line_culture_ene, -500), (self.line_property_mob, 500)]
        )
        self.assertEqual(amendment.line_ids.mapped("new_kg"), [29500, 4500])
        self.assertEqual(amendment.total_delta_kg, 0)

    def test_envelope_cannot_go_below_zero(self):
        amendment = self._amendment(
            "transfer", [(self.line_property_mob, -4500), (self.line_culture_mob, 4500)]
        )
        with self.assertRaisesRegex(UserError, "below zero"):
            amendment.action_submit()

    def test_lines_belong_to_the_budget(self):
        other = self.budget.copy({"name": "Autre budget (DM test)"})
        other_line = self.line_culture_mob.copy({"crossovered_budget_id": other.id})
        with self.assertRaises(ValidationError):
            self._amendment("decrease", [(other_line, -100)])

    def _reviews(self, amendment):
        return amendment.review_ids.sorted("sequence")

    def _tier(self, name):
        return self.env.ref(f"nm_carbon_budget.tier_definition_amendment_{name}")

    def _vote(self, amendment, number="2026-041", day="2026-10-12"):
        """The assembly's deliberation, recorded by the controller."""
        amendment.with_user(self.user_finance).write(
            {"deliberation_number": number, "deliberation_date": day}
        )

    def _statement(self):
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.user_finance)
            ._render_qweb_html(
                "nm_carbon_budget.report_executive_transfers", self.budget.ids
            )
        )
        return html.decode().replace("\N{NO-BREAK SPACE}", " ").replace("&nbsp;", " ")

    def test_transfer_between_directions_applied(self):
        """Acceptance 2: 500 kg from culture to property, within the executive's
        7 800 kg: the executive tier only, applied once, listed in the statement."""
        amendment = self._amendment(
            "transfer",
            [(self.line_culture_ene, -500), (self.line_property_mob, 500)],
            justification="Navette électrique partagée",
        )
        self.assertEqual(amendment.moved_between_kg, 500)
        self.assertEqual(amendment.approval_route, "executive")
        amendment.action_submit()
        self.assertEqual(amendment.state, "submitted")
        self.assertEqual(amendment.review_ids.definition_id, self._tier("executive"))
        # neither the head nor the controller decides a move between directions
        for user in (self.user_head, self.user_finance):
            with self.assertRaises(UserError):
                amendment.with_user(user).validate_tier()
        self._approve(amendment, self.user_approver)
        self.assertEqual(amendment.validation_status, "validated")
        self.assertEqual(amendment.state, "approved")
        total_before = sum(
            self.budget.crossovered_budget_line_ids.mapped("planned_carbon_kg")
        )

        amendment.action_apply()

        self.assertEqual(amendment.state, "applied")
        self.assertEqual(self.line_culture_ene.planned_carbon_kg, 29500)
        self.assertEqual(self.line_property_mob.planned_carbon_kg, 4500)
        self.assertEqual(
            sum(self.budget.crossovered_budget_line_ids.mapped("planned_carbon_kg")),
            total_before,
        )
        lines = amendment.line_ids.sorted("delta_kg")
        self.assertEqual(lines.mapped("before_kg"), [30000, 4000])
        self.assertEqual(lines.mapped("after_kg"), [29500, 4500])
        # history on the budget lines
        self.assertEqual(self.line_property_mob.initial_carbon_kg, 4000)
        self.assertEqual(self.line_property_mob.amendment_carbon_kg, 500)
        self.assertEqual(self.line_property_mob.amendment_line_ids, lines[1])
        self.assertIn(amendment.name, self.budget.message_ids[0].body)
        self.assertIn("Decided by the executive", str(self.budget.message_ids[0].body))
        # the statement for the assembly: 7 800 kg, 500 used, 7 300 left
        statement = self._statement()
        self.assertIn(amendment.name, statement)
        self.assertIn("Culture (DM test)", statement)
        self.assertIn("Patrimoine (DM test)", statement)
        self.assertRegex(statement, r'o_nm_margin_kg"[^>]*>7,800<')
        self.assertRegex(statement, r'o_nm_used_kg"[^>]*>500<')
        self.assertRegex(statement, r'o_nm_left_kg"[^>]*>7,300<')
        # applied once, then immutable
        with self.assertRaisesRegex(UserError, "already been applied"):
            amendment.action_apply()
        self.assertEqual(self.line_property_mob.planned_carbon_kg, 4500)
        # immutable for every user, the controller included (only the workflow,
        # as superuser, writes an applied DM)
        as_controller = amendment.with_user(self.user_finance)
        with self.assertRaises(UserError):
            as_controller.justification = "Autre chose"
        with self.assertRaises(UserError):
            as_controller.line_ids[0].delta_kg = -600
        with self.assertRaises(UserError):
            as_controller.unlink()

    def test_margin_consumed_across_the_years_dms(self):
        """7 800 kg for the year: 5 000 applied, then 3 000 is beyond the 2 800 kg
        left (the assembly votes it) and 2 800 fits exactly (the executive)."""
        first = self._amendment(
            "transfer", [(self.line_property_ene, -5000), (self.line_culture_mob, 5000)]
        )
        first.action_submit()
        self.assertEqual(first.approval_route, "executive")
        self._approve(first, self.user_approver)
        first.action_apply()
        second = self._amendment(
            "transfer", [(self.line_property_ene, -3000), (self.line_culture_ene, 3000)]
        )
        self.assertEqual(second.executive_margin_kg, 7800)
        self.assertEqual(second.executive_margin_used_kg, 5000)
        self.assertEqual(second.executive_margin_left_kg, 2800)
        self.assertEqual(second.approval_route, "assembly")
        second.action_submit()
        self.assertEqual(second.review_ids.definition_id, self._tier("assembly"))
        third = self._amendment(
            "transfer", [(self.line_culture_ene, -2800), (self.line_property_mob, 2800)]
        )
        third.action_submit()
        self.assertEqual(third.approval_route, "executive")
        self._approve(third, self.user_approver)
        third.action_apply()
        # the second is voted by the assembly: not counted in the margin
        self._approve(second, self.user_approver)
        self._vote(second)
        second.action_apply()
        statement = self._statement()
        self.assertIn(first.name, statement)
        self.assertIn(third.name, statement)
        self.assertNotIn(second.name, statement)
        self.assertRegex(statement, r'o_nm_used_kg"[^>]*>7,800<')
        self.assertRegex(statement, r'o_nm_left_kg"[^>]*>0<')

    def test_margin_used_since_the_submission(self):
        """Two transfers of 5 000 kg, each within the 7 800 kg when submitted: once
        the first is applied, the second is refused (5 000 > 2 800 left) and says
        it now needs the assembly, writing nothing."""
        first, second = (
            self._amendment(
                "transfer",
                [(self.line_property_ene, -5000), (line, 5000)],
            )
            for line in (self.line_culture_mob, self.line_culture_ene)
        )
        (first | second).action_submit()
        self.assertEqual((first | second).mapped("approval_route"), ["executive"] * 2)
        self._approve(first, self.user_approver)
        self._approve(second, self.user_approver)
        first.action_apply()
        with self.assertRaisesRegex(UserError, "2,800 kg of the executive margin"):
            second.action_apply()
        self.assertEqual(second.state, "approved")
        self.assertEqual(self.line_culture_ene.planned_carbon_kg, 30000)
        self.assertEqual(self.line_property_ene.planned_carbon_kg, 55000)

    def test_increase_is_voted_by_the_assembly(self):
        """Acceptance 2: an increase is the assembly's vote, applied only with its
        deliberation number and date; shown against the trajectory."""
        self.env["nm.carbon.trajectory"].search([]).active = False
        self.env["nm.carbon.trajectory"].create(
            {
                "name": "Trajectoire (DM test)",
                "baseline_year": 2025,
                "baseline_kg": 100000,
                "reduction_rate": 0.04,
            }
        )
        amendment = self._amendment(
            "increase", [(self.line_culture_mob, 2000)], justification="Festival"
        )
        self.assertEqual(amendment.approval_route, "assembly")
        amendment.action_submit()
        self.assertEqual(amendment.review_ids.definition_id, self._tier("assembly"))
        with self.assertRaises(UserError):
            amendment.with_user(self.user_head).validate_tier()
        with self.assertRaises(UserError):
            amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)
        # shown against the trajectory: 104 000 + 2 000
        self.assertEqual(amendment.organisation_before_kg, 104000)
        self.assertEqual(amendment.organisation_after_kg, 106000)
        self._approve(amendment, self.user_approver)
        self.assertEqual(amendment.state, "approved")
        # voted, but the deliberation is not recorded yet: refused, nothing written
        with self.assertRaisesRegex(UserError, "number and the date of its delib"):
            amendment.action_apply()
        amendment.with_user(self.user_finance).deliberation_number = "2026-041"
        with self.assertRaisesRegex(UserError, "number and the date of its delib"):
            amendment.action_apply()
        self.assertEqual(amendment.state, "approved")
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)
        # the approver records the date (approvers have no other write right)
        amendment.with_user(self.user_approver).deliberation_date = "2026-10-12"
        amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 12000)
        # 106 000 kg against a target of 100 000 × 0.96 = 96 000 in 2026
        self.assertEqual(amendment.trajectory_target_kg, 96000)
        self.assertEqual(amendment.trajectory_gap_kg, 10000)
        body = str(self.budget.message_ids[0].body)
        self.assertIn("10,000 kg above the trajectory target of 96,000 kgCO2e", body)
        self.assertIn("deliberation 2026-041 of 10/12/2026", body)
        # recorded with the DM once applied
        with self.assertRaises(UserError):
            amendment.with_user(self.user_finance).deliberation_number = "2026-042"
        self.assertEqual(amendment.deliberation_number, "2026-041")

    def test_deliberation_recorded_by_controllers_and_approvers(self):
        amendment = self._amendment("increase", [(self.line_culture_mob, 2000)])
        amendment.action_submit()
        for user in (self.user_head,):
            with self.assertRaises(AccessError):
                amendment.with_user(user).write({"deliberation_number": "X"})
        # a head cannot slip it in a draft either, nor forge the route
        draft = self._amendment("increase", [(self.line_culture_ene, 100)])
        with self.assertRaises(AccessError):
            draft.with_user(self.user_head).write(
                {"justification": "Autre", "deliberation_number": "X"}
            )
        for route in ("direction", "executive"):
            with self.assertRaises(UserError):
                draft.with_user(self.user_head).write({"approval_route": route})
        self.assertFalse(amendment.deliberation_number)
        self.assertEqual(draft.approval_route, "assembly")
        # the rest of a DM under approval stays frozen for the approver
        with self.assertRaises(UserError):
            amendment.with_user(self.user_approver).write(
                {"deliberation_number": "2026-041", "justification": "Autre"}
            )

    def test_forged_route_does_not_skip_the_assembly(self):
        """A route rewritten in the database (lighter than the lines) is read
        again from the lines when applying."""
        amendment = self._amendment("increase", [(self.line_culture_mob, 2000)])
        amendment.action_submit()
        self._approve(amendment, self.user_approver)
        self.env.cr.execute(
            "UPDATE nm_carbon_amendment SET approval_route = 'direction' WHERE id = %s",
            [amendment.id],
        )
        amendment.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "deliberative assembly"):
            amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)

    def test_increase_refused_when_the_assembly_tier_was_removed(self):
        """The rule holds even if an administrator removed the assembly's tier."""
        self._tier("assembly").active = False
        amendment = self._amendment("increase", [(self.line_culture_mob, 2000)])
        amendment.action_submit()
        self.assertEqual(amendment.state, "approved")
        self._vote(amendment)
        with self.assertRaisesRegex(UserError, "deliberative assembly"):
            amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)

    def test_inside_a_direction_head_and_controller(self):
        """Acceptance 2: 2 000 kg between culture's two items: the head, then the
        carbon controller, no executive; the margin is not used."""
        amendment = self._amendment(
            "transfer", [(self.line_culture_ene, -2000), (self.line_culture_mob, 2000)]
        )
        self.assertEqual(amendment.moved_between_kg, 0)
        self.assertEqual(amendment.approval_route, "direction")
        amendment.action_submit()
        self.assertEqual(
            self._reviews(amendment).definition_id,
            self._tier("direction") | self._tier("finance"),
        )
        self.assertEqual(
            self._reviews(amendment).mapped("name"),
            ["Direction head", "Carbon controller"],
        )
        with self.assertRaises(UserError):
            amendment.with_user(self.user_approver).validate_tier()
        self._approve(amendment, self.user_head)
        self.assertEqual(amendment.state, "submitted")
        self._approve(amendment, self.user_finance)
        self.assertEqual(amendment.state, "approved")
        amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 12000)
        self.assertEqual(amendment.executive_margin_left_kg, 7800)
        self.assertNotIn(amendment.name, self._statement())

    def test_moves_inside_two_directions_stay_with_the_directions(self):
        """−100/+100 inside culture and −50/+50 inside property: no direction's
        total changes, nothing moves between directions."""
        amendment = self._amendment(
            "transfer",
            [
                (self.line_culture_ene, -100),
                (self.line_culture_mob, 100),
                (self.line_property_ene, -50),
                (self.line_property_mob, 50),
            ],
        )
        self.assertEqual(amendment.approval_route, "direction")
        # 300 kg from culture to property, 200 of them inside property: 300 moved
        between = self._amendment(
            "transfer",
            [
                (self.line_culture_ene, -300),
                (self.line_property_ene, -200),
                (self.line_property_mob, 500),
            ],
        )
        self.assertEqual(between.moved_between_kg, 300)
        self.assertEqual(between.approval_route, "executive")

    def test_no_margin_every_transfer_between_directions_to_the_assembly(self):
        self.env.company.carbon_amendment_executive_margin = 0.0
        amendment = self._amendment(
            "transfer", [(self.line_culture_ene, -10), (self.line_property_ene, 10)]
        )
        amendment.action_submit()
        self.assertEqual(amendment.approval_route, "assembly")

    def test_decrease_is_voted_by_the_assembly(self):
        """A decrease changes the budget voted: the assembly's vote (the stricter
        reading of M57, where only moves between chapters are left to the
        executive)."""
        amendment = self._amendment("decrease", [(self.line_property_ene, -6000)])
        self.assertEqual(amendment.approval_route, "assembly")
        amendment.action_submit()
        self.assertEqual(amendment.review_ids.definition_id, self._tier("assembly"))
        self._approve(amendment, self.user_approver)
        with self.assertRaisesRegex(UserError, "deliberation"):
            amendment.action_apply()
        self._vote(amendment)
        amendment.action_apply()
        self.assertEqual(self.line_property_ene.planned_carbon_kg, 54000)

    def test_statement_refused_to_agents_and_heads(self):
        agent = new_test_user(
            self.env, login="dm_agent", groups="nm_carbon_budget.group_carbon_user"
        )
        Report = self.env["ir.actions.report"]
        for user in (agent, self.user_head):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report.with_user(user)._render_qweb_html(
                    "nm_carbon_budget.report_executive_transfers", self.budget.ids
                )
        report = self.env.ref("nm_carbon_budget.report_executive_transfers")
        self.assertFalse(
            report.with_user(agent).group_ids & agent.all_group_ids,
            "the Print menu does not offer it to an agent",
        )
        # the approver prints it
        html, _format = Report.with_user(self.user_approver)._render_qweb_html(
            "nm_carbon_budget.report_executive_transfers", self.budget.ids
        )
        self.assertIn("no transfer between directions", html.decode())

    def test_messages_in_french_numbers(self):
        """Numbers in the user's language, as Odoo formats them (fr_FR groups
        thousands with its own separator)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        amendment = self._amendment(
            "transfer",
            [(self.line_culture_mob, -1250), (self.line_property_mob, 2500)],
        ).with_context(lang="fr_FR")
        sep = self.env["res.lang"]._lang_get("fr_FR").thousands_sep
        with self.assertRaises(UserError) as caught:
            amendment.action_submit()
        self.assertIn(f"+1{sep}250", str(caught.exception))
        self.assertEqual(amendment._nm_kg(12345.6), f"12{sep}346")
        self.assertEqual(amendment.with_context(lang="en_US")._nm_kg(12345.6), "12,346")

    def test_direct_write_on_voted_budget_refused(self):
        line = self.line_culture_mob.with_user(self.user_finance)
        with self.assertRaisesRegex(UserError, "DM carbone"):
            line.planned_carbon_kg = 12000
        with self.assertRaisesRegex(UserError, "DM carbone"):
            line.planned_amount = -30000
        # a voted budget is not prepared again
        with self.assertRaisesRegex(UserError, "DM carbone"):
            self.budget.with_user(self.user_finance).action_budget_draft()
        self.assertEqual(self.budget.state, "validate")
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)
        # a draft budget's envelopes are the controller's to set
        draft = self.budget.copy({"name": "Budget 2027 (DM test)"})
        draft_line = self.line_culture_mob.copy({"crossovered_budget_id": draft.id})
        draft_line.with_user(self.user_finance).planned_carbon_kg = 12000
        self.assertEqual(draft_line.planned_carbon_kg, 12000)

    def test_rejected_then_back_to_draft(self):
        amendment = self._amendment(
            "transfer", [(self.line_property_ene, -100), (self.line_property_mob, 100)]
        )
        amendment.action_submit()
        amendment.with_user(self.user_head).reject_tier()
        self.assertEqual(amendment.validation_status, "rejected")
        with self.assertRaises(UserError):
            amendment.action_apply()
        amendment.action_draft()
        self.assertEqual(amendment.state, "draft")
        self.assertFalse(amendment.review_ids)
        amendment.line_ids.sorted("delta_kg")[0].delta_kg = -50


@tagged("post_install", "-at_install")
class TestAmendmentQueryCount(AmendmentFixtures, TransactionCase):
    """The organisation figures and the margin of a list of DMs are computed in
    a number of queries that does not grow with the number of DMs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls.env.company.carbon_amendment_executive_margin = 7.5
        cls.env["nm.carbon.trajectory"].search([]).active = False
        cls.env["nm.carbon.trajectory"].create(
            {
                "name": "Trajectoire (DM QC)",
                "baseline_year": 2025,
                "baseline_kg": 100000,
                "reduction_rate": 0.04,
            }
        )
        cls.amendments = cls.env["nm.carbon.amendment"].create(
            [
                {
                    "budget_id": cls.budget.id,
                    "amendment_type": "transfer",
                    "justification": f"QC {i}",
                    "line_ids": [
                        Command.create(
                            {"budget_line_id": cls.line_culture_ene.id, "delta_kg": -i}
                        ),
                        Command.create(
                            {"budget_line_id": cls.line_property_ene.id, "delta_kg": i}
                        ),
                    ],
                }
                for i in range(1, 101)
            ]
        )

    def _count(self, amendments):
        self.env.invalidate_all()
        amendments = amendments.browse(amendments.ids)
        before = self.env.cr.sql_log_count
        figures = [
            (
                a.organisation_before_kg,
                a.organisation_after_kg,
                a.trajectory_target_kg,
                a.trajectory_gap_kg,
                a.executive_margin_left_kg,
            )
            for a in amendments
        ]
        return self.env.cr.sql_log_count - before, figures

    def test_same_queries_for_10_and_100_dms(self):
        self._count(self.amendments[:10])  # warm the registry caches
        few, few_figures = self._count(self.amendments[:10])
        many, many_figures = self._count(self.amendments)
        self.assertEqual(few, many)
        # 104 000 kg, a transfer changes nothing; 96 000 kg target in 2026;
        # 7.5 % of 104 000 = 7 800 kg margin, none used
        self.assertEqual(set(many_figures), {(104000, 104000, 96000, 8000, 7800)})
        self.assertEqual(few_figures, many_figures[:10])
        # 1 to 100 kg moved: all within the margin
        self.assertEqual(set(self.amendments.mapped("approval_route")), {"executive"})


@tagged("post_install", "-at_install")
class TestAmendmentConcurrency(AmendmentFixtures, BaseCase):
    """Acceptance 4: two DMs on one line applied from two database cursors at once.

    The fixtures are committed in a cursor of their own (the other cursors must
    see them) and deleted at the end."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = self._env(cr)
            # an existing plan: creating one would add a column to the registry
            root_plan = env["account.analytic.plan"].search(
                [("parent_id", "=", False)], order="id", limit=1
            )
            self._setup_fixtures(env, plan=root_plan)
            amendments = env["nm.carbon.amendment"]
            # two moves inside culture (its head and the controller decide them)
            for delta in (-100, -200):
                amendments |= amendments.create(
                    {
                        "budget_id": self.budget.id,
                        "amendment_type": "transfer",
                        "justification": "Concurrency test",
                        "line_ids": [
                            Command.create(
                                {
                                    "budget_line_id": self.line_culture_mob.id,
                                    "delta_kg": delta,
                                }
                            ),
                            Command.create(
                                {
                                    "budget_line_id": self.line_culture_ene.id,
                                    "delta_kg": -delta,
                                }
                            ),
                        ],
                    }
                )
            # the approval itself is tested above: here both are simply approved
            cr.execute(
                "UPDATE nm_carbon_amendment SET state = 'approved' WHERE id = ANY(%s)",
                [amendments.ids],
            )
            self.amendment_ids = amendments.ids
            self.line_id = self.line_culture_mob.id
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def _env(self, cr):
        from odoo.api import SUPERUSER_ID, Environment

        return Environment(cr, SUPERUSER_ID, {})

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM nm_carbon_amendment WHERE id = ANY(%s)",
                [self.amendment_ids],
            )
            for model, ids in (
                ("nm.carbon.amendment", self.amendment_ids),
                ("crossovered.budget", [self.budget.id]),
            ):
                cr.execute(
                    "DELETE FROM mail_message WHERE model = %s AND res_id = ANY(%s)",
                    [model, ids],
                )
                cr.execute(
                    "DELETE FROM mail_followers"
                    " WHERE res_model = %s AND res_id = ANY(%s)",
                    [model, ids],
                )
            cr.execute(
                "DELETE FROM crossovered_budget_lines WHERE crossovered_budget_id = %s",
                [self.budget.id],
            )
            cr.execute("DELETE FROM crossovered_budget WHERE id = %s", [self.budget.id])
            cr.execute(
                "DELETE FROM account_budget_post WHERE id IN %s",
                [(self.position_mobility.id, self.position_energy.id)],
            )
            cr.execute(
                "DELETE FROM nm_carbon_category WHERE id IN %s",
                [(self.cat_mobility.id, self.cat_energy.id)],
            )
            cr.execute(
                "DELETE FROM account_analytic_account WHERE id IN %s",
                [(self.dir_culture.id, self.dir_property.id)],
            )

    @mute_logger("odoo.sql_db")
    def test_two_cursors_never_lose_an_update(self):
        first_id, second_id = self.amendment_ids
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            # both transactions start before either applies
            env1["crossovered.budget.lines"].browse(self.line_id).planned_carbon_kg  # noqa: B018
            env2["crossovered.budget.lines"].browse(self.line_id).planned_carbon_kg  # noqa: B018
            env1["nm.carbon.amendment"].browse(first_id).action_apply()
            # the second one meets the lock and is refused, writing nothing
            with self.assertRaises(
                (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure)
            ):
                env2["nm.carbon.amendment"].browse(second_id).action_apply()
            cr2.rollback()
            cr1.commit()  # pylint: disable=invalid-commit
            # tried again (as the server retries a request), it applies on top
            env2.invalidate_all()
            env2["nm.carbon.amendment"].browse(second_id).action_apply()
            cr2.commit()  # pylint: disable=invalid-commit
        with self.registry.cursor() as cr:
            env = self._env(cr)
            self.assertEqual(
                env["crossovered.budget.lines"].browse(self.line_id).planned_carbon_kg,
                10000 - 100 - 200,
            )
            states = (
                env["nm.carbon.amendment"].browse(self.amendment_ids).mapped("state")
            )
            self.assertEqual(states, ["applied", "applied"])

    @mute_logger("odoo.sql_db")
    def test_two_cursors_never_overspend_the_margin(self):
        """Two transfers of 5 000 kg between directions, on different lines, each
        within the 7 800 kg margin (7.5 % of 104 000) when approved. The second
        transaction began before the first committed: its lock of the budget
        fails (the server retries), and the retry reads the 2 800 kg left and
        refuses it, so the executive never moves 10 000 kg."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env.company.carbon_amendment_executive_margin = 7.5
            amendments = env["nm.carbon.amendment"]
            for give, take in (
                (self.line_property_ene, self.line_culture_mob),
                (self.line_culture_ene, self.line_property_mob),
            ):
                amendments |= amendments.create(
                    {
                        "budget_id": self.budget.id,
                        "amendment_type": "transfer",
                        "justification": "Concurrency test (margin)",
                        "line_ids": [
                            Command.create(
                                {"budget_line_id": give.id, "delta_kg": -5000}
                            ),
                            Command.create(
                                {"budget_line_id": take.id, "delta_kg": 5000}
                            ),
                        ],
                    }
                )
            self.assertEqual(amendments.mapped("approval_route"), ["executive"] * 2)
            cr.execute(
                "UPDATE nm_carbon_amendment SET state = 'approved' WHERE id = ANY(%s)",
                [amendments.ids],
            )
            self.amendment_ids += amendments.ids
            first_id, second_id = amendments.ids
            cr.commit()  # pylint: disable=invalid-commit
        # the executive's approval is tested above: here it is taken as given
        with (
            patch.object(
                NmCarbonAmendment, "_check_route_approved", return_value="executive"
            ),
            self.registry.cursor() as cr1,
            self.registry.cursor() as cr2,
        ):
            env1, env2 = self._env(cr1), self._env(cr2)
            # the second transaction has begun before the first one commits
            env2["nm.carbon.amendment"].browse(second_id).executive_margin_left_kg  # noqa: B018
            env1["nm.carbon.amendment"].browse(first_id).action_apply()
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(
                (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure)
            ):
                env2["nm.carbon.amendment"].browse(second_id).action_apply()
            cr2.rollback()
            # retried as the server does: the margin left is read, and refused
            env2.invalidate_all()
            with self.assertRaisesRegex(UserError, "2,800 kg of the executive margin"):
                env2["nm.carbon.amendment"].browse(second_id).action_apply()
            cr2.rollback()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            states = env["nm.carbon.amendment"].browse([first_id, second_id])
            self.assertEqual(states.mapped("state"), ["applied", "approved"])
            self.assertEqual(
                env["crossovered.budget.lines"]
                .browse(self.line_culture_ene.id)
                .planned_carbon_kg,
                30000,
            )
