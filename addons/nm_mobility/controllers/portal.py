# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The agent's page /my/travel: a plain HTML form that works without JavaScript."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request, route

from odoo.addons.nm_carbon_budget.tools import carbon
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import travel

# Rows offered to type new trips besides the lines already declared.
EMPTY_ROWS = 3
MAX_ROWS = 30


def _to_float(text):
    """A number typed by a French user: "4,5" is 4.5; empty is 0."""
    return carbon.parse_decimal(text, empty=0.0)


def _to_count(text):
    """A whole number typed by a person ("18", "18,0"); "2,5" trips is refused
    rather than silently cut to 2."""
    value = _to_float(text)
    if value != int(value):
        raise ValueError(text)
    return int(value)


class TravelPortal(CustomerPortal):
    def _travel_employee(self):
        return request.env.user.sudo().employee_id

    def _travel_declaration(self, employee, month):
        return request.env["nm.travel.declaration"].search(
            [("employee_id", "=", employee.id), ("date", "=", month)], limit=1
        )

    def _travel_rows(self, declaration, posted_rows=None):
        if posted_rows is not None:
            rows = posted_rows
        else:
            rows = [
                {
                    "travel_type": line.travel_type,
                    "mode_id": line.mode_id.id,
                    "distance_km": line.distance_km,
                    "trip_count": line.trip_count,
                    "round_trip": line.round_trip,
                    "occupants": line.occupants,
                }
                for line in declaration.line_ids
            ]
        empty = {
            "travel_type": "commute",
            "mode_id": False,
            "distance_km": "",
            "trip_count": "",
            "round_trip": True,
            "occupants": 1,
        }
        return rows + [dict(empty) for _i in range(EMPTY_ROWS)]

    def _travel_values(self, month, employee, declaration, **extra):
        Mode = request.env["nm.travel.mode"]
        Line = request.env["nm.travel.declaration.line"]
        history = request.env["nm.travel.declaration"].search(
            [("employee_id", "=", employee.id)], limit=12
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "travel",
                "month": month,
                "month_label": month.strftime("%m/%Y"),
                "previous_month": travel.previous_month(month).strftime("%Y-%m"),
                "next_month": (travel.month_end(month) + timedelta(days=1)).strftime(
                    "%Y-%m"
                ),
                "employee": employee,
                "declaration": declaration,
                "editable": not declaration or declaration.state == "draft",
                "modes": Mode.search([]),
                "travel_types": Line._fields["travel_type"]._description_selection(
                    request.env
                ),
                "states": dict(
                    request.env["nm.travel.declaration"]
                    ._fields["state"]
                    ._description_selection(request.env)
                ),
                "rows": self._travel_rows(declaration),
                "history": history,
                "error": False,
                "success": False,
                "confirm_long": False,
                "nm_km": self._km_text,
            }
        )
        values.update(extra)
        return values

    def _km_text(self, value):
        """A distance in the form's field, in the agent's language ("4,5" in
        French) as the float widget writes it, without the thousands separator
        so that it reads back the same when the form is sent again; the text an
        agent typed comes back as typed."""
        if isinstance(value, str):
            return value
        if not abs(value) < travel.TRIP_MAX_KM * 10:  # a saved line never is
            return str(value)
        text = request.env["ir.qweb.field.float"].value_to_html(value, {"precision": 1})
        separator = request.env["ir.qweb.field"].user_lang().thousands_sep
        return text.replace(separator, "") if separator else text

    @route(["/my/travel"], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_travel(self, month=None, **kw):
        employee = self._travel_employee()
        if not employee:
            return request.render("nm_mobility.portal_my_travel_no_employee")
        month = travel.parse_month(month) or travel.month_start(
            fields.Date.context_today(request.env.user)
        )
        declaration = self._travel_declaration(employee, month)
        return request.render(
            "nm_mobility.portal_my_travel",
            self._travel_values(
                month, employee, declaration, success=kw.get("saved") and True
            ),
        )

    @route(["/my/travel"], type="http", auth="user", website=True, methods=["POST"])
    def portal_my_travel_post(self, month=None, **post):
        # The declaration is always the logged-in user's own: any employee or
        # declaration sent with the form is ignored.
        employee = self._travel_employee()
        if not employee:
            return request.render("nm_mobility.portal_my_travel_no_employee")
        month = travel.parse_month(month)
        if not month:
            return request.redirect("/my/travel")
        action = post.get("action", "save")
        declaration = self._travel_declaration(employee, month)
        try:
            rows = self._parse_rows(post)
        except ValueError:
            rows = None
        error = False
        if any("\x00" in value for value in post.values() if isinstance(value, str)):
            # a character no text field can hold: nothing of this post is read
            rows = None
            error = request.env._(
                "The form contains a character that cannot be saved (NUL): type "
                "the figures again, without pasting them."
            )
        elif rows is None:
            error = request.env._(
                "A distance, a number of trips or of occupants is not a number: "
                "write numbers only, e.g. 12 or 4,5 for a distance, whole numbers "
                "for trips and occupants."
            )
        else:
            try:
                with request.env.cr.savepoint():
                    declaration = self._save_rows(
                        employee, month, declaration, rows, post, action
                    )
            except (UserError, ValidationError, AccessError) as exc:
                error = exc.args[0] if exc.args else str(exc)
                declaration = self._travel_declaration(employee, month)
        if error:
            values = self._travel_values(
                month,
                employee,
                declaration,
                error=error,
                confirm_long=bool(post.get("confirm_long")),
            )
            # The rows come back as typed, the mistake included, so that the agent
            # corrects one figure instead of typing the month again.
            values["rows"] = self._travel_rows(
                declaration, posted_rows=self._typed_rows(post)
            )
            return request.render("nm_mobility.portal_my_travel", values)
        return request.redirect(f"/my/travel?month={month:%Y-%m}&saved=1")

    def _parse_rows(self, post):
        rows = []
        modes = request.env["nm.travel.mode"].search([]).ids
        types = {
            key
            for key, _label in request.env["nm.travel.declaration.line"]
            ._fields["travel_type"]
            ._description_selection(request.env)
        }
        # the rows as typed, then their numbers read (ValueError if one is not)
        for typed in self._typed_rows(post):
            distance = _to_float(typed["distance_km"])
            trips = _to_count(typed["trip_count"])
            if not typed["mode_id"] and not distance and not trips:
                continue  # "0" typed in an otherwise empty row
            rows.append(
                {
                    "travel_type": typed["travel_type"]
                    if typed["travel_type"] in types
                    else "commute",
                    "mode_id": typed["mode_id"] if typed["mode_id"] in modes else False,
                    "distance_km": distance,
                    "trip_count": trips,
                    "round_trip": typed["round_trip"],
                    # left empty: the driver alone; "0" is refused by the model
                    "occupants": _to_count(typed["occupants"])
                    if typed["occupants"]
                    else 1,
                }
            )
        return rows

    def _typed_rows(self, post):
        """The filled rows of the form as the agent typed them, numbers unread."""
        rows = []
        for index in range(MAX_ROWS):
            prefix = f"line_{index}_"
            if prefix + "mode_id" not in post:
                continue
            typed = {
                name: (post.get(prefix + name) or "").replace("\x00", "").strip()
                for name in ("mode_id", "distance_km", "trip_count", "occupants")
            }
            if not any(
                typed[name] for name in ("mode_id", "distance_km", "trip_count")
            ):
                continue
            rows.append(
                dict(
                    typed,
                    travel_type=post.get(prefix + "travel_type") or "commute",
                    mode_id=int(typed["mode_id"]) if typed["mode_id"].isdigit() else 0,
                    round_trip=bool(post.get(prefix + "round_trip")),
                )
            )
        return rows

    def _save_rows(self, employee, month, declaration, rows, post, action):
        """The rules are the model's: the declaration replaces its trips or copies
        last month's, and refuses what the backend and the team grid refuse."""
        declaration = declaration or request.env[
            "nm.travel.declaration"
        ]._for_employee_month(employee, month)
        if action == "copy":
            declaration._copy_last_month()
            return declaration
        declaration._replace_lines(
            rows, long_distance_confirmed=bool(post.get("confirm_long"))
        )
        if action == "submit":
            declaration.action_submit()
        return declaration
