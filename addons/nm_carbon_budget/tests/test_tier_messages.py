# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A DM carbone awaiting approval says who is awaited in its own words (the tier
and its group), in the banner and in the chatter: texts our French file
translates, not base_tier_validation's untranslated "Pending validation by"."""

from odoo.tests import TransactionCase, tagged

from .test_amendment import AmendmentFixtures


@tagged("post_install", "-at_install")
class TestTierMessages(AmendmentFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls._setup_users(cls.env)

    def test_banner_and_chatter_name_the_awaited_tier(self):
        amendment = self._amendment(
            "transfer", [(self.line_culture_mob, -100), (self.line_culture_ene, 100)]
        )
        amendment.action_submit()
        pending = amendment.review_ids.filtered(lambda r: r.status == "pending")
        self.assertEqual(len(pending), 1)
        # the direction-head tier names the heads of the DM's direction, the
        # other tiers their group
        group = pending.reviewer_group_id.name or ", ".join(
            pending.reviewer_ids[:3].mapped("display_name")
        )
        self.assertTrue(group)
        amendment.invalidate_recordset(["to_validate_message"])
        banner = str(amendment.to_validate_message)
        self.assertIn(f"Awaiting approval by {pending.name} ({group})", banner)
        self.assertNotIn("Pending validation by", banner)
        bodies = " ".join(str(body) for body in amendment.message_ids.mapped("body"))
        self.assertIn(f"Approval requested from {pending.name} ({group})", bodies)
        self.assertNotIn("Review pending for", bodies)

    def test_assembly_tier_named_in_french(self):
        """The assembly's tier in the French banner: "Assemblée délibérante", the
        executive and the assembly, never an "élu"."""
        self.env["res.lang"]._activate_lang("fr_FR")
        amendment = self._amendment("increase", [(self.line_culture_mob, 100)])
        amendment.action_submit()
        banner = str(amendment.with_context(lang="fr_FR").to_validate_message)
        self.assertIn("Assemblée délibérante", banner)
        self.assertNotIn("élu", banner)
        executive = self.env.ref(
            "nm_carbon_budget.tier_definition_amendment_executive"
        ).with_context(lang="fr_FR")
        self.assertEqual(executive.name, "Exécutif")
