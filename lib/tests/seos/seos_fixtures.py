"""Shared data of the SEOS tests (a plain module: test files import from it)."""

import datetime
import pathlib

from bg_egov.seos import messages as m

# /work/main/lib/tests/seos/ -> /work/shared/reference/seos
OFFICIAL = (
    pathlib.Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "seos"
)

SOFIA = datetime.timezone(datetime.timedelta(hours=2))
MUNICIPALITY = m.Entity(
    "000056789", "Община Тестово", "{11111111-1111-1111-1111-111111111111}"
)
MINISTRY = m.Entity(
    "121212121", "Министерство на тестовете", "{22222222-2222-2222-2222-222222222222}"
)


def full_document(**overrides):
    """A document with every field the schema defines filled in."""
    values = dict(
        id=m.DocumentId(
            "{AAAAAAAA-0000-4000-8000-000000000001}",
            number=m.DocumentNumber("ОБ-12-34", datetime.date(2026, 3, 4)),
        ),
        parent_id=m.DocumentId(
            "{aaaaaaaa-0000-4000-8000-000000000002}",
            uri=m.DocumentURI(12, 345, datetime.date(2026, 2, 1)),
        ),
        kind="Писмо",
        correspondents=(
            m.Correspondent(
                name="Иван Петров",
                city="Кюстендил",
                address="ул. „Цар Освободител“ 1",
                egn="7501010010",
                id_card="645123456",
                bulstat="000056789",
                email="ivan@example.bg",
                phone="078 55 00 00",
                mobile_phone="0888 000 000",
                mol="Петър Иванов",
                comment="заявител",
                kind=m.CorrespondentKind.APPLICANT,
            ),
            m.Correspondent(name="Министерство на тестовете"),
        ),
        attachments=(
            m.Attachment("писмо.pdf", b"%PDF-1.4 test\n", "application/pdf", "основен"),
            m.Attachment("приложение.txt", "Текст".encode(), "text/plain"),
        ),
        about="Относно: достъп до обществена информация",
        service=m.Service("Достъп до информация", "Нормална", "2101"),
        comment="Допълнителен коментар",
        additional_data='<purpose xmlns="urn:test">за сведение</purpose>',
        requested_close_date=datetime.date(2026, 4, 1),
        attention_to="Главен секретар",
    )
    values.update(overrides)
    return m.Document(**values)
