import base64
import datetime
import random

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from stdnum.bg import egn, vat

from odoo import Command, api, fields, models

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
    def _demo_approval_generate(self):
        """Outgoing letters at every stage of their approval route (REG-07), each act
        done by the demo user whose turn it is; only the demo data calls this."""
        ref = self.env.ref
        expert = ref("municipal_registry.res_users_expert_letters_demo")
        director = ref("municipal_registry.res_users_director_ao_demo")
        secretary = ref("municipal_registry.res_users_secretary_demo")
        deputy = ref("municipal_registry.res_users_deputy_mayor_demo")
        mayor = ref("municipal_registry.res_users_mayor_demo")
        kind = ref("municipal_registry.municipal_document_type_letter_out_demo")
        oblast = ref("municipal_registry.res_partner_institution_oblast_demo")
        rzi = ref("municipal_registry.res_partner_institution_rzi_demo")
        seos = ref("municipal_registry.municipal_document_channel_seos")

        def draft(subject, partner, text):
            return self.with_user(expert).create(
                {
                    "direction": "outgoing",
                    "document_type_id": kind.id,
                    "subject": subject,
                    "description": f"<p>{text}</p>",
                    "channel_id": seos.id,
                    "correspondent_ids": [
                        Command.create({"partner_id": partner.id, "role": "recipient"})
                    ],
                }
            )

        def act(document, user, returned=False):
            document = document.with_user(user)
            if returned:
                return document._approval_return(returned)
            return document._approval_approve()

        waiting = draft(
            "Готовност на общината за зимния сезон",
            oblast,
            "Уведомяваме Ви, че пътищата от общинската пътна мрежа са почистени и "
            "обработени.",
        )
        waiting.action_send_for_approval()

        halfway = draft(
            "Проведена дезинсекция на детските площадки",
            rzi,
            "Уведомяваме Ви, че на 15 май е извършена дезинсекция.",
        )
        halfway.action_send_for_approval()
        act(halfway, director)
        act(halfway, secretary)

        returned = draft(
            "Определяне на секции за гласуване",
            oblast,
            "Изпращаме Ви заповедта на кмета за образуване на избирателните секции.",
        )
        returned.action_send_for_approval()
        act(returned, director)
        act(
            returned,
            secretary,
            returned="Да се посочи правното основание: чл. 8 от Изборния кодекс.",
        )

        approved = draft(
            "Покана за съвместна проверка на водоизточниците",
            rzi,
            "Каним Ви да участвате в съвместна проверка на водоизточниците.",
        )
        approved.action_send_for_approval()
        act(approved, director)
        act(approved, secretary)
        act(
            approved,
            deputy,
            returned="Да се добавят датата и часът на проверката.",
        )
        approved.with_user(expert).write(
            {
                "description": "<p>Каним Ви да участвате в съвместна проверка на "
                "водоизточниците на 12 юни от 10:00 ч.</p>"
            }
        )
        approved.with_user(expert).action_send_for_approval()
        for user in (director, secretary, deputy, mayor):
            act(approved, user)
        approved.with_user(secretary).action_register()
        return True

    @api.model
    def _demo_attachment_checks(self):
        """E-mailed documents of the Равнец demo with signed files: one signed with a
        qualified certificate of a (fictional, generated) trusted CA, one whose PDF was
        changed after signing, one signed by two people, and one signed with a
        certificate that the CA's revocation list (on the trust list) revokes. Only the
        demo data calls this.
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
        trusted_ca = self.env["municipal.trusted.ca"].create(
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

        # A certificate the provider revoked (a lost card): its CRL is on the trust
        # list, so what it signs now shows as invalid.
        lost = certificate(
            "Георги Иванов Петков",
            ca,
            [("2.5.4.5", "PNOBG-" + "680315123" + egn.calc_check_digit("680315123"))],
        )
        crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(ca[1].subject)
            .last_update(now - datetime.timedelta(days=1))
            .next_update(now + datetime.timedelta(days=6))
            .add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(lost[1].serial_number)
                .revocation_date(now - datetime.timedelta(days=3))
                .build()
            )
            .sign(ca[0], hashes.SHA256())
        )
        trusted_ca.write(
            {
                "crl": base64.b64encode(crl.public_bytes(serialization.Encoding.DER)),
                "crl_filename": "demo-qualified-ca.crl",
            }
        )

        def sign(signers, content):
            builder = pkcs7.PKCS7SignatureBuilder().set_data(content)
            for signer in signers:
                builder = builder.add_signer(signer[1], signer[0], hashes.SHA256())
            return builder.sign(
                serialization.Encoding.DER,
                [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
            )

        ref = self.env.ref
        application = (
            b"%PDF-1.4\n% demo: application for a certificate of heirs\n%%EOF\n"
        )
        offer = b"%PDF-1.4\n% demo: offer for road repairs, 48 000 BGN\n%%EOF\n"
        lease = b"%PDF-1.4\n% demo: lease of a municipal shop, signed by both\n%%EOF\n"
        complaint = b"%PDF-1.4\n% demo: complaint about street lighting\n%%EOF\n"
        channel = ref("municipal_registry.municipal_document_channel_email")
        kind = ref("municipal_registry.municipal_document_type_application_demo")
        partners = {}
        for subject, partner_name, signers, content, sent in (
            (
                "Заявление за издаване на удостоверение за наследници "
                "(подписано с КЕП)",
                "Мария Стоянова",
                [citizen],
                application,
                application,
            ),
            (
                "Оферта за ремонт на улица (файлът е променян след подписването)",
                "Строй Равнец ООД",
                [firm],
                offer,
                offer.replace(b"48 000", b"84 000"),
            ),
            (
                "Анекс към договор за наем на общински магазин (подписан от двете "
                "страни)",
                "Строй Равнец ООД",
                [firm, citizen],
                lease,
                lease,
            ),
            (
                "Жалба за уличното осветление (подписана с отменен сертификат)",
                "Георги Петков",
                [lost],
                complaint,
                complaint,
            ),
        ):
            if partner_name not in partners:
                partners[partner_name] = self.env["res.partner"].create(
                    {"name": partner_name}
                )
            partner = partners[partner_name]
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
                                "datas": base64.b64encode(sign(signers, content)),
                            }
                        ),
                    ],
                }
            )

    @api.model
    def _demo_generate_retention(self, seed=2016):
        """Proofs of delivery for the demo's outgoing documents, old case files in the
        archive and a draft destruction protocol of the expert commission.

        Only the demo data calls this; it runs after :meth:`_demo_generate`.
        """
        rng = random.Random(seed)
        ref = self.env.ref
        now = fields.Datetime.now()
        channel_post = ref("municipal_registry.municipal_document_channel_post")
        Proof = self.env["municipal.delivery.proof"]
        outgoing = self.search(
            [
                ("direction", "=", "outgoing"),
                ("state", "in", ("registered", "in_work", "done")),
                ("company_id", "=", self.env.company.id),
            ],
            order="registration_date, id",
        )
        for document in outgoing:
            recipient = document.correspondent_ids.partner_id[:1]
            if not recipient or rng.random() < 0.15:
                continue
            moment = document.registration_date + datetime.timedelta(
                days=rng.randrange(1, 7), hours=rng.randrange(1, 6)
            )
            if rng.random() < 0.1:
                Proof.create(
                    {
                        "document_id": document.id,
                        "partner_id": recipient.id,
                        "channel_id": channel_post.id,
                        "result": "failed",
                        "proof_date": moment,
                        "note": "Пратката се върна: адресатът не е намерен.",
                    }
                )
                moment += datetime.timedelta(days=8)
            if moment > now:
                continue
            code = document.channel_id.code
            Proof.create(
                {
                    "document_id": document.id,
                    "partner_id": recipient.id,
                    "proof_date": moment,
                    "reference": f"{rng.getrandbits(64):016x}"
                    if code in ("seos", "ssev")
                    else False,
                }
            )
        # Notices delivered in the last days: their appeal periods are running.
        citizens = self.env["res.partner"].search(
            [("municipal_personal_id", "!=", False), ("city", "=", "Равнец")],
            limit=3,
            order="id",
        )
        notices = [
            (
                "municipal_registry.municipal_document_type_act_notice_demo",
                "Съобщение за заповед за премахване на незаконен строеж",
                "municipal_registry.municipal_document_channel_ssev",
                6,
            ),
            (
                "municipal_registry.municipal_document_type_act_notice_demo",
                "Съобщение за отказ за издаване на разрешение за ползване",
                "municipal_registry.municipal_document_channel_counter",
                3,
            ),
            (
                "municipal_registry.municipal_document_type_irregularities_demo",
                "Указания за отстраняване на нередовности в заявление",
                "municipal_registry.municipal_document_channel_post",
                2,
            ),
        ]
        for citizen, (kind, subject, channel, days) in zip(
            citizens, notices, strict=False
        ):
            sent = now - datetime.timedelta(days=days + 1)
            notice = self.create(
                {
                    "direction": "outgoing",
                    "document_type_id": ref(kind).id,
                    "subject": subject,
                    "channel_id": ref(channel).id,
                    "received_date": sent,
                    "correspondent_ids": [
                        Command.create({"partner_id": citizen.id, "role": "recipient"})
                    ],
                }
            )
            notice._register_document(moment=sent)
            notice._municipal_add_delivery_proof(
                {"proof_date": now - datetime.timedelta(days=days)}
            )

        # Case files closed years ago and kept in the archive.
        applicants = self.env["res.partner"].search(
            [("municipal_personal_id", "!=", False)], limit=4, order="id desc"
        )
        application = ref("municipal_registry.municipal_document_type_application_demo")
        complaint = ref("municipal_registry.municipal_document_type_complaint_demo")
        letter_out = ref("municipal_registry.municipal_document_type_letter_out_demo")
        permanent = ref(
            "municipal_registry.municipal_retention_construction",
            raise_if_not_found=False,
        )
        old_cases = [
            (
                application,
                "Заявление за издаване на скица на поземлен имот",
                datetime.datetime(2016, 3, 14, 7, 30),
                datetime.datetime(2016, 4, 20, 10, 0),
                "Стая 12, стелаж 2, кутия 7",
                None,
            ),
            (
                application,
                "Заявление за издаване на удостоверение за наследници",
                datetime.datetime(2018, 9, 3, 8, 0),
                datetime.datetime(2018, 9, 10, 12, 0),
                "Стая 12, стелаж 2, кутия 9",
                None,
            ),
            (
                complaint,
                "Жалба относно шум от заведение",
                datetime.datetime(2017, 5, 10, 6, 45),
                datetime.datetime(2017, 6, 30, 12, 0),
                "Стая 12, стелаж 3, кутия 2",
                None,
            ),
            (
                application,
                "Искане за издаване на разрешение за строеж",
                datetime.datetime(2019, 2, 11, 8, 0),
                datetime.datetime(2019, 8, 1, 9, 0),
                "Стая 12, стелаж 5, кутия 1",
                permanent,
            ),
        ]
        for applicant, (kind, subject, opened, closed, box, retention) in zip(
            applicants, old_cases, strict=False
        ):
            document = self.create(
                {
                    "direction": "incoming",
                    "document_type_id": kind.id,
                    "subject": subject,
                    "received_date": opened,
                    "correspondent_ids": [
                        Command.create({"partner_id": applicant.id, "role": "sender"})
                    ],
                    "file_ids": [
                        Command.create(
                            {
                                "name": "заявление.pdf",
                                "datas": base64.b64encode(
                                    f"%PDF-1.4 {subject}".encode()
                                ),
                            }
                        )
                    ],
                }
            )
            document._register_document(moment=opened)
            case = document.case_id
            answer = self.create(
                {
                    "direction": "outgoing",
                    "document_type_id": letter_out.id,
                    "subject": f"Отговор: {subject}",
                    "case_id": case.id,
                    "reply_to_id": document.id,
                    "received_date": closed,
                    "correspondent_ids": [
                        Command.create(
                            {"partner_id": applicant.id, "role": "recipient"}
                        )
                    ],
                    "file_ids": [
                        Command.create(
                            {
                                "name": "отговор.pdf",
                                "datas": base64.b64encode(b"%PDF-1.4 answer"),
                            }
                        )
                    ],
                }
            )
            answer._register_document(moment=closed - datetime.timedelta(days=2))
            (document | answer).write({"state": "done"})
            case.action_close("Преписката е приключена с отговор.")
            values = {"close_date": closed, "archive_location": box}
            if retention:
                values["retention_id"] = retention.id
            case.write(values)
            case.action_archive_case()
            case.archive_date = datetime.date(closed.year + 1, 2, 15)

        members = [
            ("municipal_registry.res_users_epk_chairman_demo", "chairman", "Секретар"),
            ("municipal_registry.res_users_epk_lawyer_demo", "member", "Юрисконсулт"),
            (
                "municipal_registry.res_users_epk_archivist_demo",
                "member",
                "Старши специалист „Деловодство и архив“",
            ),
        ]
        protocol = self.env["municipal.destruction.protocol"].create(
            {
                "commission_order": "РД-09-15/12.01.2026",
                "member_ids": [
                    Command.create(
                        {"user_id": ref(user).id, "role": role, "job_title": title}
                    )
                    for user, role, title in members
                ],
            }
        )
        protocol.action_propose_expired()
        return True

    @api.model
    def _demo_generate_resolutions(self):
        """Resolutions of the mayor and the secretary on the demo register: some done
        with the outgoing answer, some still open and some past their deadline."""
        ref = self.env.ref
        mayor = ref("municipal_registry.res_users_mayor_demo")
        secretary = ref("municipal_registry.res_users_secretary_demo")
        units = [
            ref("municipal_registry.hr_department_ao_demo"),
            ref("municipal_registry.hr_department_ut_demo"),
            ref("municipal_registry.hr_department_fin_demo"),
        ]
        experts = [
            ref("municipal_registry.hr_employee_expert_ao_demo"),
            ref("municipal_registry.hr_employee_expert_ut_demo"),
            ref("municipal_registry.hr_employee_expert_fin_demo"),
        ]
        internal_rule = ref(
            "municipal_registry.municipal_deadline_rule_internal_7_demo"
        )
        instructions = [
            "За изготвяне на отговор в срок",
            "За проверка на място и становище",
            "За сведение и изпълнение; да се публикува на сайта на общината",
            "За изготвяне на проект на заповед",
        ]
        Resolution = self.env["municipal.resolution"]
        incoming = self.search(
            [("direction", "=", "incoming"), ("number", "!=", False)],
            order="registration_date desc, id desc",
        )

        def local_day(document):
            return document.company_id._municipal_localize(
                document.registration_date
            ).date()

        # Answered: older incoming documents that got an outgoing reply.
        answered = incoming.filtered(
            lambda d: d.reply_ids.filtered(lambda r: r.number)
        )[:6]
        for index, document in enumerate(answered):
            reply = document.reply_ids.filtered(lambda r: r.number)[:1]
            resolution = Resolution.create(
                {
                    "document_id": document.id,
                    "author_id": (mayor if index % 2 else secretary).id,
                    "controller_id": secretary.id,
                    "date": local_day(document),
                    "instruction": instructions[0],
                    "deadline_rule_id": internal_rule.id,
                    "executor_ids": [
                        Command.create({"department_id": units[index % 2].id})
                    ],
                }
            )
            resolution.action_issue()
            line = resolution.executor_ids
            line.answer_document_id = reply
            line.action_done()
            line.with_context(municipal_answering=True).write(
                {
                    "answered_on": reply.registration_date,
                    "answered_by_id": line.user_id.id or mayor.id,
                }
            )
        # Open: the latest documents still waiting; most of them are past the deadline.
        waiting = incoming.filtered(
            lambda d: d.state in ("registered", "in_work") and not d.resolution_ids
        )[:12]
        today = Resolution._municipal_today()
        for index, document in enumerate(waiting):
            executors = [Command.create({"department_id": units[index % 3].id})]
            if index % 4 == 1:
                executors.append(
                    Command.create({"employee_id": experts[(index + 1) % 3].id})
                )
            values = {
                "document_id": document.id,
                "author_id": mayor.id,
                "controller_id": secretary.id,
                "instruction": instructions[index % len(instructions)],
                "executor_ids": executors,
            }
            if index < 2:
                # Written today: still within the deadline whenever the demo is loaded.
                values["date"] = today
                values["deadline_rule_id"] = internal_rule.id
            else:
                values["date"] = local_day(document)
                values["deadline_rule_id"] = (
                    document.document_type_id.deadline_rule_id.id or internal_rule.id
                )
            Resolution.create(values).action_issue()
        self.env["municipal.resolution.executor"]._cron_overdue()
        return True
