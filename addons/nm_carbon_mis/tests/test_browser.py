# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import CarbonMisCase

# Opens the list of carbon MIS reports, previews the report, clicks the first
# "Réalisé kgCO2e" figure and waits for the analytic lines behind it.
OPEN_AND_DRILL = """
const started = Date.now();
const step = (check, next, label) => {
    const tick = () => {
        const failed = document.querySelector('.o_error_dialog');
        if (failed) {
            console.error('error: ' + failed.innerText);
            return;
        }
        const found = check();
        if (found) {
            next(found);
            return;
        }
        if (Date.now() - started > 60000) {
            console.error('timeout waiting for ' + label);
            return;
        }
        setTimeout(tick, 250);
    };
    tick();
};
step(
    () => document.querySelector('.o_data_row button[name="preview"]'),
    (preview) => {
        preview.click();
        step(
            () => {
                const row = [...document.querySelectorAll('table.mis_builder tr')]
                    .find((tr) => tr.innerText.includes('Réalisé kgCO2e'));
                return row && row.querySelector('a.mis_builder_drilldown');
            },
            (figure) => {
                figure.click();
                step(
                    () => document.querySelector('.o_list_view .o_data_row'),
                    () => console.log('test successful'),
                    'the analytic lines',
                );
            },
            'the report',
        );
    },
    'the list of reports',
);
"""


@tagged("post_install", "-at_install")
class TestCarbonMisBrowser(CarbonMisCase, HttpCase):
    def test_report_opens_and_drills_down(self):
        self._create_mis()
        self.browser_js(
            "/odoo/action-nm_carbon_mis.mis_report_instance_action_carbon",
            OPEN_AND_DRILL,
            ready="odoo.isReady",
            login=self.controller.login,
            timeout=120,
        )
