import io

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import freeze_time

from .common import NisRiskCommon

REGISTER_COLUMNS = [
    "No.",
    "Asset",
    "Threats",
    "Existing measures",
    "Impact",
    "Likelihood",
    "Score",
    "Priority",
    "Planned measures",
    "Resources",
    "Responsible",
    "Deadline",
]


@tagged("post_install", "-at_install", "nis")
class TestNisReports(NisRiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.risk = cls.make_risk(
            5, 5, existing_measures="Antivirus", responsible_id=False
        )
        cls.measure = cls.env["nis.measure"].create(
            {
                "risk_id": cls.risk.id,
                "name": "Replace the firewall",
                "resources": "9 000 EUR",
                "responsible_id": cls.nis_officer.id,
                "deadline": "2025-06-30",
            }
        )
        cls.make_risk(1, 3, threat=cls.env.ref("nis_risk.nis_threat_theft"))

    def test_xlsx_columns(self):
        content = self.assessment.with_user(self.nis_officer)._nis_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[2]), REGISTER_COLUMNS)
        self.assertEqual(
            list(rows[3]),
            [
                1,
                "Local taxes",
                "Malicious code",
                "Antivirus",
                5,
                5,
                25,
                "1",
                "Replace the firewall",
                "9 000 EUR",
                self.nis_officer.name,
                "2025-06-30",
            ],
        )
        self.assertEqual(len(rows), 5)
        plan = list(book.worksheets[1].iter_rows(values_only=True))
        self.assertEqual(plan[1][3], "Replace the firewall")

    @freeze_time("2025-05-01")
    def test_heatmap_and_dashboard(self):
        data = self.env["nis.assessment"].get_heatmap_data(self.assessment.id)
        self.assertEqual(len(data["rows"]), 5)
        self.assertEqual([row["likelihood"] for row in data["rows"]], [5, 4, 3, 2, 1])
        cells = {
            (c["impact"], c["likelihood"]): c
            for row in data["rows"]
            for c in row["cells"]
        }
        self.assertEqual(len(cells), 25)
        self.assertEqual(cells[(5, 5)]["count"], 1)
        self.assertEqual(cells[(1, 3)]["count"], 1)
        self.assertEqual(cells[(3, 3)]["count"], 0)
        self.assertEqual(cells[(5, 5)]["color"], "#dc3545")
        self.assertEqual(cells[(3, 3)]["priority"], "2")
        self.assertEqual(cells[(2, 4)]["priority"], "3")
        self.assertEqual(data["by_priority"], {"1": 1, "2": 0, "3": 1})
        self.assertEqual(data["overdue_measures"], 0)
        with freeze_time("2025-07-01"):
            data = self.env["nis.assessment"].get_heatmap_data(self.assessment.id)
            self.assertEqual(data["overdue_measures"], 1)

    def test_pdf_reports_render(self):
        for xmlid in (
            "nis_risk.nis_assessment_report_register",
            "nis_risk.nis_assessment_report_plan",
        ):
            html, kind = self.env["ir.actions.report"]._render_qweb_html(
                xmlid, self.assessment.ids
            )
            self.assertEqual(kind, "html")
            html = html.decode()
            self.assertIn("Replace the firewall", html)
            self.assertIn("9 000 EUR", html)
            if xmlid.endswith("register"):
                for column in REGISTER_COLUMNS:
                    self.assertIn(column, html)


@tagged("post_install", "-at_install", "nis")
class TestNisXlsxDownload(HttpCase):
    def test_xlsx_controller(self):
        new_test_user(self.env, "nis_dl", groups="nis_risk.group_nis_officer")
        outsider = new_test_user(self.env, "nis_dl_out", groups="base.group_user")
        assessment = self.env["nis.assessment"].create({"name": "A", "year": 2025})
        self.authenticate("nis_dl", "nis_dl")
        response = self.url_open(f"/nis_risk/assessment/{assessment.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        self.authenticate(outsider.login, outsider.login)
        response = self.url_open(f"/nis_risk/assessment/{assessment.id}/xlsx")
        self.assertNotEqual(response.status_code, 200)


@tagged("post_install", "-at_install", "nis")
class TestNisDashboardUi(HttpCase):
    def test_heatmap_renders_in_browser(self):
        new_test_user(self.env, "nis_ui", groups="nis_risk.group_nis_officer")
        # Clicking a cell opens the list of that cell's risks.
        code = """
            (async () => {
                document.querySelector('.o_nis_heatmap tbody td').click();
                for (let i = 0; i < 50; i++) {
                    if (document.querySelector('.o_list_view')) {
                        console.log('test successful');
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                console.error('the cell did not open its risks');
            })();
        """
        self.browser_js(
            "/odoo/action-nis_risk.nis_dashboard_action",
            code,
            ready="document.querySelectorAll('.o_nis_heatmap td').length === 25",
            login="nis_ui",
        )

    def test_pdf_with_wkhtmltopdf(self):
        assessment = self.env["nis.assessment"].create({"name": "PDF", "year": 2025})
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("nis_risk.nis_assessment_report_register", assessment.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
