# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The approval banner and chatter lines of a DM carbone, in the user's language.
# pylint: disable=consider-merging-classes-inherited
from odoo import models

ICON = '<i class="fa fa-lg fa-info-circle"></i>'


class NmCarbonAmendment(models.Model):
    """base_tier_validation writes these texts with terms its French file leaves
    untranslated ("Pending validation by Group …"): a DM carbone says them in its
    own words, translated with our addon."""

    _inherit = "nm.carbon.amendment"

    def _nm_tier_awaited(self, reviews):
        """Who is awaited: the tier's name and its group (or its reviewers)."""
        return ", ".join(
            self.env._(
                "%(tier)s (%(who)s)",
                tier=review.name,
                who=review.reviewer_group_id.name
                or ", ".join(review.reviewer_ids[:3].mapped("display_name")),
            )
            if review.name
            else review.reviewer_group_id.name or ""
            for review in reviews
        )

    def _get_to_validate_message(self):
        pending = self.review_ids.filtered(lambda r: r.status == "pending")[:1]
        if pending:
            return self.env._(
                "%(icon)s Awaiting approval by %(awaited)s",
                icon=ICON,
                awaited=self._nm_tier_awaited(pending),
            )
        return self.env._("%(icon)s This DM carbone needs to be approved.", icon=ICON)

    def _notify_requested_review_body(self, tier_reviews=None):
        if not tier_reviews:
            return super()._notify_requested_review_body(tier_reviews)
        requester = tier_reviews[:1].requested_by or self.env.user
        return self.env._(
            "Approval requested from %(awaited)s by %(requester)s.",
            awaited=self._nm_tier_awaited(tier_reviews),
            requester=requester.display_name,
        )
