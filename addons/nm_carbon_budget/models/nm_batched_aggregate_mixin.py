# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class NmBatchedAggregateMixin(models.AbstractModel):
    """Lets list, pivot and graph views sum non-stored figures that a model computes
    for many records at once (booked € and kgCO2e...).

    List the aggregates in ``_batched_aggregates`` (e.g. ``"carbon_kg:sum"``) and
    give those fields ``aggregator="sum"``: each group is read as its records, the
    figures are computed once for all groups together, then summed per group.
    """

    _name = "nm.batched.aggregate.mixin"
    _description = "Grouped sums of batch-computed figures"
    _batched_aggregates = frozenset()

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec in self._batched_aggregates:
            return super()._read_group_select("id:recordset", query)
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_postprocess_aggregate(self, aggregate_spec, raw_values):
        if aggregate_spec not in self._batched_aggregates:
            return super()._read_group_postprocess_aggregate(aggregate_spec, raw_values)
        field_name = aggregate_spec.split(":")[0]
        column = list(
            super()._read_group_postprocess_aggregate("id:recordset", raw_values)
        )
        self.browse().union(*column)._nm_batch_compute(field_name)
        return (
            self._batched_aggregate_value(records, field_name) for records in column
        )

    def _nm_batch_compute(self, *field_names):
        """Compute non-stored figures of all records in one call of their compute
        method (one SQL query for any number of records), into the cache.

        Reading them with ``mapped`` or a loop would not: Odoo iterates large
        recordsets by 1,000 records and computes each 1,000 apart.
        """
        for field_name in field_names:
            field = self._fields[field_name]
            if field.store or not field.compute:
                continue
            cache = field._get_cache(self.env)
            missing = self.browse(
                id_ for id_ in dict.fromkeys(self._ids) if id_ not in cache
            )
            if missing:
                field.compute_value(missing)
        return self

    def _batched_aggregate_value(self, records, field_name):
        """The total shown for one group; override to refuse meaningless sums."""
        return sum(records.mapped(field_name))
