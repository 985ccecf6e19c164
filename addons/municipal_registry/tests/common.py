from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

DISABLED_MAIL_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


class MunicipalRegistryCommon(TransactionCase):
    """One user per role of the register, and an employee outside the app."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.registry_user = new_test_user(
            cls.env, "reg_user", groups="municipal_registry.group_registry_user"
        )
        cls.registry_clerk = new_test_user(
            cls.env, "reg_clerk", groups="municipal_registry.group_registry_clerk"
        )
        cls.registry_manager = new_test_user(
            cls.env, "reg_manager", groups="municipal_registry.group_registry_manager"
        )
        cls.secretary = new_test_user(
            cls.env,
            "reg_secretary",
            groups="municipal_registry.group_registry_secretary",
        )
        cls.mayor = new_test_user(
            cls.env, "reg_mayor", groups="municipal_registry.group_registry_mayor"
        )
        cls.outsider = new_test_user(cls.env, "reg_outsider", groups="base.group_user")
        cls.root_menu = cls.env.ref("municipal_registry.municipal_registry_menu_root")

    def assertSeesApp(self, user, visible=True):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        if visible:
            self.assertIn(self.root_menu.id, menus, f"{user.login} should see the app")
        else:
            self.assertNotIn(
                self.root_menu.id, menus, f"{user.login} should not see the app"
            )
