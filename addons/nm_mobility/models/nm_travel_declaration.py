# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

from ..tools import travel

TRAVEL_TYPES = [
    ("commute", "Home–work commute"),
    ("intersite", "Between sites"),
    ("mission", "Mission"),
]
# Emission item booked for each type of travel (xml ids in nm_carbon_budget).
TYPE_CATEGORIES = {
    "commute": "nm_carbon_budget.nm_carbon_category_mob_commute",
    "intersite": "nm_carbon_budget.nm_carbon_category_mob_intersite",
    "mission": "nm_carbon_budget.nm_carbon_category_mob_mission",
}
LOCKED_STATES = ("validated", "booked")
EDITABLE_STATES = ("draft", "submitted")
# Fields only the workflow writes (action methods, through _nm_workflow_write).
WORKFLOW_FIELDS = frozenset({"state", "validated_by_id", "validation_date"})
# Figures computed from the trips: never typed (the booking reads them).
COMPUTED_FIELDS = frozenset(
    {
        "analytic_line_ids",
        "user_id",
        "month",
        "total_km",
        "carbon_kg",
        "commute_km",
        "commute_carbon_kg",
        "intersite_km",
        "intersite_carbon_kg",
        "mission_km",
        "mission_carbon_kg",
        "low_carbon_km_share",
    }
)
# Fields that decide whose carbon it is and on which direction it is booked.
OWNER_FIELDS = ("employee_id", "department_id", "analytic_account_id")
# Groups that may declare for anyone and move a declaration to another direction.
MANAGER_GROUPS = (
    "nm_carbon_budget.group_carbon_manager",
    "hr.group_hr_manager",
)


