import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MunicipalRegistryCommon

# A 1×1 transparent PNG: enough to stand for a scanned ink impression.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
    )
)


@tagged("post_install", "-at_install")
class TestSeal(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.holder = new_test_user(
            cls.env, "seal_holder", groups="municipal_registry.group_registry_user"
        )
        cls.holder2 = new_test_user(
            cls.env, "seal_holder2", groups="municipal_registry.group_registry_user"
        )

    def _seal(self, **values):
        vals = {
            "name": "Община Тестово",
            "office_id": self.office.id,
            "impression": PNG,
        }
        vals.update(values)
        return self.env["municipal.seal"].with_user(self.secretary).create(vals)

    def _issue(self, seal, holder=None):
        return (
            self.env["municipal.seal.custody"]
            .with_user(self.secretary)
            .create(
                {
                    "seal_id": seal.id,
                    "holder_id": (holder or self.holder).id,
                    "order_number": "РД-01",
                    "purpose": "Удостоверения",
                }
            )
        )

    def test_issue_and_return(self):
        seal = self._seal()
        self.assertEqual(seal.state, "created")
        seal.action_safekeeping()
        custody = self._issue(seal)
        self.assertEqual(seal.state, "issued")
        self.assertEqual(seal.holder_id, self.holder)
        custody.action_close("Протокол за връщане")
        self.assertEqual(seal.state, "safekeeping")
        self.assertFalse(seal.holder_id)
        self.assertTrue(custody.date_to)

    def test_issue_without_impression_refused(self):
        seal = self._seal(impression=False)
        seal.action_safekeeping()
        with self.assertRaisesRegex(UserError, "impression"):
            self._issue(seal)

    def test_issue_from_created_refused(self):
        seal = self._seal()
        with self.assertRaises(UserError):
            self._issue(seal)
        with self.assertRaises(UserError):
            seal.write({"state": "issued"})

    def test_two_active_holders_refused(self):
        seal = self._seal()
        seal.action_safekeeping()
        self._issue(seal)
        with self.assertRaisesRegex(UserError, "active holder"):
            self._issue(seal, self.holder2)

    def test_history_never_rewritten(self):
        seal = self._seal()
        seal.action_safekeeping()
        custody = self._issue(seal)
        with self.assertRaises(UserError):
            custody.write({"holder_id": self.holder2.id})
        custody.action_close("Протокол")
        with self.assertRaises(UserError):
            custody.write({"end_act": "Друг"})
        with self.assertRaises(UserError):
            custody.unlink()

    def test_lost_suspended_found(self):
        seal = self._seal()
        seal.action_safekeeping()
        self._issue(seal)
        seal.action_report_lost()
        self.assertEqual(seal.state, "lost")
        seal.action_suspend()
        self.assertEqual(seal.state, "suspended")
        seal.action_found()
        self.assertEqual(seal.state, "safekeeping")

    def test_invalid_transition_refused(self):
        seal = self._seal()
        with self.assertRaises(UserError):
            seal.action_destroy()
        with self.assertRaises(UserError):
            seal.action_suspend()

    @freeze_time("2026-03-01")
    def test_archive_then_destruction_reminder(self):
        seal = self._seal()
        seal.action_safekeeping()
        seal.action_archive_seal()
        self.assertEqual(seal.state, "archived")
        self.assertEqual(str(seal.archive_date), "2026-03-01")
        self.assertEqual(str(seal.destruction_due_date), "2036-03-01")
        self.env["municipal.seal"]._cron_destruction_reminder()
        self.assertFalse(seal.activity_ids)
        with freeze_time("2036-03-02"):
            self.env["municipal.seal"]._cron_destruction_reminder()
            self.assertEqual(len(seal.activity_ids), 1)
            self.env["municipal.seal"]._cron_destruction_reminder()
            self.assertEqual(len(seal.activity_ids), 1)

    def test_destroy_needs_three_signatories(self):
        seal = self._seal()
        seal.action_archive_seal()
        with self.assertRaisesRegex(UserError, "two other employees"):
            seal.action_destroy()
        seal.write(
            {
                "destruction_signatory_id": self.secretary.id,
                "destruction_witness1_id": self.holder.id,
                "destruction_witness2_id": self.holder.id,
            }
        )
        with self.assertRaises(UserError):
            seal.action_destroy()
        seal.destruction_witness2_id = self.holder2
        seal.action_destroy()
        self.assertEqual(seal.state, "destroyed")
        self.assertTrue(seal.destruction_date)

    def test_election_seal_needs_archive_permission(self):
        seal = self._seal(seal_type="election")
        seal.action_archive_seal()
        seal.write(
            {
                "destruction_signatory_id": self.secretary.id,
                "destruction_witness1_id": self.holder.id,
                "destruction_witness2_id": self.holder2.id,
            }
        )
        with self.assertRaisesRegex(UserError, "State Archives"):
            seal.action_destroy()
        seal.archive_permission = "Писмо на ДА Архиви № 1"
        seal.action_destroy()
        self.assertEqual(seal.state, "destroyed")

    def test_access_rules(self):
        seal = self._seal()
        other = self._seal(name="Кметство Горно")
        seal.action_safekeeping()
        self._issue(seal)
        Seal = self.env["municipal.seal"]
        self.domain = [("office_id", "=", self.office.id)]
        # holder sees only their own seal and cannot edit it
        self.assertEqual(Seal.with_user(self.holder).search(self.domain), seal)
        with self.assertRaises(AccessError):
            seal.with_user(self.holder).write({"name": "X"})
        # other employees of the register see none
        self.assertFalse(Seal.with_user(self.holder2).search(self.domain))
        self.assertFalse(Seal.with_user(self.registry_clerk).search(self.domain))
        with self.assertRaises(AccessError):
            Seal.with_user(self.outsider).search(self.domain)
        # secretary and manager see and edit all
        self.assertEqual(
            Seal.with_user(self.registry_manager).search(self.domain), seal | other
        )
        other.with_user(self.registry_manager).write({"serial_number": "2"})
        with self.assertRaises(AccessError):
            Seal.with_user(self.registry_clerk).create(
                {"name": "X", "office_id": self.office.id}
            )

    @freeze_time("2026-03-02 09:00:00")
    def test_taking_out_overdue_activity(self):
        seal = self._seal()
        seal.action_safekeeping()
        self._issue(seal)
        move = (
            self.env["municipal.seal.movement"]
            .with_user(self.secretary)
            .create(
                {
                    "seal_id": seal.id,
                    "reason": "Изнесено сключване на граждански брак",
                    "person_id": self.holder.id,
                    "date_due": "2026-03-02 17:00:00",
                }
            )
        )
        self.assertEqual(seal.state, "taken_out")
        Move = self.env["municipal.seal.movement"]
        Move._cron_overdue()
        self.assertFalse(move.is_overdue)
        self.assertFalse(seal.activity_ids)
        with freeze_time("2026-03-02 18:00:00"):
            move.invalidate_recordset(["is_overdue"])
            self.assertTrue(move.is_overdue)
            Move._cron_overdue()
            Move._cron_overdue()
            self.assertEqual(len(seal.activity_ids), 1)
            move.action_bring_back()
            self.assertEqual(seal.state, "issued")
            self.assertFalse(seal.activity_ids)

    @freeze_time("2026-03-02 09:00:00")
    def test_loss_notice_within_24_hours(self):
        seal = self._seal()
        seal.action_safekeeping()
        self._issue(seal)
        loss = (
            self.env["municipal.seal.loss"]
            .with_user(self.secretary)
            .create(
                {
                    "seal_id": seal.id,
                    "reported_by_id": self.holder.id,
                    "explanation": "Изгубен при пренасяне",
                }
            )
        )
        self.assertEqual(seal.state, "lost")
        self.assertEqual(str(loss.notice_deadline), "2026-03-03 09:00:00")
        self.assertEqual(len(loss.activity_ids), 1)
        self.assertFalse(loss.notice_overdue)
        with freeze_time("2026-03-03 09:30:00"):
            loss.invalidate_recordset(["notice_overdue"])
            self.assertTrue(loss.notice_overdue)
            loss.action_mayor_informed()
            self.assertFalse(loss.notice_overdue)
            self.assertFalse(loss.activity_ids)
        loss.suspension_order = "РД-15"
        loss.action_suspend()
        self.assertEqual(seal.state, "suspended")
        loss.action_found()
        self.assertEqual(seal.state, "safekeeping")
        self.assertEqual(loss.outcome, "found")

    def test_loss_notice_hours_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "municipal_registry.seal_loss_notice_hours", "12"
        )
        seal = self._seal()
        seal.action_safekeeping()
        with freeze_time("2026-03-02 09:00:00"):
            loss = self.env["municipal.seal.loss"].create(
                {"seal_id": seal.id, "reported_by_id": self.secretary.id}
            )
        self.assertEqual(str(loss.notice_deadline), "2026-03-02 21:00:00")

    def test_absence_longer_than_a_month_hands_back(self):
        seal = self._seal()
        seal.action_safekeeping()
        custody = self._issue(seal)
        Absence = self.env["municipal.seal.absence"].with_user(self.secretary)
        short = Absence.create(
            {
                "seal_id": seal.id,
                "holder_id": self.holder.id,
                "date_from": "2026-03-01",
                "date_to": "2026-03-20",
            }
        )
        self.assertFalse(short.requires_return)
        with self.assertRaises(UserError):
            short.action_apply()
        short.write({"substitute_id": self.holder2.id, "substitution_order": "РД-2"})
        short.action_apply()
        self.assertEqual(seal.state, "issued")
        long = Absence.create(
            {
                "seal_id": seal.id,
                "holder_id": self.holder.id,
                "date_from": "2026-04-01",
                "date_to": "2026-06-01",
                "defects": "Износен гумен отпечатък",
            }
        )
        self.assertTrue(long.requires_return)
        long.action_apply()
        self.assertTrue(custody.date_to)
        self.assertEqual(seal.state, "safekeeping")

    def test_change_of_mayor(self):
        seal = self._seal(seal_type="mayor", name="Кмет на Община Тестово")
        seal.action_safekeeping()
        first = self._issue(seal, self.mayor)
        to_secretary = seal.with_user(self.secretary).action_change_of_mayor()
        self.assertTrue(first.date_to)
        self.assertTrue(
            to_secretary.holder_id.has_group(
                "municipal_registry.group_registry_secretary"
            )
        )
        new_mayor = new_test_user(
            self.env, "new_mayor", groups="municipal_registry.group_registry_mayor"
        )
        final = seal.with_user(self.secretary).action_to_new_mayor(new_mayor, "РД-9")
        self.assertTrue(to_secretary.date_to)
        self.assertEqual(seal.holder_id, new_mayor)
        self.assertEqual(len(seal.custody_ids), 3)
        self.assertEqual(final.order_number, "РД-9")
