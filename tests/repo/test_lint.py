"""The repository passes its whole pre-commit configuration, run with the pinned tools.

Each hook of .pre-commit-config.yaml is a test, once on the files outside addons/ and
once on addons/. The hooks run on a copy of the working tree (a git repository of its
own in a temporary folder), so the fixing hooks never touch the checkout: what they
would change is their finding, shown as a diff. A hook of ADDONS_REPORT_ONLY does not
fail on addons/: its findings are printed at the end of the run and kept whole in the
log folder of the cache. ``LINT_BLOCKING=all`` makes every hook blocking everywhere.

The tools come from scripts/lint (requirements-lint.txt in a virtual environment, the
node tools from package-lock.json), which scripts/test calls before tier 1; it passes
their locations in MUNICIPAL_EGOV_LINT_PATH and MUNICIPAL_EGOV_NODE_PATH.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import lint_report
import pytest
import yaml
from repo_paths import ROOT

# Hooks that only report on addons/ while the addon branches are merged and the addons
# cleaned, and why; the clean-up pass empties it (LINT_BLOCKING=all shows what fails).
ADDONS_REPORT_ONLY = {
    "gen-addon-readme": "the addons have no generated README.rst yet",
    "gen-external-dependencies": "requirements.txt follows the manifests, which the "
    "addon branches are changing",
    "oca-checks-odoo-module": "duplicate xml ids and users created without "
    "no_reset_password in the demo data",
    "prettier": "the addons' XML and JS have not been formatted yet",
    "pylint_odoo": "findings of the mandatory checks in municipal_registry "
    "(redundant string, relative imports, cr.commit() in a test, a missing return)",
}

CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = [hook["id"] for repo in CONFIG["repos"] for hook in repo["hooks"]]
SCOPES = ("repository", "addons")
LINT_PATH = os.environ.get("MUNICIPAL_EGOV_LINT_PATH")
XDG_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
CACHE = Path(os.environ.get("MUNICIPAL_EGOV_CACHE") or XDG_CACHE / "municipal-egov")
LOGS = CACHE / "logs"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# What a failing test shows of a hook's output and diff; the log keeps all of it.
SHOWN_CHARS = 12000


def _in_scope(path, scope):
    return path.startswith("addons/") == (scope == "addons")


def _git(cwd, *args):
    return subprocess.run(
        ["git", "-c", "user.name=lint", "-c", "user.email=lint@localhost", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module")
def worktree_copy(tmp_path_factory):
    """A git repository with the files of the working tree (tracked or not ignored)."""
    if LINT_PATH is None:
        pytest.skip("the lint tools are installed by scripts/test or scripts/lint")
    if not LINT_PATH:
        pytest.fail("scripts/lint could not install the lint tools (see above)")
    target = tmp_path_factory.mktemp("lint") / "repo"
    try:
        listed = _git(ROOT, "ls-files", "-z", "-c", "-o", "--exclude-standard")
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (a copy in a container): the copy's git applies .gitignore.
        ignore = shutil.ignore_patterns(".git")
        shutil.copytree(ROOT, target, symlinks=True, ignore=ignore)
    else:
        for name in sorted(set(filter(None, listed.split("\0")))):
            source = ROOT / name
            if not source.is_symlink() and not source.exists():
                continue  # deleted in the working tree
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                destination.symlink_to(os.readlink(source))
            else:
                shutil.copy2(source, destination)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "--no-verify", "-m", "working tree")
    files = _git(target, "ls-files", "-z").split("\0")
    for old in LOGS.glob("lint-*.log"):
        old.unlink()
    return target, [name for name in files if name]


def _run(worktree_copy, hook, scope):
    """Run one hook on the scope's files; return (exit code, output, changes, diff)."""
    target, files = worktree_copy
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{LINT_PATH}:{env.get('PATH', '')}"
    env["NODE_PATH"] = os.environ.get("MUNICIPAL_EGOV_NODE_PATH", "")
    env["PRE_COMMIT_HOME"] = str(CACHE / "pre-commit")
    scoped = [name for name in files if _in_scope(name, scope)]
    result = subprocess.run(
        [
            "pre-commit",
            "run",
            hook,
            "--color=never",
            "--files",
            *scoped,
        ],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    _git(target, "add", "-A")
    changes = _git(target, "diff", "--cached", "--name-status")
    diff = _git(target, "diff", "--cached") if changes else ""
    if changes:
        # The next hook starts from this one's result, as in one pre-commit run.
        _git(target, "commit", "-q", "--no-verify", "-m", hook)
    output = ANSI.sub("", result.stdout + result.stderr)
    return result.returncode, output, changes, diff


def _findings(output, changes):
    """The lines worth reading: the hook's messages and the files it rewrote."""
    lines = []
    for line in output.splitlines():
        if re.search(r"\.{4,}(Passed|Failed|Skipped)$", line) or line.startswith("- "):
            continue
        if line.strip():
            lines.append(line.rstrip())
    lines += [f"would rewrite: {line}" for line in changes.splitlines()]
    return lines


@pytest.mark.parametrize(
    "scope, hook",
    [(scope, hook) for scope in SCOPES for hook in HOOKS],
    ids=[f"{scope}-{hook}" for scope in SCOPES for hook in HOOKS],
)
def test_hook_passes(worktree_copy, request, scope, hook):
    code, output, changes, diff = _run(worktree_copy, hook, scope)
    failed = code != 0 or bool(changes)
    findings = _findings(output, changes)
    log = LOGS / f"lint-{scope}-{hook}.log"
    if findings:
        LOGS.mkdir(parents=True, exist_ok=True)
        log.write_text(f"{output}\n{diff}", encoding="utf-8")
    if not failed:
        return
    reason = ADDONS_REPORT_ONLY.get(hook) if scope == "addons" else None
    if reason and os.environ.get("LINT_BLOCKING") != "all":
        lint_report.record(request.config, hook, scope, reason, findings, log)
        return
    text = f"{output}\n{diff}"
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + f"\n... the rest is in {log}"
    pytest.fail(f"pre-commit hook {hook} fails on {scope}:\n{text}", pytrace=False)


def test_every_hook_is_local():
    """No hook needs a repository to be cloned: the machines reach no code host."""
    assert {repo["repo"] for repo in CONFIG["repos"]} == {"local"}


def test_report_only_hooks_are_hooks_of_the_configuration():
    assert set(ADDONS_REPORT_ONLY) <= set(HOOKS)


def test_ruff_of_the_tests_is_the_ruff_of_the_hooks():
    """Developers format with the test environment's ruff: the one of the hooks."""

    def pin(name):
        text = (ROOT / name).read_text(encoding="utf-8")
        return re.search(r"^ruff==(\S+)$", text, re.MULTILINE).group(1)

    assert pin("requirements-test.txt") == pin("requirements-lint.txt")
