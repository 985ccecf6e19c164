import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install")
class TestDeliveryProof(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.register_out = cls.env["municipal.register"].create(
            {
                "name": "Изходящи",
                "office_id": cls.office.id,
                "index": "94-01",
                "direction": "outgoing",
            }
        )
        Rule = cls.env["municipal.deadline.rule"]
        cls.appeal = Rule.create(
            {
                "name": "Обжалване пред съда",
                "amount": 14,
                "unit": "calendar_days",
                "start": "delivery",
                "roll_over": True,
                "legal_basis": "АПК чл. 149, ал. 1",
            }
        )
        cls.irregularities = Rule.create(
            {
                "name": "Отстраняване на нередовности",
                "amount": 7,
                "unit": "calendar_days",
                "start": "delivery",
                "roll_over": True,
                "legal_basis": "АПК чл. 30, ал. 2",
            }
        )
        cls.kind_notice = cls.env["municipal.document.type"].create(
            {
                "name": "Съобщение за административен акт",
                "direction": "outgoing",
                "register_id": cls.register_out.id,
                "delivery_rule_ids": [Command.set([cls.appeal.id])],
            }
        )
        cls.channel_post = cls.env.ref(
            "municipal_registry.municipal_document_channel_post"
        )
        cls.calendar = cls.env.company._municipal_calendar()

    def _outgoing(self, kind=None, responsible=None, **values):
        vals = {
            "direction": "outgoing",
            "document_type_id": (kind or self.kind_notice).id,
            "subject": "Съобщение за заповед",
            "channel_id": self.channel_post.id,
            "user_id": (responsible or self.registry_clerk).id,
            "correspondent_ids": [
                Command.create({"partner_id": self.citizen.id, "role": "recipient"})
            ],
        }
        vals.update(values)
        document = self.env["municipal.document"].create(vals)
        with freeze_time("2026-03-02 08:00:00"):
            document.with_user(self.registry_clerk).action_register()
        return document

    def _proof(self, document, user=None, **values):
        vals = {
            "document_id": document.id,
            "partner_id": self.citizen.id,
            "proof_date": "2026-03-03 10:00:00",
        }
        vals.update(values)
        return (
            self.env["municipal.delivery.proof"]
            .with_user(user or self.registry_clerk)
            .create(vals)
        )

    @freeze_time("2026-03-04 08:00:00")
    def test_proof_date_starts_the_follow_up_deadline(self):
        document = self._outgoing()
        proof = self._proof(document, proof_date="2026-03-03 10:00:00")
        self.assertEqual(proof.proof_kind, "return_receipt")
        self.assertEqual(proof.entered_by_id, self.registry_clerk)
        deadline = proof.deadline_ids
        self.assertEqual(deadline.rule_id, self.appeal)
        self.assertEqual(deadline.legal_basis, "АПК чл. 149, ал. 1")
        self.assertEqual(deadline.start_date, datetime.date(2026, 3, 3))
        self.assertEqual(
            deadline.date_due,
            self.appeal.municipal_deadline(datetime.date(2026, 3, 3), self.calendar),
        )
        # Tuesday 3 March + 14 days: Tuesday 17 March, a working day.
        self.assertEqual(deadline.date_due, datetime.date(2026, 3, 17))
        self.assertEqual(document.delivery_date, proof.proof_date)
        self.assertEqual(document.delivery_deadline, datetime.date(2026, 3, 17))

    def test_local_day_of_the_proof_counts(self):
        # 23:30 in Sofia on 2 March is 21:30 UTC: the delivery day is 2 March.
        document = self._outgoing()
        proof = self._proof(document, proof_date="2026-03-02 21:30:00")
        self.assertEqual(proof.deadline_ids.start_date, datetime.date(2026, 3, 2))

    def test_proof_on_a_friday_before_a_holiday_rolls_over(self):
        # Friday 27 March 2026 + 14 days = Good Friday 10 April; Easter keeps the
        # offices closed until Monday 13 April: the appeal period ends on 14 April.
        document = self._outgoing()
        proof = self._proof(document, proof_date="2026-03-27 09:00:00")
        self.assertFalse(
            self.calendar.municipal_is_working_day(datetime.date(2026, 4, 10))
        )
        self.assertEqual(proof.deadline_ids.date_due, datetime.date(2026, 4, 14))

    def test_local_holiday_of_the_sending_office_counts(self):
        village = self.calendar.copy({"name": "Кметство Тестово"})
        # Tuesday 17 March 2026, the last day of the period, is the village's fair.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Събор на селото",
                "calendar_id": village.id,
                "municipal_day": datetime.date(2026, 3, 17),
                "date_from": datetime.datetime(2026, 3, 16, 22, 0),
                "date_to": datetime.datetime(2026, 3, 17, 21, 59, 59),
                "municipal_kind": "local",
                "municipal_legal_basis": "Заповед на кмета",
            }
        )
        self.office.calendar_id = village
        document = self._outgoing()
        proof = self._proof(document, proof_date="2026-03-03 10:00:00")
        self.assertEqual(proof.deadline_ids.date_due, datetime.date(2026, 3, 18))

    def test_earliest_running_deadline_is_shown(self):
        kind = self.env["municipal.document.type"].create(
            {
                "name": "Указания за нередовности",
                "direction": "outgoing",
                "register_id": self.register_out.id,
                "delivery_rule_ids": [
                    Command.set([self.appeal.id, self.irregularities.id])
                ],
            }
        )
        document = self._outgoing(kind=kind)
        proof = self._proof(document, proof_date="2026-03-03 10:00:00")
        self.assertEqual(len(proof.deadline_ids), 2)
        self.assertEqual(
            sorted(document.delivery_deadline_ids.mapped("date_due")),
            [datetime.date(2026, 3, 10), datetime.date(2026, 3, 17)],
        )
        with freeze_time("2026-03-05 08:00:00"):
            document.invalidate_recordset(["delivery_deadline"])
            self.assertEqual(document.delivery_deadline, datetime.date(2026, 3, 10))
        with freeze_time("2026-03-12 08:00:00"):
            document.invalidate_recordset(["delivery_deadline"])
            self.assertEqual(document.delivery_deadline, datetime.date(2026, 3, 17))
        with freeze_time("2026-03-18 08:00:00"):
            document.invalidate_recordset(["delivery_deadline"])
            self.assertFalse(document.delivery_deadline)

    def test_failed_attempt_starts_nothing_and_a_correction_replaces(self):
        document = self._outgoing()
        failed = self._proof(
            document, result="failed", proof_date="2026-03-03 10:00:00"
        )
        self.assertFalse(failed.deadline_ids)
        self.assertFalse(document.delivery_date)
        wrong = self._proof(document, proof_date="2026-03-20 10:00:00")
        self.assertEqual(wrong.deadline_ids.date_due, datetime.date(2026, 4, 3))
        right = self._proof(
            document, proof_date="2026-03-10 10:00:00", correction_of_id=wrong.id
        )
        self.assertTrue(wrong.superseded)
        self.assertFalse(wrong.deadline_ids)
        self.assertEqual(right.deadline_ids.date_due, datetime.date(2026, 3, 24))
        self.assertEqual(document.delivery_date, right.proof_date)
        self.assertEqual(document.delivery_proof_ids, failed | wrong | right)

    def test_only_registered_outgoing_documents_take_proofs(self):
        incoming = self._draft()
        incoming.action_register()
        with self.assertRaises(ValidationError):
            self._proof(incoming)
        draft = self.env["municipal.document"].create(
            {
                "direction": "outgoing",
                "document_type_id": self.kind_notice.id,
                "subject": "Чернова",
                "correspondent_ids": [
                    Command.create({"partner_id": self.citizen.id, "role": "recipient"})
                ],
            }
        )
        with self.assertRaises(UserError):
            self._proof(draft)
        self.assertFalse(
            self.env["municipal.delivery.proof"]
            .search([])
            .filtered(lambda p: p.document_id in incoming | draft)
        )

    def test_recipient_must_be_a_correspondent(self):
        document = self._outgoing()
        with self.assertRaises(ValidationError):
            self._proof(document, partner_id=self.company_partner.id)
        with self.assertRaises(ValidationError):
            self._proof(document, proof_date="2026-03-01 10:00:00")

    def test_proofs_are_never_deleted(self):
        document = self._outgoing()
        proof = self._proof(document)
        for user in (self.registry_clerk, self.registry_manager):
            with self.assertRaises(AccessError):
                proof.with_user(user).unlink()
        with self.assertRaises(UserError):
            proof.sudo().unlink()
        self.assertTrue(proof.exists())

    def test_responsible_employee_enters_and_only_clerks_edit(self):
        mine = self._outgoing(responsible=self.registry_user)
        other = self._outgoing()
        proof = self._proof(mine, user=self.registry_user)
        self.assertEqual(proof.entered_by_id, self.registry_user)
        # The form shows an entered proof read-only to the employee, not to a clerk.
        self.assertFalse(proof.with_user(self.registry_user).can_edit)
        self.assertTrue(proof.with_user(self.registry_clerk).can_edit)
        self.assertTrue(
            self.env["municipal.delivery.proof"]
            .with_user(self.registry_user)
            .new({})
            .can_edit
        )
        with self.assertRaises(AccessError):
            self._proof(other, user=self.registry_user)
        with self.assertRaises(AccessError):
            proof.with_user(self.registry_user).write({"note": "поправка"})
        proof.with_user(self.registry_clerk).write({"note": "Разписка върната"})
        with self.assertRaises(UserError):
            proof.with_user(self.registry_clerk).write(
                {"entered_by_id": self.registry_clerk.id}
            )
        # A user cannot claim someone else entered the proof.
        forged = self._proof(
            mine, user=self.registry_user, entered_by_id=self.registry_clerk.id
        )
        self.assertEqual(forged.entered_by_id, self.registry_user)

    def test_exchange_entry_point_is_idempotent(self):
        document = self._outgoing(channel_id=self.channel_seos.id)
        vals = {"proof_date": "2026-03-03 10:00:00", "reference": "guid-1"}
        first = document._municipal_add_delivery_proof(vals)
        again = document._municipal_add_delivery_proof(vals)
        self.assertEqual(first, again)
        self.assertEqual(first.partner_id, self.citizen)
        self.assertEqual(first.proof_kind, "seos_status")
        self.assertEqual(len(document.delivery_proof_ids), 1)
        self.assertTrue(first.deadline_ids)
