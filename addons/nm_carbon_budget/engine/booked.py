# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one engine of booked figures: € and kgCO2e of analytic lines, the € of
posted journal items, and the quantities of capital entries.

As OCA's mis_builder keeps its accounting expression processor apart from its
models, this plain class holds the one rule every figure follows; budget lines,
capital budget lines, the fiche carbone, the XLSX, the budget vert annex, the
arbitration, the MIS source, the dashboard and the trajectory all call it::

    engine = BookedEngine(env)
    engine.budget_line_figures(lines)            # {line id: (€, kgCO2e)}
    engine.envelope_lines(accounts, company, date_from, date_to)
    engine.carbon_by_account(accounts, companies, date_from, date_to)
    engine.carbon_by_item(direction, company, date_from, date_to)
    engine.carbon_by_year(company, first, last, account=None)
    engine.capital_quantities(capital_lines)     # {capital line id: quantity}
    engine.capital_quantities_by_budget_line(budget_lines, capitals)
    engine.posted_spending(accounts, company, date_from, date_to, journals)
    engine.distributed_spending(budget_lines, company, date_from, date_to, journals)

The rule: an analytic line counts for an analytic account when the column of the
account's root plan holds the account (a journal item split over several plans
gives one analytic line per plan, each counted on its own plan only), within the
company asked for (an account shared by several companies never mixes their
figures) and the dates. On a budget line the € are those whose general account
is one of the position's accounts (OCA's rule), the kgCO2e also those whose
emission item, or an item above it, is one of the position's items; a budget line
without analytic account keeps OCA's rule: posted journal items on the
position's accounts, in € only.

