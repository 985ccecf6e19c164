from odoo import fields, models


class MunicipalRegisterCounter(models.Model):
    """The last number given by a register in a year.

    One row per register and year. Numbers are taken under a row lock in the registering
    transaction itself, so a rolled-back registration gives its number back and the
    sequence stays gap-free; see :meth:`municipal.register._take_number`. Access: nobody
    directly; the register reads and writes it as superuser.
    """

    _name = "municipal.register.counter"
    _description = "Register Yearly Counter"
    _log_access = False

    register_id = fields.Many2one(
        "municipal.register", required=True, ondelete="cascade", index=True
    )
    year = fields.Integer(required=True)
    last_number = fields.Integer(required=True, default=0)

    _sql_constraints = [
        (
            "register_year_unique",
            "unique(register_id, year)",
            "A register has one counter per year.",
        ),
    ]
