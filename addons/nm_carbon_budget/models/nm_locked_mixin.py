# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One guard for every document whose content freezes with its state.

Odoo serves ``create``, ``write`` and ``unlink`` to any caller holding the access right,
with any context. The guard below therefore reads no context key: it lets the superuser
environment through (``self.env.su``), which only server code reaches, through
``sudo()`` in a private method (a leading underscore: not callable over RPC). Every
other caller meets the same rules whatever it sends.

A model declares, as class attributes:

- ``_nm_workflow_fields``: fields that only the workflow changes (state, validator,
  approval dates, owner...): refused in ``write`` and, unless equal to their default,
  in ``create``;
- ``_nm_lock_state``: the field (or dotted path) whose value decides what is locked,
  ``"state"`` by default;
- ``_nm_locked_fields``: ``{state: fields}``, the fields frozen in that state; the
  value ``ALL`` freezes every field but the chatter's;
- ``_nm_undeletable_states``: states in which a record is never deleted.

and may override ``_nm_lock_message`` and ``_nm_unlink_message`` to say it in the
user's words. The workflow writes through ``_nm_workflow_write(vals)``.
"""

from odoo import api, models
from odoo.exceptions import UserError

ALL = "__all__"
# Fields the chatter, activities and followers write on a document in any state.
ALWAYS_WRITABLE_PREFIXES = ("message_", "activity_", "website_message")


class NmLockedMixin(models.AbstractModel):
    _name = "nm.locked.mixin"
    _description = "Content locked by state, changed only by the workflow"

    _nm_workflow_fields = frozenset()
    _nm_lock_state = "state"
    _nm_locked_fields = {}
    _nm_undeletable_states = ()

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        self._nm_check_create(vals_list)
        records = super().create(vals_list)
        # A record born in a locked state (a line added to a submitted document, a
        # document created as approved): refused once its lock value is known. The
        # exception rolls the whole creation back. A record born in its own field's
        # default state (an adjustment is proposed when created) is a creation like
        # any other: its content freezes from then on.
        if self._nm_locked_fields:
            initial = None
            if "." not in self._nm_lock_state:
                initial = self.default_get([self._nm_lock_state]).get(
                    self._nm_lock_state
                )
            for record, vals in zip(records, vals_list, strict=True):
                if initial is not None and record._nm_lock_value() == initial:
                    continue
                frozen = record._nm_frozen_fields(vals)
                if frozen:
                    raise UserError(record._nm_lock_message(sorted(frozen)))
        return records

    def write(self, vals):
        if not self.env.su:
            self._nm_check_write(vals)
        return super().write(vals)

    def unlink(self):
        # Not an @api.ondelete method: those are skipped under the context key
        # ``_force_unlink``, which any caller can send. Uninstalling runs as superuser.
        if not self.env.su:
            self._nm_check_unlink()
        return super().unlink()

    # ------------------------------------------------------------------ workflow

    def _nm_workflow_write(self, vals):
        """The one way through the guard: workflow methods write here."""
        return self.sudo().write(vals)

    # ------------------------------------------------------------------ checks

    def _nm_lock_value(self):
        """The value deciding the lock, read as superuser: the guard must not depend
        on what the caller may read (a parent document hidden by a record rule)."""
        self.ensure_one()
        value = self.sudo()
        for name in self._nm_lock_state.split("."):
            value = value[name]
        return value

    def _nm_frozen_fields(self, names):
        """Of ``names``, the fields this record's state freezes."""
        self.ensure_one()
        locked = self._nm_locked_fields.get(self._nm_lock_value())
        if not locked:
            return set()
        names = {n for n in names if not n.startswith(ALWAYS_WRITABLE_PREFIXES)}
        if locked == ALL:
            return names
        return names & set(locked)

    def _nm_check_create(self, vals_list):
        workflow = set(self._nm_workflow_fields)
        given = {name for vals in vals_list for name in vals} & workflow
        if not given:
            return
        defaults = self.default_get(list(given))
        for vals in vals_list:
            forced = sorted(
                name
                for name in given
                if name in vals
                and (vals[name] or False) != (defaults.get(name) or False)
            )
            if forced:
                raise UserError(self._nm_workflow_message(forced))

    def _nm_check_write(self, vals):
        workflow = sorted(set(vals) & set(self._nm_workflow_fields))
        if workflow and self:
            raise UserError(self._nm_workflow_message(workflow))
        for record in self:
            frozen = record._nm_frozen_fields(vals)
            if frozen:
                raise UserError(record._nm_lock_message(sorted(frozen)))

    def _nm_check_unlink(self):
        for record in self:
            if record._nm_lock_value() in self._nm_undeletable_states:
                raise UserError(record._nm_unlink_message())

    # ------------------------------------------------------------------ messages

    def _nm_field_labels(self, names):
        return ", ".join(
            self._fields[name]._description_string(self.env)
            for name in names
            if name in self._fields
        )

    def _nm_workflow_message(self, names):
        return self.env._(
            "%(fields)s of %(model)s change only through the buttons of the document "
            "(submit, approve, validate, cancel...), not directly.",
            fields=self._nm_field_labels(names),
            model=self.env["ir.model"]._get(self._name).name,
        )

    def _nm_lock_message(self, names):
        self.ensure_one()
        return self.env._(
            "%(record)s can no longer be changed in its current state (%(fields)s).",
            record=self.display_name,
            fields=self._nm_field_labels(names),
        )

    def _nm_unlink_message(self):
        self.ensure_one()
        return self.env._(
            "%(record)s cannot be deleted in its current state: it is kept for the "
            "record; cancel or correct it instead.",
            record=self.display_name,
        )
