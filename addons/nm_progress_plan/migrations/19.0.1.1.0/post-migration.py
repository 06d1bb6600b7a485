# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: move each measure's single evidence file into the new relation.

The legacy column is kept (OpenUpgrade's practice): it still names each
measure's former evidence, for audit, until a database cleanup removes it.
"""

import logging

from openupgradelib import openupgrade

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

TABLE = "nm_progress_measure"
LEGACY_COLUMN = openupgrade.get_legacy_name("evidence_attachment_id")


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if not openupgrade.column_exists(cr, TABLE, LEGACY_COLUMN):
        return
    legacy = SQL.identifier(LEGACY_COLUMN)
    cr.execute(
        SQL(
            """
            INSERT INTO nm_progress_measure_evidence_rel (measure_id, attachment_id)
            SELECT measure.id, measure.%(legacy)s
              FROM nm_progress_measure measure
              JOIN ir_attachment attachment ON attachment.id = measure.%(legacy)s
             WHERE measure.%(legacy)s IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            legacy=legacy,
        )
    )
    _logger.info("%s measure evidence file(s) moved to the new relation", cr.rowcount)
    # every former evidence must be in the relation: refuse to go on otherwise
    cr.execute(
        SQL(
            """
            SELECT count(*)
              FROM nm_progress_measure measure
             WHERE measure.%(legacy)s IS NOT NULL
               AND NOT EXISTS (
                   SELECT 1 FROM nm_progress_measure_evidence_rel rel
                    WHERE rel.measure_id = measure.id
                      AND rel.attachment_id = measure.%(legacy)s
               )
            """,
            legacy=legacy,
        )
    )
    missing = cr.fetchone()[0]
    if missing:
        raise RuntimeError(
            f"{missing} measure evidence file(s) could not be moved: upgrade stopped"
        )
