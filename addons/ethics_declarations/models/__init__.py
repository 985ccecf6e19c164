from . import ethics_position
