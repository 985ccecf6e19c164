import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import MunicipalRegistryCommon

DAY = datetime.date


@tagged("post_install", "-at_install")
class TestResolution(MunicipalRegistryCommon):
    """Resolutions: who writes them, deadlines, answers, overdue control, access and
    the printed block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.municipal_resolution_roll_over = True
        # The head of a unit answers for it; the employee answers for themselves.
        cls.head = new_test_user(
            cls.env, "reg_head", groups="municipal_registry.group_registry_user"
        )
        cls.colleague = new_test_user(
            cls.env, "reg_colleague", groups="municipal_registry.group_registry_user"
        )
        Employee = cls.env["hr.employee"]
        cls.head_employee = Employee.create(
            {"name": "Стефка Маринова", "user_id": cls.head.id}
        )
        cls.unit = cls.env["hr.department"].create(
            {
                "name": "Дирекция „Административно обслужване“",
                "manager_id": cls.head_employee.id,
            }
        )
        cls.head_employee.department_id = cls.unit
        cls.employee = Employee.create(
            {
                "name": "Надежда Илиева",
                "user_id": cls.registry_user.id,
                "department_id": cls.unit.id,
            }
        )
        cls.rule_5 = cls.env["municipal.deadline.rule"].create(
            {
                "name": "Пет работни дни",
                "amount": 5,
                "unit": "working_days",
                "roll_over": True,
            }
        )
        with freeze_time("2026-03-10 08:00:00"):
            cls.document = cls._draft(
                subject="Искане за достъп до обществена информация",
                file_ids=[cls._file("iskane.txt", b"text of the request")],
            )
            cls.document.action_register()

    def _resolution(self, user=None, **values):
        vals = {
            "document_id": self.document.id,
            "instruction": "За изготвяне на отговор",
            "deadline_rule_id": self.rule_5.id,
            "date": DAY(2026, 3, 10),
            "executor_ids": [
                Command.create({"employee_id": self.employee.id}),
                Command.create({"department_id": self.unit.id}),
            ],
        }
        vals.update(values)
        # None leaves a field to its default (False would set it empty).
        vals = {key: value for key, value in vals.items() if value is not None}
        return (
            self.env["municipal.resolution"].with_user(user or self.mayor).create(vals)
        )

    def _reply(self):
        """A registered outgoing answer to the document."""
        register_out = self.env["municipal.register"].create(
            {"name": "Изходящи", "office_id": self.office.id, "index": "94-01"}
        )
        kind_out = self.env["municipal.document.type"].create(
            {
                "name": "Писмо изх",
                "direction": "outgoing",
                "register_id": register_out.id,
            }
        )
        reply = self._draft(
            direction="outgoing",
            document_type_id=kind_out.id,
            subject="Отговор",
            reply_to_id=self.document.id,
            user_id=self.registry_user.id,
            correspondent_ids=[
                Command.create({"partner_id": self.citizen.id, "role": "recipient"})
            ],
        )
        reply.action_register()
        return reply

    # ------------------------------------------------------------------ writing

    def test_resolution_without_executor_is_refused_and_kept(self):
        resolution = self._resolution(executor_ids=[])
        with self.assertRaisesRegex(UserError, "at least one executor"):
            resolution.action_issue()
        self.assertEqual(resolution.state, "draft")
        self.assertEqual(resolution.instruction, "За изготвяне на отговор")

    def test_executor_line_names_an_employee_or_a_unit(self):
        with self.assertRaises(ValidationError):
            self._resolution(
                executor_ids=[
                    Command.create(
                        {"employee_id": self.employee.id, "department_id": self.unit.id}
                    )
                ]
            )
        with self.assertRaises(ValidationError):
            self._resolution(executor_ids=[Command.create({})])

    def test_heads_secretary_and_mayor_write_resolutions_others_do_not(self):
        for user in (self.mayor, self.secretary, self.registry_manager):
            resolution = self._resolution(user=user)
            self.assertEqual(resolution.author_id, user)
        for user in (self.registry_user, self.registry_clerk):
            with self.assertRaises(AccessError):
                self._resolution(user=user)

    def test_write_a_resolution_from_the_document(self):
        action = self.document.with_user(self.secretary).action_new_resolution()
        self.assertEqual(action["res_model"], "municipal.resolution")
        self.assertEqual(action["context"]["default_document_id"], self.document.id)
        with self.assertRaises(AccessError):
            self.document.with_user(self.registry_clerk).action_new_resolution()
        with self.assertRaisesRegex(UserError, "registered document"):
            self._draft().with_user(self.mayor).action_new_resolution()

    def test_issuing_puts_the_registered_document_in_work(self):
        resolution = self._resolution()
        resolution.action_issue()
        self.assertEqual(resolution.state, "issued")
        self.assertEqual(self.document.state, "in_work")

    def test_issued_resolution_is_not_rewritten(self):
        resolution = self._resolution()
        resolution.action_issue()
        with self.assertRaisesRegex(UserError, "cancel it"):
            resolution.instruction = "Друго"

    # ------------------------------------------------------------------ deadlines

    def test_default_rule_comes_from_the_document_kind(self):
        self.kind_letter.deadline_rule_id = self.rule_5
        resolution = self._resolution(deadline_rule_id=None)
        self.assertEqual(resolution.deadline_rule_id, self.rule_5)

    def test_deadline_from_rule_counts_working_days_across_the_weekend(self):
        # Thursday 12 March 2026 + 5 working days: Fri 13, Mon 16 ... Thu 19.
        resolution = self._resolution(date=DAY(2026, 3, 12))
        self.assertEqual(resolution.deadline, DAY(2026, 3, 19))

    def test_deadline_from_rule_skips_an_official_holiday(self):
        # Friday 27 February 2026 + 3 working days: Mon 2, (Tue 3 March, Liberation
        # Day, is off), Wed 4, Thu 5.
        rule_3 = self.rule_5.copy({"amount": 3})
        resolution = self._resolution(date=DAY(2026, 2, 27), deadline_rule_id=rule_3.id)
        self.assertEqual(resolution.deadline, DAY(2026, 3, 5))

    def test_explicit_holiday_is_rolled_to_the_next_working_day(self):
        resolution = self._resolution(
            date=DAY(2026, 2, 27), deadline_rule_id=False, deadline_date=DAY(2026, 3, 3)
        )
        self.assertEqual(resolution.deadline, DAY(2026, 3, 4))

    def test_explicit_sunday_is_rolled_to_monday_when_the_setting_says_so(self):
        resolution = self._resolution(
            deadline_rule_id=False, deadline_date=DAY(2026, 3, 22)
        )
        self.assertEqual(resolution.deadline, DAY(2026, 3, 23))

    def test_explicit_sunday_is_refused_when_the_setting_says_so(self):
        self.company.municipal_resolution_roll_over = False
        with self.assertRaisesRegex(ValidationError, "22.03.2026.*23.03.2026"):
            self._resolution(deadline_rule_id=False, deadline_date=DAY(2026, 3, 22))
        # A working day is accepted as it is.
        resolution = self._resolution(
            deadline_rule_id=False, deadline_date=DAY(2026, 3, 20)
        )
        self.assertEqual(resolution.deadline, DAY(2026, 3, 20))

    def test_rule_without_roll_over_refuses_a_sunday(self):
        self.company.municipal_resolution_roll_over = True
        self.rule_5.roll_over = False
        with self.assertRaises(ValidationError):
            self._resolution(deadline_date=DAY(2026, 3, 22))

    def test_deadline_before_the_resolution_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "before the date"):
            self._resolution(deadline_rule_id=False, deadline_date=DAY(2026, 3, 2))

    def test_form_takes_a_rule_or_a_date(self):
        self.kind_letter.deadline_rule_id = self.rule_5
        with freeze_time("2026-03-12 09:00:00"):
            form = Form(self.env["municipal.resolution"].with_user(self.mayor))
            form.document_id = self.document
            form.instruction = "За изготвяне на отговор"
            self.assertEqual(form.deadline_rule_id, self.rule_5)
            self.assertEqual(form.deadline, DAY(2026, 3, 19))
            form.deadline_date = DAY(2026, 3, 22)
            self.assertFalse(form.deadline_rule_id)
            self.assertEqual(form.deadline, DAY(2026, 3, 23))
            with form.executor_ids.new() as line:
                line.department_id = self.unit
            resolution = form.save()
        self.assertEqual(resolution.deadline, DAY(2026, 3, 23))
        self.assertEqual(resolution.executor_ids.user_id, self.head)

    # ------------------------------------------------------------------ answers

    def test_executors_answer_and_the_resolution_is_done(self):
        resolution = self._resolution()
        resolution.action_issue()
        mine = resolution.executor_ids.filtered(lambda e: e.employee_id)
        unit = resolution.executor_ids - mine
        self.assertEqual(mine.user_id, self.registry_user)
        self.assertEqual(unit.user_id, self.head, "the head answers for the unit")
        self.assertEqual(unit.person_id, self.head_employee)

        as_executor = mine.with_user(self.registry_user)
        with self.assertRaisesRegex(UserError, "closing document or a note"):
            as_executor.action_done()
        draft_reply = self._draft(
            user=self.registry_user, direction="outgoing", subject="Чернова"
        )
        as_executor.answer_document_id = draft_reply
        with self.assertRaisesRegex(UserError, "not registered"):
            as_executor.action_done()

        reply = self._reply()
        as_executor.answer_document_id = reply
        as_executor.action_done()
        self.assertEqual(mine.state, "done")
        self.assertEqual(mine.answered_by_id, self.registry_user)
        self.assertTrue(mine.answered_on)
        self.assertEqual(resolution.state, "issued", "the unit has not answered yet")

        # An executor does not answer for the others.
        with self.assertRaises(AccessError):
            unit.with_user(self.registry_user).answer_note = "Не е мое"

        unit.with_user(self.head).answer_note = "Публикувано на сайта"
        unit.with_user(self.head).action_done()
        self.assertEqual(resolution.state, "done")

        # The controller sends an answer back: the resolution is open again.
        mine.with_user(self.mayor).action_reopen()
        self.assertEqual(mine.state, "open")
        self.assertEqual(resolution.state, "issued")

    def test_executor_does_not_change_the_executors(self):
        resolution = self._resolution()
        resolution.action_issue()
        line = resolution.executor_ids.filtered(lambda e: e.employee_id)
        with self.assertRaises(AccessError):
            line.with_user(self.registry_user).department_id = self.unit
        with self.assertRaises(UserError):
            line.with_user(self.registry_user).write({"state": "done"})

    # ------------------------------------------------------------------ overdue

    def test_overdue_cron_raises_one_activity_per_executor_and_controller(self):
        resolution = self._resolution(controller_id=self.secretary.id)
        resolution.action_issue()
        self.assertEqual(resolution.deadline, DAY(2026, 3, 17))
        cron = self.env.ref("municipal_registry.ir_cron_municipal_resolution_overdue")
        activity_type = self.env.ref(
            "municipal_registry.mail_activity_type_resolution_overdue"
        )

        def overdue_activities():
            return resolution.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )

        with freeze_time("2026-03-17 10:00:00"):
            self.assertFalse(resolution.is_overdue)
            cron.method_direct_trigger()
            self.assertFalse(overdue_activities(), "the last day is not overdue")
        with freeze_time("2026-03-18 10:00:00"):
            # A new day is a new request: nothing computed yesterday is kept.
            self.env.invalidate_all()
            self.assertTrue(resolution.is_overdue)
            self.assertIn(
                resolution,
                self.env["municipal.resolution"].search([("is_overdue", "=", True)]),
            )
            self.assertEqual(
                self.env["municipal.resolution.executor"].search_count(
                    [("is_overdue", "=", True), ("resolution_id", "=", resolution.id)]
                ),
                2,
            )
            cron.method_direct_trigger()
            self.assertEqual(
                sorted(overdue_activities().user_id.ids),
                sorted((self.registry_user | self.head | self.secretary).ids),
            )
            cron.method_direct_trigger()
            self.assertEqual(len(overdue_activities()), 3, "no duplicates on a rerun")

            # The executor answers: their reminder is done, the others stay.
            line = resolution.executor_ids.filtered(lambda e: e.employee_id)
            line.with_user(self.registry_user).answer_note = "Изпратено"
            line.with_user(self.registry_user).action_done()
            self.assertEqual(
                sorted(overdue_activities().user_id.ids),
                sorted((self.head | self.secretary).ids),
            )
            cron.method_direct_trigger()
            self.assertEqual(len(overdue_activities()), 2)

    def test_overdue_cron_goes_on_after_a_failing_line(self):
        first = self._resolution()
        first.action_issue()
        second = self._resolution(controller_id=self.secretary.id)
        second.action_issue()
        Executor = type(self.env["municipal.resolution.executor"])
        original = Executor._municipal_raise_overdue

        def failing(line, activity_type):
            if line.resolution_id == first:
                raise ValueError("broken line")
            return original(line, activity_type)

        with freeze_time("2026-03-20 10:00:00"):
            self.patch(Executor, "_municipal_raise_overdue", failing)
            with self.assertLogs(
                "odoo.addons.municipal_registry.models.municipal_resolution_executor",
                level="ERROR",
            ):
                self.env["municipal.resolution.executor"]._cron_overdue()
        self.assertFalse(first.activity_ids)
        self.assertEqual(len(second.activity_ids), 3)

    # ------------------------------------------------------------------ access

    def test_executors_see_the_document_others_do_not(self):
        Document = self.env["municipal.document"]
        self.assertFalse(
            Document.with_user(self.registry_user).search(
                [("id", "=", self.document.id)]
            )
        )
        resolution = self._resolution()
        resolution.action_issue()
        for user in (self.registry_user, self.head):
            document = self.document.with_user(user)
            document.check_access("read")
            self.assertEqual(document.subject, self.document.subject)
            self.assertEqual(document.file_ids.name, "iskane.txt")
            resolution.with_user(user).check_access("read")
        with self.assertRaises(AccessError):
            self.document.with_user(self.colleague).check_access("read")
        with self.assertRaises(AccessError):
            resolution.with_user(self.colleague).check_access("read")

    def test_restricted_document_needs_its_executors_named(self):
        self.document.write(
            {"restricted": True, "allowed_user_ids": [Command.set([self.mayor.id])]}
        )
        resolution = self._resolution()
        with self.assertRaisesRegex(UserError, "restricted.*reg_user"):
            resolution.action_issue()
        self.assertEqual(resolution.state, "draft")
        self.document.allowed_user_ids = [
            Command.link(self.registry_user.id),
            Command.link(self.head.id),
        ]
        resolution.action_issue()
        resolution.with_user(self.registry_user).check_access("read")
        self.document.with_user(self.registry_user).check_access("read")
        # Taken off the document, the executor no longer reads the resolution either.
        self.document.allowed_user_ids = [Command.unlink(self.registry_user.id)]
        with self.assertRaises(AccessError):
            resolution.with_user(self.registry_user).check_access("read")

    # ------------------------------------------------------------------ printing

    def test_printed_block_on_the_document(self):
        resolution = self._resolution(instruction="За сведение и изпълнение")
        resolution.action_issue()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "municipal_registry.report_document_resolution", self.document.ids
            )[0]
            .decode()
        )
        self.assertIn("To prepare:", html)
        self.assertIn("Надежда Илиева", html)
        self.assertIn("Дирекция „Административно обслужване“", html)
        self.assertIn("За сведение и изпълнение", html)
        self.assertIn("Deadline:", html)
        self.assertIn("17.03.2026", html)
        self.assertIn("10.03.2026", html)
        self.assertIn(self.mayor.name, html)
        self.assertIn(self.document.number, html)


@tagged("post_install", "-at_install")
class TestResolutionPdf(HttpCase):
    """wkhtmltopdf fetches the styles from the running server: an HttpCase."""

    def test_document_with_resolutions_pdf_renders(self):
        office = self.env["municipal.registry.office"].create(
            {"name": "PDF", "code": "PDR"}
        )
        register = self.env["municipal.register"].create(
            {"name": "PDF входящи", "office_id": office.id, "index": "34-00"}
        )
        kind = self.env["municipal.document.type"].create(
            {"name": "PDF писмо", "register_id": register.id}
        )
        partner = self.env["res.partner"].create({"name": "Подател"})
        document = self.env["municipal.document"].create(
            {
                "document_type_id": kind.id,
                "subject": "Писмо",
                "correspondent_ids": [Command.create({"partner_id": partner.id})],
            }
        )
        document.action_register()
        unit = self.env["hr.department"].create({"name": "Дирекция АО"})
        resolution = self.env["municipal.resolution"].create(
            {
                "document_id": document.id,
                "instruction": "За изготвяне",
                "deadline_date": self.env["municipal.resolution"]._municipal_today()
                + datetime.timedelta(days=10),
                "executor_ids": [Command.create({"department_id": unit.id})],
            }
        )
        resolution.action_issue()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "municipal_registry.report_document_resolution", document.ids
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
