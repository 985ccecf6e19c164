import datetime
import random

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
    def _demo_approval_generate(self):
        """Outgoing letters at every stage of their approval route (REG-07), each act
        done by the demo user whose turn it is; only the demo data calls this."""
        ref = self.env.ref
        expert = ref("municipal_registry.res_users_approval_expert_demo")
        director = ref("municipal_registry.res_users_approval_director_demo")
        secretary = ref("municipal_registry.res_users_approval_secretary_demo")
        deputy = ref("municipal_registry.res_users_approval_deputy_demo")
        mayor = ref("municipal_registry.res_users_approval_mayor_demo")
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
