import base64
import datetime
import itertools

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MunicipalRegistryCommon

SERIAL = itertools.count()


@tagged("post_install", "-at_install")
class TestRetention(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Retention = cls.env["municipal.retention"]
        cls.five_years = Retention.create(
            {"code": "T-05", "name": "Заявления за услуги", "years": 5}
        )
        cls.permanent = Retention.create(
            {"code": "T-00", "name": "Разрешения за строеж", "years": 0}
        )
        cls.kind_application.retention_id = cls.five_years
        # The secretary chairs the expert commission; an employee sits on it.
        cls.chairman = cls.secretary
        cls.member = cls.registry_user
        cls.commission = [
            Command.create({"user_id": cls.chairman.id, "role": "chairman"}),
            Command.create({"user_id": cls.member.id, "role": "member"}),
        ]

    def _archived_case(
        self,
        opened="2016-03-14 08:00:00",
        closed="2016-04-20 09:00:00",
        retention=None,
        restricted_file=False,
    ):
        with freeze_time(opened):
            application = self._draft(
                document_type_id=self.kind_application.id,
                subject="Заявление за скица",
                # Each application is a different file, not one sent again.
                file_ids=[
                    self._file(
                        "заявление.pdf", f"%PDF {opened} {next(SERIAL)}".encode()
                    )
                ],
            )
            application.action_register()
            case = application.case_id
            follow_up = self._draft(
                subject="Допълнение",
                case_id=case.id,
                file_ids=[
                    self._file(
                        "допълнение.pdf", f"%PDF+ {opened} {next(SERIAL)}".encode()
                    )
                ],
                restricted=restricted_file,
                allowed_user_ids=[Command.set([self.mayor.id])]
                if restricted_file
                else False,
            )
            follow_up.action_register()
            application.message_post(
                body="Сканирано копие",
                attachment_ids=[
                    self.env["ir.attachment"]
                    .create(
                        {
                            "name": "скан.pdf",
                            "datas": base64.b64encode(b"%PDF scan"),
                            "res_model": "municipal.document",
                            "res_id": application.id,
                        }
                    )
                    .id
                ],
            )
        if retention:
            case.retention_id = retention
        with freeze_time(closed):
            case.action_close("Издадена скица")
            case.archive_location = "Стая 12, кутия 7"
            case.with_user(self.registry_clerk).action_archive_case()
        return case

    def _protocol(self, cases, **values):
        vals = {
            "member_ids": self.commission,
            "line_ids": [Command.create({"case_id": case.id}) for case in cases],
        }
        vals.update(values)
        return (
            self.env["municipal.destruction.protocol"]
            .with_user(self.registry_clerk)
            .create(vals)
        )

    def test_retention_end_is_computed_from_the_closing_year(self):
        case = self._archived_case()
        self.assertEqual(case.retention_id, self.five_years)
        self.assertEqual(case.state, "archived")
        self.assertEqual(case.archive_date, datetime.date(2016, 4, 20))
        # Closed in 2016, kept five full years from 1 January 2017.
        self.assertEqual(case.retention_end, datetime.date(2021, 12, 31))
        self.assertFalse(case.retention_permanent)
        kept = self._archived_case(retention=self.permanent)
        self.assertTrue(kept.retention_permanent)
        self.assertFalse(kept.retention_end)

    def test_archiving_needs_a_closed_case_an_index_and_a_box(self):
        application = self._draft(document_type_id=self.kind_application.id)
        application.action_register()
        case = application.case_id
        with self.assertRaises(UserError):
            case.with_user(self.registry_clerk).action_archive_case()
        case.action_close("Приключена")
        with self.assertRaises(UserError):
            case.with_user(self.registry_clerk).action_archive_case()
        case.archive_location = "Кутия 3"
        with self.assertRaises(AccessError):
            case.with_user(self.registry_user).action_archive_case()
        case.with_user(self.registry_clerk).action_archive_case()
        self.assertEqual(case.state, "archived")
        with self.assertRaises(UserError):
            case.action_reopen()

    @freeze_time("2026-11-20 08:00:00")
    def test_unexpired_or_permanent_case_is_refused_from_a_protocol(self):
        recent = self._archived_case(
            opened="2024-02-01 08:00:00", closed="2024-03-01 08:00:00"
        )
        self.assertEqual(recent.retention_end, datetime.date(2029, 12, 31))
        with self.assertRaises(ValidationError) as caught:
            self._protocol(recent)
        self.assertIn("2029-12-31", str(caught.exception))
        permanent = self._archived_case(retention=self.permanent)
        with self.assertRaises(ValidationError) as caught:
            self._protocol(permanent)
        self.assertIn("permanently", str(caught.exception))
        application = self._draft(document_type_id=self.kind_application.id)
        application.action_register()
        with self.assertRaises(ValidationError) as caught:
            self._protocol(application.case_id)
        self.assertIn("archive", str(caught.exception))
        self.assertFalse(
            self.env["municipal.destruction.line"].search(
                [("case_id", "in", (recent | permanent | application.case_id).ids)]
            )
        )

    @freeze_time("2026-11-20 08:00:00")
    def test_propose_lists_only_expired_archived_cases(self):
        expired = self._archived_case()
        self._archived_case(opened="2024-02-01 08:00:00", closed="2024-03-01 08:00:00")
        self._archived_case(retention=self.permanent)
        protocol = self._protocol([])
        protocol.action_propose_expired()
        self.assertEqual(protocol.line_ids.case_id, expired)
        line = protocol.line_ids
        self.assertEqual(line.retention_id, self.five_years)
        self.assertEqual(line.retention_end, datetime.date(2021, 12, 31))
        self.assertEqual(line.document_count, 2)
        # A case file is on one protocol at a time.
        with self.assertRaises(ValidationError):
            self._protocol(expired)

    @freeze_time("2026-11-20 08:00:00")
    def test_nothing_is_destroyed_before_approval(self):
        case = self._archived_case()
        protocol = self._protocol(case)
        with self.assertRaises(UserError):
            protocol.with_user(self.registry_clerk).action_execute()
        protocol.with_user(self.registry_clerk).action_submit()
        with self.assertRaises(UserError):
            protocol.with_user(self.registry_clerk).action_execute()
        protocol.with_user(self.chairman).action_sign()
        # Not every member has signed: no approval yet.
        with self.assertRaises(UserError):
            protocol.with_user(self.mayor).action_approve()
        with self.assertRaises(UserError):
            protocol.with_user(self.registry_clerk).action_execute()
        self.assertEqual(len(case.document_ids.file_ids), 2)
        self.assertFalse(case.document_ids.destruction_protocol_id)
        self.assertEqual(case.state, "archived")

    @freeze_time("2026-11-20 08:00:00")
    def test_execution_deletes_files_and_keeps_entries_and_protocol(self):
        case = self._archived_case(restricted_file=True)
        documents = case.sudo().document_ids
        self.assertEqual(len(documents), 2)
        numbers = documents.mapped("number")
        protocol = self._protocol(case, commission_order="РД-09-15/12.01.2026")
        protocol.with_user(self.registry_clerk).action_submit()
        # Only the members sign; the protocol is frozen once submitted.
        with self.assertRaises(AccessError):
            protocol.with_user(self.registry_clerk).action_sign()
        with self.assertRaises(UserError):
            protocol.with_user(self.registry_clerk).write(
                {"line_ids": [Command.clear()]}
            )
        for user in (self.chairman, self.member):
            protocol.with_user(user).action_sign()
        self.assertTrue(protocol.all_signed)
        with self.assertRaises(AccessError):
            protocol.with_user(self.registry_clerk).action_approve()
        self.env.company.municipal_destruction_document_type_id = self.kind_order
        protocol.with_user(self.mayor).action_approve()
        self.assertEqual(protocol.approver_id, self.mayor)
        # The approved protocol is in the register with its PDF.
        registered = protocol.document_id
        self.assertEqual(registered.state, "registered")
        self.assertEqual(registered.document_type_id, self.kind_order)
        self.assertIn(protocol.name, registered.subject)
        self.assertEqual(len(registered.file_ids), 1)
        self.assertTrue(registered.file_ids.size)

        protocol.with_user(self.registry_clerk).action_execute()
        self.assertEqual(protocol.state, "executed")
        File = self.env["municipal.document.file"].sudo()
        self.assertFalse(File.search([("document_id", "in", documents.ids)]))
        self.assertFalse(
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "municipal.document"),
                    ("res_id", "in", documents.ids),
                ]
            )
        )
        # The register entries stay, marked with the protocol.
        self.assertEqual(documents.exists(), documents)
        self.assertEqual(documents.mapped("number"), numbers)
        self.assertEqual(documents.destruction_protocol_id, protocol)
        self.assertEqual(
            set(documents.mapped("destruction_date")), {datetime.date(2026, 11, 20)}
        )
        self.assertEqual(case.state, "destroyed")
        self.assertEqual(case.destruction_protocol_id, protocol)
        # The protocol is kept.
        for user in (self.registry_clerk, self.registry_manager):
            with self.assertRaises(UserError):
                protocol.with_user(user).unlink()
        with self.assertRaises(UserError):
            protocol.sudo().unlink()
        self.assertTrue(protocol.exists())
        self.assertTrue(registered.file_ids, "the protocol's own PDF is kept")

    @freeze_time("2026-11-20 08:00:00")
    def test_members_read_their_protocol_and_only_clerks_prepare(self):
        case = self._archived_case()
        protocol = self._protocol(case)
        self.assertEqual(protocol.with_user(self.member).line_ids.case_id, case)
        with self.assertRaises(AccessError):
            protocol.with_user(self.member).write({"commission_order": "РД-1"})
        with self.assertRaises(AccessError):
            protocol.line_ids.with_user(self.member).unlink()
        outsider = new_test_user(
            self.env, "epk_other", groups="municipal_registry.group_registry_user"
        )
        with self.assertRaises(AccessError):
            protocol.with_user(outsider).read(["name"])
        with self.assertRaises(AccessError):
            self.env["municipal.destruction.protocol"].with_user(
                self.registry_user
            ).create({})
        with self.assertRaises(AccessError):
            protocol.with_user(self.member).action_submit()
        draft = self._protocol([])
        draft.with_user(self.registry_clerk).unlink()
        self.assertFalse(draft.exists())

    @freeze_time("2026-11-20 08:00:00")
    def test_protocol_report_renders(self):
        case = self._archived_case()
        protocol = self._protocol(case, commission_order="РД-09-15/12.01.2026")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "municipal_registry.report_destruction_protocol", protocol.ids
            )[0]
            .decode()
        )
        self.assertIn(protocol.name, html)
        self.assertIn(case.name, html)
        self.assertIn("T-05", html)
        self.assertIn("Заявление за скица", html)
        self.assertIn("2021", html)
        self.assertIn(self.chairman.name, html)
        self.assertIn(self.member.name, html)
        self.assertIn("РД-09-15/12.01.2026", html)

    @freeze_time("2026-11-20 08:00:00")
    def test_document_outside_a_case_is_destroyed_alone(self):
        self.kind_letter.retention_id = self.five_years
        with freeze_time("2019-05-06 08:00:00"):
            letter = self._draft(
                subject="Писмо от областта",
                file_ids=[self._file("писмо.pdf", f"%PDF {next(SERIAL)}".encode())],
            )
            letter.action_register()
        # Not finished yet: it cannot be listed.
        with self.assertRaises(ValidationError):
            self._protocol([], line_ids=[Command.create({"document_id": letter.id})])
        letter.action_done()
        protocol = self._protocol(
            [], line_ids=[Command.create({"document_id": letter.id})]
        )
        line = protocol.line_ids
        self.assertEqual(line.number, letter.number)
        self.assertEqual(line.retention_end, datetime.date(2024, 12, 31))
        # A document of a case file goes with its case file, not alone.
        case = self._archived_case()
        with self.assertRaises(ValidationError):
            self._protocol(
                [],
                line_ids=[
                    Command.create({"document_id": case.initiating_document_id.id})
                ],
            )
        protocol.with_user(self.registry_clerk).action_submit()
        for user in (self.chairman, self.member):
            protocol.with_user(user).action_sign()
        protocol.with_user(self.registry_manager).action_approve()
        protocol.with_user(self.registry_clerk).action_execute()
        self.assertFalse(letter.file_ids)
        self.assertEqual(letter.destruction_protocol_id, protocol)
        self.assertEqual(letter.state, "done")
