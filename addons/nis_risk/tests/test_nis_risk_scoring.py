from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import NisRiskCommon


@tagged("post_install", "-at_install", "nis")
class TestNisRiskScoring(NisRiskCommon):
    def test_data(self):
        self.assertEqual(self.env["nis.threat"].search_count([]), 22)
        origins = set(self.env["nis.threat"].search([]).mapped("origin"))
        self.assertEqual(origins, {"deliberate", "accidental", "both"})
        levels = self.env["nis.scale.level"].search([("scale", "=", "likelihood")])
        self.assertEqual(levels.mapped("value"), [1, 2, 3, 4, 5])
        self.assertEqual(
            [(lv.percent_from, lv.percent_to) for lv in levels],
            [(0, 10), (10, 30), (30, 50), (50, 70), (70, 100)],
        )
        self.assertEqual(self.level("likelihood", 3).display_name, "3 – 30% to 50%")

    def test_score_and_every_band_edge(self):
        expected = {}
        for impact in range(1, 6):
            for likelihood in range(1, 6):
                score = impact * likelihood
                expected[(impact, likelihood)] = (
                    score,
                    "1" if score >= 17 else "2" if score >= 9 else "3",
                )
        risks = {key: self.make_risk(*key) for key in expected}
        for key, risk in risks.items():
            self.assertEqual((risk.score, risk.priority), expected[key], key)
        thresholds = self.env["nis.priority.threshold"]
        # The band edges themselves: 1, 8 | 9, 16 | 17, 25.
        for score, priority in [
            (1, "3"),
            (8, "3"),
            (9, "2"),
            (16, "2"),
            (17, "1"),
            (25, "1"),
        ]:
            self.assertEqual(
                thresholds._nis_priority_for(score).priority, priority, score
            )
        self.assertFalse(thresholds._nis_priority_for(0))
        self.assertEqual(risks[(5, 5)].color, "#dc3545")
        self.assertEqual(risks[(2, 4)].priority, "3")

    def test_thresholds_are_data_and_tracked(self):
        risk = self.make_risk(2, 4)  # 8: the seed's overlapping score
        self.assertEqual(risk.priority, "3")
        band3 = self.env.ref("nis_risk.nis_priority_threshold_3")
        band2 = self.env.ref("nis_risk.nis_priority_threshold_2")
        band3.with_context(tracking_disable=False, mail_notrack=False).with_user(
            self.nis_manager
        ).write({"score_to": 7})
        self.env.flush_all()
        self.env.cr.precommit.run()
        band2.with_user(self.nis_manager).write({"score_from": 8})
        self.assertEqual(risk.priority, "2")
        self.assertTrue(
            band3.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "score_to"
            )
        )
        with self.assertRaises(ValidationError):
            band2.with_user(self.nis_manager).write({"score_from": 5})

    def test_levels_on_their_own_scale(self):
        with self.assertRaises(ValidationError):
            self.make_risk(2, 2).impact_level_id = self.level("likelihood", 3)

    def test_measure_status(self):
        measure = self.env["nis.measure"].create(
            {"risk_id": self.make_risk(5, 5).id, "name": "Patch"}
        )
        measure.status = "in_progress"
        measure.status = "done"
        self.assertEqual(measure.progress, 100)
        with self.assertRaises(UserError):
            measure.status = "cancelled"
        measure.status = "in_progress"

    def test_residual_and_marker(self):
        risk = self.make_risk(4, 4, residual_impact=4, residual_likelihood=2)
        self.assertEqual(risk.residual_score, 8)
        self.assertEqual(risk.change_marker, "new")
