from odoo import http
from odoo.http import request


class MunicipalCaseTracking(http.Controller):
    """A citizen follows his case file by number and the access code on his receipt.

    Only the public summary of the case is rendered (numbers, dates, kinds and states),
    never subjects, names or files.
    """

    @http.route(
        "/municipal/case", type="http", auth="public", methods=["GET"], readonly=True
    )
    def case_form(self, **kwargs):
        return request.render(
            "municipal_registry.case_tracking_page", {"searched": False}
        )

    @http.route("/municipal/case", type="http", auth="public", methods=["POST"])
    def case_lookup(self, number=None, code=None, **kwargs):
        case_sudo = request.env["municipal.case"]._find_for_citizen(number, code)
        values = {
            "searched": True,
            "number": number or "",
            "summary": case_sudo._citizen_summary() if case_sudo else None,
        }
        return request.render("municipal_registry.case_tracking_page", values)
