# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access matrix of every model of the four addons, for every role.

Each entry reads "create read write unlink" per role (``-`` where refused), in the
order of ROLES. Record rules narrow these rights further (own declarations, own
department, own partner, company): see each addon's tests. A model added to an addon
without a line here fails ``test_every_model_is_in_the_matrix``: decide its rights,
then add it.
"""

from odoo.tests import TransactionCase, new_test_user, tagged

ADDONS = {"nm_carbon_budget", "nm_mobility", "nm_progress_plan", "nm_multicapital"}
ROLES = {
    "agent": "nm_carbon_budget.group_carbon_user",
    "direction head": "nm_carbon_budget.group_carbon_manager",
    "carbon controller": "nm_carbon_budget.group_carbon_controller",
    "approver": "nm_carbon_budget.group_carbon_approver",
    "carbon administrator": "nm_carbon_budget.group_carbon_admin",
    "portal operator": "base.group_portal",
    "public": "base.group_public",
}
#   model: agent head controller approver admin portal public
MATRIX = {
    "nm.budget.review": "-r-- crw- crwu -r-- crwu ---- ----",
    "nm.budget.review.decision": "-r-- crwu crwu -r-- crwu ---- ----",
    "nm.budget.review.line": "-r-- crwu crwu -r-- crwu ---- ----",
    "nm.budget.review.template": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.capital": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.capital.budget.line": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.capital.entry": "-r-- crwu crwu -r-- crwu ---- ----",
    "nm.capital.preservation": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.carbon.amendment": "-r-- crwu crwu -r-- crwu ---- ----",
    "nm.carbon.amendment.line": "-r-- crwu crwu -r-- crwu ---- ----",
    "nm.carbon.category": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.carbon.trajectory": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.carbon.trajectory.point": "-r-- -r-- -r-- -r-- -r-- ---- ----",
    "nm.carbon.trajectory.series": "-r-- -r-- -r-- -r-- -r-- ---- ----",
    "nm.convention": "-r-- crwu crwu -r-- crwu -r-- ----",
    "nm.decarbonation.action": "crw- crwu crwu crw- crwu ---- ----",
    "nm.emission.factor": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.green.budget.axis": "-r-- -r-- -rw- -r-- -rw- ---- ----",
    "nm.green.budget.rating": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.green.budget.scope": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.public.budget": "-r-- -r-- crwu -r-- crwu ---- ----",
    "nm.progress.adjustment": "-r-- crwu crwu -r-- crwu -r-- ----",
    "nm.progress.clause": "-r-- crwu crwu -r-- crwu -r-- ----",
    "nm.progress.clause.template": "-r-- crwu crwu -r-- crwu ---- ----",
    "nm.progress.measure": "-r-- crwu crwu -r-- crwu -r-- ----",
    "nm.progress.objective": "-r-- crwu crwu -r-- crwu -r-- ----",
    "nm.progress.review": "-r-- crwu crwu -r-- crwu -r-- ----",
    "nm.travel.declaration": "crwu crwu crwu crwu crwu ---- ----",
    "nm.travel.declaration.line": "crwu crwu crwu crwu crwu ---- ----",
    "nm.travel.declaration.summary": "-r-- -r-- -r-- -r-- -r-- ---- ----",
    "nm.travel.mode": "-r-- -r-- crwu -r-- crwu ---- ----",
}
# OCA models our promises rely on, as our addons leave them (OCA grants every
# employee write on budget lines, portal and public read on tier reviews: taken
# back in nm_carbon_budget/security/nm_carbon_budget_oca_access.xml). Employees keep
# the rights base_tier_validation gives on tier.review for other documents; the
# reviews of a DM carbone are written by its workflow only (test_api_security.py).
OCA_MATRIX = {
    "crossovered.budget": "-r-- -r-- crwu -r-- crwu ---- ----",
    "crossovered.budget.lines": "-r-- -r-- crwu -r-- crwu ---- ----",
    "account.budget.post": "-r-- -r-- crwu -r-- crwu ---- ----",
    "tier.review": "crwu crwu crwu crwu crwu ---- ----",
}
OPERATIONS = (("c", "create"), ("r", "read"), ("w", "write"), ("u", "unlink"))


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(cls.env, login=f"matrix_{i}", groups=group)
            for i, (role, group) in enumerate(ROLES.items())
        }

    def _our_models(self):
        models = self.env["ir.model"].search([("model", "=like", "nm.%")])
        return {
            model.model
            for model in models
            if set(model.modules.split(", ")) & ADDONS
            and not self.env[model.model]._transient
            and not self.env[model.model]._abstract
        }

    def test_every_model_is_in_the_matrix(self):
        missing = self._our_models() - set(MATRIX)
        self.assertFalse(missing, f"models without expected rights: {sorted(missing)}")

    def test_rights_match_the_matrix(self):
        for model, expected in {**MATRIX, **OCA_MATRIX}.items():
            for (role, user), rights in zip(
                self.users.items(), expected.split(), strict=True
            ):
                Model = self.env[model].with_user(user)
                actual = "".join(
                    letter if Model.has_access(operation) else "-"
                    for letter, operation in OPERATIONS
                )
                with self.subTest(model=model, role=role):
                    self.assertEqual(actual, rights)

    def test_agents_never_write_reference_data(self):
        # factors, trajectories and emission items are finance's and experts' data
        for model in (
            "nm.emission.factor",
            "nm.carbon.trajectory",
            "nm.carbon.category",
        ):
            for role in (
                "agent",
                "direction head",
                "approver",
                "portal operator",
                "public",
            ):
                self.assertFalse(
                    self.env[model].with_user(self.users[role]).has_access("write"),
                    f"{role} can write {model}",
                )
