from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestBulgarian(TransactionCase):
    def test_app_speaks_bulgarian(self):
        self.env["res.lang"]._activate_lang("bg_BG")
        self.env["ir.module.module"]._load_module_terms(
            ["municipal_registry"], ["bg_BG"], overwrite=True
        )
        bg = self.env(context={"lang": "bg_BG"})
        self.assertEqual(
            bg.ref("municipal_registry.municipal_registry_menu_root").name, "Община"
        )
        self.assertEqual(
            bg.ref("municipal_registry.group_registry_clerk").name, "Деловодител"
        )
