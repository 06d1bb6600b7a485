# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The carbon budget as the lowest role attacks it through the API.

Every probe runs ``with_user(role)``, first with no context, then with every context
key that Odoo or this code ever honoured to switch a guard off: each must be refused
with a message, and nothing written. A few worst cases also go through a real HTTP
``/web/dataset/call_kw`` request (``TestApiSecurityHttp``).
"""

import hashlib
import json
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.nm_carbon_budget.models import nm_carbon_amendment_chain

from .test_amendment import AmendmentFixtures

# Context keys a caller may send: Odoo's (install_mode, _force_unlink skips
# @api.ondelete, module_uninstall, tracking_disable), base_tier_validation's
# (skip_validation_check) and the one this addon used to honour.
BYPASS_CONTEXTS = {
    "install_mode": True,
    "_force_unlink": True,
    "module_uninstall": True,
    "tracking_disable": True,
    "skip_validation_check": True,
    "nm_carbon_amendment_apply": True,
}
CONTEXTS = ({}, BYPASS_CONTEXTS)
# AccessError is a UserError: either is a refusal with a message for the user.
REFUSED = UserError


class SecurityFixtures(AmendmentFixtures):
    @classmethod
    def _setup_security(cls, env):
        cls._setup_fixtures(env)
        cls._setup_users(env)
        env.company.carbon_amendment_executive_margin = 0.0
        cls.user_agent = new_test_user(
            env, login="sec_agent", groups="nm_carbon_budget.group_carbon_user"
        )
        cls.user_other_head = new_test_user(
            env, login="sec_other_head", groups="nm_carbon_budget.group_carbon_manager"
        )
        cls.user_admin = new_test_user(
            env, login="sec_admin", groups="nm_carbon_budget.group_carbon_admin"
        )
        cls.user_portal = new_test_user(
            env, login="sec_portal", groups="base.group_portal"
        )
        # user_head heads both directions (AmendmentFixtures); a third direction
        # with its own head, for "a head acts on their directions only"
        cls.dir_sport = env["account.analytic.account"].create(
            {
                "name": "Sport (DM test)",
                "plan_id": cls.plan.id,
                "direction_head_ids": [(6, 0, cls.user_other_head.ids)],
            }
        )
        cls.roles = {
            "agent": cls.user_agent,
            "head": cls.user_head,
            "other head": cls.user_other_head,
            "controller": cls.user_finance,
            "approver": cls.user_approver,
            "admin": cls.user_admin,
            "portal": cls.user_portal,
        }


@tagged("post_install", "-at_install")
class TestApiSecurity(SecurityFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_security(cls.env)

    def _each(self, roles=None):
        """(role, user, context) for every role and both contexts."""
        for role in roles or self.roles:
            for context in CONTEXTS:
                yield role, self.roles[role], context

    def _submitted(self, amendment_type="transfer", deltas=None):
        """By default a move inside culture: two tiers, the head's then the
        controller's."""
        amendment = self._amendment(
            amendment_type,
            deltas or [(self.line_culture_mob, 2000), (self.line_culture_ene, -2000)],
        )
        amendment.action_submit()
        return amendment

    def _applied(self):
        amendment = self._amendment(
            "transfer", [(self.line_culture_mob, -500), (self.line_property_mob, 500)]
        )
        amendment.action_submit()
        # no executive margin here: the assembly votes it
        self.assertEqual(amendment.approval_route, "assembly")
        self._approve_by_route(amendment)
        amendment.with_user(self.user_finance).action_apply()
        self.assertEqual(amendment.state, "applied")
        return amendment

    # ------------------------------------------------------------ budget lines

    def test_nobody_writes_the_envelopes_of_a_voted_budget(self):
        """Acceptance 2: planned kgCO2e and € of a validated budget's line, whatever
        the role and the context; the controller and the administrator included
        (only an applied DM changes them)."""
        for role, user, context in self._each():
            line = self.line_culture_mob.with_user(user).with_context(**context)
            for vals in ({"planned_carbon_kg": 99999}, {"planned_amount": -1}):
                with self.subTest(role=role, context=bool(context), vals=vals):
                    with self.assertRaises(REFUSED) as caught:
                        line.write(vals)
                    self.assertTrue(str(caught.exception))
            with self.subTest(role=role, context=bool(context), op="unlink"):
                with self.assertRaises(REFUSED):
                    line.unlink()
        self.line_culture_mob.invalidate_recordset()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)
        self.assertEqual(self.line_culture_mob.planned_amount, -20000)

    def test_nobody_but_controllers_creates_budget_lines(self):
        Line = self.env["crossovered.budget.lines"]
        draft = self.env["crossovered.budget"].create(
            {
                "name": "Budget 2027 (DM test)",
                "date_from": "2027-01-01",
                "date_to": "2027-12-31",
            }
        )
        count = Line.search_count([])

        def vals(budget):
            return {
                "crossovered_budget_id": budget.id,
                "analytic_account_id": self.dir_culture.id,
                "general_budget_id": self.position_mobility.id,
                "date_from": budget.date_from,
                "date_to": budget.date_to,
                "planned_amount": -3000,
                "planned_carbon_kg": 5000,
            }

        for role, user, context in self._each():
            Model = Line.with_user(user).with_context(**context)
            with self.subTest(role=role, context=bool(context), budget="voted"):
                with self.assertRaises(REFUSED):
                    Model.create(vals(self.budget))
            if role not in ("controller", "admin"):
                with self.subTest(role=role, context=bool(context), budget="draft"):
                    with self.assertRaises(REFUSED):
                        Model.create(vals(draft))
        self.assertEqual(Line.search_count([]), count)
        # a controller prepares a draft budget
        line = Line.with_user(self.user_finance).create(vals(draft))
        self.assertEqual(line.planned_carbon_kg, 5000)

    def test_accountant_keeps_the_euros_not_the_carbon(self):
        accountant = new_test_user(
            self.env, login="sec_accountant", groups="account.group_account_user"
        )
        draft = self.budget.copy({"name": "Budget 2027 (DM test)"})
        line = self.line_culture_mob.copy({"crossovered_budget_id": draft.id})
        line.with_user(accountant).planned_amount = -25000
        self.assertEqual(line.planned_amount, -25000)
        with self.assertRaisesRegex(AccessError, "carbon controller"):
            line.with_user(accountant).planned_carbon_kg = 1
        # the € practical amount reads the positions' emission items as superuser
        self.assertEqual(line.with_user(accountant).practical_amount, 0.0)

    def test_budget_state_only_through_its_buttons(self):
        for role, user, context in self._each():
            budget = self.budget.with_user(user).with_context(**context)
            with self.subTest(role=role, context=bool(context)):
                with self.assertRaises(REFUSED):
                    budget.write({"state": "draft"})
                with self.assertRaises(REFUSED):
                    budget.action_budget_draft()
        self.assertEqual(self.budget.state, "validate")

    # ------------------------------------------------------------ DM state

    def test_dm_state_only_through_its_actions(self):
        """A head writing state approved, or cancel then approved: refused."""
        amendment = self._submitted()
        for role, user, context in self._each():
            dm = amendment.with_user(user).with_context(**context)
            for state in ("approved", "applied", "cancel", "draft"):
                with self.subTest(role=role, context=bool(context), state=state):
                    with self.assertRaises(REFUSED):
                        dm.write({"state": state})
        amendment.with_user(self.user_head).action_cancel()
        with self.assertRaises(REFUSED):
            amendment.with_user(self.user_head).write({"state": "approved"})
        self.assertEqual(amendment.state, "cancel")
        # cancelled, then back to draft: no review survives to be applied
        amendment.with_user(self.user_head).action_draft()
        self.assertFalse(amendment.review_ids)
        with self.assertRaises(UserError):
            amendment.with_user(self.user_finance).action_apply()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)

    def test_dm_created_in_a_decided_state_refused(self):
        Amendment = self.env["nm.carbon.amendment"]
        count = Amendment.search_count([])
        for role, user, context in self._each(["head", "controller", "admin"]):
            with self.subTest(role=role, context=bool(context)):
                with self.assertRaises(REFUSED):
                    Amendment.with_user(user).with_context(**context).create(
                        {
                            "budget_id": self.budget.id,
                            "amendment_type": "increase",
                            "justification": "Forged",
                            "state": "approved",
                        }
                    )
        self.assertEqual(Amendment.search_count([]), count)

    def test_head_acts_on_their_directions_only(self):
        amendment = self._submitted()
        head = self.user_other_head
        with self.assertRaises(AccessError):
            amendment.with_user(head).action_cancel()
        with self.assertRaises(AccessError):
            amendment.with_user(head).validate_tier()
        with self.assertRaises(AccessError):
            amendment.with_user(head).reject_tier()
        self.assertFalse(
            self.env["nm.carbon.amendment"]
            .with_user(head)
            .search([("id", "=", amendment.id)])
        )
        # nor add a line on another direction's envelope to their own draft
        own_line = self._budget_line_sport()
        draft = (
            self.env["nm.carbon.amendment"]
            .with_user(head)
            .create(
                {
                    "budget_id": self.budget.id,
                    "amendment_type": "transfer",
                    "justification": "Sport",
                    "line_ids": [
                        (0, 0, {"budget_line_id": own_line.id, "delta_kg": -10})
                    ],
                }
            )
        )
        with self.assertRaises(AccessError):
            draft.write(
                {
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "budget_line_id": self.line_culture_mob.id,
                                "delta_kg": 10,
                            },
                        )
                    ]
                }
            )
        self.assertEqual(amendment.state, "submitted")
        self.assertTrue(all(r.status != "approved" for r in amendment.review_ids))

    def _budget_line_sport(self):
        self.budget.sudo().write({"state": "draft"})
        line = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": self.budget.id,
                "analytic_account_id": self.dir_sport.id,
                "general_budget_id": self.position_mobility.id,
                "date_from": self.budget.date_from,
                "date_to": self.budget.date_to,
                "planned_amount": -3000,
                "planned_carbon_kg": 1000,
            }
        )
        self.budget.sudo().write({"state": "validate"})
        return line

    # ------------------------------------------------------------ tier.review

    def test_reviews_are_not_forgeable(self):
        """Acceptance 3: writing a review approved, creating or deleting one."""
        amendment = self._submitted()
        reviews = amendment.review_ids
        self.assertEqual(len(reviews), 2)
        Review = self.env["tier.review"]
        for role, user, context in self._each():
            forged = reviews.with_user(user).with_context(**context)
            with self.subTest(role=role, context=bool(context)):
                with self.assertRaises(REFUSED):
                    forged.write(
                        {"status": "approved", "done_by": self.user_approver.id}
                    )
                with self.assertRaises(REFUSED):
                    forged.unlink()
                with self.assertRaises(REFUSED):
                    Review.with_user(user).with_context(**context).create(
                        {
                            "model": amendment._name,
                            "res_id": amendment.id,
                            "definition_id": reviews[0].definition_id.id,
                            "status": "approved",
                            "done_by": self.user_approver.id,
                        }
                    )
        reviews.invalidate_recordset()
        self.assertEqual(
            reviews.sorted("sequence").mapped("status"),
            ["pending", "waiting"],
        )
        self.assertEqual(len(amendment.review_ids), 2)
        self.assertFalse(reviews.done_by)

    def test_only_the_reviewer_of_the_open_tier_approves(self):
        amendment = self._submitted()
        # the controller waits for the head; the approver has no tier here
        for user in (self.user_finance, self.user_approver, self.user_agent):
            with self.subTest(user=user.login):
                with self.assertRaises(REFUSED):
                    amendment.with_user(user).validate_tier()
                with self.assertRaises(REFUSED):
                    amendment.with_user(user)._validate_tier()
        self.assertEqual(amendment.review_ids.mapped("status").count("approved"), 0)
        self._approve(amendment, self.user_head)
        self.assertEqual(amendment.state, "submitted")
        with self.assertRaises(REFUSED):
            amendment.with_user(self.user_approver).validate_tier()
        self._approve(amendment, self.user_finance)
        self.assertEqual(amendment.state, "approved")
        self.assertEqual(
            amendment.review_ids.sorted("sequence").done_by,
            self.user_head | self.user_finance,
        )
        # the assembly's tier: only an approver records its vote
        voted = self._submitted("increase", [(self.line_culture_mob, 2000)])
        for user in (self.user_head, self.user_finance, self.user_agent):
            with self.subTest(user=user.login), self.assertRaises(REFUSED):
                voted.with_user(user).validate_tier()
        self._approve(voted, self.user_approver)
        self.assertEqual(voted.state, "approved")

    def test_request_and_restart_validation_are_not_back_doors(self):
        amendment = self._submitted()
        for role in ("agent", "approver", "other head"):
            with self.subTest(role=role):
                with self.assertRaises(REFUSED):
                    amendment.with_user(self.roles[role]).request_validation()
                with self.assertRaises(REFUSED):
                    amendment.with_user(self.roles[role]).restart_validation()
        self.assertEqual(len(amendment.review_ids), 2)

    def test_portal_reads_no_review(self):
        amendment = self._submitted()
        Review = self.env["tier.review"].with_user(self.user_portal)
        with self.assertRaises(AccessError):
            Review.search_read([], ["status", "done_by"])
        with self.assertRaises(AccessError):
            amendment.review_ids.with_user(self.user_portal).read(["status"])
        with self.assertRaises(AccessError):
            self.env["tier.definition"].with_user(self.user_portal).search([])

    def test_top_tier_reads_data_no_user_writes(self):
        """The assembly's vote is read from reviews the workflow wrote: a review
        set approved by hand (here as superuser, as SQL would) with someone who is
        not an approver as done_by does not count, deliberation recorded or not."""
        amendment = self._submitted("increase", [(self.line_culture_mob, 2000)])
        self.assertEqual(amendment.approval_route, "assembly")
        amendment.review_ids.sudo().write(
            {"status": "approved", "done_by": self.user_head.id}
        )
        amendment.with_user(self.user_finance).write(
            {"deliberation_number": "2026-041", "deliberation_date": "2026-10-12"}
        )
        with self.assertRaisesRegex(UserError, "deliberative assembly"):
            amendment.sudo()._check_route_approved()

    # ------------------------------------------------------------ applied DM

    def test_applied_dm_is_frozen_for_everyone(self):
        amendment = self._applied()
        line = amendment.line_ids.sorted("delta_kg")[0]
        for role, user, context in self._each():
            dm = amendment.with_user(user).with_context(**context)
            dm_line = line.with_user(user).with_context(**context)
            with self.subTest(role=role, context=bool(context)):
                with self.assertRaises(REFUSED):
                    dm_line.write({"delta_kg": -5000, "after_kg": 25000})
                with self.assertRaises(REFUSED):
                    dm_line.unlink()
                with self.assertRaises(REFUSED):
                    dm.write({"chain_hash": "0" * 64})
                with self.assertRaises(REFUSED):
                    dm.write({"justification": "Rewritten"})
                with self.assertRaises(REFUSED):
                    dm.unlink()
                with self.assertRaises(REFUSED):
                    dm.action_cancel()
        amendment.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual((line.delta_kg, line.after_kg), (-500, 9500))
        self.assertEqual(amendment.state, "applied")
        self.assertFalse(amendment._check_chain(self.env.company))

    def test_resealing_with_the_published_algorithm_is_reported(self):
        """Acceptance 5: rewrite the lines by SQL, recompute the seal with the
        unkeyed sha256 anyone can read in the source: the chain check names it."""
        amendment = self._applied()
        self.env.cr.execute(
            "UPDATE nm_carbon_amendment_line SET delta_kg = -5000, after_kg = 5000 "
            "WHERE amendment_id = %s AND delta_kg = -500",
            [amendment.id],
        )
        amendment.invalidate_recordset()
        amendment.line_ids.invalidate_recordset()
        parts = [amendment.name, str(amendment.budget_id.id), amendment.amendment_type]
        for line in sorted(amendment.line_ids, key=lambda rec: rec.budget_line_id.id):
            parts.append(
                f"{line.budget_line_id.id}:{line.delta_kg:.4f}:"
                f"{line.before_kg:.4f}:{line.after_kg:.4f}"
            )
        parts.append(amendment.chain_previous_hash)
        forged = hashlib.sha256("|".join(parts).encode()).hexdigest()
        self.env.cr.execute(
            "UPDATE nm_carbon_amendment SET chain_hash = %s WHERE id = %s",
            [forged, amendment.id],
        )
        self.assertEqual(amendment._check_chain(self.env.company), amendment)
        with self.assertRaisesRegex(UserError, amendment.name):
            amendment.with_user(self.user_finance).action_check_chain()

    def test_no_key_no_seal(self):
        amendment = self._amendment("decrease", [(self.line_property_ene, -100)])
        amendment.action_submit()
        self._approve_by_route(amendment)
        with (
            patch.object(nm_carbon_amendment_chain, "chain_key", return_value=None),
            self.assertRaisesRegex(UserError, "nm_chain_key"),
        ):
            amendment.with_user(self.user_finance).action_apply()
        self.assertEqual(amendment.state, "approved")
        self.assertEqual(self.line_property_ene.planned_carbon_kg, 60000)

    def test_the_key_changes_the_seal(self):
        amendment = self._applied()
        with patch.object(
            nm_carbon_amendment_chain, "chain_key", return_value="another key"
        ):
            self.assertTrue(amendment._check_chain(self.env.company))
        self.assertFalse(amendment._check_chain(self.env.company))

    def test_printed_dm_carries_its_seal(self):
        amendment = self._applied()
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "nm_carbon_budget.report_carbon_amendment", amendment.ids
        )
        self.assertIn(amendment.chain_hash, html.decode())
        self.assertIn(amendment.chain_previous_hash, html.decode())

    def test_apply_is_the_controllers(self):
        amendment = self._amendment("decrease", [(self.line_property_ene, -100)])
        amendment.action_submit()
        self._approve_by_route(amendment)
        for role in ("agent", "head", "approver"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                amendment.with_user(self.roles[role]).with_context(
                    **BYPASS_CONTEXTS
                ).action_apply()
        self.assertEqual(amendment.state, "approved")

    # ------------------------------------------------------------ reference data

    def test_used_factor_frozen_for_everyone(self):
        factor = self.env["nm.emission.factor"].create(
            {
                "name": "Car (sec test)",
                "code": "SEC-CAR",
                "value": 0.2176,
                "unit": "vehicle_km",
                "source": "test",
                "date_start": "2024-01-01",
            }
        )
        self.env["account.analytic.line"].create(
            {
                "name": "Trip",
                "date": "2026-03-01",
                self.plan._column_name(): self.dir_culture.id,
                "unit_amount": 100,
                "emission_factor_id": factor.id,
            }
        )
        for role, user, context in self._each():
            with self.subTest(role=role, context=bool(context)):
                with self.assertRaises(REFUSED):
                    factor.with_user(user).with_context(**context).write({"value": 0.1})
                with self.assertRaises(REFUSED):
                    factor.with_user(user).with_context(**context).unlink()
        factor.invalidate_recordset()
        self.assertEqual(factor.value, 0.2176)

    def test_heads_are_named_by_controllers(self):
        for role in ("agent", "head", "approver"):
            with self.subTest(role=role), self.assertRaises(REFUSED):
                self.dir_sport.with_user(self.roles[role]).write(
                    {"direction_head_ids": [(4, self.roles[role].id)]}
                )
        self.assertEqual(self.dir_sport.direction_head_ids, self.user_other_head)


@tagged("post_install", "-at_install")
class TestApiSecurityHttp(SecurityFixtures, HttpCase):
    """The worst cases as a browser or a script sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_security(cls.env)

    def _call_kw(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {"context": BYPASS_CONTEXTS, **(kwargs or {})},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_refused(self, answer):
        self.assertIn("error", answer, answer)
        self.assertIn(
            answer["error"]["data"]["name"],
            ("odoo.exceptions.AccessError", "odoo.exceptions.UserError"),
        )
        self.assertTrue(answer["error"]["data"]["message"])

    def test_agent_rewrites_an_envelope_with_the_apply_context(self):
        answer = self._call_kw(
            "sec_agent",
            "crossovered.budget.lines",
            "write",
            [[self.line_culture_mob.id], {"planned_carbon_kg": 999999}],
        )
        self._assert_refused(answer)
        self.line_culture_mob.invalidate_recordset()
        self.assertEqual(self.line_culture_mob.planned_carbon_kg, 10000)

    def test_agent_forges_an_approval(self):
        amendment = self._amendment("increase", [(self.line_culture_mob, 2000)])
        amendment.action_submit()
        answer = self._call_kw(
            "sec_agent",
            "tier.review",
            "write",
            [
                amendment.review_ids.ids,
                {"status": "approved", "done_by": self.user_approver.id},
            ],
        )
        self._assert_refused(answer)
        amendment.review_ids.invalidate_recordset()
        self.assertNotIn("approved", amendment.review_ids.mapped("status"))

    def test_head_writes_state_approved(self):
        amendment = self._amendment("increase", [(self.line_culture_mob, 2000)])
        amendment.action_submit()
        answer = self._call_kw(
            "dm_head",
            "nm.carbon.amendment",
            "write",
            [amendment.ids, {"state": "approved"}],
        )
        self._assert_refused(answer)
        amendment.invalidate_recordset()
        self.assertEqual(amendment.state, "submitted")
