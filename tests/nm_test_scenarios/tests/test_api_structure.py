# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the API exposes, decided method by method, and guards that read no context.

Odoo serves every public method (no leading underscore) of a model to any user with
the model's read access, over JSON-RPC, XML-RPC and JSON-2, with any context.

- ``PUBLIC_METHODS`` holds the decision for every public method our four addons add
  (overrides of Odoo's and OCA's methods are left out: their guards are tested with
  the models). A model gaining a public method without a line here fails
  ``test_every_public_method_has_a_decision``: decide who may call it and what guards
  it (a right checked in the method, a record rule, the lock of nm.locked.mixin),
  test it, then add it.
- ``test_no_guard_reads_the_context`` fails when code under addons/ (tests apart)
  reads a context key other than the display keys below: a guard a caller switches
  off by sending that key. ``@api.ondelete(at_uninstall=False)`` guards fail too:
  Odoo skips them under ``_force_unlink``, which any caller can send.
"""

import ast
import inspect
import re
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

ADDONS_DIR = Path(get_module_path("nm_carbon_budget")).parent
OUR_ADDONS = (
    "nm_carbon_budget",
    "nm_mobility",
    "nm_progress_plan",
    "nm_multicapital",
    "nm_carbon_conference",
    "nm_carbon_mis",
    "nm_carbon_dashboard",
)
OUR_MODULES = tuple(f"odoo.addons.{addon}" for addon in OUR_ADDONS)

# Who calls each public method, and what refuses everyone else (whatever context).
CONTROLLER = "carbon controllers (ACL write + check in the method)"
READERS = "anyone who reads the record: opens a view or a report, writes nothing"
WORKFLOW = "users with write access on the record (check_access), lock via sudo"
PUBLIC_METHODS = {
    "nm.budget.review": {
        "action_hold": WORKFLOW,
        "action_close": WORKFLOW,
        "action_reopen": WORKFLOW,
        "action_print_fiche": READERS,
    },
    "nm.budget.review.decision": {
        "action_done": "users with write access (ACL), lock of a closed review",
        "action_open_amendment": "heads/controllers: creates a draft DM (DM rights)",
        "action_create_action": "heads/controllers: creates an action (its rights)",
    },
    "nm.budget.review.plan": {"action_plan": "wizard: carbon controllers only (ACL)"},
    "nm.capital": {
        "action_view_entries": READERS,
        "action_view_carbon_envelopes": READERS,
    },
    "nm.carbon.amendment": {
        "action_submit": WORKFLOW + "; heads of its directions, controllers",
        "action_cancel": WORKFLOW + "; never an applied DM",
        "action_draft": WORKFLOW + "; reviews removed as superuser",
        "action_apply": CONTROLLER + "; approved, top tier read from locked reviews",
        "action_check_chain": READERS + " (the keyed seal check)",
    },
    "nm.carbon.budget.prepare": {
        "action_prepare": "wizard: carbon controllers only (ACL)",
        "action_open_budget": "wizard: carbon controllers only (ACL)",
    },
    "nm.carbon.trajectory": {
        "action_refresh_points": "controllers (ACL write on the trajectory)",
        "target_kg": READERS + " (a number)",
    },
    "nm.convention": {
        "action_cancel": "nm_progress_plan: managers (its tests)",
        "action_close": "nm_progress_plan: managers (its tests)",
        "action_draft": "nm_progress_plan: managers (its tests)",
        "action_negotiate": "nm_progress_plan: managers (its tests)",
        "action_preview": READERS,
        "action_renew": "nm_progress_plan: managers (its tests)",
        "action_schedule_reviews": "nm_progress_plan: managers (its tests)",
        "action_sign": "nm_progress_plan: managers (its tests)",
        "action_start_assessment": "nm_progress_plan: managers (its tests)",
        "action_view_reviews": READERS,
    },
    "nm.emission.factor": {"action_view_versions": READERS},
    "nm.emission.factor.import": {"action_import": "wizard: controllers only (ACL)"},
    "nm.emission.factor.version": {
        "action_create_version": "wizard: controllers only (ACL)"
    },
    "nm.green.budget.annex": {
        "action_compute": "nm_multicapital: its wizard's rights",
        "action_print_html": READERS,
        "action_print_xlsx": READERS,
    },
    "nm.progress.adjustment": {
        "action_accept_authority": "nm_progress_plan: managers (its tests)",
        "action_refuse": "nm_progress_plan: managers (its tests)",
    },
    "nm.progress.clause": {
        "action_propose_adjustment": "nm_progress_plan: managers (its tests)"
    },
    "nm.progress.review": {
        "action_cancel": "nm_progress_plan: managers (its tests)",
        "action_open": "nm_progress_plan: managers (its tests)",
        "action_post_feedback": "nm_progress_plan: managers (its tests)",
        "action_reopen": "nm_progress_plan: managers (its tests)",
    },
    "nm.travel.declaration": {
        "action_submit": "nm_mobility: the agent of the declaration (its tests)",
        "action_validate": "nm_mobility: managers of the department (its tests)",
        "action_book": "nm_mobility: managers of the department (its tests)",
        "action_cancel": "nm_mobility: managers, reversing the booked lines",
        "action_draft": "nm_mobility: managers (its tests)",
        "action_view_lines": READERS,
        "action_copy_last_month": "nm_mobility: whoever may change the trips (a "
        "draft; lines unlinked and created with the caller's rights, its tests)",
    },
    # nm_carbon_conference (tests: nm_carbon_conference/tests/test_conference.py,
    # test_http.py, test_open_data.py, test_reports.py)
    "nm.carbon.conference": {
        "action_open_proposals": CONTROLLER,
        "action_start_arbitration": CONTROLLER,
        "action_back_to_proposals": CONTROLLER,
        "action_vote": "carbon controllers and approvers (group check), draft N+1 "
        "budget, deliberation number and date required",
        "action_print_lettres": READERS + " (a head prints only its directions')",
        "action_view_lines": READERS,
    },
    "nm.carbon.conference.line": {"action_open_form": READERS},
    "nm.action.status.report": {"action_print": READERS},
    "crossovered.budget": {
        "action_nm_open_data_csv": READERS + " (the CSV is attached under sudo)",
        "action_nm_open_data_pdf": READERS,
        "action_open_mis_budgets": READERS,
    },
    # nm_carbon_mis (tests: nm_carbon_mis/tests)
    "nm.carbon.mis.budget.wizard": {"action_create": CONTROLLER},
}

# Context keys that only change what is displayed or defaulted, never a right.
DISPLAY_KEYS = {
    "from_date",
    "to_date",
    "fiche_year",
    "lang",
    "tz",
    "active_id",
    "active_ids",
    "active_model",
}
DISPLAY_PREFIXES = ("default_",)
# Guards other helpers are removing in parallel (issue 13); the lead empties this
# list when their branches are merged. Nothing may be added to it.
# Guards of the addons still to move onto nm.locked.mixin: none left.
PENDING_REMOVAL = set()


def context_reads(source):
    """Context keys a module's source reads: ``context.get("k")``,
    ``context["k"]``, ``"k" in ...context``, and any read of ``self._context``.
    A key that is not a string literal is reported as such."""
    found = []
    for node in ast.walk(ast.parse(source)):
        target, key = None, None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
        ):
            target, key = node.func.value, node.args[0] if node.args else None
        elif isinstance(node, ast.Subscript):
            target, key = node.value, node.slice
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.In | ast.NotIn) for op in node.ops
        ):
            target, key = node.comparators[0], node.left
        elif isinstance(node, ast.Attribute) and node.attr == "_context":
            found.append("self._context")
            continue
        if not (isinstance(target, ast.Attribute) and target.attr == "context"):
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append(key.value)
        else:
            found.append("context key (not a literal)")
    if re.search(r"@api\.ondelete\(\s*at_uninstall\s*=\s*False", source):
        found.append("@api.ondelete(at_uninstall)")
    return found


@tagged("post_install", "-at_install")
class TestApiStructure(TransactionCase):
    def _public_methods(self):
        """{model: {method}} of public methods defined by our addons' classes and
        by no Odoo or OCA class of the model."""
        found = {}
        for name in self.registry:
            cls = self.registry[name]
            theirs = [
                klass
                for klass in cls.__mro__[1:]
                if not getattr(klass, "__module__", "").startswith(OUR_MODULES)
            ]
            for klass in cls.__mro__:
                if not getattr(klass, "__module__", "").startswith(OUR_MODULES):
                    continue
                for attr, member in vars(klass).items():
                    if attr.startswith("_") or not inspect.isfunction(member):
                        continue
                    if any(attr in vars(other) for other in theirs):
                        continue
                    found.setdefault(name, set()).add(attr)
        return found

    def test_every_public_method_has_a_decision(self):
        missing = sorted(
            f"{model}.{method}"
            for model, methods in self._public_methods().items()
            for method in methods
            if method not in PUBLIC_METHODS.get(model, {})
        )
        self.assertFalse(
            missing,
            "public methods (callable over RPC by anyone reading the model) with no "
            f"decision in PUBLIC_METHODS: {missing}",
        )

    def test_no_guard_reads_the_context(self):
        offending = []
        for path in sorted(ADDONS_DIR.rglob("*.py")):
            relative = path.relative_to(ADDONS_DIR)
            if "tests" in relative.parts or relative.parts[0] not in OUR_ADDONS:
                continue
            for key in context_reads(path.read_text(encoding="utf-8")):
                if key in DISPLAY_KEYS or key.startswith(DISPLAY_PREFIXES):
                    continue
                if (relative.as_posix(), key) in PENDING_REMOVAL:
                    continue
                offending.append(f"{relative}: {key}")
        self.assertFalse(
            offending,
            "guards a caller can switch off with a context key (or an ondelete "
            f"guard skipped by _force_unlink): {offending}",
        )

    def test_the_scan_sees_a_guard(self):
        """The scanner itself: a guard reading a key is seen, display keys pass."""
        source = (
            "def write(self, vals):\n"
            "    if self.env.context.get('nm_bypass'):\n"
            "        return\n"
            "    if 'other' in self.env.context or self._context['x']:\n"
            "        return\n"
            "    year = self.env.context.get('fiche_year')\n"
        )
        reads = context_reads(source)
        self.assertIn("nm_bypass", reads)
        self.assertIn("other", reads)
        self.assertIn("self._context", reads)
        self.assertIn("fiche_year", reads)
        self.assertIn(
            "@api.ondelete(at_uninstall)",
            context_reads("@api.ondelete(at_uninstall=False)\ndef _x(self): pass"),
        )
