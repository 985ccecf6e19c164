from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "access_rights")
class TestNisAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nis_user = new_test_user(
            cls.env, "nis_user", groups="nis_risk.group_nis_user"
        )
        cls.nis_officer = new_test_user(
            cls.env, "nis_officer", groups="nis_risk.group_nis_officer"
        )
        cls.nis_manager = new_test_user(
            cls.env, "nis_manager", groups="nis_risk.group_nis_manager"
        )
        cls.outsider = new_test_user(cls.env, "nis_outsider", groups="base.group_user")
        cls.root_menu = cls.env.ref("municipal_registry.municipal_registry_menu_root")

    def test_group_chain(self):
        self.assertTrue(self.nis_manager.has_group("nis_risk.group_nis_officer"))
        self.assertTrue(self.nis_officer.has_group("nis_risk.group_nis_user"))
        self.assertFalse(self.nis_officer.has_group("nis_risk.group_nis_manager"))
        self.assertFalse(self.nis_user.has_group("nis_risk.group_nis_officer"))
        # NIS rights give no rights in the register.
        self.assertFalse(
            self.nis_manager.has_group("municipal_registry.group_registry_user")
        )
        category = self.env.ref("nis_risk.module_category_municipality_nis")
        self.assertEqual(
            category.parent_id,
            self.env.ref("municipal_registry.module_category_municipality"),
        )

    def test_app_menu(self):
        for user in (self.nis_user, self.nis_officer, self.nis_manager):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(self.root_menu.id, menus, user.login)
            self.assertIn(self.env.ref("nis_risk.nis_asset_category_menu").id, menus)
        menus = self.env["ir.ui.menu"].with_user(self.outsider)._visible_menu_ids()
        self.assertNotIn(self.root_menu.id, menus)

    def test_methodology_categories(self):
        categories = self.env["nis.asset.category"].with_user(self.nis_user).search([])
        self.assertEqual(len(categories), 19)
        self.assertEqual(
            categories[-1], self.env.ref("nis_risk.nis_asset_category_other")
        )
        with self.assertRaises(AccessError):
            categories[0].with_user(self.nis_officer).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env["nis.asset.category"].with_user(self.outsider).search([])
        new = (
            self.env["nis.asset.category"]
            .with_user(self.nis_manager)
            .create({"name": "Cloud services"})
        )
        self.assertTrue(new.exists())
