# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

import psycopg2.errors

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger


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
        cls.user_elected = new_test_user(
            env, login="dm_elected", groups="nm_carbon_budget.group_carbon_approver"
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


@tagged("post_install", "-at_install")
class TestAmendment(AmendmentFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls._setup_users(cls.env)
        cls.env.company.carbon_amendment_executive_margin = 0.0

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

    def test_transfer_between_directions_applied(self):
        """Acceptance 2: 500 kg from culture to property, three tiers, applied once."""
        amendment = self._amendment(
            "transfer",
            [(self.line_culture_ene, -500), (self.line_property_mob, 500)],
            justification="Navette électrique partagée",
        )
        amendment.action_submit()
        self.assertEqual(amendment.state, "submitted")
        self.assertTrue(amendment.needs_top_tier)
        self.assertEqual(len(amendment.review_ids), 3)
        self._approve(amendment, self.user_head, self.user_finance)
        self.assertEqual(amendment.state, "submitted")
        self._approve(amendment, self.user_elected)
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

    def test_increase_needs_the_top_tier(self):
        """Acceptance 3: without the executive, an increase is not applied."""
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
        amendment.action_submit()
        self.assertTrue(amendment.needs_top_tier)
        self._approve(amendment, self.user_head, self.user_finance)
        self.assertEqual(amendment.state, "submitted")
        with self.assertRaises(UserError):
            amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)
        # shown against the trajectory: 104 000 + 2 000
        self.assertEqual(amendment.organisation_before_kg, 104000)
        self.assertEqual(amendment.organisation_after_kg, 106000)
        self._approve(amendment, self.user_elected)
        amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 12000)
        # 106 000 kg against a target of 100 000 × 0.96 = 96 000 in 2026
        self.assertEqual(amendment.trajectory_target_kg, 96000)
        self.assertEqual(amendment.trajectory_gap_kg, 10000)
        body = str(self.budget.message_ids[0].body)
        body = body.replace("&nbsp;", " ").replace("\N{NO-BREAK SPACE}", " ")
        self.assertIn("10 000 kg above the trajectory target of 96 000 kgCO2e", body)

    def test_increase_refused_when_the_top_tier_was_removed(self):
        """The rule holds even if an administrator removed the executive tier."""
        self.env.ref(
            "nm_carbon_budget.tier_definition_amendment_executive"
        ).active = False
        amendment = self._amendment("increase", [(self.line_culture_mob, 2000)])
        amendment.action_submit()
        self._approve(amendment, self.user_head, self.user_finance)
        self.assertEqual(amendment.state, "approved")
        with self.assertRaisesRegex(UserError, "executive"):
            amendment.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)

    def test_executive_margin_inside_a_direction(self):
        """Culture holds 40 000 kg; a 5 % margin lets 2 000 kg move without the
        executive, not 2 001."""
        self.env.company.carbon_amendment_executive_margin = 5.0
        small = self._amendment(
            "transfer", [(self.line_culture_ene, -2000), (self.line_culture_mob, 2000)]
        )
        self.assertFalse(small.needs_top_tier)
        small.action_submit()
        self.assertEqual(len(small.review_ids), 2)
        self._approve(small, self.user_head, self.user_finance)
        self.assertEqual(small.state, "approved")
        small.action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 12000)
        large = self._amendment(
            "transfer", [(self.line_culture_ene, -2001), (self.line_culture_mob, 2001)]
        )
        self.assertTrue(large.needs_top_tier)
        between = self._amendment(
            "transfer", [(self.line_culture_ene, -10), (self.line_property_ene, 10)]
        )
        self.assertTrue(between.needs_top_tier)

    def test_decrease_skips_the_executive(self):
        amendment = self._amendment("decrease", [(self.line_property_ene, -6000)])
        amendment.action_submit()
        self.assertEqual(len(amendment.review_ids), 2)
        self._approve(amendment, self.user_head, self.user_finance)
        amendment.action_apply()
        self.assertEqual(self.line_property_ene.planned_carbon_kg, 54000)

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
        amendment = self._amendment("decrease", [(self.line_property_ene, -100)])
        amendment.action_submit()
        amendment.with_user(self.user_head).reject_tier()
        self.assertEqual(amendment.validation_status, "rejected")
        with self.assertRaises(UserError):
            amendment.action_apply()
        amendment.action_draft()
        self.assertEqual(amendment.state, "draft")
        self.assertFalse(amendment.review_ids)
        amendment.line_ids.delta_kg = -50


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
            for delta in (-100, -200):
                amendments |= amendments.create(
                    {
                        "budget_id": self.budget.id,
                        "amendment_type": "decrease",
                        "justification": "Concurrency test",
                        "line_ids": [
                            Command.create(
                                {
                                    "budget_line_id": self.line_culture_mob.id,
                                    "delta_kg": delta,
                                }
                            )
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
