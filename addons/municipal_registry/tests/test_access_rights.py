from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MunicipalRegistryCommon


@tagged("post_install", "-at_install", "access_rights")
class TestRegistryAccess(MunicipalRegistryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Documents as the clerks register them, for other people.
        cls.open_document = cls._draft(user=cls.registry_clerk, subject="Общ документ")
        cls.open_document.with_user(cls.registry_clerk).action_register()
        cls.assigned = cls._draft(
            user=cls.registry_clerk, subject="Възложен", user_id=cls.registry_user.id
        )
        cls.assigned.with_user(cls.registry_clerk).action_register()
        cls.restricted = cls._draft(
            user=cls.registry_clerk,
            subject="Сигнал за корупция",
            restricted=True,
            allowed_user_ids=[Command.set([cls.mayor.id, cls.registry_clerk.id])],
            file_ids=[cls._file("сигнал.pdf", b"%PDF signal")],
        )
        cls.restricted.with_user(cls.registry_clerk).action_register()

    def _visible(self, user):
        return (
            self.env["municipal.document"]
            .with_user(user)
            .search(
                [
                    (
                        "id",
                        "in",
                        (self.open_document | self.assigned | self.restricted).ids,
                    )
                ]
            )
        )

    def test_document_visibility_matrix(self):
        expectations = {
            self.registry_user: self.assigned,
            self.registry_clerk: self.open_document | self.assigned | self.restricted,
            self.registry_manager: self.open_document | self.assigned,
            self.secretary: self.open_document | self.assigned,
            self.mayor: self.open_document | self.assigned | self.restricted,
        }
        for user, documents in expectations.items():
            self.assertEqual(self._visible(user), documents, user.login)
        with self.assertRaises(AccessError):
            self.env["municipal.document"].with_user(self.outsider).search([])

    def test_restricted_document_hidden_from_a_manager(self):
        with self.assertRaises(AccessError):
            self.restricted.with_user(self.registry_manager).read(["subject"])
        with self.assertRaises(AccessError):
            self.restricted.file_ids.with_user(self.secretary).check_access("read")
        # Its correspondents do not leak through the child model either.
        lines = self.env["municipal.document.correspondent"].with_user(self.secretary)
        self.assertFalse(lines.search([("document_id", "=", self.restricted.id)]))

    def test_every_opening_of_a_restricted_document_is_journalled(self):
        spec = {"subject": {}, "number": {}}
        self.restricted.with_user(self.mayor).web_read(spec)
        self.restricted.with_user(self.mayor).web_read(spec)
        self.open_document.with_user(self.mayor).web_read(spec)
        journal = self.restricted.access_log_ids
        self.assertEqual(journal.user_id, self.mayor)
        self.assertEqual(len(journal), 2)
        self.assertFalse(self.open_document.access_log_ids)
        # The journal is not the readers' to edit.
        with self.assertRaises(AccessError):
            journal[0].with_user(self.mayor).unlink()
        with self.assertRaises(AccessError):
            journal[0].with_user(self.mayor).write({"user_id": self.registry_user.id})
        # Managers audit it without seeing the document.
        self.assertEqual(
            journal.with_user(self.registry_manager).read(["user_id"])[0]["user_id"][0],
            self.mayor.id,
        )

    def test_employee_works_only_on_own_documents(self):
        mine = self.assigned.with_user(self.registry_user)
        mine.action_start()
        self.assertEqual(self.assigned.state, "in_work")
        with self.assertRaises(AccessError):
            self.open_document.with_user(self.registry_user).write({"subject": "x"})
        with self.assertRaises(AccessError):
            self.assigned.with_user(self.registry_user).unlink()

    def test_configuration_matrix(self):
        models = [
            "municipal.registry.office",
            "municipal.register",
            "municipal.document.type",
            "municipal.document.channel",
            "municipal.refusal.reason",
            "municipal.deadline.rule",
            "municipal.retention",
        ]
        for model in models:
            for user in (self.registry_user, self.registry_clerk, self.secretary):
                records = self.env[model].with_user(user)
                self.assertTrue(records.has_access("read"), (model, user.login))
                self.assertFalse(records.has_access("create"), (model, user.login))
                self.assertFalse(records.has_access("write"), (model, user.login))
            manager = self.env[model].with_user(self.registry_manager)
            for operation in ("read", "write", "create", "unlink"):
                self.assertTrue(manager.has_access(operation), (model, operation))
            self.assertFalse(
                self.env[model].with_user(self.outsider).has_access("read")
            )

    def test_certificates_only_for_managers(self):
        certificates = self.env["municipal.certificate"]
        for user in (
            self.registry_user,
            self.registry_clerk,
            self.secretary,
            self.mayor,
        ):
            self.assertFalse(
                certificates.with_user(user).has_access("read"), user.login
            )
        self.assertTrue(
            certificates.with_user(self.registry_manager).has_access("create")
        )

    def test_only_clerks_register_and_refuse(self):
        draft = self._draft(user=self.registry_user, subject="от служител")
        with self.assertRaises(AccessError):
            draft.with_user(self.registry_user).action_register()
        wizard_model = self.env["municipal.document.refuse"].with_user(
            self.registry_user
        )
        self.assertFalse(wizard_model.has_access("create"))
        self.assertTrue(
            self.env["municipal.document.refuse"]
            .with_user(self.registry_clerk)
            .has_access("create")
        )
        self.assertEqual(draft.state, "draft")

    def test_register_counters_are_not_writable(self):
        counters = self.env["municipal.register.counter"]
        for user in (self.registry_clerk, self.registry_manager):
            self.assertFalse(counters.with_user(user).has_access("write"))
