"""Where things are in the repository, for the repository checks."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADDONS = sorted(p.parent for p in (ROOT / "addons").glob("*/__manifest__.py"))


def read_manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
