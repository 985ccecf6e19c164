import hashlib

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install")
class TestDocument(MunicipalRegistryCommon):
    def test_registration_requires_kind_subject_and_correspondent(self):
        cases = [
            ({"document_type_id": False, "register_id": self.register_in.id}, "kind"),
            ({"subject": " "}, "subject"),
            ({"correspondent_ids": []}, "correspondent"),
        ]
        for values, word in cases:
            draft = self._draft(**values)
            with self.assertRaisesRegex(UserError, word):
                draft.action_register()
            self.assertEqual(draft.state, "draft")
            self.assertFalse(draft.number)

    def test_internal_document_needs_no_correspondent(self):
        order = self._draft(
            direction="internal",
            document_type_id=self.kind_order.id,
            correspondent_ids=[],
        )
        order.action_register()
        self.assertEqual(order.state, "registered")

    def test_second_registration_is_refused_with_its_number(self):
        document = self._draft()
        document.action_register()
        with self.assertRaisesRegex(UserError, "already registered"):
            document.action_register()

    def test_files_carry_size_type_and_sha256(self):
        content = b"%PDF-1.4 test"
        document = self._draft(file_ids=[self._file("заявление.pdf", content)])
        file = document.file_ids
        self.assertEqual(file.size, len(content))
        self.assertEqual(file.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(file.mimetype, "application/pdf")

    def test_oversize_file_blocks_registration_and_refusal_keeps_it(self):
        self.env.company.municipal_max_file_size_mb = 1
        big = b"x" * (1024 * 1024 + 1)
        document = self._draft(file_ids=[self._file("голям.bin", big)])
        self.assertTrue(document.has_oversize_file)
        with self.assertRaisesRegex(UserError, "larger than 1 MB"):
            document.action_register()
        reason = self.env.ref("municipal_registry.municipal_refusal_reason_oversize")
        document.with_user(self.registry_clerk)._refuse(reason, "над 1 MB")
        self.assertEqual(document.state, "refused")
        self.assertFalse(document.number)
        self.assertEqual(document.refusal_reason_id, reason)
        self.assertEqual(document.file_ids.size, len(big))

    def test_duplicate_by_sender_number_is_not_registered(self):
        first = self._draft(external_number="ИЗХ-12", channel_id=self.channel_seos.id)
        first.action_register()
        again = self._draft(external_number="ИЗХ-12", subject="същото")
        self.assertEqual(again.duplicate_of_id, first)
        with self.assertRaisesRegex(UserError, first.number):
            again.action_register()

    def test_duplicate_by_same_files_from_same_sender(self):
        files = [self._file("a.pdf", b"%PDF a"), self._file("b.pdf", b"%PDF b")]
        first = self._draft(file_ids=files)
        first.action_register()
        again = self._draft(
            file_ids=[
                self._file("b-copy.pdf", b"%PDF b"),
                self._file("a.pdf", b"%PDF a"),
            ]
        )
        self.assertEqual(again.duplicate_of_id, first)
        # Same files from someone else, or a subset, are not "sent again".
        other_sender = self._draft(
            file_ids=[self._file("a.pdf", b"%PDF a"), self._file("b.pdf", b"%PDF b")],
            correspondent_ids=[
                Command.create(
                    {"partner_id": self.company_partner.id, "role": "sender"}
                )
            ],
        )
        self.assertFalse(other_sender.duplicate_of_id)
        subset = self._draft(file_ids=[self._file("a.pdf", b"%PDF a")])
        self.assertFalse(subset.duplicate_of_id)

    def test_refusal_by_email_answers_the_sender_by_email(self):
        self.citizen.email = "ivan@example.com"
        document = self._draft(
            channel_id=self.env.ref(
                "municipal_registry.municipal_document_channel_email"
            ).id
        )
        reason = self.env.ref("municipal_registry.municipal_refusal_reason_mistake")
        document.with_context(mail_notrack=False)._refuse(reason)
        message = document.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.partner_ids, self.citizen)
        self.assertIn("sent to this municipality by mistake", message.body)

    def test_refusal_reasons_are_data(self):
        codes = set(self.env["municipal.refusal.reason"].search([]).mapped("code"))
        self.assertLessEqual({"mistake", "duplicate", "oversize", "malware"}, codes)

    def test_refusing_a_registered_document_is_refused(self):
        document = self._draft()
        document.action_register()
        reason = self.env.ref("municipal_registry.municipal_refusal_reason_mistake")
        with self.assertRaises(UserError):
            document._refuse(reason)

    def test_state_machine_guard(self):
        document = self._draft()
        with self.assertRaisesRegex(
            UserError, "^Registered Document Draft .* cannot go from Draft to Done"
        ):
            document.action_done()
        document.action_register()
        document.action_start()
        document.action_done()
        document.action_archive_document()
        self.assertEqual(document.state, "archived")
        with self.assertRaises(UserError):
            document.write({"state": "draft"})

    def test_annulment_needs_a_reason_and_keeps_the_number(self):
        document = self._draft()
        document.action_register()
        with self.assertRaises(UserError):
            document._annul("  ")
        number = document.number
        document._annul("Дублиран запис")
        self.assertEqual((document.state, document.number), ("annulled", number))
        self.assertEqual(document.annul_reason, "Дублиран запис")

    def test_registered_documents_are_never_deleted(self):
        document = self._draft()
        document.action_register()
        with self.assertRaises(UserError):
            document.unlink()
        draft = self._draft(subject="чернова")
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_documents_are_created_as_drafts(self):
        with self.assertRaises(UserError):
            self._draft(state="registered")

    def test_restricted_document_names_its_users(self):
        with self.assertRaises(ValidationError):
            self._draft(restricted=True)

    def test_declared_attachments_missing_are_counted(self):
        document = self._draft(
            declared_ids=[
                Command.create({"name": "Скица", "present": True}),
                Command.create({"name": "Пълномощно", "present": False}),
            ]
        )
        self.assertEqual(document.missing_declared_count, 1)

    def test_channel_must_be_allowed_by_the_kind(self):
        self.kind_letter.channel_ids = self.env.ref(
            "municipal_registry.municipal_document_channel_post"
        )
        with self.assertRaises(ValidationError):
            self._draft(channel_id=self.channel_seos.id)

    def test_reply_and_related_links(self):
        incoming = self._draft()
        incoming.action_register()
        register_out = self.env["municipal.register"].create(
            {
                "name": "Изходящи",
                "office_id": self.office.id,
                "index": "94-01",
                "direction": "outgoing",
            }
        )
        kind_out = self.env["municipal.document.type"].create(
            {"name": "Отговор", "direction": "outgoing", "register_id": register_out.id}
        )
        answer = self._draft(
            direction="outgoing",
            document_type_id=kind_out.id,
            reply_to_id=incoming.id,
            related_ids=[Command.link(incoming.id)],
            correspondent_ids=[
                Command.create({"partner_id": self.citizen.id, "role": "recipient"})
            ],
        )
        answer.action_register()
        self.assertEqual(incoming.reply_ids, answer)
        self.assertTrue(answer.number.startswith("94-01-1/"))
        self.assertIn(incoming, answer.related_ids)

    def test_register_new_creates_and_numbers_in_one_call(self):
        result = self.env["municipal.document"].register_new(
            {
                "direction": "incoming",
                "document_type_id": self.kind_letter.id,
                "subject": "От интеграция",
                "correspondent_ids": [
                    Command.create({"partner_id": self.citizen.id, "role": "sender"})
                ],
            }
        )
        document = self.env["municipal.document"].browse(result[0]["id"])
        self.assertEqual(document.state, "registered")
        self.assertEqual(result[0]["number"], document.number)
        with self.assertRaises(UserError):
            self.env["municipal.document"].register_new(
                {"direction": "incoming", "document_type_id": self.kind_letter.id}
            )
        self.assertFalse(
            self.env["municipal.document"].search([("subject", "=", False)])
        )
