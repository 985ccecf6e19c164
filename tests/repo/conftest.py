import pytest
from repo_paths import ADDONS


@pytest.fixture(params=ADDONS, ids=[a.name for a in ADDONS])
def addon(request):
    return request.param
