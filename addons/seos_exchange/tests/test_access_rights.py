from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "access_rights")
class TestSeosGroups(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env, "seos_operator", groups="seos_exchange.group_seos_operator"
        )
        cls.manager = new_test_user(
            cls.env, "seos_manager", groups="seos_exchange.group_seos_manager"
        )
        cls.clerk = new_test_user(
            cls.env, "seos_clerk", groups="municipal_registry.group_registry_clerk"
        )
        cls.outsider = new_test_user(cls.env, "seos_outsider", groups="base.group_user")
        cls.root_menu = cls.env.ref("municipal_registry.municipal_registry_menu_root")

    def test_group_chain(self):
        self.assertTrue(self.manager.has_group("seos_exchange.group_seos_operator"))
        self.assertFalse(self.operator.has_group("seos_exchange.group_seos_manager"))
        # An operator works the register's queues: registry clerk rights come with the
        # group.
        self.assertTrue(
            self.operator.has_group("municipal_registry.group_registry_clerk")
        )
        self.assertFalse(
            self.operator.has_group("municipal_registry.group_registry_manager")
        )
        # A clerk is not an operator by default.
        self.assertFalse(self.clerk.has_group("seos_exchange.group_seos_operator"))
        category = self.env.ref("seos_exchange.module_category_municipality_seos")
        self.assertEqual(
            category.parent_id,
            self.env.ref("municipal_registry.module_category_municipality"),
        )

    def test_app_menu(self):
        for user in (self.operator, self.manager):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(self.root_menu.id, menus, user.login)
        menus = self.env["ir.ui.menu"].with_user(self.outsider)._visible_menu_ids()
        self.assertNotIn(self.root_menu.id, menus)
