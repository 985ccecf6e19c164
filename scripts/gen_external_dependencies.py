#!/usr/bin/env python3
"""Write requirements.txt: the Python dependencies the addons' manifests declare.

As OCA's ``oca-gen-external-dependencies`` does for an addons repository (that tool is
not published on a package registry): one line per distinct requirement of
``external_dependencies["python"]`` over the installable addons, sorted. Exit status 1
when the file was written, so that a pre-commit run which changed it says so.
"""

import argparse
import ast
import sys
from pathlib import Path

HEADER = "# generated from manifests external_dependencies\n"


def requirements(addons_dir):
    found = set()
    for manifest_path in sorted(addons_dir.glob("*/__manifest__.py")):
        manifest = ast.literal_eval(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("installable", True):
            found.update(manifest.get("external_dependencies", {}).get("python", []))
    return sorted(found, key=str.lower)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-dir", type=Path, default=Path("addons"))
    parser.add_argument("--output", type=Path, default=Path("requirements.txt"))
    opts = parser.parse_args(argv)
    lines = requirements(opts.addons_dir)
    text = HEADER + "".join(line + "\n" for line in lines) if lines else ""
    current = opts.output.read_text(encoding="utf-8") if opts.output.is_file() else None
    if text == (current or ""):
        return 0
    if text:
        opts.output.write_text(text, encoding="utf-8")
    else:
        opts.output.unlink()
    print(f"written: {opts.output}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
