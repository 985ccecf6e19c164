"""Parsing XML received from other parties without trusting it.

Every message that reaches a municipality over SEOS or e-Delivery passes through
:func:`parse`:

* the size is checked on the raw bytes before the parser sees them;
* a document type declaration is refused outright: the exchange protocols never need
  one, and refusing it closes entity expansion ("billion laughs"), external entities and
  DTD retrieval at once, whatever the parser's defaults;
* the parser resolves no entities, loads no DTD, touches no network and keeps libxml2's
  limits on depth and text size (``huge_tree`` off);
* the element count is bounded after parsing, so a flat tree of millions of empty
  elements is refused too.
"""

from lxml import etree

from .errors import UnsafeXmlError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ELEMENTS = 200_000
DEFAULT_MAX_DEPTH = 256


def make_parser(*, remove_blank_text=False, huge_tree=False):
    """Return an lxml parser with every dangerous feature switched off.

    :param bool huge_tree: lift libxml2's 10 MB limit on one text node, which SEOS
        needs for inline attachments (SEOS reference §16.2); the caller then bounds the
        size and :func:`parse` bounds the depth itself.
    """
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=huge_tree,
        remove_comments=False,
        remove_pis=False,
        remove_blank_text=remove_blank_text,
        collect_ids=False,
    )


def parse(
    data,
    *,
    max_bytes=DEFAULT_MAX_BYTES,
    max_elements=DEFAULT_MAX_ELEMENTS,
    huge_tree=False,
    max_depth=DEFAULT_MAX_DEPTH,
):
    """Parse untrusted XML bytes and return the root element.

    :param bytes data: the document as received; ``str`` is accepted and encoded as
        UTF-8 after dropping an XML declaration, since a declared encoding cannot apply
        to decoded text.
    :param int max_bytes: refuse larger documents before parsing.
    :param int max_elements: refuse trees with more elements than this.
    :param bool huge_tree: allow text nodes above 10 MB (see :func:`make_parser`).
    :param int max_depth: with ``huge_tree``, refuse trees nested deeper than this
        (libxml2 drops its own depth limit in that mode).
    :raises UnsafeXmlError: ``code`` is ``too_large``, ``dtd_forbidden``,
        ``too_many_elements``, ``too_deep`` or ``not_well_formed``.
    """
    if isinstance(data, str):
        data = _strip_declaration(data).encode("utf-8")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse() takes bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise UnsafeXmlError(
            f"XML of {len(data)} bytes exceeds the limit of {max_bytes} bytes",
            code="too_large",
        )
    # Refused before libxml2 sees it, so every DTD gets the same answer whatever the
    # parser would have made of it; the check after parsing covers encodings this scan
    # cannot read.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeXmlError(
            "a document type declaration is not allowed", code="dtd_forbidden"
        )
    try:
        root = etree.fromstring(data, parser=make_parser(huge_tree=huge_tree))
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError(
            f"XML is not well-formed: {exc}", code="not_well_formed"
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeXmlError(
            "a document type declaration is not allowed", code="dtd_forbidden"
        )
    count = 0
    for _element in root.iter():
        count += 1
        if count > max_elements:
            raise UnsafeXmlError(
                f"XML has more than {max_elements} elements", code="too_many_elements"
            )
    if huge_tree:
        _check_depth(root, max_depth)
    return root


def _check_depth(root, max_depth):
    depth = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > max_depth:
            raise UnsafeXmlError(
                f"XML is nested deeper than {max_depth} levels", code="too_deep"
            )


def _strip_declaration(text):
    text = text.lstrip("\ufeff")
    if text.startswith("<?xml"):
        end = text.find("?>")
        if end != -1:
            return text[end + 2 :].lstrip()
    return text
