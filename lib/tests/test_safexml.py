import pytest

from bg_egov import safexml
from bg_egov.errors import UnsafeXmlError

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Message>&lol4;</Message>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message>&secret;</Message>"""


def test_parses_cyrillic_utf8():
    root = safexml.parse(
        "<Message><Subject>Относно: заявление</Subject></Message>".encode()
    )
    assert root.findtext("Subject") == "Относно: заявление"


def test_str_with_encoding_declaration_is_accepted():
    # A message travels as a string inside SOAP, often still carrying its declaration.
    text = (
        '\ufeff<?xml version="1.0" encoding="windows-1251"?><Message>Община</Message>'
    )
    assert safexml.parse(text).text == "Община"


def test_entity_expansion_is_refused():
    with pytest.raises(UnsafeXmlError) as info:
        safexml.parse(BILLION_LAUGHS)
    assert info.value.code == "dtd_forbidden"


def test_external_entity_is_refused_and_not_read():
    with pytest.raises(UnsafeXmlError) as info:
        safexml.parse(EXTERNAL_ENTITY)
    assert info.value.code == "dtd_forbidden"
    assert "root:" not in str(info.value)


def test_size_limit_is_checked_before_parsing():
    with pytest.raises(UnsafeXmlError) as info:
        safexml.parse(b"<a>" + b"x" * 2048 + b"</a>", max_bytes=1024)
    assert info.value.code == "too_large"


def test_element_count_limit():
    data = b"<a>" + b"<b/>" * 1001 + b"</a>"
    with pytest.raises(UnsafeXmlError) as info:
        safexml.parse(data, max_elements=1000)
    assert info.value.code == "too_many_elements"
    assert len(safexml.parse(data, max_elements=1002)) == 1001


def test_deep_nesting_hits_libxml2_limit():
    depth = 20_000
    data = b"<a>" * depth + b"</a>" * depth
    with pytest.raises(UnsafeXmlError) as info:
        safexml.parse(data)
    assert info.value.code == "not_well_formed"


def test_garbage_is_not_well_formed():
    with pytest.raises(UnsafeXmlError) as info:
        safexml.parse(b"<Message><unclosed></Message>")
    assert info.value.code == "not_well_formed"
