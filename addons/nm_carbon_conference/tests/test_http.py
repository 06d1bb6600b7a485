# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import ConferenceCase


@tagged("post_install", "-at_install")
class TestConferenceOverHttp(ConferenceCase, HttpCase):
    """What the web client hides, a direction head tries with plain call_kw."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_head_cannot_arbitrate_vote_or_touch_another_direction(self):
        conference = self._conference()
        conference.action_open_proposals()
        services = self._line(conference, self.dir_culture, self.position_services)
        prop = self._line(conference, self.dir_property, self.position_services)
        self.authenticate("conf_head_culture", "conf_head_culture")
        forcing = {"install_mode": True, "_force_unlink": True}
        attempts = [
            (
                "nm.carbon.conference.line",
                "write",
                [services.ids, {"arbitrated_kg": 1}],
            ),
            ("nm.carbon.conference.line", "write", [prop.ids, {"proposed_kg": 1}]),
            ("nm.carbon.conference.line", "unlink", [prop.ids]),
            ("nm.carbon.conference", "write", [conference.ids, {"state": "voted"}]),
            ("nm.carbon.conference", "action_start_arbitration", [conference.ids]),
            ("nm.carbon.conference", "action_vote", [conference.ids]),
        ]
        for model, method, args in attempts:
            with self.subTest(method=method, args=args):
                with self.assertRaises(JsonRpcException):
                    self._call(model, method, args, {"context": forcing})
        # the head's own proposal goes through
        self._call(
            "nm.carbon.conference.line", "write", [services.ids, {"proposed_kg": 1234}]
        )
        self.env.invalidate_all()
        self.assertEqual(services.proposed_kg, 1234.0)
        self.assertEqual(services.arbitrated_kg, 0.0)
        self.assertEqual(prop.proposed_kg, 27000.0)
        self.assertTrue(prop.exists())
        self.assertEqual(conference.state, "proposals")
