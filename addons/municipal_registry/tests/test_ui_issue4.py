import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

DOCUMENT_URL = "/odoo/action-municipal_registry.municipal_document_action/%d"


@tagged("post_install", "-at_install")
class TestIssue4Ui(HttpCase):
    """Browser tours of resolutions, non-working days and proofs of delivery, as the
    people who use them: the mayor, an executor, a registry manager and a clerk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            "tour4_clerk",
            groups="municipal_registry.group_registry_clerk",
            name="Tour Clerk",
        )
        cls.office = cls.env["municipal.registry.office"].create(
            {"name": "Tour office 4", "code": "TOUR4"}
        )
        cls.register_in = cls.env["municipal.register"].create(
            {
                "name": "Tour incoming",
                "office_id": cls.office.id,
                "index": "57-00",
                "direction": "incoming",
            }
        )
        cls.register_out = cls.env["municipal.register"].create(
            {
                "name": "Tour outgoing",
                "office_id": cls.office.id,
                "index": "57-01",
                "direction": "outgoing",
            }
        )
        cls.addressee = cls.env["res.partner"].create({"name": "Tour Addressee"})
        cls.calendar = cls.env.company._municipal_calendar()

    def _register(self, document):
        document.with_user(self.clerk).action_register()
        self.assertEqual(document.state, "registered")
        return document

    def test_mayor_writes_a_resolution_and_the_executor_answers(self):
        mayor = new_test_user(
            self.env,
            "tour4_mayor",
            groups="municipal_registry.group_registry_mayor",
            name="Tour Mayor",
        )
        executor = new_test_user(
            self.env,
            "tour4_executor",
            groups="municipal_registry.group_registry_user",
            name="Tour Executor",
        )
        employee = self.env["hr.employee"].create(
            {"name": "Tour Executor", "user_id": executor.id}
        )
        kind = self.env["municipal.document.type"].create(
            {
                "name": "Tour letter 4",
                "direction": "incoming",
                "register_id": self.register_in.id,
            }
        )
        # A working day of the municipality two weeks ahead, whatever the holidays:
        # the tour reads it from the subject and types it as the deadline.
        today = fields.Date.context_today(mayor.with_context(tz=self.calendar.tz))
        deadline = self.calendar.municipal_next_working_day(
            today + datetime.timedelta(days=14), include=True
        )
        letter = self._register(
            self.env["municipal.document"].create(
                {
                    "direction": "incoming",
                    "document_type_id": kind.id,
                    "subject": f"Tour resolution letter, answer by {deadline}",
                    "correspondent_ids": [
                        Command.create(
                            {"partner_id": self.addressee.id, "role": "sender"}
                        )
                    ],
                }
            )
        )

        self.start_tour(
            DOCUMENT_URL % letter.id,
            "municipal_registry_write_resolution",
            login="tour4_mayor",
        )
        resolution = letter.resolution_ids
        self.assertEqual(len(resolution), 1)
        self.assertEqual(resolution.state, "issued")
        self.assertEqual(resolution.author_id, mayor)
        self.assertEqual(resolution.instruction, "Prepare an answer to the citizen")
        self.assertEqual(resolution.deadline_date, deadline)
        self.assertEqual(resolution.deadline, deadline)
        self.assertEqual(resolution.executor_ids.employee_id, employee)
        self.assertEqual(resolution.executor_ids.user_id, executor)
        self.assertEqual(letter.state, "in_work", "issuing puts the letter in work")

        self.start_tour(
            "/odoo", "municipal_registry_execute_resolution", login="tour4_executor"
        )
        line = resolution.executor_ids
        self.assertEqual(line.state, "done")
        self.assertEqual(line.answer_note, "The answer was sent by post.")
        self.assertEqual(line.answered_by_id, executor)
        self.assertTrue(line.answered_on)
        self.assertEqual(resolution.state, "done", "its only executor answered")

    def test_manager_adds_a_local_holiday(self):
        new_test_user(
            self.env,
            "tour4_manager",
            groups="municipal_registry.group_registry_manager",
            name="Tour Manager",
        )
        self.start_tour(
            "/odoo", "municipal_registry_add_local_holiday", login="tour4_manager"
        )
        leave = self.env["resource.calendar.leaves"].search(
            [("name", "=", "Tour local holiday")]
        )
        self.assertEqual(len(leave), 1)
        self.assertEqual(leave.calendar_id, self.calendar)
        self.assertFalse(leave.resource_id)
        self.assertEqual(leave.municipal_kind, "local")
        self.assertEqual(leave.municipal_legal_basis, "Заповед № РД-09-123 на кмета")
        day = leave.municipal_day
        self.assertLess(day.weekday(), 5, "the tour picks a weekday")
        # The leave spans the local day from midnight to midnight.
        start = self.calendar._municipal_localize(leave.date_from)
        end = self.calendar._municipal_localize(leave.date_to)
        self.assertEqual(start.date(), day)
        self.assertEqual((start.hour, start.minute), (0, 0))
        self.assertEqual(end.date(), day)
        self.assertGreaterEqual((end.hour, end.minute), (23, 59))
        self.assertFalse(self.calendar.municipal_is_working_day(day))

    def test_clerk_enters_a_return_receipt(self):
        appeal = self.env["municipal.deadline.rule"].create(
            {
                "name": "Tour appeal",
                "amount": 14,
                "unit": "calendar_days",
                "start": "delivery",
                "roll_over": True,
                "legal_basis": "АПК чл. 149, ал. 1",
            }
        )
        kind = self.env["municipal.document.type"].create(
            {
                "name": "Tour notice",
                "direction": "outgoing",
                "register_id": self.register_out.id,
                "delivery_rule_ids": [Command.set(appeal.ids)],
            }
        )
        notice = self._register(
            self.env["municipal.document"].create(
                {
                    "direction": "outgoing",
                    "document_type_id": kind.id,
                    "subject": "Tour outgoing notice",
                    "channel_id": self.env.ref(
                        "municipal_registry.municipal_document_channel_post"
                    ).id,
                    "user_id": self.clerk.id,
                    "correspondent_ids": [
                        Command.create(
                            {"partner_id": self.addressee.id, "role": "recipient"}
                        )
                    ],
                }
            )
        )
        # Sent three days ago: the receipt the tour enters is dated yesterday.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE municipal_document SET registration_date = %s WHERE id = %s",
            (fields.Datetime.now() - datetime.timedelta(days=3), notice.id),
        )
        notice.invalidate_recordset(["registration_date"])

        self.start_tour(
            DOCUMENT_URL % notice.id,
            "municipal_registry_delivery_proof",
            login="tour4_clerk",
        )
        proof = notice.delivery_proof_ids
        self.assertEqual(len(proof), 1)
        self.assertEqual(proof.partner_id, self.addressee)
        self.assertEqual(proof.proof_kind, "return_receipt")
        self.assertEqual(proof.result, "delivered")
        self.assertEqual(proof.reference, "RR123456789BG")
        self.assertEqual(proof.entered_by_id, self.clerk)
        self.assertLess(proof.proof_date, fields.Datetime.now())
        day = self.calendar._municipal_localize(proof.proof_date).date()
        deadline = proof.deadline_ids
        self.assertEqual(deadline.rule_id, appeal)
        self.assertEqual(deadline.start_date, day)
        self.assertEqual(
            deadline.date_due, appeal.municipal_deadline(day, self.calendar)
        )
        self.assertEqual(notice.delivery_deadline_ids, deadline)

    def test_clerk_prepares_a_destruction_protocol(self):
        chairman = new_test_user(
            self.env,
            "tour4_chairman",
            groups="municipal_registry.group_registry_secretary",
            name="Tour Chairman",
        )
        member = new_test_user(
            self.env,
            "tour4_member",
            groups="municipal_registry.group_registry_user",
            name="Tour Member",
        )
        five_years = self.env["municipal.retention"].create(
            {"code": "T4-05", "name": "Tour applications", "years": 5}
        )
        kind = self.env["municipal.document.type"].create(
            {
                "name": "Tour application",
                "direction": "incoming",
                "register_id": self.register_in.id,
                "opens_case": True,
                "retention_id": five_years.id,
            }
        )
        with freeze_time("2016-03-14 08:00:00"):
            application = self._register(
                self.env["municipal.document"].create(
                    {
                        "direction": "incoming",
                        "document_type_id": kind.id,
                        "subject": "Tour expired application",
                        "correspondent_ids": [
                            Command.create(
                                {"partner_id": self.addressee.id, "role": "sender"}
                            )
                        ],
                    }
                )
            )
        case = application.case_id
        with freeze_time("2016-04-20 09:00:00"):
            case.action_close("Издадена скица")
            case.archive_location = "Стая 12, кутия 7"
            case.with_user(self.clerk).action_archive_case()
        self.assertEqual(case.state, "archived")

        self.start_tour(
            "/odoo", "municipal_registry_destruction_protocol", login="tour4_clerk"
        )
        protocol = self.env["municipal.destruction.protocol"].search(
            [("commission_order", "=", "Заповед № РД-09-77 на кмета")]
        )
        self.assertEqual(len(protocol), 1)
        self.assertEqual(protocol.state, "submitted")
        self.assertEqual(protocol.line_ids.case_id, case)
        self.assertEqual(protocol.chairman_id, chairman)
        self.assertEqual(protocol.member_ids.user_id, chairman | member)
        self.assertEqual(
            protocol.activity_ids.user_id,
            chairman | member,
            "every member of the commission is asked to sign",
        )
