from odoo.tests import HttpCase, tagged

from .test_seal import PNG


@tagged("post_install", "-at_install")
class TestSealProtocols(HttpCase):
    """wkhtmltopdf fetches the styles from the running server: an HttpCase."""

    def test_protocols_render_with_impression(self):
        office = self.env["municipal.registry.office"].create(
            {"name": "Печати", "code": "SEALPDF"}
        )
        seal = self.env["municipal.seal"].create(
            {"name": "Община Тестово", "office_id": office.id, "impression": PNG}
        )
        seal.action_safekeeping()
        custody = self.env["municipal.seal.custody"].create(
            {
                "seal_id": seal.id,
                "holder_id": self.env.user.id,
                "order_number": "РД-1",
            }
        )
        move = self.env["municipal.seal.movement"].create(
            {
                "seal_id": seal.id,
                "reason": "Изнесено заседание",
                "person_id": self.env.user.id,
                "date_due": "2030-01-01 10:00:00",
            }
        )
        Report = self.env["ir.actions.report"]
        marker = "data:image/png;base64,"
        for name, record in (
            ("municipal_registry.report_seal_custody", custody),
            ("municipal_registry.report_seal_movement", move),
            ("municipal_registry.report_seal_destruction", seal),
        ):
            html = Report._render_qweb_html(name, record.ids)[0].decode()
            self.assertIn(marker, html, name)
            self.assertIn("seal_impression", html, name)
            pdf, kind = Report.with_context(
                force_report_rendering=True
            )._render_qweb_pdf(name, record.ids)
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
