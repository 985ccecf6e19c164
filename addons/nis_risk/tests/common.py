from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class NisRiskCommon(TransactionCase):
    """One user per NIS role and a small register of our own (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.nis_user = new_test_user(
            cls.env, "nis_user", groups="nis_risk.group_nis_user"
        )
        cls.nis_user2 = new_test_user(
            cls.env, "nis_user2", groups="nis_risk.group_nis_user"
        )
        cls.nis_officer = new_test_user(
            cls.env, "nis_officer", groups="nis_risk.group_nis_officer"
        )
        cls.nis_manager = new_test_user(
            cls.env, "nis_manager", groups="nis_risk.group_nis_manager"
        )
        cls.outsider = new_test_user(cls.env, "nis_outsider", groups="base.group_user")
        cls.category = cls.env.ref("nis_risk.nis_asset_category_information_system")
        cls.threat_malware = cls.env.ref("nis_risk.nis_threat_malicious_code")
        cls.threat_power = cls.env.ref("nis_risk.nis_threat_power_failure")
        cls.asset = cls.env["nis.asset"].create(
            {
                "name": "Local taxes",
                "category_id": cls.category.id,
                "owner_id": cls.nis_user.id,
                "threat_ids": [(6, 0, cls.threat_malware.ids)],
            }
        )
        cls.other_asset = cls.env["nis.asset"].create(
            {
                "name": "Website",
                "category_id": cls.category.id,
                "owner_id": cls.nis_user2.id,
            }
        )
        cls.assessment = cls.env["nis.assessment"].create(
            {"name": "Assessment 2025", "year": 2025}
        )

    @classmethod
    def level(cls, scale, value):
        return cls.env.ref(f"nis_risk.nis_scale_level_{scale}_{value}")

    @classmethod
    def make_risk(cls, impact, likelihood, asset=None, threat=None, **vals):
        return cls.env["nis.risk"].create(
            {
                "assessment_id": cls.assessment.id,
                "asset_id": (asset or cls.asset).id,
                "threat_id": (threat or cls.threat_malware).id,
                "impact_level_id": cls.level("impact", impact).id,
                "likelihood_level_id": cls.level("likelihood", likelihood).id,
                **vals,
            }
        )
