# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tamper evidence for applied DM carbone: each applied amendment seals its content
with the seal of the one applied before it in the same company, as Odoo does for the
inalterability of French journal entries. Editing an applied amendment in the
database, even by SQL, breaks the chain from that amendment on.

The seal is an HMAC-SHA256 whose key lives outside the database (the ``nm_chain_key``
option of Odoo's configuration file, or the ``NM_CHAIN_KEY`` environment variable):
whoever can write the database but not read the server's configuration cannot
recompute a seal that holds, even knowing the algorithm."""

import hashlib
import hmac
import os

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

GENESIS = "0" * 64
# First key of the advisory lock that serialises chaining ("NMCA").
CHAIN_LOCK_KEY = 0x4E4D4341
CHAIN_KEY_OPTION = "nm_chain_key"
CHAIN_KEY_VARIABLE = "NM_CHAIN_KEY"


def chain_key():
    """The sealing key, from Odoo's configuration file or the environment; None
    when neither holds one."""
    key = config.get(CHAIN_KEY_OPTION) or os.environ.get(CHAIN_KEY_VARIABLE)
    return str(key) if key else None


def amendment_fingerprint(name, budget_id, amendment_type, lines, previous_hash, key):
    """HMAC-SHA256, with ``key``, of an applied amendment's content and of the
    previous seal.

    ``lines`` are (budget line id, delta kg, before kg, after kg) tuples; amounts are
    written with fixed decimals so the same content always gives the same string."""
    parts = [name or "", str(budget_id), amendment_type or ""]
    for budget_line_id, delta, before, after in sorted(lines):
        parts.append(f"{budget_line_id}:{delta:.4f}:{before:.4f}:{after:.4f}")
    parts.append(previous_hash)
    return hmac.new(
        key.encode("utf-8"), "|".join(parts).encode("utf-8"), hashlib.sha256
    ).hexdigest()


class NmCarbonAmendment(models.Model):
    _inherit = "nm.carbon.amendment"

    chain_sequence = fields.Integer(
        string="Position in the chain",
        readonly=True,
        copy=False,
        help="Order in which the applied amendments of the company were chained.",
    )
    chain_previous_hash = fields.Char(readonly=True, copy=False)
    chain_hash = fields.Char(
        readonly=True,
        copy=False,
        help="Fingerprint of the applied amendment and of the one before it: "
        "any later change of its lines shows when the chain is verified.",
    )

    def _apply(self):
        # Refused before anything is written: an amendment applied without its
        # seal would leave a hole in the chain.
        self._nm_chain_key()
        result = super()._apply()
        self._chain()
        return result

    def _nm_chain_key(self):
        key = chain_key()
        if not key:
            raise UserError(
                self.env._(
                    "Applied carbon amendments are sealed with a secret key kept "
                    "outside the database, and none is set on this server. Ask the "
                    "administrator to set %(option)s in the Odoo configuration file "
                    "(or the %(variable)s environment variable) and restart Odoo.",
                    option=CHAIN_KEY_OPTION,
                    variable=CHAIN_KEY_VARIABLE,
                )
            )
        return key

    def _chain(self):
        """Give the amendment just applied its place and hash in the company's
        chain. A transaction-level lock per company serialises concurrent
        applications, so two amendments never share the same predecessor."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                CHAIN_LOCK_KEY,
                self.company_id.id,
            )
        )
        cr.execute(
            SQL(
                """SELECT chain_sequence, chain_hash FROM nm_carbon_amendment
                    WHERE company_id = %s AND chain_hash IS NOT NULL
                    ORDER BY chain_sequence DESC LIMIT 1""",
                self.company_id.id,
            )
        )
        last = cr.fetchone()
        sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
        self._nm_workflow_write(
            {
                "chain_sequence": sequence,
                "chain_previous_hash": previous,
                "chain_hash": self._fingerprint(previous),
            }
        )
        self.flush_recordset()

    def _fingerprint(self, previous_hash, key=None):
        return amendment_fingerprint(
            self.name,
            self.budget_id.id,
            self.amendment_type,
            [
                (line.budget_line_id.id, line.delta_kg, line.before_kg, line.after_kg)
                for line in self.sudo().line_ids
            ],
            previous_hash,
            key or self._nm_chain_key(),
        )

    def _chain_report(self, company=None):
        """Every applied amendment of the company in chain order, with the hash
        stored when it was applied, the one its content gives today and a status:
        'ok', 'broken' (the first link that no longer holds) or 'after' (after
        the break: their own content may be intact, but the chain no longer
        proves it). Reads the database, not the cache."""
        company = company or self.env.company
        self.env.invalidate_all()
        chained = self.sudo().search(
            [("company_id", "=", company.id), ("chain_hash", "!=", False)],
            order="chain_sequence",
        )
        rows, previous, broken = [], GENESIS, False
        key = self._nm_chain_key() if chained else None
        for amendment in chained:
            recomputed = amendment._fingerprint(previous, key)
            holds = (
                amendment.chain_previous_hash == previous
                and recomputed == amendment.chain_hash
            )
            if broken:
                status = "after"
            elif holds:
                status = "ok"
            else:
                status, broken = "broken", True
            rows.append(
                {
                    "amendment": amendment,
                    "stored_hash": amendment.chain_hash,
                    "recomputed_hash": recomputed,
                    "status": status,
                }
            )
            previous = amendment.chain_hash
        return rows

    def _check_chain(self, company=None):
        """The first applied amendment of the company whose stored content no
        longer matches its hash (or whose predecessor changed), or an empty
        recordset when the whole chain holds. Reads the database, not the cache."""
        broken = next(
            (row for row in self._chain_report(company) if row["status"] == "broken"),
            None,
        )
        return self.browse(broken["amendment"].id if broken else [])

    def action_check_chain(self):
        broken = self._check_chain(self.company_id[:1] or self.env.company)
        if broken:
            raise UserError(
                self.env._(
                    "The chain of applied carbon amendments is broken at %(name)s: its "
                    "lines were changed after it was applied (or the amendment before "
                    "it was). The amendments applied before it are intact.",
                    name=broken.name,
                )
            )
        count = self.sudo().search_count(
            [
                ("company_id", "=", (self.company_id[:1] or self.env.company).id),
                ("chain_hash", "!=", False),
            ]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Chain verified"),
                "message": self.env._(
                    "The %(count)s applied carbon amendments are unchanged since they "
                    "were applied.",
                    count=count,
                ),
                "sticky": False,
            },
        }
