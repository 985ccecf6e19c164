"""Findings of the report-only hooks, kept during the run and printed at its end."""

import pytest

FINDINGS = pytest.StashKey[list]()
# Lines of one hook's findings printed at the end; the rest is in its log file.
SHOWN_LINES = 40


def record(config, hook, scope, reason, lines, log):
    config.stash.setdefault(FINDINGS, []).append((hook, scope, reason, lines, log))


def summary(terminalreporter):
    findings = terminalreporter.config.stash.get(FINDINGS, [])
    if not findings:
        return
    terminalreporter.section("report-only findings of the pre-commit hooks")
    for hook, scope, reason, lines, log in findings:
        terminalreporter.write_line(f"{hook} on {scope} (report-only: {reason})")
        for line in lines[:SHOWN_LINES]:
            terminalreporter.write_line(f"    {line}")
        if len(lines) > SHOWN_LINES:
            more = len(lines) - SHOWN_LINES
            terminalreporter.write_line(f"    ... {more} more lines")
        terminalreporter.write_line(f"    full output: {log}")
