#!/usr/bin/env python3
"""Write each addon's README.rst and static/description/index.html from readme/.

The layout is the one OCA's ``oca-gen-addon-readme`` gives an 18.0 repository: title,
a "generated" notice with the digest of the sources, maturity, licence and repository
badges, the description, a table of contents, the other fragments as sections, the bug
tracker, credits (authors from the manifest, contributors, maintainers). That tool is
not published on a package registry, so the pre-commit hook ``gen-addon-readme`` runs
this script instead.

Fragments are ``readme/<NAME>.md`` (Markdown, converted to reStructuredText by pandoc,
from the ``pypandoc-binary`` package of requirements-lint.txt) or ``readme/<NAME>.rst``.
An addon without ``readme/DESCRIPTION.*`` is left alone. The result is checked with
docutils; a fragment that does not render fails the run with docutils' message.

Exit status 1 when a file was written (so that a pre-commit run which changed a README
says so) or a fragment does not render, 0 otherwise.
"""

import argparse
import ast
import hashlib
import io
import re
import sys
from pathlib import Path

GENERATOR = "gen_addon_readme"
FRAGMENTS_DIR = "readme"
# (fragment, section title), in the order of the README.
SECTIONS = (
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDIT_SECTIONS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))
FRAGMENTS = ("DESCRIPTION",) + tuple(n for n, _ in SECTIONS + CREDIT_SECTIONS)

MATURITY = "https://odoo-community.org/page/development-status"
MATURITY_BADGES = {
    "mature": ("maturity-Mature-brightgreen", "Mature"),
    "production/stable": ("maturity-Production%2FStable-green", "Production/Stable"),
    "beta": ("maturity-Beta-yellow", "Beta"),
    "alpha": ("maturity-Alpha-red", "Alpha"),
}
LICENCE_BADGES = {
    "AGPL-3": "https://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "GPL-3": "https://www.gnu.org/licenses/gpl-3.0-standalone.html",
    "LGPL-3": "https://www.gnu.org/licenses/lgpl-3.0-standalone.html",
}
# docutils settings for the check and the HTML page: no file inclusion, no raw HTML,
# stop on warnings (a broken fragment must not produce a half-rendered page).
DOCUTILS_SETTINGS = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "halt_level": 2,
    "report_level": 2,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "math_output": "MathJax",
    "output_encoding": "unicode",
    # Odoo 17+ warns about an XML declaration in a module's index.html.
    "xml_declaration": False,
    "embed_stylesheet": False,
    "stylesheet_path": "",
}
DIGEST_RE = re.compile(r"^\s*!! source digest: (\S+)", re.MULTILINE)
IMAGE_RE = re.compile(r"^(\s*\.\. (?:figure|image)::\s+)(?P<path>\S+?)\s*$")


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def fragment_files(addon_dir):
    """Return {fragment name: path} of the addon's fragments, Markdown before rst."""
    found = {}
    for name in FRAGMENTS:
        for suffix in (".md", ".rst"):
            path = addon_dir / FRAGMENTS_DIR / (name + suffix)
            if path.is_file():
                found[name] = path
                break
    return found


