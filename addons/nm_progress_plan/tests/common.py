# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.nm_carbon_budget.tests.common import role_user


def setup_progress_fixtures(cls):
    """Two operators (A and B) with a portal user each, a culture officer, and
    a signed convention per operator with an open review."""
    env = cls.env(context=dict(cls.env.context, tracking_disable=True))
    cls.env = env
    cls.manager = role_user(
        env,
        "pp_manager",
        "manager",
        name="Agnès Culture",
        email="agnes@example.com",
    )
    cls.finance = role_user(env, "pp_finance", "user")
    cls.operator_a = env["res.partner"].create(
        {"name": "Opérateur A", "is_company": True, "email": "a@example.com"}
    )
    cls.operator_b = env["res.partner"].create(
        {"name": "Opérateur B", "is_company": True, "email": "b@example.com"}
    )
    cls.portal_a = new_test_user(
        env,
        login="pp_portal_a",
        password="pp_portal_a",
        groups="base.group_portal",
        name="Alice (A)",
        email="alice@example.com",
    )
    cls.portal_a.partner_id.parent_id = cls.operator_a
    cls.portal_b = new_test_user(
        env,
        login="pp_portal_b",
        password="pp_portal_b",
        groups="base.group_portal",
        name="Bruno (B)",
        email="bruno@example.com",
    )
    cls.portal_b.partner_id.parent_id = cls.operator_b
    cls.convention_a = make_convention(env, cls.operator_a, "Convention A", cls.manager)
    cls.convention_b = make_convention(env, cls.operator_b, "Convention B", cls.manager)
    for convention in cls.convention_a | cls.convention_b:
        convention.action_sign()
    cls.review_a = cls.convention_a.review_ids.filtered(
        lambda r: r.review_type == "during"
    )[:1]
    cls.review_b = cls.convention_b.review_ids.filtered(
        lambda r: r.review_type == "during"
    )[:1]
    # open reviews the operators may still answer: due a month from today
    for review in cls.review_a | cls.review_b:
        review.date_due = due_in_a_month(review)
    cls.review_a.action_open()
    cls.review_b.action_open()
    clause_b = cls.convention_b.clause_ids[0]
    cls.measure_b = cls.review_b._submit_measures(
        [
            {
                "clause": clause_b,
                "value": 12.0,
                "comment": "B's secret figure",
                "evidence": [("b_evidence.pdf", b"%PDF-1.4 B data")],
            }
        ],
        user=cls.portal_b,
    )
    cls.attachment_b = cls.measure_b.evidence_attachment_ids
    cls.doc_b = env["ir.attachment"].create(
        {
            "name": "b_convention_signed.pdf",
            "datas": base64.b64encode(b"%PDF-1.4 signed B"),
            "res_model": "nm.convention",
            "res_id": cls.convention_b.id,
        }
    )


def due_in_a_month(review):
    """A due date a month ahead, so that the review still accepts measures
    whatever day the tests run (a review past its due date closes)."""
    return max(review.date_planned, fields.Date.context_today(review)) + timedelta(30)


def make_convention(env, partner, title, manager):
    return (
        env["nm.convention"]
        .with_user(manager)
        .create(
            {
                "title": title,
                "partner_id": partner.id,
                "user_id": manager.id,
                "convention_type": "cpo",
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
                "subsidy_amount": 50000.0,
                "operator_maturity": "starting",
                "clause_ids": [
                    Command.create(
                        {
                            "name": "Venue des publics à vélo",
                            "theme": "mobility",
                            "committer": "operator",
                            "indicator_name": "Part des publics venus à vélo",
                            "indicator_unit": "%",
                            "baseline": 20.0,
                            "target": 40.0,
                            "direction": "higher",
                            "frequency": "quarterly",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Émissions des tournées",
                            "theme": "touring",
                            "committer": "operator",
                            "indicator_name": "Émissions des tournées",
                            "indicator_unit": "kgCO2e",
                            "baseline": 1000.0,
                            "target": 800.0,
                            "direction": "lower",
                            "frequency": "yearly",
                            "is_carbon": True,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Navettes les soirs de concert",
                            "theme": "mobility",
                            "committer": "authority",
                            "indicator_name": "Soirs desservis",
                            "indicator_unit": "soirs",
                            "baseline": 0.0,
                            "target": 10.0,
                            "direction": "higher",
                            "frequency": "yearly",
                        }
                    ),
                ],
            }
        )
    )
