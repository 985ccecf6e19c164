from odoo import api, fields, models


class NisIncidentRegime(models.Model):
    """A legal regime of incident reporting with its deadlines and effective dates.

    The deadlines are data (``nis.incident.regime.step``): the 2018 Cybersecurity
    Act (2 hours, 5 working days) and the 2026 amendment (24 h, 72 h, one month).

    Access: NIS users read; NIS managers maintain the regimes.
    """

    _name = "nis.incident.regime"
    _description = "Incident Reporting Regime"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, translate=True)
    date_from = fields.Date(string="Effective from", required=True)
    date_to = fields.Date(string="Effective until")
    legal_basis = fields.Char(translate=True)
    step_ids = fields.One2many("nis.incident.regime.step", "regime_id", string="Steps")
    active = fields.Boolean(default=True)

    @api.model
    def _nis_regime_for(self, date):
        """The regime in force on ``date`` (the most recent one), or empty."""
        return self.search(
            [
                ("date_from", "<=", date),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", date),
            ],
            limit=1,
        )
