# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class NmCarbonMisLine(models.Model):
    """Analytic lines as MIS Builder reads journal items ("move line like").

    One row per analytic line, per root analytic plan whose column holds an account
    (the direction), per budgetary position the line counts on — the rule of the
    budget lines' booked figures (``crossovered.budget.lines._practical_figures``):
    the € when the line's general account is one of the position's accounts, the
    kgCO2e also when its emission item (or an item above it) is one of the
    position's items. MIS Builder's "accounts" are therefore budgetary positions.

    A journal item split over several plans gives one analytic line per plan: a
    sum over this model is only meaningful on one plan, which the report columns
    guarantee (``mis.report.instance.period._get_additional_move_line_filter``).
    """

    _name = "nm.carbon.mis.line"
    _description = "Carbon and euros of analytic lines (MIS Builder source)"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "account.analytic.line": [
            "name",
            "date",
            "amount",
            "carbon_kg",
            "carbon_category_id",
            "general_account_id",
            "company_id",
        ],
        "account.budget.post": ["account_ids", "carbon_category_ids"],
        "nm.carbon.category": ["parent_id"],
    }

    # labels and lines are the detail behind the figures: for those who read
    # analytic lines (carbon managers), not for approvers reading aggregates
    name = fields.Char(
        string="Label", readonly=True, groups="nm_carbon_budget.group_carbon_manager"
    )
    analytic_line_id = fields.Many2one(
        "account.analytic.line",
        string="Analytic line",
        readonly=True,
        groups="nm_carbon_budget.group_carbon_manager",
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Direction", readonly=True
    )
    plan_id = fields.Many2one(
        "account.analytic.plan", string="Analytic plan", readonly=True
    )
    account_id = fields.Many2one(
        "account.budget.post", string="Budgetary position", readonly=True
    )
    general_account_id = fields.Many2one(
        "account.account", string="General account", readonly=True
    )
    carbon_category_id = fields.Many2one(
        "nm.carbon.category", string="Emission item", readonly=True
    )
    amount = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Euros counted on the position: the analytic amount when the general "
        "account is one of the position's accounts, else 0 (costs are negative).",
    )
    carbon_kg = fields.Float(
        string="kgCO2e", digits=(16, 4), readonly=True, aggregator="sum"
    )
    debit = fields.Monetary(readonly=True, aggregator="sum")
    credit = fields.Monetary(readonly=True, aggregator="sum")
    balance = fields.Monetary(readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return self._nm_query()

    def _nm_query(self):
        """The rows, built at each query so that a new analytic plan (a new column
        of account.analytic.line) is read without reinstalling anything."""
        Line = self.env["account.analytic.line"]
        Position = self.env["account.budget.post"]
        plans = (
            self.env["account.analytic.plan"]
            .sudo()
            .search([("parent_id", "=", False)], order="id")
        )
        columns = [(plan.id, plan._column_name()) for plan in plans]
        Line.flush_model([column for _plan, column in columns])
        accounts_field = Position._fields["account_ids"]
        categories_field = Position._fields["carbon_category_ids"]
        # any position id fits in this many slots of the row id
        [(max_position,)] = (
            Position.sudo()
            .with_context(active_test=False)
            ._read_group([], [], ["id:max"])
        )
        slots = (max_position or 0) + 1
        if not columns:
            return SQL(
                "SELECT NULL::bigint AS id, NULL::int AS analytic_line_id, "
                "NULL::varchar AS name, NULL::date AS date, NULL::int AS company_id, "
                "NULL::int AS analytic_account_id, NULL::int AS plan_id, "
                "NULL::int AS account_id, NULL::int AS general_account_id, "
                "NULL::int AS carbon_category_id, 0.0 AS amount, 0.0 AS carbon_kg, "
                "0.0 AS debit, 0.0 AS credit, 0.0 AS balance WHERE FALSE"
            )
        directions = SQL(", ").join(
            SQL("(%s, %s, aal.%s)", index, plan_id, SQL.identifier(column))
            for index, (plan_id, column) in enumerate(columns)
        )
        return SQL(
            """
            SELECT ((aal.id::bigint * %(plans)s + d.plan_index) * %(slots)s
                    + m.position_id) AS id,
                   aal.id AS analytic_line_id, aal.name, aal.date, aal.company_id,
                   d.analytic_account_id, d.plan_id, m.position_id AS account_id,
                   aal.general_account_id, aal.carbon_category_id,
                   CASE WHEN m.by_account THEN aal.amount ELSE 0.0 END AS amount,
                   aal.carbon_kg,
                   CASE WHEN m.by_account THEN GREATEST(aal.amount, 0.0)
                        ELSE 0.0 END AS debit,
                   CASE WHEN m.by_account THEN GREATEST(-aal.amount, 0.0)
                        ELSE 0.0 END AS credit,
                   CASE WHEN m.by_account THEN aal.amount ELSE 0.0 END AS balance
              FROM account_analytic_line aal
        CROSS JOIN LATERAL (VALUES %(directions)s)
                AS d(plan_index, plan_id, analytic_account_id)
              JOIN LATERAL (
                    SELECT rel.%(acc_position)s AS position_id, TRUE AS by_account
                      FROM %(acc_rel)s rel
                     WHERE rel.%(acc_account)s = aal.general_account_id
                 UNION ALL
                    SELECT crel.%(cat_position)s, FALSE
                      FROM %(cat_rel)s crel
                      JOIN nm_carbon_category parent
                        ON parent.id = crel.%(cat_category)s
                      JOIN nm_carbon_category child
                        ON child.parent_path LIKE parent.parent_path || '%%'
                     WHERE child.id = aal.carbon_category_id
                       AND NOT EXISTS (
                           SELECT 1 FROM %(acc_rel)s arel
                            WHERE arel.%(acc_position)s = crel.%(cat_position)s
                              AND arel.%(acc_account)s = aal.general_account_id)
                  GROUP BY crel.%(cat_position)s
                   ) m ON TRUE
             WHERE d.analytic_account_id IS NOT NULL
            """,
            plans=len(columns),
            slots=slots,
            directions=directions,
            cat_rel=SQL.identifier(categories_field.relation),
            cat_position=SQL.identifier(categories_field.column1),
            cat_category=SQL.identifier(categories_field.column2),
            acc_rel=SQL.identifier(accounts_field.relation),
            acc_position=SQL.identifier(accounts_field.column1),
            acc_account=SQL.identifier(accounts_field.column2),
        )
