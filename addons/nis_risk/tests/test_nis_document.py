from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import NisRiskCommon


@tagged("post_install", "-at_install", "nis")
class TestNisDocument(NisRiskCommon):
    @freeze_time("2025-02-10")
    def test_approval_and_yearly_review(self):
        document = self.env["nis.document"].create(
            {
                "name": "Risk assessment methodology",
                "document_type": "methodology",
                "version": "1.0",
                "number": "NIS-02",
                "author_id": self.nis_officer.id,
            }
        )
        self.assertEqual(str(document.next_review_date), "2026-02-10")
        with self.assertRaises(UserError):
            document.with_user(self.nis_officer).action_approve()
        with freeze_time("2025-03-01"):
            document.with_user(self.nis_manager).action_approve()
        self.assertEqual(document.approver_id, self.nis_manager)
        self.assertEqual(str(document.next_review_date), "2026-03-01")
        cron = self.env.ref("nis_risk.ir_cron_nis_review_documents")
        with freeze_time("2026-01-15"):
            cron.method_direct_trigger()
        self.assertFalse(document.activity_ids)
        with freeze_time("2026-02-05"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(len(document.activity_ids), 1)
        self.assertEqual(document.activity_ids.user_id, self.nis_officer)
        with freeze_time("2026-02-20"):
            document.with_user(self.nis_officer).action_reviewed()
        self.assertEqual(str(document.next_review_date), "2027-02-20")
        self.assertFalse(document.activity_ids)
