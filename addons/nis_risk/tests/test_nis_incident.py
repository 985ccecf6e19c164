from datetime import datetime

from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import NisRiskCommon


@tagged("post_install", "-at_install", "nis")
class TestNisIncident(NisRiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Municipality 40 h", "tz": "Europe/Sofia"}
        )
        cls.env.company.municipal_calendar_id = cls.calendar

    def _deadlines(self, incident):
        return [
            (r.step_id.name, r.deadline)
            for r in incident.report_ids.sorted(lambda r: r.step_id.sequence)
        ]

    @freeze_time("2025-03-07 10:00:00")
    def test_2018_regime_hours_and_working_days(self):
        incident = self.env["nis.incident"].create(
            {"name": "Ransomware", "detected_at": datetime(2025, 3, 7, 10, 0)}
        )
        self.assertEqual(
            incident.regime_id, self.env.ref("nis_risk.nis_incident_regime_2018")
        )
        # Friday 10:00 UTC: 2 hours; 5 working days from Monday end Friday 17:00
        # in Sofia (15:00 UTC).
        self.assertEqual(
            self._deadlines(incident),
            [
                ("First notification", datetime(2025, 3, 7, 12, 0)),
                ("Full information", datetime(2025, 3, 14, 15, 0)),
            ],
        )
        # A public holiday on the Monday moves the working-day deadline.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2025, 3, 9, 22, 0),
                "date_to": datetime(2025, 3, 10, 21, 59),
            }
        )
        incident.detected_at = datetime(2025, 3, 7, 10, 0, 1)
        self.assertEqual(
            self._deadlines(incident)[1],
            ("Full information", datetime(2025, 3, 17, 15, 0)),
        )

    def test_2026_regime_and_overdue(self):
        with freeze_time("2026-11-23 09:00:00"):
            incident = self.env["nis.incident"].create(
                {
                    "name": "DDoS on the e-services portal",
                    "significance": "significant",
                    "asset_ids": [(6, 0, self.asset.ids)],
                }
            )
        self.assertEqual(
            incident.regime_id, self.env.ref("nis_risk.nis_incident_regime_2026")
        )
        self.assertEqual(
            self._deadlines(incident),
            [
                ("Early warning", datetime(2026, 11, 24, 9, 0)),
                ("Incident notification", datetime(2026, 11, 26, 9, 0)),
                ("Final report", datetime(2026, 12, 23, 9, 0)),
            ],
        )
        Incident = self.env["nis.incident"]
        with freeze_time("2026-11-24 08:59:00"):
            self.assertFalse(
                Incident.search([("is_overdue", "=", True), ("id", "=", incident.id)])
            )
        with freeze_time("2026-11-24 09:01:00"):
            incident.invalidate_recordset(["is_overdue"])
            self.assertTrue(incident.is_overdue)
            self.assertEqual(
                Incident.search([("is_overdue", "=", True), ("id", "=", incident.id)]),
                incident,
            )
            self.env.ref("nis_risk.ir_cron_nis_alert_incidents").method_direct_trigger()
            self.assertTrue(incident.activity_ids)
            incident.report_ids[0].action_mark_sent()
            incident.invalidate_recordset(["is_overdue"])
            self.assertFalse(incident.is_overdue)

    def test_incident_reopens_risks(self):
        risk = self.make_risk(2, 2)
        other = self.make_risk(2, 2, asset=self.other_asset)
        with freeze_time("2026-11-23 09:00:00"):
            incident = (
                self.env["nis.incident"]
                .with_user(self.nis_user)
                .create({"name": "Phishing", "asset_ids": [(6, 0, self.asset.ids)]})
            )
        # Under the 2026 regime only significant incidents are reported.
        self.assertFalse(incident.report_ids)
        incident.with_user(self.nis_officer).significance = "significant"
        self.assertEqual(len(incident.report_ids), 3)
        self.assertTrue(risk.needs_reassessment)
        self.assertFalse(other.needs_reassessment)
        risk.action_mark_reassessed()
        self.assertFalse(risk.needs_reassessment)
