from odoo import http
from odoo.http import content_disposition, request


class NisRiskController(http.Controller):
    @http.route(
        "/nis_risk/assessment/<int:assessment_id>/xlsx",
        type="http",
        auth="user",
        readonly=True,
    )
    def assessment_xlsx(self, assessment_id):
        """The risk register of an assessment as XLSX, read with the user's rights."""
        assessment = request.env["nis.assessment"].browse(assessment_id).exists()
        if not assessment:
            raise request.not_found()
        assessment.check_access("read")
        content = assessment._nis_export_xlsx()
        filename = f"{assessment.name}.xlsx"
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
