from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "access_rights")
class TestEthicsAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, "eth_officer", groups="ethics_declarations.group_ethics_officer"
        )
        cls.manager = new_test_user(
            cls.env, "eth_manager", groups="ethics_declarations.group_ethics_manager"
        )
        cls.employee = new_test_user(cls.env, "eth_employee", groups="base.group_user")
        cls.root_menu = cls.env.ref("municipal_registry.municipal_registry_menu_root")

    def test_group_chain(self):
        self.assertTrue(
            self.manager.has_group("ethics_declarations.group_ethics_officer")
        )
        self.assertFalse(
            self.officer.has_group("ethics_declarations.group_ethics_manager")
        )
        self.assertFalse(
            self.officer.has_group("municipal_registry.group_registry_clerk")
        )

    def test_app_menu(self):
        for user in (self.officer, self.manager):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(self.root_menu.id, menus, user.login)
            self.assertIn(
                self.env.ref("ethics_declarations.ethics_position_menu").id, menus
            )
        menus = self.env["ir.ui.menu"].with_user(self.employee)._visible_menu_ids()
        self.assertNotIn(self.root_menu.id, menus)

    def test_positions(self):
        position = (
            self.env["ethics.position"]
            .with_user(self.manager)
            .create({"name": "Кмет на кметство", "unit": "Кметство Бистрец"})
        )
        self.assertEqual(position.with_user(self.officer).name, "Кмет на кметство")
        with self.assertRaises(AccessError):
            position.with_user(self.officer).write({"unit": "Друго"})
        with self.assertRaises(AccessError):
            position.with_user(self.employee).read(["name"])
