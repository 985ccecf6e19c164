import lint_report
import pytest
from repo_paths import ADDONS


@pytest.fixture(params=ADDONS, ids=[a.name for a in ADDONS])
def addon(request):
    return request.param


def pytest_terminal_summary(terminalreporter):
    lint_report.summary(terminalreporter)
