import base64
import datetime
import random

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from stdnum.bg import egn, vat

from odoo import Command, api, models

FIRST_NAMES = [
    "Иван",
    "Мария",
    "Георги",
    "Елена",
    "Димитър",
    "Петя",
    "Николай",
    "Йорданка",
]
LAST_NAMES = ["Петров", "Иванова", "Георгиев", "Стоянова", "Димитров", "Николова"]
SUBJECTS_IN = [
    "Заявление за издаване на удостоверение за наследници",
    "Искане за достъп до обществена информация",
    "Жалба относно нерегламентирано сметище",
    "Сигнал за повредено улично осветление",
    "Заявление за категоризация на място за настаняване",
    "Искане за издаване на разрешение за строеж",
    "Писмо относно провеждане на избори",
    "Уведомление за промяна в обстоятелствата",
]
SUBJECTS_OUT = [
    "Отговор на искане за достъп до обществена информация",
    "Уведомление за издаден административен акт",
    "Покана за отстраняване на нередовности",
]
SUBJECTS_INTERNAL = [
    "Докладна записка относно ремонт на покрива на читалището",
    "Заповед за работното време през празничните дни",
    "Заповед за определяне на комисия",
]


class MunicipalDocument(models.Model):
    _inherit = "municipal.document"

    @api.model
    def _demo_generate(self, count=300, seed=2026):
        """Fill the demo register with two years of documents, numbered in date order.

        Correspondents get valid fictional identifiers; only the demo data calls this.
        """
        rng = random.Random(seed)
        ref = self.env.ref
        citizens = self.env["res.partner"]
        for index in range(12):
            birth = datetime.date(
                1950 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28)
            )
            number = f"{birth:%y}{birth.month:02d}{birth:%d}{rng.randrange(1000):03d}"
            citizens |= citizens.create(
                {
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "municipal_personal_id": number + egn.calc_check_digit(number),
                    "city": "Равнец",
                    "street": f"ул. „Възраждане“ {index + 1}",
                }
            )
        companies = self.env["res.partner"]
        for index, name in enumerate(
            ["Строй Инвест ООД", "Еко Чистота ЕООД", "Агро Равнец АД"]
        ):
            base = f"{200300400 + index * 1111:09d}"[:8]
            companies |= companies.create(
                {
                    "name": name,
                    "is_company": True,
                    "company_registry": base + vat.calc_check_digit_legal(base),
                }
            )
        institutions = ref(
            "municipal_registry.res_partner_institution_oblast_demo"
        ) | ref("municipal_registry.res_partner_institution_rzi_demo")
        senders = citizens | companies | institutions
        kinds_in = (
            ref("municipal_registry.municipal_document_type_application_demo")
            | ref("municipal_registry.municipal_document_type_complaint_demo")
            | ref("municipal_registry.municipal_document_type_letter_in_demo")
        )
        kind_out = ref("municipal_registry.municipal_document_type_letter_out_demo")
        kinds_internal = ref(
            "municipal_registry.municipal_document_type_memo_demo"
        ) | ref("municipal_registry.municipal_document_type_order_demo")
        channels = [
            ref("municipal_registry.municipal_document_channel_counter"),
            ref("municipal_registry.municipal_document_channel_post"),
            ref("municipal_registry.municipal_document_channel_email"),
            ref("municipal_registry.municipal_document_channel_seos"),
            ref("municipal_registry.municipal_document_channel_ssev"),
        ]
        start = datetime.datetime(2025, 1, 6, 7, 0)
        moments = sorted(
            start
            + datetime.timedelta(days=rng.randrange(680), minutes=rng.randrange(480))
            for _index in range(count)
        )
        registered = self.browse()
        for moment in moments:
            roll = rng.random()
            if roll < 0.6:
                kind = rng.choice(kinds_in)
                values = {
                    "direction": "incoming",
                    "subject": rng.choice(SUBJECTS_IN),
                    "channel_id": rng.choice(channels).id,
                    "external_number": f"{rng.randrange(1, 999)}"
                    if rng.random() < 0.4
                    else False,
                    "correspondent_ids": [
                        Command.create(
                            {"partner_id": rng.choice(senders).id, "role": "sender"}
                        )
                    ],
                }
            elif roll < 0.85 and registered:
                kind = kind_out
                question = rng.choice(
                    registered.filtered(lambda d: d.direction == "incoming")
                    or registered
                )
                values = {
                    "direction": "outgoing",
                    "subject": rng.choice(SUBJECTS_OUT),
                    "reply_to_id": question.id,
                    "case_id": question.case_id.id,
                    "channel_id": rng.choice(channels).id,
                    "correspondent_ids": [
                        Command.create(
                            {
                                "partner_id": question.partner_ids[:1].id,
                                "role": "recipient",
                            }
                        )
                    ],
                }
            else:
                kind = rng.choice(kinds_internal)
                values = {
                    "direction": "internal",
                    "subject": rng.choice(SUBJECTS_INTERNAL),
                    "channel_id": ref(
                        "municipal_registry.municipal_document_channel_internal"
                    ).id,
                }
            values.update(document_type_id=kind.id, received_date=moment)
            document = self.create(values)
            document._register_document(moment=moment)
            if moment < datetime.datetime(2026, 6, 1):
                document.write({"state": "done"})
            registered |= document
        return True

    @api.model
    def _demo_attachment_checks(self):
        """Two e-mailed applications of the Равнец demo with signed files: one signed
        with a qualified certificate of a (fictional, generated) trusted CA, one whose
        PDF was changed after signing. Only the demo data calls this.
        """
        now = datetime.datetime.now(datetime.timezone.utc)

        def certificate(common_name, issuer=None, extra=()):
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "BG"),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
                + [x509.NameAttribute(x509.ObjectIdentifier(o), v) for o, v in extra]
            )
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(issuer[1].subject if issuer else name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=30))
                .not_valid_after(now + datetime.timedelta(days=3 * 365))
                .sign(issuer[0] if issuer else key, hashes.SHA256())
            )
            return key, cert

        ca = certificate("Демо квалифициран доставчик CA (не е истински)")
        self.env["municipal.trusted.ca"].create(
            {
                "name": "Демо квалифициран доставчик CA",
                "certificate": base64.b64encode(
                    ca[1].public_bytes(serialization.Encoding.PEM)
                ),
                "certificate_filename": "demo-qualified-ca.pem",
            }
        )
        # A valid ЕГН of the fictional signer (check digit from python-stdnum).
        person_number = "850412123" + egn.calc_check_digit("850412123")
        citizen = certificate(
            "Мария Георгиева Стоянова", ca, [("2.5.4.5", f"PNOBG-{person_number}")]
        )
        company_number = "20245678" + vat.calc_check_digit_legal("20245678")
        firm = certificate(
            "Стоян Димитров Николов",
            ca,
            [
                ("2.5.4.5", "PNOBG-" + "790101123" + egn.calc_check_digit("790101123")),
                ("2.5.4.97", f"NTRBG-{company_number}"),
                ("2.5.4.10", "Строй Равнец ООД"),
            ],
        )

        def sign(signer, content):
            return (
                pkcs7.PKCS7SignatureBuilder()
                .set_data(content)
                .add_signer(signer[1], signer[0], hashes.SHA256())
                .sign(
                    serialization.Encoding.DER,
                    [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
                )
            )

        ref = self.env.ref
        application = (
            b"%PDF-1.4\n% demo: application for a certificate of heirs\n%%EOF\n"
        )
        offer = b"%PDF-1.4\n% demo: offer for road repairs, 48 000 BGN\n%%EOF\n"
        channel = ref("municipal_registry.municipal_document_channel_email")
        kind = ref("municipal_registry.municipal_document_type_application_demo")
        for subject, partner_name, signer, content, sent in (
            (
                "Заявление за издаване на удостоверение за наследници "
                "(подписано с КЕП)",
                "Мария Стоянова",
                citizen,
                application,
                application,
            ),
            (
                "Оферта за ремонт на улица (файлът е променян след подписването)",
                "Строй Равнец ООД",
                firm,
                offer,
                offer.replace(b"48 000", b"84 000"),
            ),
        ):
            partner = self.env["res.partner"].create({"name": partner_name})
            self.create(
                {
                    "direction": "incoming",
                    "document_type_id": kind.id,
                    "channel_id": channel.id,
                    "subject": subject,
                    "correspondent_ids": [
                        Command.create({"partner_id": partner.id, "role": "sender"})
                    ],
                    "file_ids": [
                        Command.create(
                            {"name": "document.pdf", "datas": base64.b64encode(sent)}
                        ),
                        Command.create(
                            {
                                "name": "document.pdf.p7s",
                                "datas": base64.b64encode(sign(signer, content)),
                            }
                        ),
                    ],
                }
            )
