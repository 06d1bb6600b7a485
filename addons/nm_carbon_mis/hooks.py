# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def uninstall_hook(env):
    """Reports and MIS budgets built on the shipped template cannot outlive it (MIS
    Builder forbids deleting a template still in use): remove them first."""
    report = env.ref("nm_carbon_mis.mis_report_carbon_budget", raise_if_not_found=False)
    if not report:
        return
    env["mis.report.instance"].with_context(active_test=False).search(
        [("report_id", "=", report.id)]
    ).unlink()
    env["mis.budget"].with_context(active_test=False).search(
        [("report_id", "=", report.id)]
    ).unlink()