Reads go through ``_read_group`` (record rules apply) where it costs the same;
the budget lines' figures (many lines, each with its own position and dates) and
the SQL views keep one SQL builder each, measured by ``./nm bench``.
"""

from collections import defaultdict

from odoo.fields import Domain
from odoo.tools import SQL

# analytic line fields the figures read, flushed before any SQL
ANALYTIC_FIELDS = [
    "amount",
    "carbon_kg",
    "carbon_category_id",
    "general_account_id",
    "date",
    "company_id",
    "move_line_id",
]
MOVE_LINE_FIELDS = [
    "balance",
    "date",
    "account_id",
    "parent_state",
    "company_id",
    "journal_id",
]


class BookedEngine:
    """Booked figures for many keys at once; ``env`` decides the rights (the ORM
    reads apply its record rules, the SQL reads are called on the records the
    caller may read)."""

    def __init__(self, env):
        self.env = env

    # ------------------------------------------------------------------ the rule
    @staticmethod
    def column(account):
        """The analytic line column holding ``account``: its root plan's."""
        return account.root_plan_id._column_name()

    def root_columns(self):
        """[(plan id, column)] of every root plan, read as superuser."""
        plans = (
            self.env["account.analytic.plan"]
            .sudo()
            .search([("parent_id", "=", False)], order="id")
        )
        return [(plan.id, plan._column_name()) for plan in plans]

    def analytic_domain(
        self, accounts=None, companies=None, date_from=None, date_to=None, plan=None
    ):
        """The analytic lines that count for ``accounts`` (each on its root plan's
        column), or for the whole ``plan``, of ``companies``, within the dates."""
        parts = []
        if accounts is not None:
            parts.append(
                Domain.OR(
                    Domain(plan_._column_name(), "in", group.ids)
                    for plan_, group in accounts.grouped("root_plan_id").items()
                )
                if accounts
                else Domain.FALSE
            )
        if plan:
            parts.append(Domain(plan._column_name(), "!=", False))
        if companies is not None:
            # a recordset, or ids (False: the lines of no company)
            ids = companies.ids if hasattr(companies, "ids") else list(companies)
            parts.append(Domain("company_id", "in", ids))
        if date_from:
            parts.append(Domain("date", ">=", date_from))
        if date_to:
            parts.append(Domain("date", "<=", date_to))
        return Domain.AND(parts)

    def envelope_lines(self, accounts, company, date_from, date_to):
        """The budget lines holding the carbon envelopes of ``accounts`` for the
        period: the company's lines on those accounts meeting the dates, of budgets
        not cancelled (the fiche carbone and the climate capital read these)."""
        return self.env["crossovered.budget.lines"].search(
            [
                ("analytic_account_id", "in", accounts.ids),
                ("company_id", "=", company.id),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
                ("crossovered_budget_id.state", "!=", "cancel"),
            ]
        )

    def flush(self):
        Line = self.env["account.analytic.line"]
        Line.flush_model(ANALYTIC_FIELDS + Line._get_plan_fnames())
        self.env["account.move.line"].flush_model(MOVE_LINE_FIELDS)

    # ------------------------------------------------------- ORM reads (rules)
    def carbon_by_account(
        self, accounts, companies=None, date_from=None, date_to=None, sudo=False
    ):
        """{account id: kgCO2e} on each account's root plan column, one grouped
        read per root plan. ``sudo``: the aggregate an agent reads on a direction
        without reading its analytic lines."""
        Line = self.env["account.analytic.line"]
        if sudo:
            Line = Line.sudo()
        base = self.analytic_domain(None, companies, date_from, date_to)
        totals = defaultdict(float)
        for plan, group in accounts.grouped("root_plan_id").items():
            if not plan:
                continue
            column = plan._column_name()
            for account, carbon_kg in Line._read_group(
                base & Domain(column, "in", group.ids), [column], ["carbon_kg:sum"]
            ):
                totals[account.id] += carbon_kg
        return dict(totals)

    def carbon_by_item(self, account, company, date_from, date_to):
        """[(emission item, kgCO2e)] booked on ``account`` (items with a non-zero
        total), one grouped read."""
        return self.env["account.analytic.line"]._read_group(
            self.analytic_domain(account, company, date_from, date_to)
            & Domain("carbon_kg", "!=", 0),
            ["carbon_category_id"],
            ["carbon_kg:sum"],
        )

    def carbon_by_year(self, company, first, last, account=None):
        """{year: kgCO2e} on ``account``, or without account on the company's
        carbon reference plan (one plan: a split journal item counts once)."""
        plan = None
        if not account:
            plan = company.carbon_plan_id
            if not plan:
                return {}
        domain = self.analytic_domain(
            account or None, company, f"{first}-01-01", f"{last}-12-31", plan=plan
        )
        return {
            day.year: total
            for day, total in self.env["account.analytic.line"]._read_group(
                domain, ["date:year"], ["carbon_kg:sum"]
            )
        }

    def carbon_total(self, domain, plan):
        """kgCO2e of the analytic lines of ``domain`` on ``plan`` only."""
        [(total,)] = self.env["account.analytic.line"]._read_group(
            Domain(domain or []) & Domain(plan._column_name(), "!=", False),
            [],
            ["carbon_kg:sum"],
        )
        return total or 0.0

    # ------------------------------------------------------------ budget lines
    def budget_line_figures(self, lines):
        """{budget line id: (€ booked, kgCO2e booked)} for all ``lines`` in one SQL
        query (the rule above).

        Lines are grouped by plan column and period (a budget usually has one
        period): the analytic lines of each group are scanned once and summed by
        account, general account and emission item before meeting the budget
        lines, instead of once per budget line. ``_read_group`` cannot express
        the join with each line's position: per-line reads cost what OCA's
        line-by-line computation costs (``./nm bench``, figure 1).
        """
        lines = lines.browse(
            {line._origin.id for line in lines if isinstance(line._origin.id, int)}
        )
        if not lines:
            return {}
        self.flush()
        lines.flush_recordset(
            [
                "analytic_account_id",
                "general_budget_id",
                "date_from",
                "date_to",
                "company_id",
            ]
        )
        # one query per model whatever the number of lines (reading fields line by
        # line would fetch them by 1,000)
        lines.fetch(
            ["analytic_account_id", "general_budget_id", "date_from", "date_to"]
        )
        lines.analytic_account_id.fetch(["root_plan_id"])
        self.env["account.budget.post"].flush_model(
            ["account_ids", "carbon_category_ids"]
        )
        groups = defaultdict(list)
        without_account = []
        for line in lines:
            account = line.analytic_account_id
            if account:
                column = self.column(account)
                groups[(column, line.date_from, line.date_to)].append(line)
            else:
                without_account.append(line.id)
        position_categories = lines.general_budget_id._carbon_category_pairs()
        branches = [
            SQL(
                """SELECT bl.id AS line_id, bl.general_budget_id AS position_id,
                          agg.amount, agg.carbon_kg, agg.general_account_id,
                          agg.carbon_category_id
                     FROM (SELECT aal.%s AS account_id, aal.general_account_id,
                                  aal.carbon_category_id, aal.company_id,
                                  SUM(aal.amount) AS amount,
                                  SUM(aal.carbon_kg) AS carbon_kg
                             FROM account_analytic_line aal
                            WHERE aal.%s = ANY(%s)
                              AND aal.date BETWEEN %s AND %s
                         GROUP BY 1, 2, 3, 4) agg
                     JOIN crossovered_budget_lines bl
                       ON bl.analytic_account_id = agg.account_id
                      AND bl.company_id = agg.company_id
                    WHERE bl.id = ANY(%s)""",
                SQL.identifier(column),
                SQL.identifier(column),
                list({line.analytic_account_id.id for line in group}),
                date_from,
                date_to,
                [line.id for line in group],
            )
            for (column, date_from, date_to), group in groups.items()
        ]
        if without_account:
            branches.append(
                SQL(
                    """SELECT bl.id AS line_id, bl.general_budget_id AS position_id,
                              -aml.balance AS amount, 0.0 AS carbon_kg,
                              aml.account_id AS general_account_id,
                              NULL::integer AS carbon_category_id
                         FROM crossovered_budget_lines bl
                         JOIN account_budget_rel rel
                           ON rel.budget_id = bl.general_budget_id
                         JOIN account_move_line aml
                           ON aml.account_id = rel.account_id
                          AND aml.company_id = bl.company_id
                          AND aml.parent_state = 'posted'
                          AND aml.date BETWEEN bl.date_from AND bl.date_to
                        WHERE bl.id = ANY(%s)""",
                    without_account,
                )
            )
        self.env.cr.execute(
            SQL(
                """
                WITH booked AS (%s),
                     position_category AS (
                         SELECT *
                           FROM unnest(%s::int[], %s::int[])
                                AS pc(position_id, category_id)
                     )
                SELECT b.line_id,
                       COALESCE(SUM(b.amount)
                                FILTER (WHERE rel.account_id IS NOT NULL), 0),
                       COALESCE(SUM(b.carbon_kg) FILTER (
                           WHERE rel.account_id IS NOT NULL
                              OR pc.category_id IS NOT NULL
                       ), 0)
                  FROM booked b
             LEFT JOIN account_budget_rel rel
                    ON rel.budget_id = b.position_id
                   AND rel.account_id = b.general_account_id
             LEFT JOIN position_category pc
                    ON pc.position_id = b.position_id
                   AND pc.category_id = b.carbon_category_id
              GROUP BY b.line_id
                """,
                SQL(" UNION ALL ").join(branches),
                [pair[0] for pair in position_categories],
                [pair[1] for pair in position_categories],
            )
        )
        return {
            line_id: (amount, carbon_kg)
            for line_id, amount, carbon_kg in self.env.cr.fetchall()
        }

    # --------------------------------------------------------------- capitals
    def _flush_entries(self):
        self.env["nm.capital.entry"].flush_model(
            [
                "capital_id",
                "analytic_account_id",
                "budget_post_id",
                "decarbonation_action_id",
                "date",
                "quantity",
                "company_id",
            ]
        )

    def capital_quantities(self, capital_lines):
        """{capital budget line id: quantity}: the entries of the line's capital,
        analytic account and company, dated within the line, one query."""
        if not capital_lines:
            return {}
        self._flush_entries()
        capital_lines.flush_recordset(
            ["capital_id", "analytic_account_id", "date_from", "date_to", "company_id"]
        )
        self.env.cr.execute(self.capital_quantities_sql(capital_lines.ids))
        return dict(self.env.cr.fetchall())

    @staticmethod
    def capital_quantities_sql(line_ids=None):
        """SQL of (capital budget line id, booked quantity), for ``line_ids`` or
        every line: what the threshold search filters on."""
        where = (
            SQL("bl.id = ANY(%s)", list(line_ids))
            if line_ids is not None
            else (SQL("TRUE"))
        )
        return SQL(
            """SELECT bl.id, COALESCE(SUM(e.quantity), 0) AS quantity
                 FROM nm_capital_budget_line bl
            LEFT JOIN nm_capital_entry e
                   ON e.capital_id = bl.capital_id
                  AND e.analytic_account_id = bl.analytic_account_id
                  AND e.company_id = bl.company_id
                  AND e.date BETWEEN bl.date_from AND bl.date_to
                WHERE %s
             GROUP BY bl.id""",
            where,
        )

    def capital_quantities_by_budget_line(self, budget_lines, capitals):
        """{(budget line id, capital id): quantity}: entries of the line's company,
        analytic account and position, dated within the line, one query."""
        if not budget_lines or not capitals:
            return {}
        self._flush_entries()
        budget_lines.flush_recordset(
            [
                "analytic_account_id",
                "general_budget_id",
                "date_from",
                "date_to",
                "company_id",
            ]
        )
        self.env.cr.execute(
            SQL(
                """SELECT bl.id, e.capital_id, SUM(e.quantity)
                     FROM crossovered_budget_lines bl
                     JOIN nm_capital_entry e
                       ON e.analytic_account_id = bl.analytic_account_id
                      AND e.budget_post_id = bl.general_budget_id
                      AND e.company_id = bl.company_id
                      AND e.date BETWEEN bl.date_from AND bl.date_to
                    WHERE bl.id = ANY(%s) AND e.capital_id = ANY(%s)
                 GROUP BY bl.id, e.capital_id""",
                budget_lines.ids,
                capitals.ids,
            )
        )
        return {
            (line_id, capital_id): qty
            for line_id, capital_id, qty in self.env.cr.fetchall()
        }

    def capital_quantities_by_action(self, actions, capitals):
        """{(action id, capital id): quantity} of the entries linked to actions."""
        if not actions or not capitals:
            return {}
        return {
            (action.id, capital.id): quantity
            for action, capital, quantity in self.env["nm.capital.entry"]._read_group(
                [
                    ("decarbonation_action_id", "in", actions.ids),
                    ("capital_id", "in", capitals.ids),
                ],
                ["decarbonation_action_id", "capital_id"],
                ["quantity:sum"],
            )
        }

    # ------------------------------------------------ journal items (spending)
    def posted_spending(self, accounts, company, date_from, date_to, journals):
        """{general account id: executed spending (balance)} of the posted journal
        items of ``journals``, one query (sums that are not zero)."""
        if not accounts or not journals:
            return {}
        self.flush()
        self.env.cr.execute(
            SQL(
                """SELECT aml.account_id, SUM(aml.balance)
                     FROM account_move_line aml
                    WHERE aml.parent_state = 'posted'
                      AND aml.company_id = %s
                      AND aml.date BETWEEN %s AND %s
                      AND aml.account_id = ANY(%s)
                      AND aml.journal_id = ANY(%s)
                 GROUP BY aml.account_id
                   HAVING SUM(aml.balance) <> 0""",
                company.id,
                date_from,
                date_to,
                accounts.ids,
                journals.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def distributed_spending(
        self, budget_lines, company, date_from, date_to, journals, accounts=None
    ):
        """{(budget line id, general account id): spending} of budget lines: the
        analytic lines of posted journal items of ``journals`` on the position's
        accounts that count for the line's analytic account (the rule above),
        within the line's dates and ``date_from``–``date_to``. The analytic line
        holds the share of the journal item distributed to the account.

        Each euro is given once: an analytic line to one budget line (the first,
        when two lines hold its account and general account), and a journal item
        distributed over several plans (each plan distributes the whole item) to
        the lines of one plan only — the company's carbon reference plan first,
        else the plan created first.
        """
        budget_lines = budget_lines.filtered("analytic_account_id")
        if not budget_lines or not journals:
            return {}
        self.flush()
        budget_lines.flush_recordset(
            ["general_budget_id", "analytic_account_id", "date_from", "date_to"]
        )
        budget_lines.analytic_account_id.fetch(["root_plan_id"])
        account_filter = (
            SQL("AND aml.account_id = ANY(%s)", accounts.ids)
            if accounts is not None
            else SQL()
        )
        reference = company.carbon_plan_id
        branches = [
            SQL(
                """SELECT bl.id AS line_id, aml.account_id, aml.id AS move_line_id,
                          aal.id AS analytic_line_id, %s AS plan_rank,
                          -aal.amount AS amount
                     FROM crossovered_budget_lines bl
                     JOIN account_budget_rel rel ON rel.budget_id = bl.general_budget_id
                     JOIN account_analytic_line aal
                       ON aal.%s = bl.analytic_account_id
                      AND aal.general_account_id = rel.account_id
                      AND aal.company_id = %s
                     JOIN account_move_line aml
                       ON aml.id = aal.move_line_id
                      AND aml.parent_state = 'posted'
                      AND aml.date BETWEEN GREATEST(bl.date_from, %s)
                                       AND LEAST(bl.date_to, %s)
                      AND aml.journal_id = ANY(%s)
                      %s
                    WHERE bl.id = ANY(%s)""",
                0 if plan == reference else plan.id,
                SQL.identifier(plan._column_name()),
                company.id,
                date_from,
                date_to,
                journals.ids,
                account_filter,
                group.ids,
            )
            for plan, group in budget_lines.grouped(
                lambda line: line.analytic_account_id.root_plan_id
            ).items()
        ]
        self.env.cr.execute(
            SQL(
                """WITH spent AS (%s),
                        once AS (
                            SELECT DISTINCT ON (analytic_line_id) *
                              FROM spent
                          ORDER BY analytic_line_id, line_id
                        ),
                        ranked AS (
                            SELECT *, MIN(plan_rank) OVER (
                                          PARTITION BY move_line_id) AS first_rank
                              FROM once
                        )
                 SELECT line_id, account_id, SUM(amount)
                   FROM ranked
                  WHERE plan_rank = first_rank
               GROUP BY line_id, account_id""",
                SQL(" UNION ALL ").join(branches),
            )
        )
        return {
            (line_id, account_id): float(amount)
            for line_id, account_id, amount in self.env.cr.fetchall()
        }

    # ---------------------------------------------------------------- SQL views
    def analytic_rows_sql(self):
        """SQL of (analytic line id, root plan index, plan id, analytic account id)
        for every analytic line and every root plan whose column holds an account:
        the FROM of the SQL views, the rule of the plan column in one place.
        Returns (SQL, number of root plans) — (None, 0) without any plan."""
        columns = self.root_columns()
        if not columns:
            return None, 0
        self.env["account.analytic.line"].flush_model(
            [column for _plan, column in columns]
        )
        directions = SQL(", ").join(
            SQL("(%s, %s, aal.%s)", index, plan_id, SQL.identifier(column))
            for index, (plan_id, column) in enumerate(columns)
        )
        return (
            SQL(
                """account_analytic_line aal
           CROSS JOIN LATERAL (VALUES %s)
                   AS d(plan_index, plan_id, analytic_account_id)""",
                directions,
            ),
            len(columns),
        )

    def mis_rows_query(self):
        """Rows of ``nm.carbon.mis.line``: one per analytic line, per root plan
        whose column holds an account, per budgetary position the line counts on
        (the € by general account, the kgCO2e also by emission item)."""
        Position = self.env["account.budget.post"]
        accounts_field = Position._fields["account_ids"]
        categories_field = Position._fields["carbon_category_ids"]
        from_sql, plans = self.analytic_rows_sql()
        if from_sql is None:
            return SQL(
                "SELECT NULL::bigint AS id, NULL::int AS analytic_line_id, "
                "NULL::varchar AS name, NULL::date AS date, NULL::int AS company_id, "
                "NULL::int AS analytic_account_id, NULL::int AS plan_id, "
                "NULL::int AS account_id, NULL::int AS general_account_id, "
                "NULL::int AS carbon_category_id, 0.0 AS amount, 0.0 AS carbon_kg, "
                "0.0 AS debit, 0.0 AS credit, 0.0 AS balance WHERE FALSE"
            )
        # any position id fits in this many slots of the row id
        [(max_position,)] = (
            Position.sudo()
            .with_context(active_test=False)
            ._read_group([], [], ["id:max"])
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
              FROM %(rows)s
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
            plans=plans,
            slots=(max_position or 0) + 1,
            rows=from_sql,
            cat_rel=SQL.identifier(categories_field.relation),
            cat_position=SQL.identifier(categories_field.column1),
            cat_category=SQL.identifier(categories_field.column2),
            acc_rel=SQL.identifier(accounts_field.relation),
            acc_position=SQL.identifier(accounts_field.column1),
            acc_account=SQL.identifier(accounts_field.column2),
        )

    def item_report_query(self):
        """Rows of ``nm.carbon.item.report``: kgCO2e by company, emission item,
        direction and month, on each company's carbon reference plan only."""
        companies = (
            self.env["res.company"].sudo().search([("carbon_plan_id", "!=", False)])
        )
        columns = [(c.id, c.carbon_plan_id._column_name()) for c in companies]
        self.env["account.analytic.line"].flush_model(
            list({column for _company, column in columns})
        )
        branches = [
            SQL(
                """SELECT MIN(aal.id) AS id, aal.company_id, aal.carbon_category_id,
                          aal.%(column)s AS analytic_account_id,
                          date_trunc('month', aal.date)::date AS date,
                          SUM(aal.carbon_kg) AS carbon_kg
                     FROM account_analytic_line aal
                    WHERE aal.company_id = %(company)s
                      AND aal.%(column)s IS NOT NULL
                 GROUP BY aal.company_id, aal.carbon_category_id, aal.%(column)s,
                          date_trunc('month', aal.date)""",
                column=SQL.identifier(column),
                company=company_id,
            )
            for company_id, column in columns
        ]
        if not branches:
            return SQL(
                "SELECT NULL::int AS id, NULL::int AS company_id, "
                "NULL::int AS carbon_category_id, NULL::int AS analytic_account_id, "
                "NULL::date AS date, 0.0 AS carbon_kg WHERE FALSE"
            )
        return SQL(" UNION ALL ").join(branches)

    def trajectory_booked_query(self):
        """SQL of the kgCO2e booked per trajectory and year, read from the analytic
        lines when queried: a direction's trajectory sums the column of its
        account's plan; the organisation's sums the company's carbon reference plan
        (one plan, so a journal item split over several plans counts once)."""
        env = self.env
        project_plan, other_plans = env["account.analytic.plan"]._get_all_plans()
        branches = []
        for plan in project_plan | other_plans:
            column = SQL.identifier("line", plan._column_name())
            branches.append(
                SQL(
                    """
                    SELECT traj.id AS trajectory_id,
                           EXTRACT(YEAR FROM line.date)::int AS year,
                           line.carbon_kg
                      FROM nm_carbon_trajectory traj
                      JOIN account_analytic_account account
                        ON account.id = traj.analytic_account_id
                       AND account.root_plan_id = %(plan)s
                      JOIN account_analytic_line line
                        ON %(column)s = traj.analytic_account_id
                       AND line.company_id = traj.company_id
                    UNION ALL
                    SELECT traj.id, EXTRACT(YEAR FROM line.date)::int, line.carbon_kg
                      FROM nm_carbon_trajectory traj
                      JOIN res_company company
                        ON company.id = traj.company_id
                       AND company.carbon_plan_id = %(plan)s
                      JOIN account_analytic_line line
                        ON %(column)s IS NOT NULL
                       AND line.company_id = traj.company_id
                     WHERE traj.analytic_account_id IS NULL
                    """,
                    plan=plan.id,
                    column=column,
                )
            )
        if not branches:
            return SQL(
                "SELECT NULL::int AS trajectory_id, NULL::int AS year, "
                "0.0 AS carbon_kg WHERE FALSE"
            )
        return SQL(
            """
            SELECT booked.trajectory_id, booked.year, SUM(booked.carbon_kg) AS carbon_kg
              FROM (%s) booked
              JOIN nm_carbon_trajectory traj ON traj.id = booked.trajectory_id
             WHERE booked.year >= traj.baseline_year
               AND COALESCE(booked.carbon_kg, 0) != 0
             GROUP BY booked.trajectory_id, booked.year
            """,
            SQL(" UNION ALL ").join(branches),
        )
