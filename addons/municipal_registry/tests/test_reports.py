import base64
import io

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install")
class TestRegisterJournal(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 08:00:00"):
            cls.first = cls._draft(external_number="12", subject="Първи")
            cls.first.action_register()
        with freeze_time("2026-03-10 08:00:00"):
            cls.second = cls._draft(subject="Втори")
            cls.second.action_register()
            cls.second._annul("Грешка")
        with freeze_time("2026-04-01 08:00:00"):
            cls.april = cls._draft(subject="Април")
            cls.april.action_register()
        cls.secret = cls._draft(
            subject="Тайно",
            restricted=True,
            allowed_user_ids=[Command.set([cls.registry_clerk.id])],
        )
        with freeze_time("2026-03-15 08:00:00"):
            cls.secret.action_register()

    def _wizard(self, **values):
        vals = {
            "register_id": self.register_in.id,
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
        }
        vals.update(values)
        return (
            self.env["municipal.register.print"]
            .with_user(self.registry_clerk)
            .create(vals)
        )

    def test_journal_lists_every_number_of_the_period_in_order(self):
        rows = self._wizard()._journal_rows()
        self.assertEqual(
            [row["number"] for row in rows],
            [self.first.number, self.second.number, self.secret.number],
        )
        self.assertEqual(rows[0]["external"], "12")
        self.assertEqual(rows[1]["state"], "Annulled")
        # A restricted document keeps its line but not its subject.
        self.assertNotIn("Тайно", rows[2]["subject"])

    def test_xlsx_has_the_journal_columns(self):
        wizard = self._wizard(output="xlsx")
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.act_url")
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        sheet = book.active
        header = [cell.value for cell in sheet[4]]
        self.assertEqual(
            header,
            [
                "Number",
                "Date and time",
                "Kind",
                "Correspondents",
                "Subject",
                "Channel",
                "Their number and date",
                "Case file",
                "State",
            ],
        )
        self.assertEqual(sheet["A5"].value, self.first.number)
        self.assertEqual(sheet.max_row, 7)

    def test_journal_html_lists_the_period(self):
        wizard = self._wizard()
        report = self.env.ref("municipal_registry.action_report_register_journal")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(report.report_name, wizard.ids)[0]
            .decode()
        )
        self.assertIn(self.first.number, html)
        self.assertNotIn(self.april.number, html)

    def test_envelope_and_return_receipt_name_the_recipient(self):
        register_out = self.env["municipal.register"].create(
            {"name": "Изх", "office_id": self.office.id, "index": "94-01"}
        )
        kind_out = self.env["municipal.document.type"].create(
            {
                "name": "Писмо изх",
                "direction": "outgoing",
                "register_id": register_out.id,
            }
        )
        self.citizen.write({"street": "ул. Първа 1", "city": "Тестово"})
        letter = self._draft(
            direction="outgoing",
            document_type_id=kind_out.id,
            subject="Отговор",
            correspondent_ids=[
                Command.create({"partner_id": self.citizen.id, "role": "recipient"})
            ],
        )
        letter.action_register()
        Report = self.env["ir.actions.report"]
        for xmlid in ("report_document_envelope", "report_document_return_receipt"):
            html = Report._render_qweb_html(f"municipal_registry.{xmlid}", letter.ids)[
                0
            ].decode()
            self.assertIn("Иван Петров", html)
            self.assertIn("ул. Първа 1", html)
            self.assertIn(letter.number, html)


@tagged("post_install", "-at_install")
class TestRegisterJournalPdf(HttpCase):
    """wkhtmltopdf fetches the styles from the running server: an HttpCase."""

    def test_journal_pdf_renders(self):
        office = self.env["municipal.registry.office"].create(
            {"name": "PDF", "code": "PDF"}
        )
        register = self.env["municipal.register"].create(
            {"name": "PDF входящи", "office_id": office.id, "index": "33-00"}
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
        today = document.registration_date.date()
        wizard = self.env["municipal.register.print"].create(
            {"register_id": register.id, "date_from": today, "date_to": today}
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("municipal_registry.report_register_journal", wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
