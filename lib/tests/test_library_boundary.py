"""The library is imported by Odoo, never the other way round."""

import ast
import pathlib

import bg_egov

PACKAGE = pathlib.Path(bg_egov.__file__).parent


def test_no_module_imports_odoo():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name}:{node.lineno}" for n in names if n.split(".")[0] == "odoo"
            ]
    assert offenders == []
