# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.1.0, before the models load: the columns of the DM's route exist, so
the ORM does not compute them on its own when the field appears (its compute
would post a chatter message per DM, in the upgrade's language); the
post-migration computes them, in applied order, without messages."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        "ALTER TABLE nm_carbon_amendment"
        " ADD COLUMN IF NOT EXISTS approval_route varchar,"
        " ADD COLUMN IF NOT EXISTS moved_between_kg double precision",
    )
