# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.0: applied DM carbone sealed with a keyed hash; trajectory years read
when displayed.

* The chain of applied amendments was sealed with a plain sha256, which anyone who
  can write the database can recompute. Each company's chain is walked with that
  former algorithm and, as far as it still holds, sealed again with the HMAC whose
  key lives outside the database (``nm_chain_key`` / ``NM_CHAIN_KEY``). A link that
  no longer holds is left as it is, with the ones after it: *Verify the chain* names
  it, as it would have before the upgrade. Without a key the upgrade stops: sealing
  with none would leave every applied DM unverifiable.
* ``nm.carbon.trajectory.point`` is now computed when read: its former table, a
  snapshot refreshed by a button, is dropped.
"""

import hashlib
import logging

from openupgradelib import openupgrade

from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.nm_carbon_budget.models.nm_carbon_amendment_chain import (
    CHAIN_KEY_OPTION,
    CHAIN_KEY_VARIABLE,
    GENESIS,
    amendment_fingerprint,
    chain_key,
)

_logger = logging.getLogger(__name__)


def sha256_fingerprint(name, budget_id, amendment_type, lines, previous_hash):
    """The seal of 19.0.1.0.0 (unkeyed), to check the chain before sealing it again."""
    parts = [name or "", str(budget_id), amendment_type or ""]
    for budget_line_id, delta, before, after in sorted(lines):
        parts.append(f"{budget_line_id}:{delta:.4f}:{before:.4f}:{after:.4f}")
    parts.append(previous_hash)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def reseal(env):
    cr = env.cr
    cr.execute(
        """SELECT DISTINCT company_id FROM nm_carbon_amendment
            WHERE chain_hash IS NOT NULL ORDER BY company_id"""
    )
    company_ids = [row[0] for row in cr.fetchall()]
    if not company_ids:
        return
    key = chain_key()
    if not key:
        raise UserError(
            f"Applied carbon amendments are now sealed with a key kept outside the "
            f"database: set {CHAIN_KEY_OPTION} in the Odoo configuration file (or the "
            f"{CHAIN_KEY_VARIABLE} environment variable), then run the upgrade again."
        )
    for company_id in company_ids:
        cr.execute(
            """SELECT id, name, budget_id, amendment_type, chain_previous_hash,
                      chain_hash
                 FROM nm_carbon_amendment
                WHERE company_id = %s AND chain_hash IS NOT NULL
                ORDER BY chain_sequence""",
            [company_id],
        )
        links = cr.fetchall()
        old_previous = new_previous = GENESIS
        sealed = 0
        for amendment_id, name, budget_id, kind, stored_previous, stored in links:
            cr.execute(
                """SELECT budget_line_id, delta_kg, before_kg, after_kg
                     FROM nm_carbon_amendment_line WHERE amendment_id = %s""",
                [amendment_id],
            )
            lines = [tuple(row) for row in cr.fetchall()]
            if stored_previous != old_previous or stored != sha256_fingerprint(
                name, budget_id, kind, lines, old_previous
            ):
                _logger.warning(
                    "Carbon amendment chain of company %s already broken at %s: left "
                    "as it is, the chain check names it.",
                    company_id,
                    name,
                )
                break
            new = amendment_fingerprint(name, budget_id, kind, lines, new_previous, key)
            cr.execute(
                SQL(
                    """UPDATE nm_carbon_amendment
                          SET chain_previous_hash = %s, chain_hash = %s
                        WHERE id = %s""",
                    new_previous,
                    new,
                    amendment_id,
                )
            )
            old_previous, new_previous = stored, new
            sealed += 1
        _logger.info(
            "Company %s: %s of %s applied carbon amendments sealed with the key.",
            company_id,
            sealed,
            len(links),
        )


@openupgrade.migrate()
def migrate(env, version):
    reseal(env)
    openupgrade.logged_query(env.cr, "DROP TABLE IF EXISTS nm_carbon_trajectory_point")