def source_digest(addon_dir, fragments):
    """Digest of what the README is made of: the manifest and the fragments."""
    digest = hashlib.sha256(GENERATOR.encode())
    for path in [addon_dir / "__manifest__.py", *sorted(fragments.values())]:
        digest.update(path.relative_to(addon_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


def to_rst(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        try:
            import pypandoc
        except ImportError:
            sys.exit(
                "gen_addon_readme: pypandoc is missing; run through scripts/lint, "
                "which installs requirements-lint.txt"
            )
        text = pypandoc.convert_text(
            text, "rst", format="gfm", extra_args=["--wrap=none"]
        )
    return text.strip("\n")


def absolute_images(text, raw_base):
    """Point relative image paths (written for the readme/ folder) at the repository."""
    lines = []
    for line in text.splitlines():
        match = IMAGE_RE.match(line)
        if match and not re.match(r"^[a-z]+://", match["path"]):
            line = match.group(1) + raw_base + match["path"].replace("../", "")
        lines.append(line)
    return "\n".join(lines)


def section(title, body, underline):
    return f"{title}\n{underline * len(title)}\n\n{body}\n"


def render(addon_dir, addon_path, manifest, fragments, digest, opts):
    repo = f"{opts.org_name}/{opts.repo_name}"
    github = f"https://github.com/{repo}"
    raw_base = f"https://raw.githubusercontent.com/{repo}/{opts.branch}/{addon_path}/"
    texts = {name: to_rst(path) for name, path in fragments.items()}
    texts = {name: absolute_images(text, raw_base) for name, text in texts.items()}
    texts = {name: text for name, text in texts.items() if text.strip()}

    name = manifest["name"]
    out = io.StringIO()
    out.write(f"{'=' * len(name)}\n{name}\n{'=' * len(name)}\n\n")
    notice = (
        f"This file is generated by scripts/{GENERATOR}.py",
        "changes will be overwritten.",
    )
    width = max(len(n) for n in notice)
    bar = "!" * (width + 6)
    out.write(f".. \n   {bar}\n")
    for line in notice:
        out.write(f"   !! {line.ljust(width)} !!\n")
    out.write(f"   {bar}\n   !! source digest: {digest}\n   {bar}\n\n")

    status = manifest.get("development_status", "Beta").lower()
    badges = []
    if status in MATURITY_BADGES:
        slug, alt = MATURITY_BADGES[status]
        badges.append((f"https://img.shields.io/badge/{slug}.png", MATURITY, alt))
    licence = manifest.get("license")
    if licence in LICENCE_BADGES:
        slug = licence.replace("-", "--")
        badges.append(
            (
                f"https://img.shields.io/badge/license-{slug}-blue.png",
                LICENCE_BADGES[licence],
                f"License: {licence}",
            )
        )
    badges.append(
        (
            f"https://img.shields.io/badge/github-{opts.org_name.replace('-', '--')}"
            f"%2F{opts.repo_name.replace('-', '--')}-lightgray.png?logo=github",
            f"{github}/tree/{opts.branch}/{addon_path}",
            repo,
        )
    )
    for index, (image, target, alt) in enumerate(badges, 1):
        out.write(f".. |badge{index}| image:: {image}\n")
        out.write(f"    :target: {target}\n    :alt: {alt}\n")
    refs = " ".join(f"|badge{index}|" for index in range(1, len(badges) + 1))
    out.write(f"\n{refs}\n\n")

    if "DESCRIPTION" in texts:
        out.write(texts["DESCRIPTION"] + "\n\n")
    if status == "alpha":
        out.write(
            ".. IMPORTANT::\n"
            "   An alpha version: its data model and design may change without "
            "warning.\n"
            "   Use it for development and testing, not in production.\n"
            f"   `More details on development status <{MATURITY}>`_\n\n"
        )
    out.write("**Table of contents**\n\n.. contents::\n   :local:\n\n")
    for fragment, title in SECTIONS:
        if fragment in texts:
            out.write(section(title, texts[fragment], "=") + "\n")

    addon_name = addon_dir.name
    out.write(
        section(
            "Bug Tracker",
            f"Bugs are tracked on `GitHub Issues <{github}/issues>`_: look there first "
            "whether yours is known,\n"
            f"otherwise `report it <{github}/issues/new?body=module:%20{addon_name}"
            f"%0Aversion:%20{opts.branch}%0A%0A**Steps%20to%20reproduce**%0A-%20...%0A%0A"
            "**Current%20behavior**%0A%0A**Expected%20behavior**>`_ with the steps "
            "that show it.",
            "=",
        )
        + "\n"
    )
    out.write("Credits\n=======\n\n")
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    if authors:
        out.write(section("Authors", "\n".join(f"- {a}" for a in authors), "-") + "\n")
    for fragment, title in CREDIT_SECTIONS:
        if fragment in texts:
            out.write(section(title, texts[fragment], "-") + "\n")
    maintainers = manifest.get("maintainers") or []
    body = []
    if maintainers:
        for login in maintainers:
            body.append(
                f".. |maintainer-{login}| image:: https://github.com/{login}.png?size=40px\n"
                f"    :target: https://github.com/{login}\n    :alt: {login}"
            )
        plural = "s" if len(maintainers) > 1 else ""
        body.append(
            f"Current maintainer{plural}:\n\n"
            + " ".join(f"|maintainer-{login}|" for login in maintainers)
        )
    tree = f"{github}/tree/{opts.branch}/{addon_path}"
    body.append(
        f"This module is part of the `{repo} <{tree}>`_ project on GitHub.\n\n"
        "You are welcome to contribute."
    )
    out.write(section("Maintainers", "\n\n".join(body), "-"))
    return out.getvalue()


def docutils_html(source, source_path):
    """Render the README with docutils; exit with docutils' message if it fails."""
    from docutils.core import publish_string
    from docutils.utils import SystemMessage

    try:
        return publish_string(
            source,
            source_path=str(source_path),
            writer_name="html5",
            settings_overrides={**DOCUTILS_SETTINGS, "warning_stream": io.StringIO()},
        )
    except SystemMessage as error:
        raise SystemExit(f"{source_path}: {error}") from None


def write_if_changed(path, text):
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def generate(addon_dir, root, opts):
    """Return the files written for one addon."""
    fragments = fragment_files(addon_dir)
    if "DESCRIPTION" not in fragments:
        return []
    manifest = read_manifest(addon_dir)
    if not manifest.get("installable", True):
        return []
    readme = addon_dir / "README.rst"
    index = addon_dir / "static" / "description" / "index.html"
    digest = source_digest(addon_dir, fragments)
    if opts.if_source_changed and readme.is_file():
        current = DIGEST_RE.search(readme.read_text(encoding="utf-8"))
        up_to_date = current and current.group(1) == digest
        if up_to_date and (not opts.gen_html or index.is_file()):
            return []
    addon_path = addon_dir.resolve().relative_to(root).as_posix()
    text = render(addon_dir, addon_path, manifest, fragments, digest, opts)
    html = docutils_html(text, readme)
    written = []
    if write_if_changed(readme, text):
        written.append(readme)
    if opts.gen_html:
        if index.is_file() and GENERATOR not in index.read_text(encoding="utf-8"):
            # A hand-written page stays.
            return written
        html = html.replace("<head>", f"<head>\n<!-- generated by {GENERATOR} -->", 1)
        # docutils' version in the page would change it on every upgrade of docutils.
        html = re.sub(r'(<meta name="generator" content="Docutils) [\d.]+', r"\1", html)
        if write_if_changed(index, html):
            written.append(index)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-dir", type=Path, help="a folder of addons")
    parser.add_argument(
        "--addon-dir",
        type=Path,
        action="append",
        default=[],
        help="one addon, repeatable",
    )
    parser.add_argument("--org-name", required=True)
    parser.add_argument("--repo-name", required=True)
    parser.add_argument("--branch", required=True, help="the Odoo series, e.g. 18.0")
    parser.add_argument(
        "--if-source-changed",
        action="store_true",
        help="leave alone a README whose digest matches its fragments and manifest",
    )
    parser.add_argument(
        "--no-gen-html",
        dest="gen_html",
        action="store_false",
        help="do not write static/description/index.html",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="the repository's root, for the addons' paths in links (default: .)",
    )
    opts = parser.parse_args(argv)
    root = opts.root.resolve()
    addons = list(opts.addon_dir)
    if opts.addons_dir:
        addons += sorted(p.parent for p in opts.addons_dir.glob("*/__manifest__.py"))
    written = []
    for addon_dir in addons:
        written += generate(addon_dir, root, opts)
    for path in written:
        print(f"written: {path}")
    return 1 if written else 0


if __name__ == "__main__":
    sys.exit(main())
