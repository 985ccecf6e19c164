"""Every addon is installable, laid out like the suite, and fully translated."""

import re

from repo_paths import ADDONS, ROOT, read_manifest

SUITE = {
    "municipal_registry",
    "seos_exchange",
    "ssev_delivery",
    "nis_risk",
    "ethics_declarations",
}


def test_the_five_addons_are_there():
    assert {a.name for a in ADDONS} == SUITE


def test_manifest(addon):
    manifest = read_manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "LGPL-3"
    assert manifest["author"] == "Municipal e-Government for Odoo"
    assert manifest.get("installable", True)
    for path in manifest.get("data", []) + manifest.get("demo", []):
        assert (addon / path).is_file(), f"{addon.name}: {path} is listed but missing"
    # The app belongs to the register; everything else hangs under it.
    if addon.name == "municipal_registry":
        assert manifest.get("application") is True
    else:
        assert "municipal_registry" in manifest["depends"]
        assert not manifest.get("application")


def test_external_dependency_names_the_library_distribution(addon):
    python = read_manifest(addon).get("external_dependencies", {}).get("python", [])
    for requirement in python:
        assert not requirement.startswith(
            "bg_egov"
        ), "use the distribution name bg-egov"


def test_readme_fragments_and_icon(addon):
    assert (addon / "readme" / "DESCRIPTION.md").read_text(encoding="utf-8").strip()
    assert (addon / "static" / "description" / "icon.png").read_bytes()[
        :8
    ] == b"\x89PNG\r\n\x1a\n"


def _po_entries(path):
    """Return (msgid, msgstr) pairs of a .po file: enough to check completeness."""
    entries, current, field = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgstr ", "msgctxt ")):
            field, _, rest = line.partition(" ")
            current[field] = _unquote(rest)
        elif line.startswith('"') and field:
            current[field] += _unquote(line)
    return [(e.get("msgid", ""), e.get("msgstr", "")) for e in entries]


def _unquote(text):
    return (
        text.strip()[1:-1]
        .replace('\\"', '"')
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
    )


def test_bulgarian_translation_is_complete(addon):
    po = addon / "i18n" / "bg.po"
    assert po.is_file(), f"{addon.name} has no i18n/bg.po"
    entries = _po_entries(po)
    header = [s for m, s in entries if m == ""]
    assert header and "Language: bg" in header[0]
    missing = [m for m, s in entries if m and not s]
    assert missing == [], f"{addon.name}: untranslated {missing[:5]}"
    assert len(entries) > 1
    assert not (addon / "i18n" / "en.po").exists()


def test_bulgarian_translation_covers_the_template(addon):
    template = addon / "i18n" / f"{addon.name}.pot"
    if not template.exists():
        return
    translated = {m for m, s in _po_entries(addon / "i18n" / "bg.po") if s}
    missing = [m for m, _s in _po_entries(template) if m and m not in translated]
    assert missing == [], f"{addon.name}: not in bg.po: {missing[:5]}"


def test_translations_keep_placeholders(addon):
    for msgid, msgstr in _po_entries(addon / "i18n" / "bg.po"):
        placeholders = sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", msgid))
        assert (
            sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", msgstr)) == placeholders
        ), msgid


def test_test_environment_has_every_library_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "lib" / "pyproject.toml").read_text("utf-8"))
    pinned = {
        re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0].lower()
        for line in (ROOT / "requirements-test.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    needed = {
        re.split(r"[=<>!~\[; ]", d, maxsplit=1)[0].lower()
        for d in project["project"]["dependencies"]
    }
    assert needed <= pinned, f"pin {sorted(needed - pinned)} in requirements-test.txt"
