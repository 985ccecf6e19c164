from odoo import fields, models

# State of one line of a document's route:
#
#   pending ──its turn──> waiting ──approve──> approved
#                            └─────return───> returned
#
# Lines are written only by the document's approval methods (as superuser, after they
# have checked who acts), so the history cannot be edited by hand.
APPROVAL_LINE_STATES = [
    ("pending", "Pending"),
    ("waiting", "Waiting"),
    ("approved", "Approved"),
    ("returned", "Returned"),
]


class MunicipalDocumentApproval(models.Model):
    """One step of a document's own approval route (виза), copied from the route
    template when the document is sent for approval; returned rounds are kept.

    Access: read by whoever reads the document; nobody writes it by hand: the
    document's approval actions do, after checking the approver.
    """

    _name = "municipal.document.approval"
    _description = "Document Approval Step"
    _order = "document_id, round desc, sequence, id"
    _check_company_auto = True

    document_id = fields.Many2one(
        "municipal.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    round = fields.Integer(
        default=1,
        required=True,
        help="Each sending for approval after a return starts a new round.",
    )
    sequence = fields.Integer(default=10)
    step_id = fields.Many2one("municipal.approval.route.step", ondelete="set null")
    name = fields.Char("Role", required=True)
    user_id = fields.Many2one("res.users", string="Approver")
    group_id = fields.Many2one("res.groups", string="Or any member of")
    state = fields.Selection(
        APPROVAL_LINE_STATES, default="pending", required=True, index=True
    )
    comment = fields.Text()
    acted_by_id = fields.Many2one("res.users", string="Acted by")
    acted_on = fields.Datetime("Acted on")

    def _approval_candidates(self):
        """The users who may act on this line: the approver and the group's members,
        among those who can see the document."""
        self.ensure_one()
        return self.document_id._approval_users(self.user_id, self.group_id)
