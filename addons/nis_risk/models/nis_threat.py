from odoo import fields, models


class NisThreat(models.Model):
    """A typical threat of the methodology (the catalogue is data, editable).

    Access: NIS users read; NIS managers maintain the catalogue.
    """

    _name = "nis.threat"
    _description = "Threat"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    origin = fields.Selection(
        [
            ("deliberate", "Deliberate"),
            ("accidental", "Accidental"),
            ("both", "Deliberate or accidental"),
        ],
        required=True,
        default="both",
    )
    likelihood_factors = fields.Text(
        translate=True,
        help="What drives the likelihood of this threat: for deliberate threats the "
        "skills needed, ease of access, motive and resources; for accidental ones the "
        "age of hardware and software, maintenance, staff qualification and control.",
    )
    active = fields.Boolean(default=True)
