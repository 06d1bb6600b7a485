# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Budget line lists a finance officer reads at 1440 px: euros in the company's
currency, kgCO2e as whole kg, a total under every figure column (DM and what is
left included) and headers short enough not to be cut."""

from lxml import etree

from odoo.tests import TransactionCase, tagged

# a header of up to this many characters fits a figure column at 1440 px
MAX_HEADER = 16
EURO_FIELDS = ("planned_amount", "practical_amount", "theoretical_amount")


@tagged("post_install", "-at_install")
class TestBudgetLineLists(TransactionCase):
    def _list(self, arch, xpath="//list"):
        return etree.fromstring(arch).xpath(xpath)[0]

    def _check_list(self, list_node, fields, where):
        shown = [
            node
            for node in list_node.xpath("field")
            if node.get("column_invisible") not in ("True", "1", "true")
        ]
        self.assertTrue(shown, where)
        for node in shown:
            name = node.get("name")
            field = fields[name]
            header = node.get("string") or field["string"]
            with self.subTest(list=where, field=name):
                self.assertLessEqual(len(header), MAX_HEADER, header)
                if field["type"] not in ("float", "monetary", "integer"):
                    continue
                if node.get("widget") == "progressbar" or "percentage" in name:
                    continue  # a ratio: no total
                self.assertTrue(node.get("sum"), f"no total under {header}")
                if name in EURO_FIELDS:
                    self.assertEqual(node.get("widget"), "monetary")
                    self.assertIn("currency_id", node.get("options", ""))
                if name.endswith("_kg"):
                    self.assertEqual(node.get("digits"), "[16, 0]", "whole kg")

    def test_budget_lines_list(self):
        Lines = self.env["crossovered.budget.lines"]
        action = self.env.ref("nm_carbon_budget.crossovered_budget_lines_action_carbon")
        view_id = action.view_ids.filtered(lambda v: v.view_mode == "list").view_id
        views = Lines.get_views([(view_id.id, "list")])
        arch = views["views"]["list"]["arch"]
        fields = views["models"]["crossovered.budget.lines"]["fields"]
        node = self._list(arch)
        self._check_list(node, fields, "budget lines")
        names = [f.get("name") for f in node.xpath("field")]
        for name in ("currency_id", "amendment_carbon_kg", "remaining_carbon_kg"):
            self.assertIn(name, names)

    def test_lines_inside_the_budget_form(self):
        views = self.env["crossovered.budget"].get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        fields = views["models"]["crossovered.budget.lines"]["fields"]
        node = self._list(arch, "//field[@name='crossovered_budget_line_ids']/list")
        self._check_list(node, fields, "budget form")
        visible = [
            f.get("name")
            for f in node.xpath("field")
            if f.get("optional") != "hide" and not f.get("column_invisible")
        ]
        # the carbon columns are shown by default, beside the euros
        for name in ("planned_carbon_kg", "practical_carbon_kg", "planned_amount"):
            self.assertIn(name, visible)
        self.assertLessEqual(len(visible), 9, visible)

    def test_mobility_envelopes_list(self):
        view = self.env.ref("nm_mobility.crossovered_budget_lines_view_list_mobility")
        views = self.env["crossovered.budget.lines"].get_views([(view.id, "list")])
        self._check_list(
            self._list(views["views"]["list"]["arch"]),
            views["models"]["crossovered.budget.lines"]["fields"],
            "mobility envelopes",
        )
