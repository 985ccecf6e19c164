from odoo import _, models
from odoo.exceptions import UserError


class MunicipalStateMachine(models.AbstractModel):
    """The guard of a record's state machine.

    A model draws its machine in ``_municipal_transitions`` (each state with the states
    it may go to) and calls :meth:`_check_state_transition` before any change of
    ``state``; a model with preconditions on some moves extends the guard.
    """

    _name = "municipal.state.machine"
    _description = "State Machine with a Guard"

    _municipal_transitions = {}

    def _check_state_transition(self, new_state):
        """Refuse a change of state the model's state machine does not allow."""
        kind = self.env["ir.model"]._get(self._name).name
        for record in self:
            if (
                new_state != record.state
                and new_state not in self._municipal_transitions[record.state]
            ):
                raise UserError(
                    _(
                        "%(kind)s %(record)s cannot go from %(old)s to %(new)s.",
                        kind=kind,
                        record=record.display_name,
                        old=record._state_label(record.state),
                        new=record._state_label(new_state),
                    )
                )

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]
