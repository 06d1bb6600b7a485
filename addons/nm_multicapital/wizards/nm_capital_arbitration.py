# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models

from odoo.addons.nm_carbon_budget.engine import BookedEngine

from ..tools import multicapital


class NmCapitalArbitration(models.TransientModel):
    """Budget lines side by side: €, kgCO2e, each other capital in its own unit and
    the budget vert ratings. One column per capital, never a weighted total.

    The figures are records (one row per budget line or action, one quantity per
    row and capital, one rating per row and axis) shown by the form's lists, whose
    widgets format them in the user's language.
    """

    _name = "nm.capital.arbitration"
    _description = "Multi-capital arbitration"

    budget_line_ids = fields.Many2many(
        "crossovered.budget.lines", string="Budget lines"
    )
    action_ids = fields.Many2many(
        "nm.decarbonation.action",
        string="Actions",
        help="Decarbonisation actions compared with the budget lines: estimated cost, "
        "estimated yearly reduction, and the capital entries linked to them.",
    )
    capital_ids = fields.Many2many(
        "nm.capital",
        string="Capitals",
        domain=[("source", "=", "entries")],
        default=lambda self: self.env["nm.capital"].search(
            [("source", "=", "entries")]
        ),
        help="Capitals shown beside € and kgCO2e, each in its own column and unit.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    row_ids = fields.One2many(
        "nm.capital.arbitration.row",
        "wizard_id",
        string="Budget lines and actions",
        compute="_compute_table",
        store=True,
    )
    quantity_ids = fields.One2many(
        "nm.capital.arbitration.quantity",
        "wizard_id",
        string="Other capitals",
        compute="_compute_table",
        store=True,
    )
    rating_ids = fields.One2many(
        "nm.capital.arbitration.rating",
        "wizard_id",
        string="Budget vert ratings",
        compute="_compute_table",
        store=True,
    )

    @api.depends("budget_line_ids", "action_ids", "capital_ids")
    def _compute_table(self):
        for wizard in self:
            rows, quantities, ratings = [], [], []
            for sequence, row in enumerate(wizard._arbitration_table()["rows"]):
                values = row["values"]
                rows.append(
                    Command.create(
                        {
                            "sequence": sequence,
                            "name": row["label"],
                            "budget_line_id": row.get("budget_line_id"),
                            "action_id": row.get("action_id"),
                            **{
                                key: values[key] or 0.0
                                for key in (
                                    "planned_amount",
                                    "practical_amount",
                                    "planned_carbon_kg",
                                    "practical_carbon_kg",
                                    "reduction_kg",
                                )
                                if key in values
                            },
                        }
                    )
                )
                quantities += [
                    Command.create(
                        {
                            "sequence": sequence,
                            "row_name": row["label"],
                            "capital_id": capital.id,
                            "quantity": values[f"capital_{capital.id}"],
                        }
                    )
                    for capital in wizard.capital_ids._origin
                ]
                ratings += [
                    Command.create(
                        {
                            "sequence": sequence,
                            "row_name": row["label"],
                            "axis_id": axis_id,
                            "rating": code,
                        }
                    )
                    for axis_id, codes in row.get("ratings", {}).items()
                    for code in codes
                ]
            wizard.row_ids = [Command.clear(), *rows]
            wizard.quantity_ids = [Command.clear(), *quantities]
            wizard.rating_ids = [Command.clear(), *ratings]

    def _arbitration_table(self):
        """{"columns": [{"key", "label", "unit"}], "rows": [{"label", "values",
        "budget_line_id" and "ratings" ({axis id: [codes]}), or "action_id"}]}.

        Every quantity column has exactly one unit; there is no total column.
        """
        lines = self.budget_line_ids._origin
        actions = self.action_ids._origin
        capitals = self.capital_ids._origin
        currency = self.env.company.currency_id
        axes = self.env["nm.green.budget.axis"].search([])
        columns = [
            {
                "key": "planned_amount",
                "label": self.env._("Planned"),
                "unit": currency.name,
            },
            {
                "key": "practical_amount",
                "label": self.env._("Booked"),
                "unit": currency.name,
            },
            {
                "key": "planned_carbon_kg",
                "label": self.env._("Carbon envelope"),
                "unit": "kgCO2e",
            },
            {
                "key": "practical_carbon_kg",
                "label": self.env._("Carbon booked"),
                "unit": "kgCO2e",
            },
        ]
        if actions:
            columns.append(
                {
                    "key": "reduction_kg",
                    "label": self.env._("Estimated reduction"),
                    "unit": self.env._("kgCO2e/yr"),
                }
            )
        columns += [
            {
                "key": f"capital_{capital.id}",
                "label": capital.name,
                "unit": capital.unit,
            }
            for capital in capitals
        ]
        columns += [
            {
                "key": f"axis_{axis.sequence}",
                "label": self.env._("Budget vert axis %(axis)s", axis=axis.sequence),
                "unit": "",
            }
            for axis in axes
        ]
        lines._nm_batch_compute("practical_amount", "practical_carbon_kg")
        quantities = self._capital_quantities(lines, capitals)
        rating_codes = self._line_rating_codes(lines, axes)
        labels = dict(
            self.env["nm.green.budget.rating"]
            ._fields["rating"]
            ._description_selection(self.env)
        )
        rows = []
        for line in lines:
            values = dict.fromkeys((column["key"] for column in columns), "")
            values.update(
                {
                    "planned_amount": line.planned_amount,
                    "practical_amount": line.practical_amount,
                    "planned_carbon_kg": line.planned_carbon_kg,
                    "practical_carbon_kg": line.practical_carbon_kg,
                }
            )
            for capital in capitals:
                values[f"capital_{capital.id}"] = quantities.get(
                    (line.id, capital.id), 0.0
                )
            for axis in axes:
                values[f"axis_{axis.sequence}"] = ", ".join(
                    labels[code] for code in rating_codes.get((line.id, axis.id), ())
                )
            rows.append(
                {
                    "label": self._line_label(line),
                    "values": values,
                    "budget_line_id": line.id,
                    "ratings": {
                        axis.id: rating_codes.get((line.id, axis.id), [])
                        for axis in axes
                    },
                }
            )
        action_quantities = self._action_capital_quantities(actions, capitals)
        for action in actions:
            values = dict.fromkeys((column["key"] for column in columns), "")
            values["planned_amount"] = action.cost
            values["reduction_kg"] = action.reduction_kg
            for capital in capitals:
                values[f"capital_{capital.id}"] = action_quantities.get(
                    (action.id, capital.id), 0.0
                )
            rows.append(
                {
                    "label": self.env._("Action: %(name)s", name=action.name),
                    "values": values,
                    "action_id": action.id,
                }
            )
        return {"columns": columns, "rows": rows}

    @api.model
    def _line_label(self, line):
        return " – ".join(
            name
            for name in (
                line.crossovered_budget_id.name,
                line.analytic_account_id.name,
                line.general_budget_id.name,
            )
            if name
        )

    @api.model
    def _action_capital_quantities(self, actions, capitals):
        """{(action id, capital id): quantity} of the entries linked to the actions."""
        return BookedEngine(self.env).capital_quantities_by_action(actions, capitals)

    @api.model
    def _capital_quantities(self, lines, capitals):
        """{(budget line id, capital id): quantity} in one grouped query (the
        booked engine): entries of the line's company, analytic account and
        position, dated within the line."""
        return BookedEngine(self.env).capital_quantities_by_budget_line(lines, capitals)

    @api.model
    def _line_rating_codes(self, lines, axes):
        """{(budget line id, axis id): [rating codes]}: the line's override, else
        the account rules of its position's accounts (several ratings listed, in
        the scale's order), rules of the line's own company only."""
        ratings = self.env["nm.green.budget.rating"].search(
            [("axis_id", "in", axes.ids), ("company_id", "in", self.env.companies.ids)]
        )
        result = {}
        for line in lines:
            year = line.date_from.year
            for axis in axes:
                candidates = ratings.filtered(
                    lambda r, axis=axis, year=year, line=line: (
                        r.axis_id == axis
                        and r.year in (0, year)
                        and r.company_id == line.company_id
                    )
                )
                override = candidates.filtered(
                    lambda r, line=line: r.budget_line_id == line
                )
                if override:
                    found = {override[0].rating}
                else:
                    rules = [
                        (r.account_prefix, r.year, r.rating, r.justification)
                        for r in candidates
                        if r.account_prefix and not r.budget_line_id
                    ]
                    found = defaultdict(int)
                    for account in line.general_budget_id.account_ids:
                        rule = multicapital.best_rule(account.code or "", rules)
                        found[rule[2] if rule else "to_deepen"] += 1
                result[(line.id, axis.id)] = [
                    code for code in multicapital.RATING_CODES if code in found
                ]
        return result


