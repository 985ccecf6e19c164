from bg_egov import identifiers
from bg_egov.errors import IdentifierError

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class ResPartner(models.Model):
    """Correspondents of the register.

    The personal number (ЕГН/ЛНЧ) is visible only to registry clerks and above: the
    field is restricted to their group, so others cannot read it at all.
    """

    _inherit = "res.partner"

    municipal_personal_id = fields.Char(
        "ЕГН/ЛНЧ",
        groups="municipal_registry.group_registry_clerk",
        copy=False,
        index="btree_not_null",
        help="Personal number of a citizen (ЕГН) or of a foreigner (ЛНЧ).",
    )
    municipal_personal_id_kind = fields.Selection(
        [("egn", "ЕГН"), ("lnch", "ЛНЧ")],
        groups="municipal_registry.group_registry_clerk",
        readonly=True,
        copy=False,
    )
    municipal_document_count = fields.Integer(
        "Documents", compute="_compute_municipal_document_count"
    )

    def _compute_municipal_document_count(self):
        counts = dict(
            self.env["municipal.document.correspondent"]._read_group(
                [("partner_id", "in", self.ids)],
                ["partner_id"],
                ["document_id:count_distinct"],
            )
        )
        for partner in self:
            partner.municipal_document_count = counts.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._municipal_normalize_identifiers(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._municipal_normalize_identifiers(vals)
        return super().write(vals)

    @api.model
    def _municipal_normalize_identifiers(self, vals):
        """Validate ЕГН/ЛНЧ and ЕИК/БУЛСТАТ on the way in and store them as digits."""
        if vals.get("municipal_personal_id"):
            try:
                kind, digits = identifiers.validate_person(
                    vals["municipal_personal_id"]
                )
            except IdentifierError as error:
                raise ValidationError(
                    self._municipal_identifier_message(_("ЕГН/ЛНЧ"), error)
                ) from None
            vals["municipal_personal_id"] = digits
            vals["municipal_personal_id_kind"] = kind
        elif "municipal_personal_id" in vals:
            vals["municipal_personal_id_kind"] = False
        if vals.get("company_registry") and self._municipal_is_bulgarian(vals):
            try:
                vals["company_registry"] = identifiers.validate_eik(
                    vals["company_registry"]
                )
            except IdentifierError as error:
                raise ValidationError(
                    self._municipal_identifier_message(_("ЕИК/БУЛСТАТ"), error)
                ) from None

    def _municipal_is_bulgarian(self, vals):
        country_id = vals.get("country_id")
        if country_id is None and self:
            countries = self.mapped("country_id")
        else:
            countries = self.env["res.country"].browse(country_id or [])
        # Without a country the partner is taken as Bulgarian: the register's default.
        return not countries or all(c.code == "BG" for c in countries)

    def _municipal_identifier_message(self, label, error):
        return _(
            "%(field)s %(value)s %(problem)s.",
            field=label,
            value=error.value,
            problem=self._municipal_reason_text(error.reason),
        )

    def _municipal_reason_text(self, reason):
        texts = {
            "length": _("has the wrong number of digits"),
            "format": _("may contain only digits"),
            "checksum": _("has a wrong check digit"),
            "date": _("does not encode a valid birth date"),
        }
        return texts.get(reason, reason)

    def _municipal_duplicates(self):
        """Other partners with the same ЕГН/ЛНЧ or ЕИК/БУЛСТАТ."""
        self.ensure_one()
        partner = self.sudo()
        domain = []
        if partner.municipal_personal_id:
            domain.append(
                [("municipal_personal_id", "=", partner.municipal_personal_id)]
            )
        if partner.company_registry:
            domain.append([("company_registry", "=", partner.company_registry)])
        if not domain:
            return self.browse()
        found = self.sudo().search(
            expression.AND([[("id", "!=", self.id)], expression.OR(domain)])
        )
        return self.browse(found.ids)

    def action_municipal_merge_duplicates(self):
        """Open Odoo's merge wizard on this partner and those with its identifier."""
        self.ensure_one()
        duplicates = self._municipal_duplicates()
        if not duplicates:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "message": _("No other contact has the same identifier."),
                    "type": "info",
                },
            }
        partners = self | duplicates
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "res.partner",
                "active_ids": partners.ids,
                "default_partner_ids": partners.ids,
                "default_dst_partner_id": self.id,
            },
        }

    def action_municipal_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Documents"),
            "res_model": "municipal.document",
            "view_mode": "list,form",
            "domain": [("correspondent_ids.partner_id", "=", self.id)],
        }
