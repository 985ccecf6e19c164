from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MunicipalRegistryCommon

APPROVAL_URL = "/odoo/action-municipal_registry.municipal_document_action_approval"


@tagged("post_install", "-at_install")
class TestApprovalRoute(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = new_test_user(
            cls.env,
            "appr_director",
            groups="municipal_registry.group_registry_user",
            name="Стефка Директорова",
        )
        cls.deputy = new_test_user(
            cls.env,
            "appr_deputy",
            groups="municipal_registry.group_registry_mayor",
            name="Даниела Заместникова",
        )
        cls.deputies = cls.env["res.groups"].create(
            {"name": "Заместник-кметове", "users": [Command.set(cls.deputy.ids)]}
        )
        cls.author = cls.registry_user
        cls.register_out = cls.env["municipal.register"].create(
            {
                "name": "Изходящи",
                "office_id": cls.office.id,
                "index": "94-01",
                "direction": "outgoing",
            }
        )
        cls.route = cls.env["municipal.approval.route"].create(
            {
                "name": "Директор → Секретар → Заместник-кмет → Кмет",
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "Директор на дирекция",
                            "user_id": cls.director.id,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Секретар",
                            "user_id": cls.secretary.id,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "name": "Заместник-кмет",
                            "group_id": cls.deputies.id,
                        }
                    ),
                    Command.create(
                        {"sequence": 4, "name": "Кмет", "user_id": cls.mayor.id}
                    ),
                ],
            }
        )
        cls.kind_letter_out = cls.env["municipal.document.type"].create(
            {
                "name": "Изходящо писмо",
                "direction": "outgoing",
                "register_id": cls.register_out.id,
                "approval_route_id": cls.route.id,
            }
        )
        cls.approval_type = cls.env.ref(
            "municipal_registry.mail_activity_type_registry_approval"
        )
        cls.returned_type = cls.env.ref(
            "municipal_registry.mail_activity_type_registry_approval_returned"
        )

    def _letter(self, **values):
        """A draft outgoing letter prepared by the author."""
        vals = {
            "direction": "outgoing",
            "document_type_id": self.kind_letter_out.id,
            "subject": "Отговор на искане за информация",
            "correspondent_ids": [
                Command.create({"partner_id": self.citizen.id, "role": "recipient"})
            ],
        }
        vals.update(values)
        return self.env["municipal.document"].with_user(self.author).create(vals)

    def _sent(self, **values):
        letter = self._letter(**values)
        letter.action_send_for_approval()
        return letter

    def _approve(self, letter, *users):
        for user in users:
            letter.with_user(user).action_approval_approve()

    def _activities(self, letter, activity_type, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "municipal.document"),
                    ("res_id", "=", letter.id),
                    ("activity_type_id", "=", activity_type.id),
                    ("active", "=", active),
                ]
            )
        )

    # ------------------------------------------------------------------ route order

    def test_sending_copies_the_route_and_waits_for_the_first_step(self):
        letter = self._sent()
        self.assertEqual(letter.approval_state, "in_approval")
        self.assertEqual(letter.approval_author_id, self.author)
        self.assertEqual(
            letter.approval_ids.sorted("sequence").mapped("name"),
            ["Директор на дирекция", "Секретар", "Заместник-кмет", "Кмет"],
        )
        self.assertEqual(
            letter.approval_ids.sorted("sequence").mapped("state"),
            ["waiting", "pending", "pending", "pending"],
        )
        self.assertEqual(letter.approval_current_id.user_id, self.director)
        # A later change of the template does not touch a document on its way.
        self.route.step_ids[0].name = "Друг директор"
        self.assertEqual(letter.approval_current_id.name, "Директор на дирекция")

    def test_steps_approve_only_in_their_order_and_only_by_their_approver(self):
        letter = self._sent()
        # The secretary's turn has not come; the clerk, the manager and the author are
        # not approvers at all.
        for user in (
            self.secretary,
            self.mayor,
            self.registry_clerk,
            self.registry_manager,
            self.author,
        ):
            with self.assertRaises(AccessError):
                letter.with_user(user).action_approval_approve()
            with self.assertRaises(AccessError):
                letter.with_user(user)._approval_return("Не е мой ред")
        self.assertEqual(letter.approval_current_id.user_id, self.director)

        with freeze_time("2026-03-13 08:00:00"):
            self._approve(letter, self.director)
        first = letter.approval_ids.filtered(lambda line: line.sequence == 0)
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.acted_by_id, self.director)
        self.assertEqual(str(first.acted_on), "2026-03-13 08:00:00")
        with self.assertRaises(AccessError):
            letter.with_user(self.director).action_approval_approve()

        self._approve(letter, self.secretary)
        # A group step: any member of the group approves, nobody else.
        with self.assertRaises(AccessError):
            letter.with_user(self.mayor).action_approval_approve()
        self._approve(letter, self.deputy)
        self.assertEqual(letter.approval_state, "in_approval")
        self._approve(letter, self.mayor)
        self.assertEqual(letter.approval_state, "approved")
        self.assertEqual(set(letter.approval_ids.mapped("state")), {"approved"})
        self.assertEqual(
            letter.approval_ids.sorted("sequence").acted_by_id,
            self.director | self.secretary | self.deputy | self.mayor,
        )
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            letter.with_user(self.mayor).action_approval_approve()

    def test_waiting_for_my_approval_lists_the_documents_at_my_step(self):
        letter = self._sent()
        other = self._letter(subject="Още не е изпратено")
        documents = self.env["municipal.document"]
        domain = [("approval_waiting_me", "=", True)]
        self.assertEqual(documents.with_user(self.director).search(domain), letter)
        self.assertFalse(documents.with_user(self.secretary).search(domain))
        self.assertTrue(letter.with_user(self.director).approval_can_act)
        self.assertFalse(letter.with_user(self.secretary).approval_can_act)
        self._approve(letter, self.director)
        self.assertFalse(documents.with_user(self.director).search(domain))
        self.assertEqual(documents.with_user(self.secretary).search(domain), letter)
        self.assertIn(
            other,
            documents.with_user(self.secretary).search(
                [("approval_waiting_me", "=", False)]
            ),
        )

    # ------------------------------------------------------------------ return

    def test_approve_with_a_remark_keeps_it_with_the_visa(self):
        letter = self._sent()
        action = letter.with_user(self.director).action_open_approval_remark()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.director)
            .with_context(**action["context"])
            .create({"comment": "Да се добави срокът за обжалване."})
        )
        wizard.action_return()
        visa = letter.approval_ids.filtered(lambda line: line.state == "approved")
        self.assertEqual(visa.acted_by_id, self.director)
        self.assertEqual(visa.comment, "Да се добави срокът за обжалване.")
        self.assertEqual(letter.approval_state, "in_approval")
        self.assertEqual(letter.approval_current_id.user_id, self.secretary)

    def test_only_the_author_sends_a_returned_document_again(self):
        letter = self._sent()
        letter.with_user(self.director)._approval_return("Поправете адреса.")
        with self.assertRaisesRegex(UserError, "only the author sends it again"):
            letter.with_user(self.director).action_send_for_approval()
        self.assertEqual(letter.approval_state, "returned")
        letter.with_user(self.author).action_send_for_approval()
        self.assertEqual(letter.approval_state, "in_approval")

    def test_return_needs_a_comment(self):
        letter = self._sent()
        self._approve(letter, self.director)
        for comment in ("", "   ", False):
            with self.assertRaisesRegex(UserError, "needs a comment"):
                letter.with_user(self.secretary)._approval_return(comment)
        self.assertEqual(letter.approval_state, "in_approval")
        self.assertEqual(letter.approval_current_id.user_id, self.secretary)

    def test_content_is_locked_while_in_approval(self):
        letter = self._sent()
        with self.assertRaisesRegex(UserError, "return it for corrections"):
            letter.with_user(self.author).subject = "Друг текст"
        with self.assertRaisesRegex(UserError, "return it for corrections"):
            letter.write({"file_ids": [self._file("писмо.pdf", b"%PDF-1.4 text")]})
        self.assertEqual(letter.subject, "Отговор на искане за информация")
        letter.with_user(self.director)._approval_return("Поправете относно.")
        letter.with_user(self.author).subject = "Отговор на искане за достъп"
        self.assertEqual(letter.subject, "Отговор на искане за достъп")

    def test_return_goes_back_to_the_author_and_restarts_keeping_history(self):
        letter = self._sent()
        self._approve(letter, self.director)
        wizard = (
            self.env["municipal.document.approval.return"]
            .with_user(self.secretary)
            .create(
                {"document_id": letter.id, "comment": "Посочете правното основание."}
            )
        )
        self.assertEqual(wizard.step, "Секретар")
        wizard.action_return()

        self.assertEqual(letter.approval_state, "returned")
        round_one = letter.approval_ids.sorted("sequence")
        self.assertEqual(round_one.mapped("state"), ["approved", "returned"])
        self.assertEqual(round_one[1].comment, "Посочете правното основание.")
        self.assertEqual(round_one[1].acted_by_id, self.secretary)
        # The author has the letter back with the comment.
        to_correct = self._activities(letter, self.returned_type)
        self.assertEqual(to_correct.user_id, self.author)
        self.assertIn("Посочете правното основание.", str(to_correct.note))
        self.assertFalse(self._activities(letter, self.approval_type))
        # A returned letter is neither approved nor numbered.
        with self.assertRaises(UserError):
            letter.with_user(self.registry_clerk).action_register()
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            letter.with_user(self.secretary).action_approval_approve()

        letter.with_user(self.author).write({"subject": "Поправено писмо"})
        letter.with_user(self.author).action_send_for_approval()
        self.assertEqual(letter.approval_state, "in_approval")
        round_two = letter.approval_ids.filtered(lambda line: line.round == 2)
        self.assertEqual(len(round_two), 4)
        self.assertEqual(letter.approval_current_id.round, 2)
        self.assertEqual(letter.approval_current_id.user_id, self.director)
        # Round one stays as it was.
        self.assertEqual(
            letter.approval_ids.filtered(lambda line: line.round == 1), round_one
        )
        self.assertEqual(round_one.mapped("state"), ["approved", "returned"])
        # The author's to-do is done; the director is asked again.
        self.assertFalse(self._activities(letter, self.returned_type))
        self.assertTrue(self._activities(letter, self.returned_type, active=False))
        with self.assertRaises(AccessError):
            letter.with_user(self.secretary).action_approval_approve()
        self._approve(letter, self.director, self.secretary, self.deputy, self.mayor)
        self.assertEqual(letter.approval_state, "approved")

    # ------------------------------------------------------------------ numbering

    def test_registering_is_refused_until_the_last_step_approved(self):
        letter = self._letter()
        clerk_letter = letter.with_user(self.registry_clerk)
        with self.assertRaisesRegex(UserError, "approval route"):
            clerk_letter.action_register()
        letter.action_send_for_approval()
        self._approve(letter, self.director, self.secretary, self.deputy)
        with self.assertRaisesRegex(UserError, "approval route"):
            clerk_letter.action_register()
        self.assertFalse(letter.number)
        self.assertEqual(letter.state, "draft")

        self._approve(letter, self.mayor)
        clerk_letter.action_register()
        self.assertEqual(letter.state, "registered")
        self.assertTrue(letter.number.startswith("94-01-1/"))

    def test_kinds_without_route_and_incoming_documents_are_not_held(self):
        self.kind_letter_out.approval_route_id = False
        letter = self._letter()
        letter.with_user(self.registry_clerk).action_register()
        self.assertEqual(letter.approval_state, "none")
        self.assertTrue(letter.number)
        # A route set on the kind later does not hold back what was numbered before.
        self.kind_letter_out.approval_route_id = self.route
        self.assertTrue(letter._check_sendable())
        with self.assertRaisesRegex(UserError, "approval route"):
            self._letter().with_user(self.registry_clerk).action_register()
        incoming = self._draft()
        with self.assertRaisesRegex(UserError, "no approval route"):
            incoming.action_send_for_approval()
        incoming.action_register()
        self.assertTrue(incoming.number)

    def test_check_sendable(self):
        letter = self._sent()
        with self.assertRaisesRegex(UserError, "approval route"):
            letter._check_sendable()
        self._approve(letter, self.director, self.secretary, self.deputy, self.mayor)
        with self.assertRaisesRegex(UserError, "not registered"):
            letter._check_sendable()
        letter.with_user(self.registry_clerk).action_register()
        self.assertTrue(letter._check_sendable())
        letter._annul("Грешен адресат")
        with self.assertRaisesRegex(UserError, "not registered"):
            letter._check_sendable()

    # ------------------------------------------------------------------ activities

    def test_activities_go_to_the_approver_whose_turn_it_is(self):
        # Sent on a Friday: the to-do falls due two working days later, on Tuesday.
        with freeze_time("2026-03-13 08:00:00"):
            letter = self._sent()
        todo = self._activities(letter, self.approval_type)
        self.assertEqual(todo.user_id, self.director)
        self.assertEqual(str(todo.date_deadline), "2026-03-17")
        # The approver follows the document and so can open it, even as an employee.
        self.assertIn(self.director.partner_id, letter.message_partner_ids)
        self.assertEqual(
            letter.with_user(self.director).read(["subject"])[0]["subject"],
            letter.subject,
        )

        self._approve(letter, self.director)
        self.assertEqual(
            self._activities(letter, self.approval_type).user_id, self.secretary
        )
        done = self._activities(letter, self.approval_type, active=False)
        self.assertEqual(done.user_id, self.director)

        self._approve(letter, self.secretary)
        # A group step: each member of the group, nobody else.
        self.assertEqual(
            self._activities(letter, self.approval_type).user_id, self.deputy
        )
        self._approve(letter, self.deputy)
        self.assertEqual(
            self._activities(letter, self.approval_type).user_id, self.mayor
        )
        self._approve(letter, self.mayor)
        self.assertFalse(self._activities(letter, self.approval_type))
        self.assertEqual(
            self._activities(letter, self.approval_type, active=False).user_id,
            self.director | self.secretary | self.deputy | self.mayor,
        )

    # ------------------------------------------------------------------ guards

    def test_approval_state_cannot_be_forced(self):
        letter = self._sent()
        for user in (self.author, self.registry_manager):
            with self.assertRaises(UserError):
                letter.with_user(user).write({"approval_state": "approved"})
        with self.assertRaises(UserError):
            letter.sudo().write({"approval_state": "approved"})
        with self.assertRaises(AccessError):
            letter.approval_ids[:1].with_user(self.author).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "cannot change"):
            letter.with_user(self.author).document_type_id = self.kind_letter
        with self.assertRaisesRegex(UserError, "already in approval"):
            letter.with_user(self.author).action_send_for_approval()

    def test_restricted_letter_needs_approvers_allowed_to_see_it(self):
        letter = self._letter(
            restricted=True,
            allowed_user_ids=[Command.set([self.author.id, self.director.id])],
        )
        with self.assertRaisesRegex(UserError, "Nobody can approve"):
            letter.action_send_for_approval()
        self.assertEqual(letter.approval_state, "none")
        self.assertFalse(letter.approval_ids)

    def test_route_configuration_is_checked(self):
        with self.assertRaises(ValidationError):
            self.env["municipal.approval.route"].create({"name": "Празен"})
        with self.assertRaises(ValidationError):
            self.route.write(
                {"step_ids": [Command.create({"name": "Никой", "sequence": 9})]}
            )
        with self.assertRaises(AccessError):
            self.env["municipal.approval.route"].with_user(self.registry_clerk).create(
                {
                    "name": "Самоодобрение",
                    "step_ids": [
                        Command.create(
                            {"name": "Аз", "user_id": self.registry_clerk.id}
                        )
                    ],
                }
            )

    # ------------------------------------------------------------------ report

    def test_internal_copy_prints_the_route_history(self):
        letter = self._sent(description="<p>Текст на писмото</p>")
        self._approve(letter, self.director)
        letter.with_user(self.secretary)._approval_return("Липсва основание.")
        letter.action_send_for_approval()
        self._approve(letter, self.director, self.secretary, self.deputy, self.mayor)
        letter.with_user(self.registry_clerk).action_register()

        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.registry_clerk)
            ._render_qweb_html(
                "municipal_registry.action_report_document_internal_copy", letter.ids
            )
        )
        html = html.decode()
        self.assertIn("Internal copy", html)
        self.assertIn(letter.number, html)
        self.assertIn("Текст на писмото", html)
        for text in (
            "Директор на дирекция",
            "Секретар",
            "Заместник-кмет",
            "Кмет",
            self.director.name,
            self.secretary.name,
            self.deputy.name,
            self.mayor.name,
            "Липсва основание.",
            "Returned",
            "Prepared by",
            self.author.name,
        ):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestInternalCopyPdf(HttpCase):
    """wkhtmltopdf fetches the styles from the running server: an HttpCase."""

    def test_internal_copy_pdf_renders(self):
        approver = new_test_user(
            self.env,
            "pdf_approver",
            groups="municipal_registry.group_registry_mayor",
            name="Кмет Тестов",
        )
        office = self.env["municipal.registry.office"].create(
            {"name": "PDF", "code": "PDF"}
        )
        register = self.env["municipal.register"].create(
            {
                "name": "PDF изходящи",
                "office_id": office.id,
                "index": "33-01",
                "direction": "outgoing",
            }
        )
        route = self.env["municipal.approval.route"].create(
            {
                "name": "Кмет",
                "step_ids": [
                    Command.create({"name": "Кмет на общината", "user_id": approver.id})
                ],
            }
        )
        kind = self.env["municipal.document.type"].create(
            {
                "name": "PDF писмо",
                "direction": "outgoing",
                "register_id": register.id,
                "approval_route_id": route.id,
            }
        )
        partner = self.env["res.partner"].create({"name": "Адресат"})
        letter = self.env["municipal.document"].create(
            {
                "direction": "outgoing",
                "document_type_id": kind.id,
                "subject": "Писмо",
                "description": "<p>Уважаеми господине,</p>",
                "correspondent_ids": [
                    Command.create({"partner_id": partner.id, "role": "recipient"})
                ],
            }
        )
        letter.action_send_for_approval()
        letter.with_user(approver).action_approval_approve()
        letter.action_register()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "municipal_registry.action_report_document_internal_copy", letter.ids
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestApprovalUi(HttpCase):
    def test_approver_approves_and_the_next_one_returns(self):
        author = new_test_user(
            self.env, "tour_author", groups="municipal_registry.group_registry_user"
        )
        director = new_test_user(
            self.env,
            "tour_director",
            groups="municipal_registry.group_registry_user",
            name="Tour director",
        )
        secretary = new_test_user(
            self.env,
            "tour_secretary",
            groups="municipal_registry.group_registry_secretary",
            name="Tour secretary",
        )
        office = self.env["municipal.registry.office"].create(
            {"name": "Tour", "code": "TOUR"}
        )
        register = self.env["municipal.register"].create(
            {
                "name": "Tour outgoing",
                "office_id": office.id,
                "index": "56-01",
                "direction": "outgoing",
            }
        )
        route = self.env["municipal.approval.route"].create(
            {
                "name": "Director → Secretary",
                "step_ids": [
                    Command.create({"name": "Director", "user_id": director.id}),
                    Command.create({"name": "Secretary", "user_id": secretary.id}),
                ],
            }
        )
        kind = self.env["municipal.document.type"].create(
            {
                "name": "Tour outgoing letter",
                "direction": "outgoing",
                "register_id": register.id,
                "approval_route_id": route.id,
            }
        )
        partner = self.env["res.partner"].create({"name": "Tour Addressee"})
        letter = (
            self.env["municipal.document"]
            .with_user(author)
            .create(
                {
                    "direction": "outgoing",
                    "document_type_id": kind.id,
                    "subject": "Tour approval letter",
                    "correspondent_ids": [
                        Command.create({"partner_id": partner.id, "role": "recipient"})
                    ],
                }
            )
        )
        letter.action_send_for_approval()

        self.start_tour(
            APPROVAL_URL, "municipal_registry_approve_document", login="tour_director"
        )
        lines = letter.approval_ids.sorted("sequence")
        self.assertEqual(lines.mapped("state"), ["approved", "waiting"])
        self.assertEqual(lines[0].acted_by_id, director)

        self.start_tour(
            APPROVAL_URL, "municipal_registry_return_document", login="tour_secretary"
        )
        self.assertEqual(letter.approval_state, "returned")
        self.assertEqual(lines[1].comment, "Add the legal basis.")