class NmCapitalArbitrationRow(models.TransientModel):
    _name = "nm.capital.arbitration.row"
    _description = "Multi-capital arbitration row"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "nm.capital.arbitration", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    name = fields.Char(string="Budget line or action", required=True)
    budget_line_id = fields.Many2one("crossovered.budget.lines", string="Budget line")
    action_id = fields.Many2one("nm.decarbonation.action")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    planned_amount = fields.Monetary(
        string="Planned",
        aggregator=None,
        help="Planned amount of the budget line; estimated cost of the action.",
    )
    practical_amount = fields.Monetary(string="Booked", aggregator=None)
    planned_carbon_kg = fields.Float(
        string="Carbon envelope (kgCO2e)", digits=(16, 2), aggregator=None
    )
    practical_carbon_kg = fields.Float(
        string="Carbon booked (kgCO2e)", digits=(16, 2), aggregator=None
    )
    reduction_kg = fields.Float(
        string="Estimated reduction (kgCO2e/yr)", digits=(16, 2), aggregator=None
    )


class NmCapitalArbitrationQuantity(models.TransientModel):
    """The quantity of one capital on one row, in the capital's unit: quantities
    of two capitals are never added."""

    _name = "nm.capital.arbitration.quantity"
    _description = "Multi-capital arbitration quantity"
    _order = "sequence, capital_id, id"

    wizard_id = fields.Many2one(
        "nm.capital.arbitration", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    row_name = fields.Char(string="Budget line or action", required=True)
    capital_id = fields.Many2one("nm.capital", required=True)
    unit = fields.Char(related="capital_id.unit")
    quantity = fields.Float(digits=(16, 2), aggregator=None)


class NmCapitalArbitrationRating(models.TransientModel):
    _name = "nm.capital.arbitration.rating"
    _description = "Multi-capital arbitration rating"
    _order = "sequence, axis_id, id"

    wizard_id = fields.Many2one(
        "nm.capital.arbitration", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    row_name = fields.Char(string="Budget line or action", required=True)
    axis_id = fields.Many2one(
        "nm.green.budget.axis", string="Budget vert axis", required=True
    )
    rating = fields.Selection(
        multicapital.RATINGS,
        string="Rating (I4CE analysis)",
        required=True,
        help="The line's own rating when it has one, else the ratings of the "
        "accounts of its position: one row per rating when they differ.",
    )
