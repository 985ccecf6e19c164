from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import NisRiskCommon


@tagged("post_install", "-at_install", "nis")
class TestNisAssessment(NisRiskCommon):
    def _treat(self, risk, **measure):
        values = {
            "risk_id": risk.id,
            "name": "Endpoint protection",
            "resources": "Licences",
            "responsible_id": self.nis_officer.id,
            "deadline": "2025-06-30",
        }
        values.update(measure)
        return self.env["nis.measure"].create(values)

    @freeze_time("2025-03-10")
    def test_approval_guard_priority_1(self):
        risk = self.make_risk(5, 4)
        self.assertEqual(risk.priority, "1")
        assessment = self.assessment.with_user(self.nis_officer)
        assessment.action_submit()
        with self.assertRaisesRegex(UserError, "priority 1"):
            self.assessment.with_user(self.nis_manager).action_approve()
        # A measure without resources is not enough.
        measure = self._treat(risk, resources=False)
        with self.assertRaisesRegex(UserError, "priority 1"):
            self.assessment.with_user(self.nis_manager).action_approve()
        measure.resources = "Licences"
        measure.deadline = False
        with self.assertRaisesRegex(UserError, "priority 1"):
            self.assessment.with_user(self.nis_manager).action_approve()
        measure.deadline = "2025-06-30"
        measure.responsible_id = False
        with self.assertRaisesRegex(UserError, "priority 1"):
            self.assessment.with_user(self.nis_manager).action_approve()
        measure.responsible_id = self.nis_officer
        # An officer cannot approve.
        with self.assertRaises(UserError):
            self.assessment.with_user(self.nis_officer).action_approve()
        self.assessment.with_user(self.nis_manager).action_approve()
        self.assertEqual(self.assessment.state, "approved")
        self.assertEqual(self.assessment.approver_id, self.nis_manager)
        self.assertEqual(str(self.assessment.approval_date), "2025-03-10")
        self.assertEqual(risk.treatment, "treat")
        with self.assertRaises(UserError):
            risk.impact_level_id = self.level("impact", 1)
        risk.needs_reassessment = True
        # No kind of document is set: the approval stands, unregistered, and says so.
        self.assertFalse(self.assessment.document_id)
        self.assertIn("not registered", self.assessment.message_ids[:1].body)

    @freeze_time("2025-03-10 09:00:00")
    def test_approved_assessment_is_registered(self):
        office = self.env["municipal.registry.office"].create(
            {"name": "НИС", "code": "NIS"}
        )
        register = self.env["municipal.register"].create(
            {"name": "Вътрешни", "office_id": office.id, "index": "94-02"}
        )
        kind = self.env["municipal.document.type"].create(
            {
                "name": "Оценка на риска",
                "direction": "internal",
                "register_id": register.id,
            }
        )
        self.assessment.company_id.nis_approval_document_type_id = kind
        self.make_risk(2, 2)
        self.assessment.with_user(self.nis_officer).action_submit()
        # The approving manager has no rights in the register.
        self.assertFalse(
            self.nis_manager.has_group("municipal_registry.group_registry_user")
        )
        self.assessment.with_user(self.nis_manager).action_approve()
        document = self.assessment.document_id
        self.assertEqual(document.state, "registered")
        self.assertEqual(document.number, "94-02-1/10.03.2025")
        self.assertEqual(document.document_type_id, kind)
        self.assertIn(self.assessment.name, document.subject)

    def test_priority_2_decision_and_3_accepted(self):
        risk2 = self.make_risk(3, 3)
        risk3 = self.make_risk(2, 2, threat=self.threat_power)
        self.assertEqual((risk2.priority, risk3.priority), ("2", "3"))
        self.assessment.action_submit()
        manager_assessment = self.assessment.with_user(self.nis_manager)
        with self.assertRaisesRegex(UserError, "treat or accept"):
            manager_assessment.action_approve()
        risk2.treatment = "accept"
        with self.assertRaisesRegex(UserError, "reason"):
            manager_assessment.action_approve()
        risk2.treatment = "treat"
        with self.assertRaisesRegex(UserError, "responsible person and a deadline"):
            manager_assessment.action_approve()
        risk2.write({"responsible_id": self.nis_officer.id, "deadline": "2025-09-01"})
        manager_assessment.action_approve()
        self.assertEqual(risk3.treatment, "accept")

    def test_state_machine(self):
        with self.assertRaises(UserError):
            self.assessment.write({"state": "approved"})
        self.assessment.action_submit()
        self.assessment.action_reset_draft()
        self.assertEqual(self.assessment.state, "draft")
        with self.assertRaises(UserError):
            self.assessment.write({"state": "superseded"})

    def test_yearly_copy_and_markers(self):
        # Years far from any other data: the cron works on the current year.
        self.assessment.year = 2030
        kept = self.make_risk(2, 2)
        changed = self.make_risk(2, 3, threat=self.threat_power)
        gone_asset = self.env["nis.asset"].create(
            {"name": "Old fax server", "category_id": self.category.id}
        )
        gone = self.make_risk(1, 1, asset=gone_asset)
        with freeze_time("2025-03-10"):
            self.assessment.action_submit()
            self.assessment.with_user(self.nis_manager).action_approve()
        # Since then: an asset retired, a new one with a relevant threat.
        gone_asset.active = False
        new_asset = self.env["nis.asset"].create(
            {
                "name": "E-services portal",
                "category_id": self.category.id,
                "threat_ids": [(6, 0, self.threat_power.ids)],
            }
        )
        cron = self.env.ref("nis_risk.ir_cron_nis_open_yearly")
        with freeze_time("2030-12-01"):
            cron.method_direct_trigger()
        self.assertFalse(
            self.env["nis.assessment"].search([("year", "=", 2031)]),
            "no copy before the new year",
        )
        with freeze_time("2031-01-02"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()  # idempotent
        new = self.env["nis.assessment"].search([("year", "=", 2031)])
        self.assertEqual(len(new), 1)
        self.assertEqual(
            (new.origin, new.state, new.previous_id),
            ("yearly", "draft", self.assessment),
        )
        self.assertTrue(new.activity_ids)
        by_previous = {r.previous_risk_id: r for r in new.risk_ids}
        self.assertEqual(by_previous[kept].change_marker, "unchanged")
        self.assertEqual(by_previous[gone].change_marker, "removed")
        copy = by_previous[changed]
        self.assertEqual(copy.change_marker, "unchanged")
        copy.likelihood_level_id = self.level("likelihood", 5)
        self.assertEqual(copy.change_marker, "changed")
        fresh = new.risk_ids.filtered(lambda r: r.asset_id == new_asset)
        self.assertEqual(fresh.change_marker, "new")
        self.assertEqual(fresh.threat_id, self.threat_power)
        self.assertFalse(fresh.priority)
        ours = self.asset | self.other_asset | gone_asset | new_asset
        self.assertEqual(len(new.risk_ids.filtered(lambda r: r.asset_id in ours)), 4)

    def test_reassessment(self):
        self.make_risk(1, 2)
        self.assessment.action_submit()
        self.assessment.with_user(self.nis_manager).action_approve()
        action = self.assessment.with_user(self.nis_officer).action_start_reassessment()
        new = self.env["nis.assessment"].browse(action["res_id"])
        self.assertEqual(new.origin, "reassessment")
        self.assertEqual(len(new.risk_ids.filtered("previous_risk_id")), 1)
        # Lines of assets outside this test (if any) are not assessed here.
        new.risk_ids.filtered(lambda r: not r.previous_risk_id).is_removed = True
        new.action_submit()
        new.with_user(self.nis_manager).action_approve()
        self.assertEqual(self.assessment.state, "superseded")