class NmTravelDeclaration(models.Model):
    """One agent's travel for one month, booked as carbon on the direction."""

    _name = "nm.travel.declaration"
    _description = "Travel declaration"
    _inherit = ["mail.thread", "nm.locked.mixin"]
    _order = "date desc, id desc"
    # the agent, the department and the direction booked on belong to the
    # declaration's company (or to every company): two cities never meet here
    _check_company_auto = True
    _nm_workflow_fields = WORKFLOW_FIELDS | COMPUTED_FIELDS
    # Submitted: frozen for its agent only (see _nm_frozen_fields); validated,
    # booked or cancelled: frozen for everyone, corrected through the buttons.
    _nm_locked_fields = {"validated": ALL, "booked": ALL, "cancel": ALL}
    _nm_undeletable_states = ("validated", "booked")

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index="trigram"
    )
    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        default=lambda self: self.env.user.employee_id,
    )
    user_id = fields.Many2one(
        "res.users",
        related="employee_id.user_id",
        store=True,
        index="btree_not_null",
        string="Agent's user",
    )
    department_id = fields.Many2one(
        "hr.department",
        check_company=True,
        compute="_compute_department_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Direction",
        check_company=True,
        compute="_compute_analytic_account_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Analytic account the carbon is booked on: the direction of the "
        "employee's department; a manager can change it.",
    )
    date = fields.Date(
        string="Month",
        required=True,
        index=True,
        default=lambda self: travel.month_start(fields.Date.context_today(self)),
        help="First day of the month declared.",
    )
    month = fields.Char(string="Month code", compute="_compute_month", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("validated", "Validated"),
            ("booked", "Booked"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Not tracked record by record, so that hundreds of declarations "
        "validate at once; corrections are logged in one batch (_log_state).",
    )
    line_ids = fields.One2many(
        "nm.travel.declaration.line", "declaration_id", string="Trips", copy=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    total_km = fields.Float(
        string="km", compute="_compute_totals", store=True, digits=(16, 1)
    )
    carbon_kg = fields.Float(
        string="kgCO2e",
        compute="_compute_totals",
        store=True,
        digits=(16, 4),
        aggregator="sum",
    )
    commute_km = fields.Float(compute="_compute_totals", store=True, digits=(16, 1))
    commute_carbon_kg = fields.Float(
        string="Commute kgCO2e", compute="_compute_totals", store=True, digits=(16, 4)
    )
    intersite_km = fields.Float(
        string="Inter-site km", compute="_compute_totals", store=True, digits=(16, 1)
    )
    intersite_carbon_kg = fields.Float(
        string="Inter-site kgCO2e",
        compute="_compute_totals",
        store=True,
        digits=(16, 4),
    )
    mission_km = fields.Float(compute="_compute_totals", store=True, digits=(16, 1))
    mission_carbon_kg = fields.Float(
        string="Mission kgCO2e", compute="_compute_totals", store=True, digits=(16, 4)
    )
    low_carbon_km_share = fields.Float(
        string="Low-carbon km (%)", compute="_compute_totals", store=True
    )
    validated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    validation_date = fields.Date(readonly=True, copy=False)
    analytic_line_ids = fields.One2many(
        "account.analytic.line", "travel_declaration_id", readonly=True
    )
    can_change_account = fields.Boolean(compute="_compute_can_change_account")
    summary_ids = fields.One2many(
        "nm.travel.declaration.summary",
        "declaration_id",
        string="Totals by type and mode",
        readonly=True,
    )

    _employee_month_unique = models.UniqueIndex(
        "(employee_id, date)",
        "There is already a travel declaration for this employee and month: open it "
        "and complete it instead of creating another one.",
    )

    @api.depends("employee_id")
    def _compute_department_id(self):
        for declaration in self:
            declaration.department_id = declaration.employee_id.sudo().department_id

    @api.depends("department_id")
    def _compute_analytic_account_id(self):
        for declaration in self:
            declaration.analytic_account_id = (
                declaration.department_id.sudo().analytic_account_id
            )

    @api.depends("date")
    def _compute_month(self):
        for declaration in self:
            declaration.month = (
                declaration.date.strftime("%Y-%m") if declaration.date else False
            )

    @api.depends(
        "line_ids.total_km",
        "line_ids.carbon_kg",
        "line_ids.travel_type",
        "line_ids.is_low_carbon",
    )
    def _compute_totals(self):
        for declaration in self:
            km = defaultdict(float)
            kg = defaultdict(float)
            low_km = 0.0
            for line in declaration.line_ids:
                km[line.travel_type] += line.total_km
                kg[line.travel_type] += line.carbon_kg
                if line.is_low_carbon:
                    low_km += line.total_km
            declaration.total_km = sum(km.values())
            declaration.carbon_kg = sum(kg.values())
            declaration.commute_km = km["commute"]
            declaration.commute_carbon_kg = kg["commute"]
            declaration.intersite_km = km["intersite"]
            declaration.intersite_carbon_kg = kg["intersite"]
            declaration.mission_km = km["mission"]
            declaration.mission_carbon_kg = kg["mission"]
            declaration.low_carbon_km_share = travel.share(low_km, declaration.total_km)

    def _compute_can_change_account(self):
        is_manager = self.env.user.has_group("nm_carbon_budget.group_carbon_manager")
        for declaration in self:
            declaration.can_change_account = is_manager and (
                declaration.state in EDITABLE_STATES
            )

    def _check_one_per_month(self, pairs):
        """Refuse a second declaration for an employee and month, before anything
        is written (the unique index is the last guard, under concurrency).
        ``pairs`` are (employee id, first day of the month) to be written."""
        seen = set()
        for pair in pairs:
            if pair in seen:
                self._raise_month_taken(*pair)
            seen.add(pair)
        if not pairs:
            return
        existing = self.sudo().search(
            [
                ("id", "not in", self.ids),
                ("employee_id", "in", list({e for e, _m in pairs})),
                ("date", "in", list({m for _e, m in pairs})),
            ]
        )
        for declaration in existing:
            if (declaration.employee_id.id, declaration.date) in seen:
                self._raise_month_taken(declaration.employee_id.id, declaration.date)

    def _raise_month_taken(self, employee_id, month):
        # Never the colleague's name nor reference: the user may not read them.
        raise ValidationError(
            self.env._(
                "This agent already has a travel declaration for %(month)s: open it "
                "and complete it instead of creating another one.",
                month=month.strftime("%m/%Y"),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        default_employee = self.env.user.employee_id.id
        for vals in vals_list:
            vals["date"] = travel.month_start(
                fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self)
            )
        self._check_declares_for(
            {vals.get("employee_id") or default_employee for vals in vals_list}
        )
        # the agent's company, whichever company the user is working in
        employees = self.env["hr.employee"].sudo()
        for vals in vals_list:
            if not vals.get("company_id"):
                employee = employees.browse(vals.get("employee_id") or default_employee)
                vals["company_id"] = employee.company_id.id or self.env.company.id
        self._check_one_per_month(
            [
                (vals.get("employee_id") or default_employee, vals["date"])
                for vals in vals_list
            ]
        )
        sequence = self.env["ir.sequence"].search(
            [
                ("code", "=", "nm.travel.declaration"),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
        for vals in vals_list:
            if sequence and vals.get("name", "/") == "/":
                vals["name"] = sequence._next(sequence_date=vals["date"])
        # No "created" note nor follower per declaration: imports and the team
        # grid create hundreds at once; create_uid and create_date tell who.
        declarations = (
            super(
                NmTravelDeclaration,
                self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True),
            )
            .create(vals_list)
            .with_env(self.env)
        )
        declarations._check_account_change(vals_list)
        return declarations

    def write(self, vals):
        if "name" in vals and not self.env.su:
            raise UserError(self._nm_workflow_message(["name"]))
        if vals.get("date"):
            vals = dict(
                vals, date=travel.month_start(fields.Date.to_date(vals["date"]))
            )
        if not self.env.su and vals.get("employee_id"):
            moved = self.filtered(lambda d: d.employee_id.id != vals["employee_id"])
            if moved:
                moved._check_declares_for({vals["employee_id"]}, reassign=True)
        if vals.get("date") or vals.get("employee_id"):
            self._check_one_per_month(
                [
                    (
                        vals.get("employee_id") or d.employee_id.id,
                        vals.get("date") or d.date,
                    )
                    for d in self
                ]
            )
        result = super().write(vals)
        if set(OWNER_FIELDS) & set(vals):
            self._check_account_change([vals] * len(self))
        return result

    def _nm_check_unlink(self):
        # called by nm.locked.mixin's unlink (not an @api.ondelete method: those
        # are skipped under the context key _force_unlink, which any caller sends)
        booked = self.filtered("analytic_line_ids")
        if booked:
            raise UserError(booked[0]._nm_unlink_message())
        return super()._nm_check_unlink()

    # ------------------------------------------------------------------ guard

    def _nm_frozen_fields(self, names):
        frozen = super()._nm_frozen_fields(names)
        if (
            self.state == "submitted"
            and self.user_id == self.env.user
            and not self._is_travel_manager()
        ):
            # sent to the manager: the agent no longer changes it
            frozen |= {
                name for name in names if not name.startswith(("message_", "activity_"))
            }
        return frozen

    def _nm_workflow_write(self, vals):
        # the action methods run with the caller's rights up to this write
        self.check_access("write")
        return super()._nm_workflow_write(vals)

    def _nm_lock_message(self, names):
        if self.state == "submitted":
            return self.env._(
                "%(ref)s has been sent to your manager: it can no longer be changed. "
                "Ask your manager to set it back to draft to correct it.",
                ref=self.name,
            )
        return self.env._(
            "%(ref)s is validated or cancelled: it cannot be changed any more. Ask a "
            "carbon manager to cancel it (the carbon booked is taken back), set it "
            "back to draft, then correct it.",
            ref=self.name,
        )

    def _nm_unlink_message(self):
        return self.env._(
            "%(ref)s has been validated: it cannot be deleted. Cancel it "
            "instead, the carbon booked is then taken back.",
            ref=self.name,
        )

    def _is_travel_manager(self):
        user = self.env.user
        return self.env.su or any(user.has_group(group) for group in MANAGER_GROUPS)

    def _check_declares_for(self, employee_ids, reassign=False):
        """An agent declares their own travel only; the head of a department or an
        agent's manager declares for the team (the team grid); carbon and HR
        managers for anyone. Checked before anything is written."""
        if self._is_travel_manager():
            return
        user = self.env.user
        employees = self.env["hr.employee"].sudo().browse(list(employee_ids))
        if reassign and self.filtered(lambda d: d.user_id == user):
            raise AccessError(
                self.env._(
                    "You cannot give your travel declaration to another agent: each "
                    "agent declares their own travel."
                )
            )
        for employee in employees:
            if employee.user_id == user:
                continue
            managers = employee.department_id.manager_id.user_id | (
                employee.parent_id.user_id
            )
            if user not in managers:
                raise AccessError(
                    self.env._(
                        "You can declare only your own travel, or that of the agents "
                        "you manage: ask the agent to declare it."
                    )
                )

    def _check_account_change(self, vals_list):
        """Only a manager may book on another department or account than the
        employee's."""
        if self._is_travel_manager():
            return
        for declaration, vals in zip(self, vals_list, strict=False):
            if not set(OWNER_FIELDS) & set(vals):
                continue
            department = declaration.employee_id.sudo().department_id
            if (
                declaration.department_id != department
                or declaration.analytic_account_id != department.analytic_account_id
            ):
                raise UserError(
                    self.env._(
                        "Only a manager can book a declaration on another direction "
                        "than the department's."
                    )
                )

    def action_submit(self):
        for declaration in self:
            if declaration.state != "draft":
                raise UserError(
                    self.env._(
                        "%(ref)s is not a draft: only drafts can be submitted.",
                        ref=declaration.name,
                    )
                )
            if not declaration.line_ids:
                raise UserError(
                    self.env._(
                        "%(ref)s has no trip: add at least one line before "
                        "submitting it.",
                        ref=declaration.name,
                    )
                )
        self._nm_workflow_write({"state": "submitted"})
        return True

    def action_validate(self):
        """Validate submitted declarations and book their carbon, in one batch."""
        not_submitted = self.filtered(lambda d: d.state != "submitted")
        if not_submitted:
            raise UserError(
                self.env._(
                    "%(ref)s must be submitted before it is validated.",
                    ref=not_submitted[0].name,
                )
            )
        self._check_can_validate()
        self._check_bookable()
        self._nm_workflow_write(
            {
                "state": "validated",
                "validated_by_id": self.env.user.id,
                "validation_date": fields.Date.context_today(self),
            }
        )
        self._action_book()
        return True

    def action_book(self):
        """Book validated declarations whose booking was left for later."""
        not_validated = self.filtered(lambda d: d.state != "validated")
        if not_validated:
            raise UserError(
                self.env._(
                    "%(ref)s is not waiting to be booked.", ref=not_validated[0].name
                )
            )
        self._check_can_validate()
        self._action_book()
        return True

    def action_cancel(self):
        """Cancel declarations; the carbon already booked is taken back by
        reversing lines, so the history stays readable. Whatever the state, every
        line still booked is reversed: cancelling never leaves carbon behind."""
        cancelled = self.filtered(lambda d: d.state == "cancel")
        if cancelled:
            raise UserError(
                self.env._("%(ref)s is already cancelled.", ref=cancelled[0].name)
            )
        self.check_access("write")
        booked = self.filtered(
            lambda d: d.state in LOCKED_STATES or d.sudo().analytic_line_ids
        )
        if booked:
            booked._check_can_validate()
            booked._reverse_analytic_lines()
        self._nm_workflow_write({"state": "cancel"})
        self._log_state()
        return True

    def action_draft(self):
        """Back to draft, to correct a submitted or cancelled declaration: the
        manager's decision, as validation is."""
        not_cancelled = self.filtered(lambda d: d.state not in ("cancel", "submitted"))
        if not_cancelled:
            raise UserError(
                self.env._(
                    "%(ref)s cannot go back to draft: only submitted or cancelled "
                    "declarations can.",
                    ref=not_cancelled[0].name,
                )
            )
        self.check_access("write")
        self._check_can_validate()
        self._nm_workflow_write(
            {"state": "draft", "validated_by_id": False, "validation_date": False}
        )
        self._log_state()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nm_mobility.nm_travel_declaration_line_action_report"
        )
        action["domain"] = [("declaration_id", "=", self.id)]
        action["context"] = {"search_default_group_mode": 1}
        return action

    def _log_state(self):
        """One note per declaration, created in one batch, for the corrections
        (cancel, back to draft). Submission and validation write no note: who
        validated and when is on the declaration, and notes would halve the
        throughput of mass validation."""
        if not self:
            return
        labels = dict(self._fields["state"]._description_selection(self.env))
        self._message_log_batch(
            bodies={
                declaration.id: self.env._(
                    "Status: %(state)s", state=labels[declaration.state]
                )
                for declaration in self
            }
        )

    def _check_can_validate(self):
        """Validation is for the agent's manager or a carbon manager; nobody but a
        controller validates their own travel."""
        user = self.env.user
        if self.env.su or user.has_group("nm_carbon_budget.group_carbon_controller"):
            return
        is_carbon_manager = user.has_group("nm_carbon_budget.group_carbon_manager")
        for declaration in self.sudo():
            if declaration.user_id == user:
                raise AccessError(
                    self.env._(
                        "You cannot validate your own travel declaration %(ref)s: "
                        "ask your manager.",
                        ref=declaration.name,
                    )
                )
            is_manager = user in (
                declaration.department_id.manager_id.user_id
                | declaration.employee_id.parent_id.user_id
            )
            if not (is_manager or is_carbon_manager):
                raise AccessError(
                    self.env._(
                        "Only the agent's manager or a carbon manager can validate "
                        "%(ref)s.",
                        ref=declaration.name,
                    )
                )

    def _check_bookable(self):
        missing = self.filtered(lambda d: not d.analytic_account_id)
        if missing:
            raise UserError(
                self.env._(
                    "%(ref)s has no direction to book on: set the direction analytic "
                    "account on the declaration or on the department %(department)s.",
                    ref=missing[0].name,
                    department=missing[0].department_id.display_name or "-",
                )
            )

    def _analytic_line_name(self):
        """Name of the booked lines: the month and the reference, never the agent."""
        self.ensure_one()
        return self.env._("Travel %(month)s (%(ref)s)", month=self.month, ref=self.name)

    def _action_book(self):
        """Create the analytic lines of all declarations in one create: one line per
        declaration, travel type, mode and factor, km as quantity."""
        self._check_bookable()
        categories = {
            travel_type: self.env.ref(xmlid).id
            for travel_type, xmlid in TYPE_CATEGORIES.items()
        }
        columns = {}
        vals_list = []
        for declaration in self.sudo():
            account = declaration.analytic_account_id
            if account not in columns:
                columns[account] = account.root_plan_id._column_name()
            groups = defaultdict(lambda: [0.0, 0.0])
            for line in declaration.line_ids:
                key = (line.travel_type, line.mode_id.id, line.emission_factor_id.id)
                groups[key][0] += line.total_km
                groups[key][1] += line.carbon_kg
            name = declaration._analytic_line_name()
            day = travel.month_end(declaration.date)
            for (travel_type, _mode_id, factor_id), (km, kg) in groups.items():
                vals_list.append(
                    {
                        "name": name,
                        "date": day,
                        "amount": 0.0,
                        "unit_amount": km,
                        columns[account]: account.id,
                        "company_id": declaration.company_id.id,
                        "carbon_kg": kg,
                        "carbon_source": "travel",
                        "carbon_category_id": categories[travel_type],
                        "emission_factor_id": factor_id or False,
                        "travel_declaration_id": declaration.id,
                    }
                )
        self.env["account.analytic.line"].sudo().create(vals_list)
        self._nm_workflow_write({"state": "booked"})

    def _reverse_analytic_lines(self):
        """Book the opposite of every analytic line still booked, in one create, on
        the same date so each month's total returns to zero."""
        lines = self.sudo().analytic_line_ids
        reversed_lines = lines.travel_reversed_line_id
        vals_list = []
        for line in lines - reversed_lines:
            if line.travel_reversed_line_id:
                continue
            vals_list.append(
                line.copy_data(
                    {
                        "name": self.env._("Cancelled: %(name)s", name=line.name),
                        "unit_amount": -line.unit_amount,
                        "amount": -line.amount,
                        "carbon_kg": -line.carbon_kg,
                        "carbon_source": "travel",
                        "travel_declaration_id": line.travel_declaration_id.id,
                        "travel_reversed_line_id": line.id,
                        "emission_factor_id": line.emission_factor_id.id,
                    }
                )[0]
            )
        self.env["account.analytic.line"].sudo().create(vals_list)

    # ------------------------------------------------------------ the trips

    @api.model
    def _for_employee_month(self, employee, month):
        """The employee's declaration of ``month``, created as a draft when there
        is none yet (with the caller's rights: an agent for themselves, a manager
        for their team)."""
        month = travel.month_start(month)
        declaration = self.search(
            [("employee_id", "=", employee.id), ("date", "=", month)], limit=1
        )
        return declaration or self.create({"employee_id": employee.id, "date": month})

    def _replace_lines(self, rows, long_distance_confirmed=False):
        """Replace every trip of the declaration by ``rows`` (dicts of line fields:
        travel_type, mode_id, distance_km, trip_count, round_trip, occupants).
        The rows are checked as any line is, whoever sends them (the portal, the
        backend, an import): nothing changes unless every row is right. Only a
        draft has its month replaced (a manager corrects a submitted declaration
        line by line)."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "This month has already been sent: ask your manager to set it "
                    "back to draft to change it."
                )
            )
        self._check_editable()
        Line = self.env["nm.travel.declaration.line"]
        vals_list = [
            dict(
                row,
                declaration_id=self.id,
                long_distance_confirmed=bool(
                    long_distance_confirmed or row.get("long_distance_confirmed")
                ),
            )
            for row in rows
        ]
        Line._check_figures(vals_list)
        with self.env.cr.savepoint():
            self.line_ids.unlink()
            Line.create(vals_list)
        return True

    def _copy_last_month(self):
        """Replace the trips of the declaration by those of the employee's latest
        earlier month: most agents travel the same way every month. Only on a
        draft."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("This month has already been sent: it cannot be replaced.")
            )
        self._check_editable()
        previous = self.search(
            [("employee_id", "=", self.employee_id.id), ("date", "<", self.date)],
            order="date desc",
            limit=1,
        )
        if not previous.line_ids:
            raise UserError(
                self.env._(
                    "There is no earlier month to copy: fill in this month's trips."
                )
            )
        with self.env.cr.savepoint():
            self.line_ids.unlink()
            previous.line_ids.copy({"declaration_id": self.id})
        return True

    def action_copy_last_month(self):
        for declaration in self:
            declaration._copy_last_month()
        return True

    def _check_line_count(self):
        counts = dict(
            self.env["nm.travel.declaration.line"]
            .sudo()
            ._read_group(
                [("declaration_id", "in", self.ids)], ["declaration_id"], ["__count"]
            )
        )
        for declaration, count in counts.items():
            if count > travel.MAX_LINES:
                raise ValidationError(
                    self.env._(
                        "%(ref)s would have %(count)s trip lines: a month has at most "
                        "%(max)s. Group the trips of the same type and mode on one "
                        "line (the number of trips).",
                        ref=declaration.name,
                        count=count,
                        max=travel.MAX_LINES,
                    )
                )

    def _check_editable(self):
        """Trips change only on a draft, or on a submitted declaration by the
        manager (the agent sent it)."""
        if self.env.su:
            return
        for declaration in self:
            if declaration.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "The trips of %(ref)s cannot be changed: it is validated or "
                        "cancelled. Set a cancelled declaration back to draft to "
                        "correct it.",
                        ref=declaration.name,
                    )
                )
            if declaration._nm_frozen_fields(["line_ids"]):
                raise UserError(declaration._nm_lock_message(["line_ids"]))
