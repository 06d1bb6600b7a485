# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError

# Models whose approvals are a promise of the product: their reviews are written
# only by the workflow (the document's tier methods, as superuser, after checking
# that the current user is an assigned reviewer).
LOCKED_REVIEW_MODELS = frozenset({"nm.carbon.amendment"})


class TierReview(models.Model):
    _inherit = "tier.review"

    @api.model
    def _nm_locked_review_models(self):
        return LOCKED_REVIEW_MODELS

    def _nm_locked_reviews(self):
        locked = self._nm_locked_review_models()
        return self.sudo().filtered(lambda review: review.model in locked)

    def _nm_refuse(self):
        raise AccessError(
            self.env._(
                "Approvals of carbon amendments are recorded only by the Approve and "
                "Reject buttons of the amendment, used by its assigned reviewers; "
                "they cannot be created, changed or deleted directly."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        locked = self._nm_locked_review_models()
        if not self.env.su and any(vals.get("model") in locked for vals in vals_list):
            self._nm_refuse()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if vals.get("model") in self._nm_locked_review_models():
                self._nm_refuse()
            locked = self._nm_locked_reviews()
            # the comment wizard: a reviewer comments their own pending review
            commenting = set(vals) <= {"comment"} and all(
                review.status == "pending" and self.env.user in review.reviewer_ids
                for review in locked
            )
            if locked and not commenting:
                self._nm_refuse()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self._nm_locked_reviews():
            self._nm_refuse()
        return super().unlink()

    def _update_review_status(self):
        """Promoting the next tier to pending is the workflow's: done as superuser
        for locked reviews (it runs from the systray counter of any reviewer)."""
        if self.env.su:
            return super()._update_review_status()
        locked = self._nm_locked_reviews()
        if locked:
            super(TierReview, locked)._update_review_status()
        return super(TierReview, self - locked)._update_review_status()
