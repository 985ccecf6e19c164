"""Bulgarian e-government protocols for municipal administrations.

The package never imports Odoo: Odoo addons import it, not the other way round.
"""

__version__ = "0.1.0"
