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
            }
        )
        values.update(extra)
        return values

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
            typed = rows if rows is not None else self._typed_rows(post)
            values["rows"] = self._travel_rows(declaration, posted_rows=typed)
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
                    "occupants": _to_count(typed["occupants"]) or 1,
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
        Declaration = request.env["nm.travel.declaration"]
        if action == "copy":
            return self._copy_previous_month(employee, month, declaration)
        if any(not row["mode_id"] for row in rows):
            raise UserError(
                request.env._("Choose a mode of transport on every line you filled in.")
            )
        if declaration and declaration.state != "draft":
            raise UserError(
                request.env._(
                    "This month has already been sent: ask your manager to set it "
                    "back to draft to change it."
                )
            )
        if any(not row["distance_km"] or not row["trip_count"] for row in rows):
            raise UserError(
                request.env._(
                    "Enter the km per trip and the number of trips on every line "
                    "where you chose a mode. To remove a line, choose “—” as its "
                    "mode and clear its numbers."
                )
            )
        if not declaration:
            declaration = Declaration.create(
                {"employee_id": employee.id, "date": month}
            )
        confirm = bool(post.get("confirm_long"))
        declaration.line_ids.unlink()
        request.env["nm.travel.declaration.line"].create(
            [
                dict(
                    row, declaration_id=declaration.id, long_distance_confirmed=confirm
                )
                for row in rows
            ]
        )
        if action == "submit":
            declaration.action_submit()
        return declaration

    def _copy_previous_month(self, employee, month, declaration):
        if declaration and declaration.state != "draft":
            raise UserError(
                request.env._(
                    "This month has already been sent: it cannot be replaced."
                )
            )
        previous = request.env["nm.travel.declaration"].search(
            [("employee_id", "=", employee.id), ("date", "<", month)],
            order="date desc",
            limit=1,
        )
        if not previous.line_ids:
            raise UserError(
                request.env._(
                    "There is no earlier month to copy: fill in this month's trips."
                )
            )
        if not declaration:
            declaration = request.env["nm.travel.declaration"].create(
                {"employee_id": employee.id, "date": month}
            )
        declaration.line_ids.unlink()
        previous.line_ids.copy({"declaration_id": declaration.id})
        return declaration
