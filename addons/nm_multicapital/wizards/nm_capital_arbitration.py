# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import float_repr

from odoo.addons.nm_carbon_budget.engine import BookedEngine

from ..tools import multicapital


class NmCapitalArbitration(models.TransientModel):
    """Budget lines side by side: €, kgCO2e, each other capital in its own unit and
    the budget vert ratings. One column per capital, never a weighted total."""

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
    table_html = fields.Html(compute="_compute_table_html", sanitize=False)

    @api.depends("budget_line_ids", "action_ids", "capital_ids")
    def _compute_table_html(self):
        for wizard in self:
            wizard.table_html = wizard._render_table(wizard._arbitration_table())

    def _arbitration_table(self):
        """{"columns": [{"key", "label", "unit"}], "rows": [{"label", "values"}]}.

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
        ratings = self._line_ratings(lines, axes)
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
                values[f"axis_{axis.sequence}"] = ratings.get((line.id, axis.id), "")
            rows.append({"label": self._line_label(line), "values": values})
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
    def _line_ratings(self, lines, axes):
        """{(budget line id, axis id): rating label}: the line's override, else
        the account rules of its position's accounts (several ratings listed),
        rules of the line's own company only."""
        labels = dict(
            self.env["nm.green.budget.rating"]
            ._fields["rating"]
            ._description_selection(self.env)
        )
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
                result[(line.id, axis.id)] = ", ".join(
                    labels[code] for code in multicapital.RATING_CODES if code in found
                )
        return result

    @api.model
    def _render_table(self, table):
        head = Markup("").join(
            Markup("<th>%s<br/><small>%s</small></th>")
            % (column["label"], column["unit"] and f"({column['unit']})" or "")
            for column in table["columns"]
        )
        body = Markup("")
        for row in table["rows"]:
            cells = Markup("").join(
                Markup('<td class="text-end">%s</td>')
                % self._format_cell(row["values"][c["key"]])
                for c in table["columns"]
            )
            body += Markup("<tr><th>%s</th>%s</tr>") % (row["label"], cells)
        return Markup(
            '<table class="table table-sm table-bordered o_nm_arbitration">'
            "<thead><tr><th>%s</th>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Budget line"), head, body)

    @api.model
    def _format_cell(self, value):
        if isinstance(value, float):
            return escape(f"{float(float_repr(value, 2)):,.2f}".replace(",", "\u202f"))
        return escape(value)
