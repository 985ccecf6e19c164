from odoo.tests import tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install", "access_rights")
class TestRegistryGroups(MunicipalRegistryCommon):
    def test_chain_user_clerk_manager(self):
        self.assertTrue(
            self.registry_manager.has_group("municipal_registry.group_registry_clerk")
        )
        self.assertTrue(
            self.registry_manager.has_group("municipal_registry.group_registry_user")
        )
        self.assertTrue(
            self.registry_clerk.has_group("municipal_registry.group_registry_user")
        )
        self.assertFalse(
            self.registry_clerk.has_group("municipal_registry.group_registry_manager")
        )
        self.assertFalse(
            self.registry_user.has_group("municipal_registry.group_registry_clerk")
        )

    def test_clerks_create_correspondents(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.registry_clerk)
            .create({"name": "Нов кореспондент"})
        )
        self.assertTrue(partner.exists())
        self.assertFalse(
            self.env["res.partner"].with_user(self.registry_user).has_access("create")
        )

    def test_roles_add_clerk_rights_but_not_configuration(self):
        for user in (self.secretary, self.mayor):
            self.assertTrue(user.has_group("municipal_registry.group_registry_clerk"))
            self.assertFalse(
                user.has_group("municipal_registry.group_registry_manager")
            )
        self.assertFalse(
            self.mayor.has_group("municipal_registry.group_registry_secretary")
        )

    def test_groups_belong_to_the_municipality_app(self):
        app = self.env.ref("municipal_registry.module_category_municipality")
        groups = self.env["res.groups"].search([("category_id", "child_of", app.id)])
        self.assertEqual(
            set(groups.get_external_id().values())
            >= {
                "municipal_registry.group_registry_user",
                "municipal_registry.group_registry_clerk",
                "municipal_registry.group_registry_manager",
                "municipal_registry.group_registry_secretary",
                "municipal_registry.group_registry_mayor",
            },
            True,
        )

    def test_administrator_is_registry_manager(self):
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "municipal_registry.group_registry_manager"
            )
        )

    def test_app_menu_visible_to_every_role_and_hidden_from_others(self):
        for user in (
            self.registry_user,
            self.registry_clerk,
            self.registry_manager,
            self.secretary,
            self.mayor,
        ):
            self.assertSeesApp(user)
        self.assertSeesApp(self.outsider, visible=False)
