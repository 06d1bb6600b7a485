# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: a measure's evidence becomes several files.

Before: ``nm_progress_measure.evidence_attachment_id`` (one attachment).
After: the relation ``nm_progress_measure_evidence_rel`` (any number).

Here, before the new model is loaded, the old column is renamed to its legacy
name so that nothing drops it before the post-migration has moved its content.
"""

from openupgradelib import openupgrade

TABLE = "nm_progress_measure"
OLD_COLUMN = "evidence_attachment_id"


@openupgrade.migrate()
def migrate(env, version):
    if openupgrade.column_exists(env.cr, TABLE, OLD_COLUMN):
        openupgrade.rename_columns(env.cr, {TABLE: [(OLD_COLUMN, None)]})
